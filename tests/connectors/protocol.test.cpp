#include <catch2/catch.hpp>

#include "connectors/registry.hpp"
#include "core/client_order_id.hpp"

// The registry and what each Binance connector says about itself.

using namespace tern;

TEST_CASE("the registry knows binance and okx, spot and perpetual, and names them when asked for another") {
  auto names = protocol_names();
  CHECK(std::vector<std::string_view>(names.begin(), names.end())
        == std::vector<std::string_view>{"binance", "binance_perpetual", "okx", "okx_perpetual"});
  auto unknown = make_protocol("binance_us");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error()
        == "unknown connector \"binance_us\" (known: binance, binance_perpetual, okx, okx_perpetual)");
}

TEST_CASE("capabilities: spot and USD-M") {
  auto spot = std::move(make_protocol("binance")).value();
  const connector_info& s = spot->info();
  CHECK(s.name == "binance");
  CHECK(s.exchange == "binance");
  CHECK(s.kind == market_kind::spot);
  CHECK((s.caps.limit && s.caps.limit_maker && s.caps.market && s.caps.ioc && s.caps.fok));
  CHECK(s.caps.cancel_all);
  CHECK(s.caps.cancel_is_synchronous);
  CHECK_FALSE(s.caps.one_way_mode);
  CHECK_FALSE(s.caps.set_leverage);
  CHECK_FALSE(s.caps.funding);
  CHECK(s.caps.user_stream == user_stream_kind::ws_api_signature);
  CHECK(spot->book_sync().policy.rule == sequence_rule::consecutive);

  auto perp = std::move(make_protocol("binance_perpetual")).value();
  const connector_info& p = perp->info();
  CHECK(p.kind == market_kind::perpetual);
  CHECK((p.caps.one_way_mode && p.caps.hedge_mode && p.caps.set_leverage && p.caps.funding));
  CHECK(p.caps.user_stream == user_stream_kind::listen_key);
  CHECK(perp->book_sync().kind == book_sync_kind::rest_snapshot_sequenced_diffs);
  CHECK(perp->book_sync().policy.rule == sequence_rule::chained);
  CHECK(perp->book_sync().snapshot_depth == 1000);
}

TEST_CASE("endpoints: live and testnet defaults, and an override for the simulator") {
  auto live = std::move(make_protocol("binance")).value();
  CHECK(live->urls().rest == "https://api.binance.com");
  CHECK(live->urls().public_ws == "wss://stream.binance.com:9443/stream");
  CHECK(live->urls().private_ws == "wss://ws-api.binance.com:443/ws-api/v3");
  auto testnet = std::move(make_protocol("binance", {environment::testnet, {}, {}})).value();
  CHECK(testnet->urls().rest == "https://testnet.binance.vision");
  endpoints sim{"https://127.0.0.1:8443", "wss://127.0.0.1:8444/stream", "",
                "wss://127.0.0.1:8444/ws-api/v3"};
  auto simulated = std::move(make_protocol("binance", {environment::live, sim, {}})).value();
  CHECK(simulated->urls() == sim);
  CHECK(simulated->server_time().url() == "https://127.0.0.1:8443/api/v3/time");
  auto perp = std::move(make_protocol("binance_perpetual", {environment::testnet, {}, {}})).value();
  CHECK(perp->urls().rest == "https://demo-fapi.binance.com");
  CHECK(perp->urls().market_ws.empty());
  CHECK(perp->public_streams({"BTCUSDT"}, 1).size() == 1);  // one connection when not split
}

TEST_CASE("client order ids: at most 32 characters behind the prefix, a broker prefix if given") {
  auto spot = std::move(make_protocol("binance")).value();
  client_order_id_format format = spot->client_order_ids();
  CHECK(format.prefix == "tern");
  CHECK(format.max_length == 32);
  auto generator = client_order_id_generator::create(format, "host-1-2-3");
  REQUIRE(generator);
  std::string id = generator->next(side::buy, trading_pair::from_string("BTC-USDT"), from_unix_ms(1700000000000));
  CHECK(id.size() <= 32);
  CHECK(id.rfind("ternBBCUT", 0) == 0);  // side, first and last of base and quote
  auto broker = std::move(make_protocol("binance_perpetual", {environment::live, {}, "x-ABCDEFGH"})).value();
  CHECK(broker->client_order_ids().prefix == "x-ABCDEFGH");
  CHECK(spot->default_symbol(trading_pair::from_string("ETH-BTC")) == "ETHBTC");
}

TEST_CASE("capabilities: okx spot and perpetual swaps") {
  auto spot = std::move(make_protocol("okx")).value();
  const connector_info& s = spot->info();
  CHECK(s.name == "okx");
  CHECK(s.exchange == "okx");
  CHECK(s.kind == market_kind::spot);
  CHECK((s.caps.limit && s.caps.limit_maker && s.caps.market && s.caps.ioc && s.caps.fok));
  CHECK_FALSE(s.caps.cancel_all);
  CHECK_FALSE(s.caps.cancel_is_synchronous);
  CHECK(s.caps.user_stream == user_stream_kind::ws_login);
  CHECK(s.caps.book_sync == book_sync_kind::ws_snapshot_then_deltas);
  book_sync_spec sync = spot->book_sync();
  CHECK(sync.kind == book_sync_kind::ws_snapshot_then_deltas);
  CHECK(sync.stream_policy.rule == delta_sequence_rule::chained);
  CHECK(sync.stream_policy.checksum.depth == 25);
  CHECK(sync.stream_policy.checksum.compute != nullptr);
  auto perp = std::move(make_protocol("okx_perpetual")).value();
  const connector_info& p = perp->info();
  CHECK(p.kind == market_kind::perpetual);
  CHECK((p.caps.one_way_mode && p.caps.hedge_mode && p.caps.set_leverage && p.caps.funding));
  client_order_id_format format = perp->client_order_ids();
  CHECK(format.prefix == "tern");
  CHECK(format.max_length == 32);
  CHECK_FALSE(format.allowed.contains('-'));  // clOrdId: letters and digits only
  CHECK(perp->default_symbol(trading_pair::from_string("BTC-USDT")) == "BTC-USDT-SWAP");
  CHECK(spot->default_symbol(trading_pair::from_string("BTC-USDT")) == "BTC-USDT");
}

TEST_CASE("a symbol map keeps contract sizes of mapped symbols and drops them with the symbol") {
  symbol_map map;
  CHECK_FALSE(map.set_contract_size("BTC-USDT-SWAP", decimal::from_string("0.01")));  // not mapped
  map.add(trading_pair::from_string("BTC-USDT"), "BTC-USDT-SWAP");
  CHECK(map.set_contract_size("BTC-USDT-SWAP", decimal::from_string("0.01")));
  CHECK(map.contract_size("BTC-USDT-SWAP") == decimal::from_string("0.01"));
  CHECK_FALSE(map.contract_size("BTC-USDT"));
  // Mapping the pair to another symbol forgets the old symbol's size.
  map.add(trading_pair::from_string("BTC-USDT"), "BTC-USDT");
  CHECK_FALSE(map.contract_size("BTC-USDT-SWAP"));
  CHECK_FALSE(map.contract_size("BTC-USDT"));
}
