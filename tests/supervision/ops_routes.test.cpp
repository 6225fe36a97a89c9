// The ops endpoint's answers without sockets: probes with Kubernetes conventions, /health,
// /metrics, the dashboard page, and control that is off unless enabled and token-guarded.

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "supervision/health_json.hpp"
#include "supervision/ops_routes.hpp"
#include "routes_support.hpp"
#include "tree_samples.hpp"

using namespace tern;
using namespace tern::supervision;
using namespace tern::supervision::testing;

namespace {

struct routes_fixture {
  health_board board;
  metrics_registry metrics;
  std::vector<std::string> restarts_asked;
  bool restart_finds = true;

  ops_routes make(ops_settings settings = {}) {
    return ops_routes{board, metrics, std::move(settings),
                      [this](std::string path, std::function<void(bool)> done) {
                        restarts_asked.push_back(path);
                        done(restart_finds);
                      },
                      [] { return sample_now; }};
  }
};


ops_settings control_on() {
  return ops_settings{true, config::secret{"s3cret-token"}};
}

} // namespace

TEST_CASE("before the first report the process is alive but not ready") {
  routes_fixture f;
  const auto routes = f.make();
  CHECK(ask(routes, "GET", "/livez").status == 200);
  const auto ready = ask(routes, "GET", "/readyz?verbose");
  CHECK(ready.status == 503);
  CHECK(ready.body == "[-]supervision tree not reported yet\nreadyz check failed\n");
  const auto health = ask(routes, "GET", "/health");
  CHECK(health.status == 200);
  CHECK(health.content_type == "application/json");
}

TEST_CASE("readyz fails while anything restarts and lists each check when verbose") {
  routes_fixture f;
  f.board.publish(sample_tree());
  const auto routes = f.make();
  CHECK(ask(routes, "GET", "/livez").status == 200);
  const auto ready = ask(routes, "GET", "/readyz");
  CHECK(ready.status == 503);
  CHECK(ready.body == "readyz check failed\n");
  const auto verbose = ask(routes, "GET", "/readyz?verbose");
  CHECK(verbose.body
        == "[+]node ok\n"
           "[-]node/binance restarting: exit_reason(kill)\n"
           "[+]node/binance/connection ok\n"
           "[+]node/binance/book ok\n"
           "[+]node/strategies ok\n"
           "[+]node/strategies/feed ok\n"
           "readyz check failed\n");
}

TEST_CASE("a degraded tree is ready; a shutting-down or starting one is not") {
  routes_fixture f;
  auto tree = sample_tree();
  tree.children[0].state = health_state::ready;
  f.board.publish(tree);
  const auto routes = f.make();
  CHECK(ask(routes, "GET", "/readyz").status == 200);
  CHECK(ask(routes, "GET", "/readyz").body == "ok\n");
  tree.children[1].children[0].state = health_state::starting;
  f.board.publish(tree);
  CHECK(ask(routes, "GET", "/readyz").status == 503);
  tree.children[1].children[0].state = health_state::ready;
  tree.state = health_state::stopped;
  f.board.publish(tree);
  CHECK(ask(routes, "GET", "/readyz").status == 503);
  CHECK(ask(routes, "GET", "/livez").status == 200);
}

TEST_CASE("livez fails only when the root supervisor has given up") {
  routes_fixture f;
  auto tree = sample_tree();
  tree.children[0].state = health_state::failed; // a failed exchange is not a dead process
  f.board.publish(tree);
  const auto routes = f.make();
  CHECK(ask(routes, "GET", "/livez").status == 200);
  tree.state = health_state::failed;
  tree.reason = "gave up: 6 restarts within 60 s exceed the limit of 5";
  f.board.publish(tree);
  const auto dead = ask(routes, "GET", "/livez?verbose");
  CHECK(dead.status == 503);
  CHECK(dead.body.rfind("[-]node failed: gave up: 6 restarts", 0) == 0);
}

TEST_CASE("/health and /metrics render the latest tree") {
  routes_fixture f;
  f.board.publish(sample_tree());
  f.metrics.add("test", [] {
    return std::vector<metric_family>{
        {"tern_test_events_total", "Events.", metric_type::counter, {{{}, 4}}}};
  });
  const auto routes = f.make();
  const auto health = ask(routes, "GET", "/health");
  const auto parsed = parse_health_json(health.body);
  REQUIRE(parsed);
  CHECK(parsed->tree.children[0].restarts == 2);
  CHECK(parsed->generated_at == sample_now);
  const auto metrics = ask(routes, "GET", "/metrics");
  CHECK(metrics.content_type == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(metrics.body.find("tern_supervision_child_restarts_total{supervisor=\"node\",child=\"binance\"} 2")
        != std::string::npos);
  CHECK(metrics.body.find("tern_test_events_total 4\n") != std::string::npos);
}

TEST_CASE("the dashboard is served at / with its scripts, and polls /health and /strategies") {
  routes_fixture f;
  const auto routes = f.make();
  const auto page = ask(routes, "GET", "/");
  CHECK(page.status == 200);
  CHECK(page.content_type == "text/html; charset=utf-8");
  CHECK(page.body.rfind("<!doctype html>", 0) == 0);
  CHECK(page.body.find("getJson(\"health\")") != std::string::npos);
  CHECK(page.body.find("getJson(\"strategies\")") != std::string::npos);
  // Offline: nothing is loaded from another origin.
  CHECK(page.body.find("http://") == std::string::npos);
  CHECK(page.body.find("https://") == std::string::npos);
  for (const auto* script : {"tree.js", "strategies.js"}) {
    INFO(script);
    CHECK(page.body.find(std::string{"src=\"dashboard/"} + script + "\"") != std::string::npos);
    const auto served = ask(routes, "GET", std::string{"/dashboard/"} + script);
    CHECK(served.status == 200);
    CHECK(served.content_type == "text/javascript; charset=utf-8");
    CHECK(served.body.rfind("\"use strict\";", 0) == 0);
    CHECK(served.body.find("https://") == std::string::npos);
  }
  CHECK(ask(routes, "GET", "/dashboard/missing.js").status == 404);
}

TEST_CASE("unknown paths are 404 and other methods 405") {
  routes_fixture f;
  const auto routes = f.make();
  CHECK(ask(routes, "GET", "/healthz").status == 404);
  const auto post = ask(routes, "POST", "/health");
  CHECK(post.status == 405);
  CHECK(post.headers == std::vector<std::pair<std::string, std::string>>{{"Allow", "GET"}});
}

TEST_CASE("control is off by default and does not reach the tree") {
  routes_fixture f;
  f.board.publish(sample_tree());
  const auto off = ask(f.make(), "POST", "/control/restart?path=node/binance", "Bearer x");
  CHECK(off.status == 404);
  CHECK(off.body.find("disabled") != std::string::npos);
  CHECK(f.restarts_asked.empty());
  CHECK_THROWS_AS(f.make(ops_settings{true, config::secret{}}), std::invalid_argument);
}

TEST_CASE("control needs POST and the exact bearer token") {
  routes_fixture f;
  f.board.publish(sample_tree());
  const auto routes = f.make(control_on());
  CHECK(ask(routes, "GET", "/control/restart?path=node/binance", "Bearer s3cret-token").status
        == 405);
  CHECK(ask(routes, "POST", "/control/restart?path=node/binance").status == 401);
  CHECK(ask(routes, "POST", "/control/restart?path=node/binance", "Bearer s3cret-tokeN").status
        == 401);
  CHECK(ask(routes, "POST", "/control/restart?path=node/binance", "Bearer s3cret").status
        == 401);
  CHECK(ask(routes, "POST", "/control/restart?path=node/binance", "s3cret-token").status == 401);
  CHECK(f.restarts_asked.empty());
}

TEST_CASE("an authorised restart reaches the tree with the path below the root") {
  routes_fixture f;
  f.board.publish(sample_tree());
  const auto routes = f.make(control_on());
  const auto done = ask(routes, "POST", "/control/restart?path=node%2Fbinance%2Fbook",
                        "Bearer s3cret-token");
  CHECK(done.status == 200);
  CHECK(done.body == R"({"path":"node/binance/book","restarted":true})");
  CHECK(f.restarts_asked == std::vector<std::string>{"binance/book"});
  f.restart_finds = false;
  CHECK(ask(routes, "POST", "/control/restart?path=node/nothing", "Bearer s3cret-token").status
        == 404);
  CHECK(ask(routes, "POST", "/control/restart?path=other/binance", "Bearer s3cret-token").status
        == 404);
  CHECK(ask(routes, "POST", "/control/restart?path=node", "Bearer s3cret-token").status == 404);
  CHECK(f.restarts_asked == std::vector<std::string>{"binance/book", "nothing"});
}

TEST_CASE("query strings are split and percent-decoded") {
  CHECK(query_value("a=1&path=node%2Fbook+x&b", "path") == "node/book x");
  CHECK(query_value("a=1", "path").empty());
  CHECK(query_has("verbose", "verbose"));
  CHECK(query_has("x=1&verbose=", "verbose"));
  CHECK_FALSE(query_has("verbosely=1", "verbose"));
}

TEST_CASE("requests are counted by endpoint and status, unknown paths as other") {
  routes_fixture f;
  f.board.publish(sample_tree());
  const auto routes = f.make();
  ask(routes, "GET", "/readyz?verbose");
  ask(routes, "GET", "/readyz");
  ask(routes, "GET", "/livez");
  ask(routes, "GET", "/wp-admin/setup.php");
  const auto metrics = ask(routes, "GET", "/metrics").body;
  CHECK(metrics.find("tern_ops_http_requests_total{endpoint=\"/readyz\",code=\"503\"} 2\n")
        != std::string::npos);
  CHECK(metrics.find("tern_ops_http_requests_total{endpoint=\"/livez\",code=\"200\"} 1\n")
        != std::string::npos);
  CHECK(metrics.find("tern_ops_http_requests_total{endpoint=\"other\",code=\"404\"} 1\n")
        != std::string::npos);
  CHECK(metrics.find("wp-admin") == std::string::npos);
}
