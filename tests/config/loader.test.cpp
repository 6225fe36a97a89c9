#include <catch2/catch.hpp>

#include <algorithm>

#include "config/loader.hpp"
#include "diagnostics_support.hpp"

using namespace tern;
using namespace tern::config;
using tern::config::testing::errors_of;

namespace {

const std::filesystem::path examples = std::filesystem::path{TERN_SOURCE_DIR} / "config" / "examples";

// A minimal valid topology with `extra` spliced into its top-level object.
std::string minimal(std::string_view extra = "") {
  std::string text = R"({
    "nodes": [{"name": "main", "host": "127.0.0.1", "port": 4300}],
    "exchanges": [
      {"connector": "binance", "markets": ["BTC-USDT"],
       "credentials": {"api_key_env": "BK", "secret_env": "BS"}},
      {"connector": "okx", "markets": ["BTC-USDT", "ETH-USDT"],
       "credentials": {"api_key_env": "OK", "secret_env": "OS", "passphrase_env": "OP"}}
    ])";
  if (!extra.empty()) text += std::string{",\n"} + std::string{extra};
  return text + "}";
}

bool has_error(const load_result& result, std::string_view pointer, std::string_view fragment) {
  return std::any_of(result.diagnostics.begin(), result.diagnostics.end(), [&](const diagnostic& d) {
    return d.pointer == pointer && d.message.find(fragment) != std::string::npos;
  });
}

} // namespace

TEST_CASE("the single-node example loads into the typed topology") {
  auto result = load_topology_file(examples / "single_node.json");
  INFO(errors_of(result).size());
  REQUIRE(result.ok());
  const topology& t = *result.value;
  REQUIRE(t.nodes.size() == 1);
  CHECK(t.nodes[0].port == 4300);
  REQUIRE(t.exchanges.size() == 2);
  CHECK(t.exchanges[0].node == "main");  // the only node, implied
  CHECK(t.exchanges[1].connector == "okx");
  CHECK(t.exchanges[1].kind == market_kind::spot);
  const auto& okx = std::get<env_credentials>(*t.exchanges[1].credentials);
  CHECK(okx.passphrase->variable == "TERN_OKX_PASSPHRASE");
  CHECK(okx.passphrase->pointer == "/exchanges/1/credentials/passphrase_env");
  REQUIRE(t.strategies.size() == 1);
  const auto& arbitrage = std::get<arbitrage_params>(t.strategies[0].params);
  CHECK(arbitrage.min_profitability == "0.003"_d);
  CHECK(arbitrage.markets == std::vector<market_ref>{{"binance", "BTC-USDT", {}}, {"okx", "BTC-USDT", {}}});
  CHECK(summary(t) == "1 node, 2 exchanges, 4 markets, 1 strategy");
}

TEST_CASE("the three-node example places actors and merges supervision overrides") {
  auto result = load_topology_file(examples / "three_nodes.json");
  REQUIRE(result.ok());
  const topology& t = *result.value;
  CHECK(t.find_exchange("okx_main")->node == "hongkong");
  CHECK(t.find_exchange("binance_futures_data")->kind == market_kind::perpetual);
  CHECK_FALSE(t.find_exchange("binance_futures_data")->credentials.has_value());
  // Overrides change only the keys they name; the rest comes from the top-level policy.
  const auto& okx = t.find_exchange("okx_main")->supervision;
  CHECK(okx.strategy == restart_strategy::rest_for_one);
  CHECK(okx.max_restarts == 20);
  CHECK(okx.within == std::chrono::seconds{300});
  CHECK(okx.backoff.max == std::chrono::milliseconds{60'000});
  const auto& eth = t.strategies[1].supervision;
  CHECK(eth.strategy == restart_strategy::one_for_one);
  CHECK(eth.backoff.min == std::chrono::milliseconds{1000});
  CHECK(eth.backoff.jitter == "0.25"_d);
  CHECK(std::get<arbitrage_params>(t.strategies[0].params).min_profitability == "0.0025"_d);
  CHECK(t.ops.node == "strategy");
  CHECK(t.ops.control_token->variable == "TERN_OPS_TOKEN");
  CHECK(t.logging.level == log_level::debug);
  CHECK(*t.logging.file == examples / "logs" / "tern.log");  // relative to the config file
}

TEST_CASE("defaults apply when optional sections are absent") {
  auto result = load_topology(minimal());
  REQUIRE(result.ok());
  const topology& t = *result.value;
  CHECK(t.exchanges[0].name == "binance");  // the connector name by default
  CHECK(t.strategies.empty());
  CHECK(t.supervision.strategy == restart_strategy::one_for_one);
  CHECK(t.supervision.max_restarts == 5);
  CHECK(t.supervision.backoff.factor == "2"_d);
  CHECK(t.ops.enabled);
  CHECK(t.ops.host == "127.0.0.1");
  CHECK(t.ops.port == 9180);
  CHECK(t.ops.node == "main");
  CHECK_FALSE(t.ops.control_enabled);
  CHECK(t.logging.level == log_level::info);
  CHECK_FALSE(t.logging.file.has_value());
}

TEST_CASE("without nodes, exchanges are not also told they lack a node") {
  auto result = load_topology(R"({"exchanges": [{"connector": "binance", "markets": ["BTC-USDT"]}]})");
  CHECK(errors_of(result) == std::vector<std::string>{"/nodes: missing required key (expected an array of nodes)"});
}

TEST_CASE("a missing top-level section and a wrong top-level type are reported") {
  CHECK(errors_of(load_topology("{}")) == std::vector<std::string>{
      "/nodes: missing required key (expected an array of nodes)",
      "/exchanges: missing required key (expected an array of exchange accounts)",
  });
  CHECK(errors_of(load_topology("[]")) == std::vector<std::string>{": expected a topology object, got an array"});
  CHECK(errors_of(load_topology("")).size() == 1);
}

TEST_CASE("with several nodes every exchange and strategy must say where it runs") {
  auto result = load_topology(R"({
    "nodes": [{"name": "a", "host": "h1", "port": 1}, {"name": "b", "host": "h2", "port": 1}],
    "exchanges": [{"connector": "binance", "markets": ["BTC-USDT"]}]})");
  CHECK(errors_of(result) == std::vector<std::string>{
      "/exchanges/0/node: missing required key (expected the name of the node to run on; it may be left out only "
      "when there is exactly one node)"});
}

TEST_CASE("two accounts on one connector need names of their own") {
  auto result = load_topology(R"({
    "nodes": [{"name": "main", "host": "h", "port": 1}],
    "exchanges": [{"connector": "binance", "markets": ["BTC-USDT"]},
                  {"connector": "binance", "markets": ["ETH-USDT"]}]})");
  CHECK(errors_of(result) == std::vector<std::string>{
      "/exchanges/1/connector: duplicate exchange name \"binance\" (first at /exchanges/0/connector)"});
}

TEST_CASE("nodes may not share an address") {
  auto result = load_topology(R"({
    "nodes": [{"name": "a", "host": "h", "port": 7}, {"name": "b", "host": "h", "port": 7}],
    "exchanges": [{"connector": "binance", "node": "a", "markets": ["BTC-USDT"]}]})");
  CHECK(errors_of(result) == std::vector<std::string>{
      "/nodes/1/port: duplicate node address \"h:7\" (first at /nodes/0/port)"});
}

TEST_CASE("an arbitrage must name configured markets of one pair on exchanges with credentials") {
  auto result = load_topology(minimal(R"("strategies": [{"name": "s", "kind": "arbitrage",
    "min_profitability": "0.001", "order_amount": 1,
    "markets": [{"exchange": "binance", "market": "BTC-USDT"},
                {"exchange": "okx", "market": "ETH-USDT"},
                {"exchange": "okx", "market": "SOL-USDT"},
                {"exchange": "bitmex", "market": "BTC-USDT"},
                {"exchange": "binance", "market": "BTC-USDT"}]}])"));
  CHECK(errors_of(result) == std::vector<std::string>{
      "/strategies/0/markets/1/market: every market of an arbitrage must be the same pair: \"ETH-USDT\" differs "
      "from \"BTC-USDT\" at /strategies/0/markets/0/market",
      "/strategies/0/markets/2/market: market \"SOL-USDT\" is not configured on exchange \"okx\", which has: "
      "BTC-USDT, ETH-USDT",
      "/strategies/0/markets/3/exchange: undefined exchange \"bitmex\"; expected one of: binance, okx",
      "/strategies/0/markets/4: market \"BTC-USDT\" on exchange \"binance\" is listed twice",
  });
}

TEST_CASE("an unknown strategy kind names the known kinds and does not flag its parameters") {
  auto result = load_topology(minimal(R"("strategies": [{"name": "mm", "kind": "avellaneda_market_making",
    "bid_spread": "0.01"}, {"name": "arb", "kind": "arbitrag"}])"));
  auto errors = errors_of(result);
  REQUIRE(errors.size() == 2);
  CHECK(errors[0] == "/strategies/0/kind: unknown strategy kind \"avellaneda_market_making\"; expected one of: "
                     "arbitrage, pure_market_making, xemm");
  CHECK(errors[1] == "/strategies/1/kind: unknown strategy kind \"arbitrag\" (did you mean \"arbitrage\"?)");
}

TEST_CASE("credentials follow the connector's needs and are given one way") {
  auto result = load_topology(R"({
    "nodes": [{"name": "main", "host": "h", "port": 1}],
    "exchanges": [
      {"connector": "okx", "markets": ["BTC-USDT"], "credentials": {"api_key_env": "A", "secret_env": "B"}},
      {"connector": "binance", "markets": ["BTC-USDT"],
       "credentials": {"secrets_file": "b.json", "api_key_env": "A"}},
      {"connector": "okx_perpetual", "markets": ["BTC-USDT"], "credentials": {"secrets_file": "okx.json"}},
      {"connector": "binance_perpetual", "markets": ["BTC-USDT"], "credentials": {"secret": "x"}}]})",
                              "/etc/tern");
  CHECK(has_error(result, "/exchanges/0/credentials/passphrase_env", "missing required key"));
  CHECK(has_error(result, "/exchanges/1/credentials", "not both"));
  CHECK(has_error(result, "/exchanges/3/credentials/secret", "inline secret \"secret\""));
  CHECK(has_error(result, "/exchanges/3/credentials/secret", "\"secret_env\""));
  CHECK(has_error(result, "/exchanges/3/credentials/api_key_env", "missing required key"));
  CHECK(has_error(result, "/exchanges/3/credentials/secret_env", "missing required key"));
  CHECK(errors_of(result).size() == 5);
  for (const auto& d : result.diagnostics) CHECK(d.pointer.find("/exchanges/2") == std::string::npos);
}

TEST_CASE("a secrets file path is resolved against the config file's folder") {
  auto result = load_topology(R"({
    "nodes": [{"name": "main", "host": "h", "port": 1}],
    "exchanges": [{"connector": "binance", "markets": ["BTC-USDT"], "credentials": {"secrets_file": "s/b.json"}},
                  {"connector": "okx", "markets": ["BTC-USDT"], "credentials": {"secrets_file": "/abs/o.json"}}]})",
                              "/etc/tern");
  REQUIRE(result.ok());
  CHECK(std::get<file_credentials>(*result.value->exchanges[0].credentials).path == "/etc/tern/s/b.json");
  CHECK(std::get<file_credentials>(*result.value->exchanges[1].credentials).path == "/abs/o.json");
}

TEST_CASE("control endpoints need a token variable") {
  auto result = load_topology(minimal(R"("ops": {"control_enabled": true})"));
  CHECK(errors_of(result) == std::vector<std::string>{
      "/ops/control_enabled: control endpoints need a token: set \"control_token_env\" to the name of an "
      "environment variable holding it"});
  CHECK(load_topology(minimal(R"("ops": {"control_enabled": true, "control_token_env": "T"})")).ok());
}

TEST_CASE("markets must be BASE-QUOTE in capitals, with a suggestion for near misses") {
  auto result = load_topology(R"({
    "nodes": [{"name": "main", "host": "h", "port": 1}],
    "exchanges": [{"connector": "binance", "markets": ["BTC/USDT", "btc-usdt", "BTCUSDT", "BTC-", "-USDT"]}]})");
  CHECK(errors_of(result) == std::vector<std::string>{
      "/exchanges/0/markets/0: expected a market written BASE-QUOTE in capitals, e.g. \"BTC-USDT\", got "
      "\"BTC/USDT\" (did you mean \"BTC-USDT\"?)",
      "/exchanges/0/markets/1: expected a market written BASE-QUOTE in capitals, e.g. \"BTC-USDT\", got "
      "\"btc-usdt\" (did you mean \"BTC-USDT\"?)",
      "/exchanges/0/markets/2: expected a market written BASE-QUOTE in capitals, e.g. \"BTC-USDT\", got \"BTCUSDT\"",
      "/exchanges/0/markets/3: expected a market written BASE-QUOTE in capitals, e.g. \"BTC-USDT\", got \"BTC-\"",
      "/exchanges/0/markets/4: expected a market written BASE-QUOTE in capitals, e.g. \"BTC-USDT\", got \"-USDT\"",
  });
}

TEST_CASE("a reference to an entry that failed to read is not reported as undefined") {
  // The first node has no name, so "edge" may be that node: only the missing name is reported.
  auto result = load_topology(R"({
    "nodes": [{"host": "h", "port": 1}, {"name": "ok", "host": "h", "port": 2}],
    "exchanges": [{"connector": "binance", "node": "edge", "markets": ["BTC-USDT"]}]})");
  auto errors = errors_of(result);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].starts_with("/nodes/0/name: missing required key"));
}

TEST_CASE("a file that cannot be read is one error") {
  auto result = load_topology_file("/nonexistent/tern.json");
  CHECK(errors_of(result) == std::vector<std::string>{": cannot read the file: No such file or directory"});
}
