#pragma once

#include <chrono>
#include <optional>

#include <signal.h>

namespace tern {

/// Turns SIGINT and SIGTERM into an event a thread can wait for.
///
/// The signal handler only writes the signal number into a non-blocking self-pipe (write(2)
/// is async-signal-safe); logging and stopping actors happen in the thread that calls `wait`.
/// At most one watch exists per process. The previous dispositions come back when the watch
/// is destroyed, and already when `wait` has returned a signal: a second Ctrl-C during a
/// stuck shutdown then ends the process the default way.
class signal_watch {
 public:
  /// Installs the handlers. Throws std::logic_error if another watch exists and
  /// std::system_error if the pipe or a handler cannot be set up.
  signal_watch();
  ~signal_watch();
  signal_watch(const signal_watch&) = delete;
  signal_watch& operator=(const signal_watch&) = delete;

  /// Blocks until SIGINT or SIGTERM arrives or `notify` is called. Returns the signal number,
  /// or 0 after `notify`.
  int wait();

  /// Like `wait`, but gives up after `timeout` and returns std::nullopt.
  [[nodiscard]] std::optional<int> wait_for(std::chrono::milliseconds timeout);

  /// Wakes the waiter without a signal (an operator command, a fatal actor error). Safe from
  /// any thread and from signal handlers.
  void notify() noexcept;

 private:
  std::optional<int> wait_until_readable(int timeout_ms);
  void restore_previous_handlers() noexcept;

  int read_fd_ = -1;
  int write_fd_ = -1;
  bool handlers_installed_ = false;
  struct sigaction previous_interrupt_ {};
  struct sigaction previous_terminate_ {};
};

} // namespace tern
