// The "simulator" section: the example loads into typed values, and mistakes are reported at
// their JSON pointers.

#include <catch2/catch.hpp>

#include <algorithm>

#include "config/loader.hpp"

using namespace tern;
using namespace tern::config;

namespace {

const std::filesystem::path examples = std::filesystem::path{TERN_SOURCE_DIR} / "config" / "examples";

std::string with_simulator(std::string_view simulator) {
  return R"({
    "nodes": [{"name": "main", "host": "127.0.0.1", "port": 4300}],
    "exchanges": [{"connector": "binance", "markets": ["BTC-USDT"]}],
    "simulator": )" + std::string{simulator} + "}";
}

bool has_error(const load_result& result, std::string_view pointer, std::string_view fragment) {
  return std::any_of(result.diagnostics.begin(), result.diagnostics.end(), [&](const diagnostic& d) {
    return d.level == severity::error && d.pointer == pointer && d.message.find(fragment) != std::string::npos;
  });
}

} // namespace

TEST_CASE("the simulator example loads its exchanges, markets, drivers and accounts") {
  auto result = load_topology_file(examples / "simulator.json");
  REQUIRE(result.ok());
  REQUIRE(result.value->simulator.has_value());
  const simulator_config& sim = *result.value->simulator;
  CHECK(sim.control_port == 9190);
  CHECK(sim.ca_file == "/tmp/tern-sim/ca.pem");
  REQUIRE(!sim.exchanges.empty());
  const sim_exchange_config& binance = sim.exchanges[0];
  CHECK(binance.dialect == "binance");
  CHECK(binance.kind == market_kind::spot);
  REQUIRE(binance.markets.size() == 2);
  const sim_market_config& btc = binance.markets[0];
  CHECK(btc.market == "BTC-USDT");
  CHECK(btc.tick == "0.01"_d);
  CHECK(btc.step == "0.00001"_d);
  CHECK(btc.min_notional == "5"_d);
  REQUIRE(btc.random_walk.has_value());
  CHECK(btc.random_walk->initial_mid == "60000"_d);
  CHECK(btc.random_walk->jump_steps == 50);
  CHECK(btc.random_walk->size_jitter == Approx(0.3));
  REQUIRE(btc.takers.has_value());
  CHECK(btc.takers->max_quantity == "0.05"_d);
  REQUIRE(binance.accounts.size() == 1);
  CHECK(binance.accounts[0].api_key_env == "TERN_SIM_BINANCE_API_KEY");
  CHECK(binance.accounts[0].balances.size() == 3);
  CHECK(summary(*result.value).ends_with(", 4 simulated exchanges"));
  REQUIRE(sim.exchanges.size() == 4);
  CHECK(sim.exchanges[1].kind == market_kind::perpetual);
  CHECK(sim.exchanges[1].markets[0].random_walk->funding_interval == std::chrono::seconds{28800});
  // OKX: passphrases, dialect options, and swap sizes in contracts.
  const sim_exchange_config& okx = sim.exchanges[2];
  CHECK(okx.dialect == "okx");
  CHECK(okx.kind == market_kind::spot);
  CHECK(okx.options.at("books_checksum") == "crc32");
  CHECK(okx.accounts[0].passphrase_env == "TERN_SIM_OKX_PASSPHRASE");
  CHECK(okx.markets[0].contract_value.is_zero());
  const sim_exchange_config& swap = sim.exchanges[3];
  CHECK(swap.dialect == "okx_perpetual");
  CHECK(swap.kind == market_kind::perpetual);
  CHECK(swap.markets[0].contract_value == "0.01"_d);
}

TEST_CASE("OKX simulated exchanges need passphrases and swaps need contract values") {
  auto result = load_topology(with_simulator(R"({
    "exchanges": [{
      "dialect": "okx_perpetual",
      "markets": [{"market": "BTC-USDT", "tick": "0.1", "step": "0.001"}],
      "accounts": [{"api_key_env": "K", "secret_env": "S"}]
    }]
  })"));
  CHECK(!result.ok());
  CHECK(has_error(result, "/simulator/exchanges/0/markets/0/contract_value", "missing required key"));
  CHECK(has_error(result, "/simulator/exchanges/0/accounts/0/passphrase_env", "missing required key"));
}

TEST_CASE("simulator mistakes are reported at their pointers") {
  auto result = load_topology(with_simulator(R"({
    "exchanges": [{
      "dialect": "binanse",
      "markets": [{"market": "btc/usdt", "tick": "0", "step": "0.001",
                   "random_walk": {"initial_mid": "100.005", "level_size": "1"},
                   "replay": {"files": ["a.gz"]}}],
      "accounts": [{"api_key_env": "sk-live-123", "secret_env": "S", "balances": {"USDT": "-5"}}],
      "rate_limits": {"REQUEST_WEIGHT_1M": "many"}
    }],
    "control_port": 70000
  })"));
  CHECK(!result.ok());
  CHECK(has_error(result, "/simulator/ca_file", "missing required key"));
  CHECK(has_error(result, "/simulator/control_port", "65535"));
  CHECK(has_error(result, "/simulator/exchanges/0/dialect", "did you mean \"binance\""));
  CHECK(has_error(result, "/simulator/exchanges/0/markets/0/market", "did you mean \"BTC-USDT\""));
  CHECK(has_error(result, "/simulator/exchanges/0/markets/0/tick", "greater than 0"));
  CHECK(has_error(result, "/simulator/exchanges/0/markets/0", "not both"));
  CHECK(has_error(result, "/simulator/exchanges/0/accounts/0/api_key_env", "environment variable"));
  CHECK(has_error(result, "/simulator/exchanges/0/accounts/0/balances/USDT", "greater than 0"));
  CHECK(has_error(result, "/simulator/exchanges/0/rate_limits/REQUEST_WEIGHT_1M", "integer"));
}

TEST_CASE("simulated exchanges need distinct names and ports") {
  auto result = load_topology(with_simulator(R"({
    "ca_file": "ca.pem", "control_port": 9443,
    "exchanges": [
      {"dialect": "binance", "port": 9443, "markets": [{"market": "BTC-USDT", "tick": "0.01", "step": "0.001"}]},
      {"dialect": "binance", "port": 9444, "markets": [{"market": "BTC-USDT", "tick": "0.01", "step": "0.001"}]}
    ]
  })"));
  CHECK(has_error(result, "/simulator/exchanges/1/dialect", "duplicate simulated exchange name"));
  CHECK(has_error(result, "/simulator/control_port", "duplicate simulated exchange port"));
}
