#pragma once

// Owns an Asio io_context and the threads that run it. Clients and servers take the
// io_context by reference; their callbacks run on these threads.

#include <cstddef>
#include <memory>

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace tern::net {

/// An io_context plus `threads` runner threads. The context stays alive while idle (a work
/// guard) until `stop()`. Destruction stops and joins. start/stop/join are not meant to race
/// each other: call them from the owner's thread.
class io_runtime {
 public:
  explicit io_runtime(std::size_t threads = 1);
  ~io_runtime();
  io_runtime(const io_runtime&) = delete;
  io_runtime& operator=(const io_runtime&) = delete;

  [[nodiscard]] boost::asio::io_context& context() noexcept;

  /// Starts the threads; a no-op when already running.
  void start();
  /// Makes the threads return from `run()` once their current handler returns; handlers
  /// and operations still queued are abandoned, so close clients and servers first.
  void stop();
  /// Waits for the threads to return (after `stop()`).
  void join();

  /// True on one of this runtime's threads (for assertions in callbacks).
  [[nodiscard]] bool running_in_this_thread() const noexcept;
  [[nodiscard]] std::size_t thread_count() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace tern::net
