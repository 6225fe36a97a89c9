#pragma once

// The delay before a child is started again. The supervision logic asks one `restart_delays`
// per child for its next delay and resets it once the child proved stable; how the delays
// grow is behind this small interface so the curve is shared with the network layer's
// reconnect backoff (net/backoff) rather than written twice.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/expected.hpp"

namespace tern::supervision {

/// The shape of the restart delay curve (net::backoff's): delay n (from 0) before jitter is
/// `min(max, min * factor^n)`; jitter shortens each delay by a random fraction of at most
/// `jitter`, so restarts of many children spread out and never exceed the curve. A zero `min`
/// restarts at once, every time.
struct backoff_settings {
  std::chrono::nanoseconds min = std::chrono::milliseconds{500};
  std::chrono::nanoseconds max = std::chrono::seconds{30};
  double factor = 2.0; ///< in [1, 100]
  double jitter = 0.2; ///< in [0, 1]
};

/// Why a setting is unusable; names the field and quotes the value.
struct settings_error {
  std::string message;
};

[[nodiscard]] expected<void, settings_error> validate(const backoff_settings& settings);

/// A source of uniform numbers in [0, 1) for jitter (net::uniform_source). Tests inject fixed
/// sequences.
using uniform_source = std::function<double()>;

/// The delays before one child's consecutive restarts.
class restart_delays {
 public:
  virtual ~restart_delays() = default;
  /// The delay before the next restart; advances the curve one step.
  [[nodiscard]] virtual std::chrono::nanoseconds next_delay() = 0;
  /// Back to the first step.
  virtual void reset() noexcept = 0;
};

/// Makes one `restart_delays` per child.
using restart_delays_factory = std::function<std::unique_ptr<restart_delays>()>;

/// Delays along `settings`' curve with jitter drawn from `source` (null: no jitter).
/// `settings` must be valid.
[[nodiscard]] restart_delays_factory exponential_restart_delays(backoff_settings settings,
                                                                uniform_source source);

/// A uniform source seeded from the random device, for production.
[[nodiscard]] uniform_source random_uniform_source();

} // namespace tern::supervision
