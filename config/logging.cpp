#include "config/logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace tern::config {

scrubbing_sink::scrubbing_sink(spdlog::sink_ptr inner, const secret_registry& registry)
    : inner_(std::move(inner)), registry_(&registry) {}

void scrubbing_sink::log(const spdlog::details::log_msg& message) {
  if (!inner_->should_log(message.level)) return;
  std::string_view payload{message.payload.data(), message.payload.size()};
  if (!registry_->appears_in(payload)) {
    inner_->log(message);
    return;
  }
  std::string clean = registry_->scrub(payload);
  spdlog::details::log_msg copy = message;
  copy.payload = spdlog::string_view_t{clean.data(), clean.size()};
  inner_->log(copy);
}

void scrubbing_sink::flush() { inner_->flush(); }

void scrubbing_sink::set_pattern(const std::string& pattern) { inner_->set_pattern(pattern); }

void scrubbing_sink::set_formatter(std::unique_ptr<spdlog::formatter> formatter) {
  inner_->set_formatter(std::move(formatter));
}

spdlog::level::level_enum to_spdlog(log_level level) noexcept {
  switch (level) {
    case log_level::trace: return spdlog::level::trace;
    case log_level::debug: return spdlog::level::debug;
    case log_level::info: return spdlog::level::info;
    case log_level::warn: return spdlog::level::warn;
    case log_level::error: return spdlog::level::err;
    case log_level::critical: return spdlog::level::critical;
    case log_level::off: return spdlog::level::off;
  }
  return spdlog::level::info;
}

expected<std::shared_ptr<spdlog::logger>, std::string> make_logger(const logging_config& settings,
                                                                   std::vector<spdlog::sink_ptr> extra_sinks,
                                                                   std::string name,
                                                                   const secret_registry& registry) {
  std::vector<spdlog::sink_ptr> sinks;
  // Logs go to stderr so that a command's own output on stdout stays clean.
  if (settings.console) sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (settings.file) {
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(settings.file->string(), false));
    } catch (const spdlog::spdlog_ex& error) {
      return unexpected{"cannot open log file " + settings.file->string() + ": " + error.what()};
    }
  }
  for (auto& sink : extra_sinks) sinks.push_back(std::move(sink));
  std::vector<spdlog::sink_ptr> scrubbed;
  for (auto& sink : sinks) scrubbed.push_back(std::make_shared<scrubbing_sink>(std::move(sink), registry));
  auto logger = std::make_shared<spdlog::logger>(std::move(name), scrubbed.begin(), scrubbed.end());
  logger->set_pattern(log_pattern);
  logger->set_level(to_spdlog(settings.level));
  logger->flush_on(spdlog::level::warn);
  return logger;
}

expected<void, std::string> setup_logging(const logging_config& settings) {
  auto logger = make_logger(settings);
  if (!logger) return unexpected{std::move(logger).error()};
  spdlog::set_default_logger(*logger);
  return {};
}

} // namespace tern::config
