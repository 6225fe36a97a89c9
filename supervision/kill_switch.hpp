#pragma once

// The kill switch: stop every strategy and cancel every order, on an operator's command
// (POST /control/kill-switch) or on a strategy's own loss limit. The app registers the action
// that does the work (the strategy layer stops its strategies and cancels through the exchange
// actors); this class only guards it (one invocation at a time) and remembers what happened,
// so /strategies and /health can show it. Thread-safe, no CAF.

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "core/types.hpp"

namespace tern::supervision {

/// What the action reports when it has finished.
struct kill_switch_result {
  bool ok = false;    ///< every strategy stopped and every cancel confirmed
  std::string detail; ///< "stopped 2 strategies, cancelled 5 orders" or what failed
};

/// Why and by whom the switch was pulled.
struct kill_switch_request {
  std::string source; ///< "ops 127.0.0.1:51234", "loss limit of arb-btc"
  std::string reason; ///< free text from the operator or the strategy; may be empty
};

/// The work behind the switch. Must call `done` exactly once, within a bounded time (the app's
/// adapter gives its requests a timeout), from any thread; may call it before returning.
using kill_switch_action =
    std::function<void(const kill_switch_request&, std::function<void(kill_switch_result)> done)>;

/// The last invocation and how it ended.
struct kill_switch_invocation {
  kill_switch_request request;
  timestamp requested_at{};
  std::optional<timestamp> completed_at;   ///< none while it runs
  std::optional<kill_switch_result> result; ///< none while it runs
};

/// What /strategies and /health show about the switch.
struct kill_switch_status {
  bool armed = false;        ///< an action is registered
  bool running = false;      ///< an invocation has not reported back yet
  std::uint64_t invocations = 0;
  std::optional<kill_switch_invocation> last;
};

/// How `trigger` went.
enum class kill_switch_outcome : std::uint8_t {
  started,  ///< the action was called; `done` will be called with its result
  busy,     ///< an invocation is still running; nothing was called
  unarmed,  ///< no action is registered; nothing was called
};

class kill_switch {
 public:
  /// `clock` stamps invocations (the wall clock in the app, a manual one in tests).
  explicit kill_switch(std::function<timestamp()> clock);

  /// Registers (or, with an empty function, removes) the action.
  void arm(kill_switch_action action);

  /// Calls the action once unless one is running or none is registered. `done` gets the
  /// action's result after it is recorded; it is not called unless the outcome is `started`.
  kill_switch_outcome trigger(kill_switch_request request,
                              std::function<void(const kill_switch_result&)> done = {});

  [[nodiscard]] kill_switch_status status() const;

 private:
  std::function<timestamp()> clock_;
  mutable std::mutex mutex_;
  kill_switch_action action_;
  kill_switch_status status_;
};

} // namespace tern::supervision
