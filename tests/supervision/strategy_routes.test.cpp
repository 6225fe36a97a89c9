// The strategy routes without sockets: /strategies and its P&L series, strategy and peer-link
// metrics (checked by promtool), and the kill switch, guarded exactly like /control/restart.

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "supervision/health_json.hpp"
#include "supervision/ops_routes.hpp"
#include "routes_support.hpp"
#include "supervision/strategy_json.hpp"
#include "ops_test_support.hpp"
#include "strategy_samples.hpp"

using namespace tern;
using namespace tern::supervision;
using namespace tern::supervision::testing;

namespace {

constexpr const char* token = "k1ll-t0ken-s3cret";

struct strategy_routes_fixture {
  health_board board;
  metrics_registry metrics;
  strategy_board strategies{strategy_board_options{}, [] { return sample_now; }};
  std::vector<kill_switch_request> kills;
  kill_switch_result kill_result{true, "stopped 1 strategy, cancelled 1 order"};

  strategy_routes_fixture() {
    board.publish(sample_tree());
    strategies.publish(sample_strategy(), sample_published);
  }

  void arm() {
    strategies.kill().arm([this](const kill_switch_request& request, auto done) {
      kills.push_back(request);
      done(kill_result);
    });
  }

  ops_routes make(bool control, bool with_board = true) {
    ops_settings settings;
    if (control)
      settings = ops_settings{true, config::secret{token}};
    return ops_routes{board,
                      metrics,
                      std::move(settings),
                      [](std::string, std::function<void(bool)> done) { done(true); },
                      [] { return sample_now; },
                      with_board ? &strategies : nullptr};
  }
};


} // namespace

TEST_CASE("GET /strategies serves every strategy's snapshot") {
  strategy_routes_fixture f;
  const auto routes = f.make(false);
  const auto response = ask(routes, "GET", "/strategies");
  CHECK(response.status == 200);
  CHECK(response.content_type == "application/json");
  const auto parsed = parse_strategies_json(response.body);
  REQUIRE(parsed);
  REQUIRE(parsed->strategies.size() == 1);
  CHECK(parsed->strategies[0].status.open_orders.at(0).client_order_id == "tern-arb-0007");
  CHECK_FALSE(parsed->kill_switch.armed);
  const auto without = ask(f.make(false, false), "GET", "/strategies");
  CHECK(without.status == 200);
  CHECK(parse_strategies_json(without.body)->strategies.empty());
  CHECK(ask(routes, "POST", "/strategies").status == 405);
}

TEST_CASE("GET /strategies/pnl filters by strategy and time") {
  strategy_routes_fixture f;
  f.strategies.publish(sample_strategy("2", "0"), at_second(sample_published, 5));
  auto other = sample_strategy();
  other.name = "mm-eth";
  f.strategies.publish(other, sample_published);
  const auto routes = f.make(false);
  const auto all = ask(routes, "GET", "/strategies/pnl").body;
  CHECK(contains(all, R"("name":"mm-eth")"));
  const auto one = ask(routes, "GET",
                       "/strategies/pnl?strategy=arb-btc&since_unix_ms=1700000001000").body;
  CHECK_FALSE(contains(one, "mm-eth"));
  CHECK(contains(one, R"("pnl_series":[{"total":"2","unix_ms":1700000006000}])"));
  const auto bad = ask(routes, "GET", "/strategies/pnl?since_unix_ms=yesterday");
  CHECK(bad.status == 400);
  CHECK(bad.body == "since_unix_ms is not an integer: 'yesterday'\n");
}

TEST_CASE("strategy and peer-link metrics pass promtool") {
  strategy_routes_fixture f;
  f.board.publish_nodes(sample_links());
  f.strategies.record_fill("arb-btc", sample_fill("c1", "37000", sample_published));
  const auto body = ask(f.make(false), "GET", "/metrics").body;
  INFO(body);
  CHECK(contains(body, "tern_strategy_pnl{strategy=\"arb-btc\",exchange=\"okx\"} -0.25\n"));
  CHECK(contains(body, "tern_strategy_orders_total{strategy=\"arb-btc\"} 8\n"));
  CHECK(contains(body, "tern_strategy_fills_total{strategy=\"arb-btc\"} 7\n"));
  CHECK(contains(body, "tern_strategy_state{strategy=\"arb-btc\",state=\"running\"} 1\n"));
  CHECK(contains(body, "tern_strategy_state{strategy=\"arb-btc\",state=\"killed\"} 0\n"));
  CHECK(contains(body, "tern_strategy_open_orders{strategy=\"arb-btc\"} 1\n"));
  CHECK(contains(body, "tern_kill_switch_invocations_total 0\n"));
  CHECK(contains(body, "tern_node_link_state{node=\"books-us\",state=\"lost\"} 1\n"));
  CHECK(contains(body, "tern_node_link_latency_seconds{node=\"books-eu\"} 0.00031\n"));
  CHECK(contains(body, "tern_node_link_last_loss_timestamp_seconds{node=\"books-us\"} 1700000000.25\n"));
  CHECK(contains(body, "tern_node_link_losses_total{node=\"books-us\"} 3\n"));
  const auto [status, output] = promtool_check(body);
  INFO(output);
  CHECK(status == 0);
}

TEST_CASE("the kill switch is off unless control is enabled") {
  strategy_routes_fixture f;
  f.arm();
  const auto off = ask(f.make(false), "POST", "/control/kill-switch",
                       std::string{"Bearer "} + token);
  CHECK(off.status == 404);
  CHECK(contains(off.body, "disabled"));
  CHECK(f.kills.empty());
}

TEST_CASE("the kill switch needs POST and the exact bearer token") {
  strategy_routes_fixture f;
  f.arm();
  const auto routes = f.make(true);
  CHECK(ask(routes, "GET", "/control/kill-switch", std::string{"Bearer "} + token).status == 405);
  const auto none = ask(routes, "POST", "/control/kill-switch");
  CHECK(none.status == 401);
  CHECK(none.headers == std::vector<std::pair<std::string, std::string>>{
                            {"WWW-Authenticate", "Bearer"}});
  CHECK(ask(routes, "POST", "/control/kill-switch", "Bearer k1ll-t0ken-s3creT").status == 401);
  CHECK(ask(routes, "POST", "/control/kill-switch", "Bearer k1ll-t0ken").status == 401);
  CHECK(ask(routes, "POST", "/control/kill-switch", token).status == 401);
  CHECK(f.kills.empty());
  CHECK(f.strategies.kill_switch_state().invocations == 0);
}

TEST_CASE("the right token pulls the kill switch once, visibly in /strategies and /health") {
  strategy_routes_fixture f;
  f.arm();
  const auto routes = f.make(true);
  const auto done = ask(routes, "POST", "/control/kill-switch?reason=drawdown+too+deep",
                        std::string{"Bearer "} + token);
  CHECK(done.status == 200);
  REQUIRE(f.kills.size() == 1);
  CHECK(f.kills[0].source == "ops 127.0.0.1:1");
  CHECK(f.kills[0].reason == "drawdown too deep");
  CHECK(contains(done.body, R"("detail":"stopped 1 strategy, cancelled 1 order","ok":true)"));
  const auto strategies = parse_strategies_json(ask(routes, "GET", "/strategies").body);
  REQUIRE(strategies);
  CHECK(strategies->kill_switch.invocations == 1);
  CHECK(strategies->kill_switch.last->result->ok);
  const auto health = parse_health_json(ask(routes, "GET", "/health").body);
  REQUIRE(health);
  REQUIRE(health->kill_switch);
  CHECK(health->kill_switch->last->request.reason == "drawdown too deep");
  CHECK(health->kill_switch->last->completed_at == sample_now);
  const auto metrics = ask(routes, "GET", "/metrics").body;
  CHECK(contains(metrics, "tern_kill_switch_invocations_total 1\n"));
  for (const auto& body : {done.body, metrics, ask(routes, "GET", "/health").body,
                           ask(routes, "GET", "/strategies").body})
    CHECK_FALSE(contains(body, token));
}

TEST_CASE("a kill switch that is unarmed, busy or incomplete says so") {
  strategy_routes_fixture f;
  const auto routes = f.make(true);
  const std::string bearer = std::string{"Bearer "} + token;
  CHECK(ask(routes, "POST", "/control/kill-switch", bearer).status == 503);
  CHECK(ask(f.make(true, false), "POST", "/control/kill-switch", bearer).status == 503);
  std::function<void(kill_switch_result)> pending;
  f.strategies.kill().arm([&](const kill_switch_request&, auto done) { pending = done; });
  std::optional<ops_response> first;
  routes.handle({"POST", "/control/kill-switch", bearer, test_remote},
                [&](ops_response response) { first = std::move(response); });
  CHECK_FALSE(first); // answered when the action reports
  CHECK(ask(routes, "POST", "/control/kill-switch", bearer).status == 409);
  REQUIRE(pending);
  pending({false, "okx: cancel of tern-arb-0007 timed out"});
  REQUIRE(first);
  CHECK(first->status == 500);
  CHECK(contains(first->body, R"("ok":false)"));
}
