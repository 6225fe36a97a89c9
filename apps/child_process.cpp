#include "apps/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "actors/signal_watch.hpp"

extern char** environ;

namespace tern::apps {

std::filesystem::path self_executable() {
  std::error_code ignored;
  return std::filesystem::read_symlink("/proc/self/exe", ignored);
}

expected<child_process, std::string> child_process::start(const std::vector<std::string>& arguments,
                                                          const std::filesystem::path& directory,
                                                          const std::filesystem::path& log) {
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0)
    return unexpected{"cannot write " + log.string() + ": " + std::strerror(errno)};
  // The child changes directory itself: posix_spawn_file_actions_addchdir_np is glibc 2.29+,
  // so the program is started through /bin/sh's `cd` instead of relying on it.
  std::string script = "cd \"$0\" && exec \"$@\"";
  std::vector<std::string> words{"/bin/sh", "-c", script, directory.string()};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& word : words)
    argv.push_back(word.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fd, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // The child gets default signal handling (the parent blocks SIGINT/SIGTERM for its watcher)
  // and its own process group, so a Ctrl-C reaches only `tern demo`, which stops it in order.
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
  pid_t pid = -1;
  const int failed = ::posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(fd);
  if (failed != 0)
    return unexpected{"cannot start " + arguments.front() + ": " + std::strerror(failed)};
  return child_process{pid, log};
}

child_process::child_process(child_process&& other) noexcept
    : pid_(other.pid_), status_(other.status_), log_(std::move(other.log_)) {
  other.pid_ = -1;
}

child_process::~child_process() {
  if (pid_ > 0)
    stop(std::chrono::seconds{5});
}

bool child_process::running() {
  if (pid_ <= 0 || status_)
    return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return false;
  }
  return true;
}

std::optional<std::string> child_process::wait_for_line(const std::string& prefix,
                                                        std::chrono::milliseconds timeout,
                                                        signal_watch& signals) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    std::ifstream in{log_};
    for (std::string line; std::getline(in, line);)
      if (line.rfind(prefix, 0) == 0)
        return line.substr(prefix.size());
    if (!running())
      return std::nullopt;
    if (signals.wait_for(std::chrono::milliseconds{100}))
      return std::nullopt;
  }
  return std::nullopt;
}

int child_process::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0)
    return -1;
  if (running()) {
    ::kill(pid_, SIGTERM);
    const auto until = std::chrono::steady_clock::now() + grace;
    while (running() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds{50});  // waitpid has no timeout
    if (running()) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      status_ = -1;
    }
  }
  pid_ = -1;
  return status_.value_or(-1);
}

} // namespace tern::apps
