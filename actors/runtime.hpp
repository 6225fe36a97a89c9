#pragma once

// Starting and stopping Tern's actor system.
//
//   tern::signal_watch signals;                   // SIGINT/SIGTERM -> wake-up
//   tern::runtime rt{options};
//   rt.add("journal", rt.system().spawn(journal_actor, path));
//   rt.add("exchange", rt.system().spawn(exchange_actor, ...));
//   auto summary = rt.run_until_signal(signals);  // blocks; stops "exchange", then "journal"
//
// Stopping is orderly: each top-level actor, newest first, gets an exit message with
// exit_reason::user_shutdown and is awaited (monitor + down_msg) before the next one is asked.
// - The exit message queues behind messages already in the mailbox, so work sent before the
//   stop is handled first; messages arriving after it are dropped.
// - Cleanup (a stateful actor's state destructor, on_exit) runs before the down message
//   is sent, so an actor that owns a file has flushed and closed it before the next actor
//   stops. Keep such resources in the actor's state.
// - An actor still running after `stop_timeout` gets exit_reason::kill, which CAF 0.17 applies
//   without consulting exit handlers; one stuck inside a handler is reported unresponsive.
// Top-level actors own their children: link them, so that they stop with their parent.
// A runtime is driven from one thread (typically main).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/fwd.hpp>

namespace tern {

class signal_watch;

/// What the actor system is started with. Defaults suit one process on this machine.
struct runtime_options {
  /// Scheduler worker threads; 0 means one per hardware core. (CAF's own default is
  /// max(4, cores), which makes blocking round trips slow on a 2-core machine.)
  std::size_t scheduler_threads = 0;
  /// Loads CAF's io::middleman, so actors can be published to and reached from other nodes.
  bool enable_network = false;
  /// With networking: the BASP heartbeat period and how long a silent peer stays connected.
  /// Without both a hung peer is never noticed. Zero leaves CAF's default (off).
  std::chrono::milliseconds heartbeat_interval{1000};
  std::chrono::milliseconds connection_timeout{5000};
  /// How long a top-level actor may take to stop after its exit message before it is
  /// killed, and again after the kill before the runtime gives up waiting for it.
  std::chrono::milliseconds stop_timeout{5000};
  /// Called last on the actor system's config, before the system starts: for modules and
  /// settings this struct does not name (cluster/ loads CAF's openssl module here).
  std::function<void(caf::actor_system_config&)> customize;
};

/// How one top-level actor stopped.
struct stop_report {
  enum class outcome : std::uint8_t {
    stopped,      ///< ended after the user_shutdown exit message
    killed,       ///< ignored user_shutdown for stop_timeout; ended after exit_reason::kill
    unresponsive, ///< still running after the kill; the system shutdown will wait for it
  };
  std::string name;
  outcome result = outcome::stopped;
  std::string reason;              ///< exit reason as CAF renders it, e.g. "exit_reason(user_shutdown)"
  std::chrono::nanoseconds took{}; ///< from the exit message to the down message
};

/// What `run_until_signal` did.
struct shutdown_summary {
  int signal = 0; ///< SIGINT, SIGTERM, or 0 after signal_watch::notify
  std::vector<stop_report> actors; ///< in stop order
  /// True when every actor stopped on user_shutdown.
  [[nodiscard]] bool clean() const noexcept;
};

/// Owns the CAF actor system (configured from runtime_options, Tern's message types
/// registered) and the list of top-level actors.
class runtime {
 public:
  explicit runtime(const runtime_options& options = {});
  /// Stops whatever is still registered, then shuts the actor system down.
  ~runtime();
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  /// The actor system. Throws std::logic_error after `shutdown`.
  [[nodiscard]] caf::actor_system& system();
  /// The number of scheduler threads actually configured.
  [[nodiscard]] std::size_t scheduler_threads() const noexcept;

  /// Registers a top-level actor (any handle type) under `name`, for logs and reports.
  template <class Handle>
  void add(std::string name, const Handle& handle) {
    add_actor(std::move(name), caf::actor_cast<caf::strong_actor_ptr>(handle));
  }

  /// Stops the registered actors, newest first, one at a time. Returns one report per actor
  /// in stop order; a second call returns nothing.
  std::vector<stop_report> stop();

  /// `stop`, then destroys the actor system, which waits for every remaining actor (children
  /// that were not linked to a top-level actor included).
  std::vector<stop_report> shutdown();

  /// Blocks until `signals` fires, then `shutdown`.
  shutdown_summary run_until_signal(signal_watch& signals);

 private:
  void add_actor(std::string name, caf::strong_actor_ptr handle);

  struct state;
  std::unique_ptr<state> state_;
};

} // namespace tern
