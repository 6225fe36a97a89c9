#pragma once

// Test support for cluster tests with real processes: a node process (the test node binary,
// killed with SIGKILL when the object goes, even when a test fails), free loopback ports, a
// temporary folder, and polling of a node's ops endpoint up to a deadline.

#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tern::testing {

/// A loopback port free at the time of asking (bound to 0, read, released).
inline std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

struct temp_folder {
  std::filesystem::path path;
  temp_folder() {
    char pattern[] = "/tmp/tern_cluster_XXXXXX";
    if (::mkdtemp(pattern) != nullptr)
      path = pattern;
  }
  ~temp_folder() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

/// A child process with its stdout on a pipe (stderr stays the test's, for diagnosis).
class node_process {
 public:
  node_process(const std::string& program, std::vector<std::string> args,
               std::vector<std::string> env = {}) {
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0)
      return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      for (auto& e : env)
        ::putenv(e.data());
      std::vector<char*> argv{const_cast<char*>(program.c_str())};
      for (auto& a : args)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(program.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    fd_ = out[0];
  }
  ~node_process() {
    kill_now();
    if (fd_ >= 0)
      ::close(fd_);
  }
  node_process(const node_process&) = delete;
  node_process& operator=(const node_process&) = delete;

  [[nodiscard]] bool started() const noexcept { return pid_ > 0; }

  /// SIGKILL (after SIGCONT, in case it is stopped) and reap.
  void kill_now() {
    if (pid_ <= 0)
      return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  void signal(int number) const {
    if (pid_ > 0)
      ::kill(pid_, number);
  }

  /// Reads stdout until a line starts with `prefix`, at most `timeout`; the line or "".
  std::string await_line(const std::string& prefix, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto end = buffer_.find('\n');
      if (end != std::string::npos) {
        auto line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        if (line.rfind(prefix, 0) == 0)
          return line;
        continue;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd readable{fd_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&readable, 1, static_cast<int>(left.count())) <= 0)
        return {};
      char chunk[1024];
      const auto n = ::read(fd_, chunk, sizeof chunk);
      if (n <= 0)
        return {};
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string buffer_;
};

/// Calls `condition` every 20 ms until it holds or `within` has passed; whether it held.
/// Real time on purpose: the processes under test run on the wall clock.
inline bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  for (;;) {
    if (condition())
      return true;
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
}

} // namespace tern::testing
