// OKX protocol-layer benchmarks. docs/performance.md lists the figures and the commands.
//
//   okx_books_parse:    the documented books update (8 levels a side) through the OKX
//                       public_stream_parser (simdjson DOM, decimals and wire text)
//   okx_book_delta:     parse + snapshot_delta_book_sync on a 400-level book: a one-level
//                       delta applied, the wire text kept, the 25-level checksum verified
//   okx_place_order:    a swap limit order built into a signed prepared_request

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "connectors/common/snapshot_delta_book_sync.hpp"
#include "connectors/okx/market_data.hpp"
#include "connectors/registry.hpp"
#include "tests/connectors/okx_fixtures_ws.hpp"

namespace {

using namespace tern;

symbol_map btc_usdt() {
  symbol_map markets;
  markets.add(trading_pair::from_string("BTC-USDT"), "BTC-USDT");
  return markets;
}

void okx_books_parse(benchmark::State& state) {
  auto parser = std::move(make_protocol("okx")).value()->make_public_parser(btc_usdt());
  const std::string frame{okx_fixtures::books_update};
  public_frame out;
  for (auto _ : state)
    benchmark::DoNotOptimize(parser->parse(frame, {}, out));
}

// A 400-level snapshot frame (bids from 50000 down, asks from 50000.1 up, 0.1 apart), then
// deltas that restate the best bid, each continuing the one before and carrying the book's
// checksum (the restated level keeps the text, so the checksum holds). The frames are made
// before the timed loop; when they run out the book is re-snapshotted, untimed.
void okx_book_delta(benchmark::State& state) {
  auto parser = std::move(make_protocol("okx")).value()->make_public_parser(btc_usdt());
  auto price = [](int tenths) {
    return decimal::divide(decimal::from_integer(tenths), decimal::from_integer(10),
                           rounding::half_even).to_string();
  };
  nlohmann::json snapshot = nlohmann::json::parse(okx_fixtures::books_snapshot);
  nlohmann::json bids = nlohmann::json::array();
  nlohmann::json asks = nlohmann::json::array();
  for (int i = 0; i < 400; ++i) {
    bids.push_back({price(500000 - i), "1.75", "0", "1"});
    asks.push_back({price(500001 + i), "2.25", "0", "1"});
  }
  snapshot["data"][0]["bids"] = bids;
  snapshot["data"][0]["asks"] = asks;
  snapshot["data"][0]["seqId"] = 1;
  const std::string snapshot_frame = snapshot.dump();
  public_frame out;
  snapshot_delta_book_sync sync{"BTC-USDT", okx::book_policy()};
  (void)parser->parse(snapshot_frame, {}, out);
  (void)sync.on_snapshot(out.snapshot, &out.levels);
  nlohmann::json update = nlohmann::json::parse(okx_fixtures::books_update);
  update["data"][0]["asks"] = nlohmann::json::array();
  update["data"][0]["bids"] = nlohmann::json::array({{"50000", "1.75", "0", "1"}});
  update["data"][0]["checksum"] = static_cast<std::int32_t>(*sync.checksum());
  std::vector<std::string> frames;
  for (std::int64_t seq = 1; seq <= 4096; ++seq) {
    update["data"][0]["prevSeqId"] = seq;
    update["data"][0]["seqId"] = seq + 1;
    frames.push_back(update.dump());
  }
  std::size_t next = 0;
  std::size_t applied = 0;
  for (auto _ : state) {
    if (next == frames.size()) {
      state.PauseTiming();
      (void)parser->parse(snapshot_frame, {}, out);
      (void)sync.on_snapshot(out.snapshot, &out.levels);
      next = 0;
      state.ResumeTiming();
    }
    (void)parser->parse(frames[next++], {}, out);
    auto result = sync.on_delta(out.depth, &out.levels);
    applied += result && *result == delta_outcome::applied ? 1 : 0;
  }
  if (applied != static_cast<std::size_t>(state.iterations()))
    state.SkipWithError("a delta was not applied: the benchmark's book went out of sync");
}

void okx_place_order(benchmark::State& state) {
  auto protocol = std::move(make_protocol("okx_perpetual")).value();
  credentials keys{"37c541a1-key", "22582BD0CFF14C41EDBF1AB98506286D", "passphrase"};
  order_request order;
  order.client_order_id = "ternBBCUT18bc5d4a3e0012345";
  order.order_side = side::buy;
  order.price = decimal::from_string("61737.6");
  order.amount = decimal::from_string("0.05");
  order.action = position_action::open;
  order.contract_size = decimal::from_string("0.01");
  std::int64_t now = 1700000000000;
  for (auto _ : state)
    benchmark::DoNotOptimize(
        protocol->place_order("BTC-USDT-SWAP", order, signing_context{keys, ++now, {}}));
}

} // namespace

BENCHMARK(okx_books_parse);
BENCHMARK(okx_book_delta);
BENCHMARK(okx_place_order);
BENCHMARK_MAIN();
