#pragma once

// A child process driven line by line over its stdin and stdout (stderr stays the test's, for
// diagnosis), killed with SIGKILL when the object goes, even when a test fails. Every read is
// bounded by a deadline.

#include <chrono>
#include <csignal>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tern::testing {

class account_process {
 public:
  account_process(const std::string& program, std::vector<std::string> args) {
    ::signal(SIGPIPE, SIG_IGN);  // writing to a killed child fails instead of ending the test
    int in[2];
    int out[2];
    if (::pipe2(in, O_CLOEXEC) != 0)
      return;
    if (::pipe2(out, O_CLOEXEC) != 0) {
      ::close(in[0]);
      ::close(in[1]);
      return;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], STDIN_FILENO);
      ::dup2(out[1], STDOUT_FILENO);
      std::vector<char*> argv{const_cast<char*>(program.c_str())};
      for (auto& arg : args)
        argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(program.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    to_child_ = in[1];
    from_child_ = out[0];
  }
  ~account_process() {
    kill_now();
    if (to_child_ >= 0)
      ::close(to_child_);
    if (from_child_ >= 0)
      ::close(from_child_);
  }
  account_process(const account_process&) = delete;
  account_process& operator=(const account_process&) = delete;

  [[nodiscard]] bool started() const noexcept { return pid_ > 0; }

  /// SIGKILL and reap: the process gets no chance to flush or close anything.
  void kill_now() {
    if (pid_ <= 0)
      return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  /// Writes one command line; false when the child is gone.
  bool send(const std::string& line) {
    const std::string text = line + "\n";
    return to_child_ >= 0 && ::write(to_child_, text.data(), text.size())
                                 == static_cast<ssize_t>(text.size());
  }

  /// Reads stdout until a line starts with `prefix` (earlier lines are kept in `seen`), at
  /// most `timeout`; the line, or "" on timeout or end of output.
  std::string await_line(const std::string& prefix, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto end = buffer_.find('\n');
      if (end != std::string::npos) {
        auto line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        seen.push_back(line);
        if (line.rfind(prefix, 0) == 0)
          return line;
        continue;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd readable{from_child_, POLLIN, 0};
      if (left.count() <= 0 || ::poll(&readable, 1, static_cast<int>(left.count())) <= 0)
        return {};
      char chunk[1024];
      const auto n = ::read(from_child_, chunk, sizeof chunk);
      if (n <= 0)
        return {};
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  /// Sends `command` and waits for the answer starting with `prefix`.
  std::string ask(const std::string& command, const std::string& prefix,
                  std::chrono::milliseconds timeout = std::chrono::seconds{15}) {
    return send(command) ? await_line(prefix, timeout) : std::string{};
  }

  /// Every line read so far, oldest first (for failure messages and notices).
  std::vector<std::string> seen;

 private:
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::string buffer_;
};

} // namespace tern::testing
