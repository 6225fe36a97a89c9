#pragma once

// A child process of `tern` whose output goes to a log file: how `tern demo` runs `tern sim`
// and `tern run` side by side, and waits for the lines they print when ready.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include "core/expected.hpp"

namespace tern {
class signal_watch;
} // namespace tern

namespace tern::apps {

class child_process {
 public:
  /// Starts `arguments` (the first is the program) in `directory`, stdout and stderr appended
  /// to `log`. Fails naming the program when it cannot be started.
  static expected<child_process, std::string> start(const std::vector<std::string>& arguments,
                                                    const std::filesystem::path& directory,
                                                    const std::filesystem::path& log);
  child_process(child_process&& other) noexcept;
  child_process& operator=(child_process&&) = delete;
  child_process(const child_process&) = delete;
  /// Stops the child if it still runs (see stop).
  ~child_process();

  /// The rest of the first log line starting with `prefix`, once the child printed it; nothing
  /// if the child ends, `timeout` passes or `signals` fires first.
  [[nodiscard]] std::optional<std::string> wait_for_line(const std::string& prefix,
                                                         std::chrono::milliseconds timeout,
                                                         signal_watch& signals);
  /// True while the child runs.
  [[nodiscard]] bool running();
  /// SIGTERM, then SIGKILL after `grace`; returns the exit status (-1: killed or unknown).
  int stop(std::chrono::milliseconds grace = std::chrono::seconds{20});
  [[nodiscard]] const std::filesystem::path& log() const noexcept { return log_; }

 private:
  child_process(pid_t pid, std::filesystem::path log) : pid_(pid), log_(std::move(log)) {}
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::filesystem::path log_;
};

/// This executable's path (/proc/self/exe).
[[nodiscard]] std::filesystem::path self_executable();

} // namespace tern::apps
