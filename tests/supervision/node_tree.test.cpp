// The node tree planned from the example topologies in config/examples, built from the
// components a build has, and run with real actors.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "config/loader.hpp"
#include "supervision/node_tree.hpp"
#include "tree_fixture.hpp"

using namespace tern;
using namespace tern::supervision;
using namespace tern::supervision::testing;
using namespace std::chrono_literals;
using strings = std::vector<std::string>;

namespace {

config::topology example(const std::string& file) {
  auto loaded = config::load_topology_file(std::string{TERN_SOURCE_DIR} + "/config/examples/"
                                           + file);
  REQUIRE(loaded.ok());
  return std::move(*loaded.value);
}

strings names(const tree_plan& plan) {
  strings out;
  for (const auto& child : plan.children)
    out.push_back(child.name);
  return out;
}

} // namespace

TEST_CASE("an exchange node plans one supervisor per account, connection first") {
  const auto plan = plan_node_tree(example("three_nodes.json"), "tokyo");
  REQUIRE(plan);
  CHECK(plan->name == "tokyo");
  CHECK(plan->is_supervisor());
  CHECK(plan->policy.max_restarts == 10);
  CHECK(plan->policy.within == 300s);
  CHECK(plan->policy.backoff.min == 250ms);
  CHECK(plan->policy.backoff.max == 60s);
  CHECK(plan->policy.backoff.factor == 2.0);
  CHECK(plan->policy.backoff.jitter == 0.25);
  REQUIRE(names(*plan) == strings{"binance_main", "binance_futures_data"});
  const auto& main = plan->children[0];
  CHECK(main.policy.strategy == restart_strategy::rest_for_one);
  CHECK(main.policy.max_restarts == 10); // the rest comes from the top level
  CHECK(names(main) == strings{"services", "connection", "book.BTC-USDT", "book.ETH-USDT",
                               "book.SOL-USDT", "user_stream", "orders", "exchange"});
  CHECK(main.children[0].component == "services");
  CHECK(main.children[2].component == "order_book");
  CHECK(main.children[2].settings.at("market") == "BTC-USDT");
  CHECK(main.children[5].component == "user_stream");
  CHECK(main.children[6].component == "order_tracker");
  CHECK(main.children[7].component == "exchange");
  // Market data only: no private stream, tracker or exchange API.
  CHECK(names(plan->children[1])
        == strings{"services", "connection", "book.BTC-USDT", "book.ETH-USDT"});
}

TEST_CASE("a strategy node plans a supervisor per strategy with its own policy") {
  const auto plan = plan_node_tree(example("three_nodes.json"), "strategy");
  REQUIRE(plan);
  REQUIRE(names(*plan) == strings{"strategies"});
  const auto& strategies = plan->children[0];
  REQUIRE(names(strategies) == strings{"btc_arbitrage", "eth_arbitrage"});
  const auto& eth = strategies.children[1];
  CHECK(eth.policy.max_restarts == 3);
  CHECK(eth.policy.within == 600s);
  CHECK(eth.policy.backoff.min == 1000ms);
  REQUIRE(names(eth) == strings{"arbitrage"});
  CHECK(eth.children[0].settings.at("strategy") == "eth_arbitrage");
}

TEST_CASE("an unknown node is an error that lists the known ones") {
  const auto plan = plan_node_tree(example("three_nodes.json"), "paris");
  REQUIRE_FALSE(plan);
  CHECK(plan.error()
        == "no node named 'paris' in the topology (it has 'tokyo', 'hongkong', 'strategy')");
}

TEST_CASE("workers this build cannot start are left out and named by their supervisor") {
  const auto plan = plan_node_tree(example("single_node.json"), "main");
  REQUIRE(plan);
  probe_log log;
  component_registry components{
      {"order_book", [&](const tree_plan& book) { return probe_child(log, book.name); }}};
  const auto built = build_tree(*plan, components);
  CHECK(built.unavailable
        == strings{"main/binance/services", "main/binance/connection", "main/binance/user_stream",
                   "main/binance/orders", "main/binance/exchange", "main/okx/services",
                   "main/okx/connection", "main/okx/user_stream", "main/okx/orders",
                   "main/okx/exchange", "main/strategies/btc_usdt_arbitrage/arbitrage"});
  REQUIRE(built.root.children.size() == 3);
  CHECK(built.root.impaired_reason.empty());
}

TEST_CASE("the built tree runs: real children ready, impaired supervisors degraded") {
  tree_fixture tree;
  const auto plan = plan_node_tree(example("single_node.json"), "main");
  REQUIRE(plan);
  // Both exchanges have a book.BTC-USDT: the log keys them by exchange too.
  component_registry components{{"order_book", [&](const tree_plan& book) {
                                   return probe_child(tree.log, book.settings.at("exchange")
                                                                    + "/" + book.name);
                                 }}};
  tree.start(build_tree(*plan, components).root);
  const auto binance = tree.await_node("main/binance", [](const health_node& node) {
    return node.children.size() == 2 && node.state != health_state::starting;
  });
  CHECK(binance.state == health_state::degraded);
  CHECK(binance.reason
        == "not in this build: services (services), connection (connection), user_stream "
           "(user_stream), orders (order_tracker), exchange (exchange)");
  CHECK(binance.strategy == "one_for_one");
  tree.await_state("main/binance/book.ETH-USDT", health_state::ready);
  tree.await_state("main/okx/book.BTC-USDT", health_state::ready);
  // The first report can come before the supervisor has judged itself: wait for a verdict.
  const auto group = tree.await_node("main/strategies/btc_usdt_arbitrage",
                                     [](const health_node& node) {
                                       return node.state != health_state::starting;
                                     });
  CHECK(group.state == health_state::degraded);
  CHECK(group.reason == "not in this build: arbitrage (arbitrage)");
  // The planned policy applies: one_for_one, backoff from 500 ms.
  tree.crash("binance/book.BTC-USDT");
  tree.advance_through_backoff(500ms);
  tree.await_state("main/binance/book.BTC-USDT", health_state::ready, 1);
}
