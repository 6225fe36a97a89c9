// Clean shutdown of a real process: the shutdown_probe executable is started in an empty
// directory, sent SIGTERM or SIGINT once it is ready, and must exit 0 within a bound with its
// three actors' names in the marker file in reverse start order, leaving no other file behind
// (CAF's logger writes none).

#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

/// A child process whose stdout is a pipe; killed if the test leaves it running.
class child_process {
 public:
  child_process(const std::string& program, const std::vector<std::string>& args,
                const fs::path& working_dir) {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    stdout_fd_ = fds[0];
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addchdir_np(&actions, working_dir.c_str());
    // The child must see SIGINT and SIGTERM whatever the test runner blocks or ignores.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::vector<char*> argv{const_cast<char*>(program.c_str())};
    for (const auto& arg : args)
      argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    const int spawned = ::posix_spawn(&pid_, program.c_str(), &actions, &attributes, argv.data(),
                                      environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(fds[1]);
    REQUIRE(spawned == 0);
  }

  ~child_process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(stdout_fd_);
  }

  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// Reads stdout until a line equal to `expected`; false on EOF or at `deadline`.
  bool await_line(const std::string& expected, clock_type::time_point deadline) {
    for (;;) {
      if (auto end = buffer_.find('\n'); end != std::string::npos) {
        const auto line = buffer_.substr(0, end);
        buffer_.erase(0, end + 1);
        if (line == expected)
          return true;
        continue;
      }
      if (!read_some(deadline))
        return false;
    }
  }

  /// Waits for the child to close stdout and exit; its exit status, or nothing at `deadline`.
  std::optional<int> await_exit(clock_type::time_point deadline) {
    while (read_some(deadline)) {
      // drain until EOF
    }
    if (clock_type::now() >= deadline)
      return std::nullopt;
    int status = 0;
    REQUIRE(::waitpid(pid_, &status, 0) == pid_);
    pid_ = -1;
    return status;
  }

  void signal(int number) { REQUIRE(::kill(pid_, number) == 0); }

 private:
  /// Appends what is readable to buffer_; false on EOF or at the deadline.
  bool read_some(clock_type::time_point deadline) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - clock_type::now());
    if (left.count() <= 0)
      return false;
    pollfd readable{stdout_fd_, POLLIN, 0};
    const int ready = ::poll(&readable, 1, static_cast<int>(left.count()));
    if (ready <= 0)
      return ready < 0 && errno == EINTR;
    char chunk[256];
    const auto got = ::read(stdout_fd_, chunk, sizeof chunk);
    if (got <= 0)
      return false;
    buffer_.append(chunk, static_cast<std::size_t>(got));
    return true;
  }

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
};

/// An empty directory, removed with its content afterwards.
struct scratch_dir {
  fs::path path;
  scratch_dir() {
    std::string pattern = (fs::temp_directory_path() / "tern-shutdown-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~scratch_dir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

std::string read_file(const fs::path& path) {
  std::ifstream in{path};
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::vector<std::string> directory_entries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator{dir})
    names.push_back(entry.path().filename().string());
  return names;
}

void check_clean_shutdown_on(int signal_number) {
  scratch_dir dir;
  const auto marker = dir.path / "stopped.txt";
  child_process probe{TERN_SHUTDOWN_PROBE, {marker.string()}, dir.path};
  REQUIRE(probe.await_line("ready", clock_type::now() + 10s));

  const auto signalled = clock_type::now();
  probe.signal(signal_number);
  const auto status = probe.await_exit(signalled + 10s);
  const auto took = clock_type::now() - signalled;
  REQUIRE(status);
  INFO("exit status " << *status << " after "
                      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                      << " ms");
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  CHECK(took < 5s);
  CHECK(read_file(marker) == "third\nsecond\nfirst\n");
  CHECK(directory_entries(dir.path) == std::vector<std::string>{"stopped.txt"});
}

} // namespace

TEST_CASE("SIGTERM stops the probe's actors newest first and it exits 0") {
  check_clean_shutdown_on(SIGTERM);
}

TEST_CASE("SIGINT stops the probe's actors newest first and it exits 0") {
  check_clean_shutdown_on(SIGINT);
}
