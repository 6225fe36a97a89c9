#pragma once

// A supervision tree served by a real ops endpoint on 127.0.0.1, and promtool.

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>


#include "supervision/health_json.hpp"
#include "supervision/metrics.hpp"
#include "supervision/ops_client.hpp"
#include "supervision/ops_server.hpp"
#include "supervision/strategy_board.hpp"
#include "tests/support/shell_command.hpp"
#include "tree_fixture.hpp"

namespace tern::supervision::testing {

/// `promtool check metrics` on `text`: its exit status and what it printed.
inline std::pair<int, std::string> promtool_check(const std::string& text) {
  auto result = tern::testing::run_shell("promtool check metrics 2>&1", &text);
  return {result.status, std::move(result.output)};
}

struct served_tree : tree_fixture {
  metrics_registry metrics;
  strategy_board strategies;
  std::unique_ptr<ops_server> server;
  ops_endpoint endpoint;

  ~served_tree() {
    if (server)
      server->stop();
  }

  void serve(ops_settings settings = {},
             std::function<void(const ops_request&, const ops_response&)> on_answered = {}) {
    ops_server_options options;
    options.port = 0;
    options.settings = std::move(settings);
    options.on_answered = std::move(on_answered);
    options.strategies = &strategies;
    server = std::make_unique<ops_server>(rt.system(), root, board, metrics, std::move(options));
    const auto port = server->start();
    REQUIRE(port);
    endpoint = ops_endpoint{"127.0.0.1", *port};
  }

  fetched_response get(const std::string& target) {
    auto response = fetch(endpoint, "GET", target);
    INFO(target);
    REQUIRE(response);
    return *response;
  }

  fetched_response post(const std::string& target, const std::string& authorization = {}) {
    auto response = fetch(endpoint, "POST", target, std::chrono::seconds{5}, authorization);
    REQUIRE(response);
    return *response;
  }

  /// Reads /health over HTTP until the tree satisfies `condition` (at most 5 s).
  health_node poll_health(const std::function<bool(const health_node&)>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{5};
    while (std::chrono::steady_clock::now() < deadline) {
      const auto seen = board.latest().version;
      const auto response = get("/health");
      auto document = parse_health_json(response.body);
      if (document && condition(document->tree))
        return document->tree;
      board.await_newer(seen, std::chrono::milliseconds{500}); // the next publish, not a spin
    }
    FAIL("the served tree never reached the expected state");
    return {};
  }
};

} // namespace tern::supervision::testing
