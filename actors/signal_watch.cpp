#include "actors/signal_watch.hpp"

#include <atomic>
#include <cerrno>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace tern {
namespace {

// The handler reads the pipe's write end from here; -1 while no watch exists.
std::atomic<int> signal_pipe_write_fd{-1};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs a lock-free fd");

extern "C" void write_signal_to_pipe(int number) {
  const int saved_errno = errno;
  const int fd = signal_pipe_write_fd.load(std::memory_order_relaxed);
  if (fd >= 0) {
    const auto byte = static_cast<unsigned char>(number);
    // A full pipe already holds a wake-up, so a failed write loses nothing.
    [[maybe_unused]] const auto written = ::write(fd, &byte, 1);
  }
  errno = saved_errno;
}

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error{errno, std::generic_category(), what};
}

} // namespace

signal_watch::signal_watch() {
  int fds[2];
  if (::pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
    throw_errno("signal_watch: pipe2");
  read_fd_ = fds[0];
  write_fd_ = fds[1];
  int expected = -1;
  if (!signal_pipe_write_fd.compare_exchange_strong(expected, write_fd_)) {
    ::close(read_fd_);
    ::close(write_fd_);
    throw std::logic_error{"signal_watch: only one watch may exist per process"};
  }
  struct sigaction action {};
  action.sa_handler = write_signal_to_pipe;
  action.sa_flags = SA_RESTART; // other threads' blocking calls just resume
  sigemptyset(&action.sa_mask);
  if (::sigaction(SIGINT, &action, &previous_interrupt_) != 0
      || ::sigaction(SIGTERM, &action, &previous_terminate_) != 0) {
    const int saved = errno;
    ::sigaction(SIGINT, &previous_interrupt_, nullptr);
    signal_pipe_write_fd.store(-1);
    ::close(read_fd_);
    ::close(write_fd_);
    errno = saved;
    throw_errno("signal_watch: sigaction");
  }
  handlers_installed_ = true;
}

signal_watch::~signal_watch() {
  restore_previous_handlers();
  signal_pipe_write_fd.store(-1);
  ::close(read_fd_);
  ::close(write_fd_);
}

void signal_watch::restore_previous_handlers() noexcept {
  if (!handlers_installed_)
    return;
  ::sigaction(SIGINT, &previous_interrupt_, nullptr);
  ::sigaction(SIGTERM, &previous_terminate_, nullptr);
  handlers_installed_ = false;
}

int signal_watch::wait() {
  return *wait_until_readable(-1);
}

std::optional<int> signal_watch::wait_for(std::chrono::milliseconds timeout) {
  return wait_until_readable(static_cast<int>(timeout.count()));
}

std::optional<int> signal_watch::wait_until_readable(int timeout_ms) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + std::chrono::milliseconds{timeout_ms};
  for (;;) {
    unsigned char byte = 0;
    if (::read(read_fd_, &byte, 1) == 1) {
      if (byte != 0)
        restore_previous_handlers();
      return static_cast<int>(byte);
    }
    if (errno != EAGAIN && errno != EINTR)
      throw_errno("signal_watch: read");
    int remaining = -1;
    if (timeout_ms >= 0) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock::now());
      if (left.count() <= 0)
        return std::nullopt;
      remaining = static_cast<int>(left.count());
    }
    pollfd readable{read_fd_, POLLIN, 0};
    if (::poll(&readable, 1, remaining) < 0 && errno != EINTR)
      throw_errno("signal_watch: poll");
  }
}

void signal_watch::notify() noexcept {
  const unsigned char byte = 0;
  [[maybe_unused]] const auto written = ::write(write_fd_, &byte, 1);
}

} // namespace tern
