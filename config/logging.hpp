#pragma once

// Tern's logging through spdlog. Every sink is wrapped in a `scrubbing_sink`, so a secret value
// that reaches a log call by mistake is written as "***" all the same.

#include <memory>
#include <string>
#include <vector>

#include <spdlog/logger.h>
#include <spdlog/sinks/sink.h>

#include "config/secrets.hpp"
#include "config/topology.hpp"
#include "core/expected.hpp"

namespace tern::config {

/// Passes each message to `inner` with every value registered in `registry` replaced by "***".
/// The payload is scrubbed after fmt has formatted it, so arguments are covered too.
class scrubbing_sink final : public spdlog::sinks::sink {
 public:
  explicit scrubbing_sink(spdlog::sink_ptr inner, const secret_registry& registry = secret_registry::global());

  void log(const spdlog::details::log_msg& message) override;
  void flush() override;
  void set_pattern(const std::string& pattern) override;
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override;

 private:
  spdlog::sink_ptr inner_;
  const secret_registry* registry_;
};

[[nodiscard]] spdlog::level::level_enum to_spdlog(log_level level) noexcept;

/// The line layout of every Tern log: "2024-08-08T12:00:00.123456+00:00 info [tern] message".
inline constexpr const char* log_pattern = "%Y-%m-%dT%H:%M:%S.%f%z %l [%n] %v";

/// A logger at `settings.level` writing to stderr (when `settings.console`), to
/// `settings.file` (appending; when set) and to `extra_sinks`, each behind a scrubbing sink.
/// Fails when the log file cannot be opened.
[[nodiscard]] expected<std::shared_ptr<spdlog::logger>, std::string> make_logger(
    const logging_config& settings, std::vector<spdlog::sink_ptr> extra_sinks = {}, std::string name = "tern",
    const secret_registry& registry = secret_registry::global());

/// `make_logger` installed as spdlog's default logger, so `spdlog::info(...)` goes through it.
[[nodiscard]] expected<void, std::string> setup_logging(const logging_config& settings);

} // namespace tern::config
