#pragma once

// A child process for tests with real processes: its stdout read line by line (and, when asked,
// its stdin written line by line), stderr left as the test's for diagnosis. Killed with SIGKILL
// when the object goes, even when a test fails; every read is bounded by a deadline.

#include <chrono>
#include <csignal>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tern::testing {

class line_process {
 public:
  enum class input { closed, pipe };

  /// Starts `program` with `args`; `env` entries ("NAME=value") are added to the inherited
  /// environment. With input::pipe, `send` writes to the child's stdin.
  line_process(const std::string& program, std::vector<std::string> args,
               std::vector<std::string> env = {}, input stdin_mode = input::closed) {
    ::signal(SIGPIPE, SIG_IGN);  // writing to a killed child fails instead of ending the test
    int in[2] = {-1, -1};
    int out[2];
    if (stdin_mode == input::pipe && ::pipe2(in, O_CLOEXEC) != 0)
      return;
    if (::pipe2(out, O_CLOEXEC) != 0) {
      close_pipe(in);
      return;
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      if (in[0] >= 0)
        ::dup2(in[0], STDIN_FILENO);
      ::dup2(out[1], STDOUT_FILENO);
      for (auto& entry : env)
        ::putenv(entry.data());
      std::vector<char*> argv{const_cast<char*>(program.c_str())};
      for (auto& arg : args)
        argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(program.c_str(), argv.data());
      ::_exit(127);
    }
    if (in[0] >= 0)
      ::close(in[0]);
    ::close(out[1]);
    to_child_ = in[1];
    from_child_ = out[0];
  }
  ~line_process() {
    kill_now();
    if (to_child_ >= 0)
      ::close(to_child_);
    if (from_child_ >= 0)
      ::close(from_child_);
  }
  line_process(const line_process&) = delete;
  line_process& operator=(const line_process&) = delete;

  [[nodiscard]] bool started() const noexcept { return pid_ > 0; }

  /// SIGKILL and reap: the process gets no chance to flush or close anything (a stopped
  /// process is killed too).
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

  /// Writes one line to the child's stdin; false when there is none or the child is gone.
  bool send(const std::string& line) {
    const std::string text = line + "\n";
    return to_child_ >= 0
           && ::write(to_child_, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  }

  /// Sends `command` and waits for the answer starting with `prefix`.
  std::string ask(const std::string& command, const std::string& prefix,
                  std::chrono::milliseconds timeout = std::chrono::seconds{15}) {
    return send(command) ? await_line(prefix, timeout) : std::string{};
  }

  /// Reads stdout until a line starts with `prefix` (every line read is kept in `seen`), at
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

  /// Every line read so far, oldest first (for failure messages and late lookups).
  std::vector<std::string> seen;

 private:
  static void close_pipe(int (&ends)[2]) {
    for (int end : ends)
      if (end >= 0)
        ::close(end);
  }

  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::string buffer_;
};

} // namespace tern::testing
