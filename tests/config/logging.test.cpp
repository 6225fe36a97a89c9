#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>

#include "config/loader.hpp"
#include "config/logging.hpp"
#include "config/redaction.hpp"
#include "config/secret_sources.hpp"

using namespace tern::config;

namespace {

std::size_t count_of(const std::string& text, std::string_view part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

} // namespace

TEST_CASE("a resolved secret never appears in log output, whatever the log call does with it") {
  // Characters that JSON and URLs escape, so the escaped forms are exercised too.
  const std::string api_secret = R"(Zq9/"vL+e3=Tern-log-test-7f3a)";
  const std::string api_key = "tern-log-test-key-81c2d0";
  REQUIRE(setenv("TERN_LOG_TEST_API_KEY", api_key.c_str(), 1) == 0);
  REQUIRE(setenv("TERN_LOG_TEST_API_SECRET", api_secret.c_str(), 1) == 0);
  const std::string config_text = R"({
    "nodes": [{"name": "main", "host": "127.0.0.1", "port": 4300}],
    "exchanges": [{"connector": "binance", "markets": ["BTC-USDT"],
      "credentials": {"api_key_env": "TERN_LOG_TEST_API_KEY", "secret_env": "TERN_LOG_TEST_API_SECRET"}}],
    "logging": {"level": "trace", "console": false}})";
  auto loaded = load_topology(config_text);
  REQUIRE(loaded.ok());
  auto resolved = resolve_secrets(*loaded.value, process_environment());  // the global registry
  REQUIRE(resolved.has_value());
  const exchange_credentials& credentials = resolved->exchanges.at("binance");
  REQUIRE(credentials.api_secret.reveal() == api_secret);

  std::ostringstream captured;
  auto capture = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured, true);
  auto logger = make_logger(loaded.value->logging, {capture}, "tern-test");
  REQUIRE(logger.has_value());
  auto& log = **logger;
  REQUIRE(log.level() == spdlog::level::trace);

  nlohmann::json request = {{"symbol", "BTCUSDT"}, {"apiKey", api_key}, {"note", "secret=" + api_secret}};
  log.trace("config: {}", config_text);
  log.trace("credentials: key {} secret {}", credentials.api_key, credentials.api_secret);
  log.trace("oops, raw: key={} secret={}", credentials.api_key.reveal(), credentials.api_secret.reveal());
  log.trace("request as JSON: {}", request.dump());
  log.trace("request redacted: {}", redact(request).dump());
  log.trace("query: signature=abc&secret={}", "Zq9%2F%22vL%2Be3%3DTern-log-test-7f3a");
  log.flush();

  const std::string output = captured.str();
  INFO(output);
  CHECK(count_of(output, " trace [tern-test] ") == 6);  // nothing dropped
  CHECK(output.find(api_secret) == std::string::npos);
  CHECK(output.find(api_key) == std::string::npos);
  CHECK(output.find("Tern-log-test-7f3a") == std::string::npos);  // no fragment of an escaped form either
  CHECK(output.find("credentials: key *** secret ***") != std::string::npos);
  CHECK(output.find("oops, raw: key=*** secret=***") != std::string::npos);
  CHECK(output.find(R"("note":"secret=***")") != std::string::npos);
  CHECK(output.find(R"("apiKey":"***")") != std::string::npos);
  CHECK(output.find("TERN_LOG_TEST_API_SECRET") != std::string::npos);  // variable names stay readable
}

TEST_CASE("the logger honours the configured level and refuses an unopenable file") {
  std::ostringstream captured;
  logging_config settings;
  settings.level = log_level::warn;
  settings.console = false;
  auto logger = make_logger(settings, {std::make_shared<spdlog::sinks::ostream_sink_mt>(captured, true)});
  REQUIRE(logger.has_value());
  (*logger)->info("hidden");
  (*logger)->warn("shown");
  CHECK(captured.str().find("hidden") == std::string::npos);
  CHECK(captured.str().find("shown") != std::string::npos);

  settings.file = "/dev/null/tern.log";
  auto failed = make_logger(settings);
  REQUIRE_FALSE(failed.has_value());
  CHECK(failed.error().find("cannot open log file /dev/null/tern.log") == 0);
}
