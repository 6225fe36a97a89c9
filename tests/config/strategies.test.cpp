#include <catch2/catch.hpp>

#include <algorithm>

#include "config/loader.hpp"
#include "diagnostics_support.hpp"

using namespace tern;
using namespace tern::config;
using tern::config::testing::errors_of;

namespace {

const std::filesystem::path examples = std::filesystem::path{TERN_SOURCE_DIR} / "config" / "examples";

// Two exchanges with credentials and one without, and `strategies` (plus `extra` top-level keys).
std::string with_strategies(std::string_view strategies, std::string_view extra = "") {
  std::string text = R"({
    "nodes": [{"name": "main", "host": "127.0.0.1", "port": 4300}],
    "exchanges": [
      {"connector": "binance", "markets": ["BTC-USDT"],
       "credentials": {"api_key_env": "BK", "secret_env": "BS"}},
      {"connector": "okx", "markets": ["BTC-USDT", "ETH-USDT"],
       "credentials": {"api_key_env": "OK", "secret_env": "OS", "passphrase_env": "OP"}},
      {"name": "watch", "connector": "binance", "markets": ["BTC-USDT"]}
    ],
    "strategies": [)";
  text += std::string{strategies} + "]";
  if (!extra.empty()) text += ",\n" + std::string{extra};
  return text + "}";
}

const char* arbitrage_markets = R"("markets": [{"exchange": "binance", "market": "BTC-USDT", "taker_fee": "0.00075"},
                                               {"exchange": "okx", "market": "BTC-USDT"}])";

} // namespace

TEST_CASE("the strategies example loads every kind with its options") {
  auto result = load_topology_file(examples / "strategies.json");
  INFO((result.diagnostics.empty() ? std::string{} : result.diagnostics[0].pointer + ": " + result.diagnostics[0].message));
  REQUIRE(result.ok());
  const topology& t = *result.value;
  REQUIRE(t.strategies.size() == 3);
  const auto& arb = std::get<arbitrage_params>(t.strategies[0].params);
  CHECK(arb.on_leg_failure == leg_failure_action::hedge);
  CHECK(arb.leg_order_type == order_type::market);
  CHECK(arb.cooldown == std::chrono::milliseconds{2000});
  CHECK(arb.markets[0].fees.taker == "0.00075"_d);
  CHECK(arb.markets[1].fees.taker == "0.0008"_d);  // the strategy-level rate
  const auto& mm = std::get<market_making_params>(t.strategies[1].params);
  CHECK(mm.market.exchange == "okx");
  CHECK(mm.order_levels == 2);
  CHECK(mm.inventory_skew_enabled);
  CHECK(*mm.minimum_spread == "0.001"_d);
  const auto& x = std::get<xemm_params>(t.strategies[2].params);
  CHECK(x.maker.exchange == "okx");
  CHECK(x.taker.exchange == "binance");
  CHECK(x.anti_hysteresis == std::chrono::seconds{30});
  CHECK(*t.strategies[0].kill_switch_loss == "50"_d);   // its own
  CHECK(*t.strategies[1].kill_switch_loss == "200"_d);  // the top-level default
}

TEST_CASE("arbitrage options have defaults") {
  auto result = load_topology(with_strategies(std::string{R"({"name": "a", "kind": "arbitrage",
      "min_profitability": "0.002", "order_amount": "0.01", )"} + arbitrage_markets + "}"));
  REQUIRE(result.ok());
  const auto& strategy = result.value->strategies[0];
  const auto& arb = std::get<arbitrage_params>(strategy.params);
  CHECK(arb.leg_order_type == order_type::limit);
  CHECK(arb.on_leg_failure == leg_failure_action::unwind);
  CHECK(arb.max_retries == 3);
  CHECK(arb.cooldown == std::chrono::milliseconds{5000});
  CHECK(arb.markets[0].fees.taker == "0.00075"_d);
  CHECK(arb.markets[1].fees == fee_rates{"0.001"_d, "0.001"_d});
  CHECK_FALSE(strategy.kill_switch_loss.has_value());
}

TEST_CASE("bad arbitrage options are reported at their pointers") {
  auto result = load_topology(with_strategies(std::string{R"({"name": "a", "kind": "arbitrage",
      "min_profitability": "0.002", "order_amount": "0.01", "on_leg_failure": "unwnid", "order_type": "limit_maker",
      "max_retries": -1, "cooldown_ms": 1.5, "taker_fee": "1", "kill_switch_loss": "0",
      "markets": [{"exchange": "binance", "market": "BTC-USDT", "maker_fee": "x"},
                  {"exchange": "watch", "market": "BTC-USDT"}]})"}));
  CHECK(errors_of(result) == std::vector<std::string>{
      "/strategies/0/kill_switch_loss: expected a decimal (as a string or number) greater than 0, got 0",
      "/strategies/0/taker_fee: expected a decimal (as a string or number) greater than -1 and less than 1, got 1",
      "/strategies/0/order_type: unknown order type \"limit_maker\"; expected one of: limit, market",
      "/strategies/0/on_leg_failure: unknown leg failure action \"unwnid\" (did you mean \"unwind\"?)",
      "/strategies/0/max_retries: expected an integer from 0 to 20, got -1",
      "/strategies/0/cooldown_ms: expected an integer from 0 to 86400000, got 1.5",
      "/strategies/0/markets/0/maker_fee: expected a decimal (as a string or number) greater than -1 and less than 1: "
      "invalid decimal \"x\": unexpected character 'x' at position 0",
      "/strategies/0/markets/1/exchange: exchange \"watch\" has no \"credentials\"; arbitrage places orders on it",
  });
}

TEST_CASE("pure market making reads its market and spreads and checks them against each other") {
  auto ok = load_topology(with_strategies(R"({"name": "mm", "kind": "pure_market_making", "exchange": "binance",
      "market": "BTC-USDT", "order_amount": "0.01", "bid_spread": "0.002", "ask_spread": "0.003"})"));
  REQUIRE(ok.ok());
  const auto& mm = std::get<market_making_params>(ok.value->strategies[0].params);
  CHECK(mm.order_refresh_time == std::chrono::seconds{30});
  CHECK(mm.filled_order_delay == std::chrono::seconds{60});
  CHECK_FALSE(mm.hanging_orders_enabled);
  CHECK(mm.inventory_target_base_pct == "0.5"_d);
  auto bad = load_topology(with_strategies(R"({"name": "mm", "kind": "pure_market_making", "exchange": "okx",
      "market": "SOL-USDT", "order_amount": "0.01", "bid_spread": "0.4", "ask_spread": "0.003",
      "order_levels": 4, "order_level_spread": "0.2", "minimum_spread": "0.01", "inventory_target_base_pct": 2})"));
  CHECK(errors_of(bad) == std::vector<std::string>{
      "/strategies/0/market: market \"SOL-USDT\" is not configured on exchange \"okx\", which has: BTC-USDT, ETH-USDT",
      "/strategies/0/inventory_target_base_pct: expected a decimal (as a string or number) at least 0 and at most 1, "
      "got 2",
      "/strategies/0/order_level_spread: the outermost bid's spread 1 (bid_spread + order_level_spread x 3) must be "
      "below 1",
      "/strategies/0/minimum_spread: minimum_spread 0.01 is above bid_spread 0.4 or ask_spread 0.003, so new orders "
      "would be cancelled at once",
  });
}

TEST_CASE("xemm needs two different markets of one pair") {
  auto same = load_topology(with_strategies(R"({"name": "x", "kind": "xemm", "order_amount": 1,
      "min_profitability": "0.003", "maker": {"exchange": "okx", "market": "BTC-USDT"},
      "taker": {"exchange": "okx", "market": "BTC-USDT"}})"));
  CHECK(errors_of(same) == std::vector<std::string>{
      "/strategies/0/taker: the taker market must differ from the maker market"});
  auto pairs = load_topology(with_strategies(R"({"name": "x", "kind": "xemm", "order_amount": 1,
      "min_profitability": "0.003", "maker": {"exchange": "okx", "market": "ETH-USDT"},
      "taker": {"exchange": "binance", "market": "BTC-USDT", "taker_fee": "0.0004"}, "anti_hysteresis_seconds": 5})"));
  CHECK(errors_of(pairs) == std::vector<std::string>{
      "/strategies/0/taker/market: the taker market must be the maker's pair: \"BTC-USDT\" differs from \"ETH-USDT\""});
  auto missing = load_topology(with_strategies(R"({"name": "x", "kind": "xemm", "order_amount": 1,
      "min_profitability": "0.003", "maker": {"exchange": "okx", "market": "BTC-USDT"}})"));
  CHECK(errors_of(missing) == std::vector<std::string>{
      "/strategies/0/taker: missing required key (expected an object with \"exchange\" and \"market\")"});
}

TEST_CASE("a top-level kill_switch_loss is every strategy's default") {
  auto result = load_topology(with_strategies(std::string{R"({"name": "a", "kind": "arbitrage",
      "min_profitability": "0.002", "order_amount": "0.01", )"} + arbitrage_markets + "}",
                                              R"("kill_switch_loss": "25.5")"));
  REQUIRE(result.ok());
  CHECK(*result.value->strategies[0].kill_switch_loss == "25.5"_d);
}

TEST_CASE("on_node_loss says whether a strategy cancels or leaves its orders; cancel by default") {
  const std::string common = std::string{R"("kind": "arbitrage", "min_profitability": "0.002",
      "order_amount": "0.01", )"} + arbitrage_markets;
  auto result = load_topology(with_strategies(R"({"name": "a", )" + common + R"(},
      {"name": "b", "on_node_loss": "leave", )" + common + "}"));
  REQUIRE(result.ok());
  CHECK(result.value->strategies[0].on_node_loss == node_loss_action::cancel);
  CHECK(result.value->strategies[1].on_node_loss == node_loss_action::leave);
  auto bad = load_topology(with_strategies(R"({"name": "a", "on_node_loss": "keep", )" + common + "}"));
  CHECK(errors_of(bad) == std::vector<std::string>{
      "/strategies/0/on_node_loss: unknown node loss action \"keep\"; expected one of: cancel, leave",
  });
}
