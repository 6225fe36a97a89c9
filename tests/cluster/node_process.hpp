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

#include "tests/support/line_process.hpp"

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

/// A node (or simulator) process: stdout read line by line, no stdin.
using node_process = line_process;

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
