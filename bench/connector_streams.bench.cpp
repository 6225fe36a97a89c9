// Connector protocol-layer benchmarks: the cost the exchange_protocol adds on top of the raw
// parsers, and the cost of building and signing a request. docs/performance.md lists the figures
// and the commands that reproduce them.
//
//   stream_parse:  every frame of the spot capture (diffs, tickers, trades) through the
//                  connector's public_stream_parser (routing by stream name + simdjson readers)
//   raw_parse:     the same frames through binance::market_data_parser with the pair given
//   place_order:   a spot limit order built into a signed prepared_request (HMAC-SHA256)
//   private_frame: the documented executionReport, as a TRADE, through parse_private_frame

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "connectors/binance/market_data.hpp"
#include "connectors/registry.hpp"
#include "tests/support/capture_file.hpp"

namespace {

using namespace tern;

const std::vector<std::string>& capture_frames() {
  static const std::vector<std::string> frames = [] {
    std::vector<std::string> out;
    testing::capture_file file{testing::capture_path("spot/btcusdt_20240808.gz")};
    testing::capture_line line;
    while (file.next(line))
      if (line.frame.substr(0, 10) == "{\"stream\":")
        out.emplace_back(line.frame);
    return out;
  }();
  return frames;
}

std::unique_ptr<exchange_protocol> spot() { return std::move(make_protocol("binance")).value(); }

void stream_parse(benchmark::State& state) {
  const auto& frames = capture_frames();
  symbol_map markets;
  markets.add(trading_pair::from_string("BTC-USDT"), "BTCUSDT");
  auto parser = spot()->make_public_parser(markets);
  public_frame out;
  for (auto _ : state)
    for (const std::string& frame : frames)
      benchmark::DoNotOptimize(parser->parse(frame, {}, out));
  state.counters["per_frame"] = benchmark::Counter(
      static_cast<double>(frames.size()), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void raw_parse(benchmark::State& state) {
  const auto& frames = capture_frames();
  binance::market_data_parser parser;
  binance::market_frame out;
  const binance::parse_context context{"BTC-USDT", {}, "BTCUSDT"};
  for (auto _ : state)
    for (const std::string& frame : frames)
      benchmark::DoNotOptimize(parser.parse(frame, context, out));
  state.counters["per_frame"] = benchmark::Counter(
      static_cast<double>(frames.size()), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void place_order(benchmark::State& state) {
  auto protocol = spot();
  credentials keys{"vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
                   "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"};
  order_request order;
  order.client_order_id = "ternBBCUT18bc5d4a3e0012345";
  order.price = decimal::from_string("61737.63");
  order.amount = decimal::from_string("0.00123");
  std::int64_t now = 1700000000000;
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol->place_order("BTCUSDT", order, signing_context{keys, ++now, 5000}));
}

void private_frame(benchmark::State& state) {
  // user-data-stream.md "Order Update", as a partial fill (see binance_user_stream.test.cpp).
  const std::string frame =
      R"({"subscriptionId":0,"event":{"e":"executionReport","E":1499405658658,"s":"ETHBTC",)"
      R"("c":"mUvoqJxFIILMdfAW5iGSOW","S":"BUY","o":"LIMIT","f":"GTC","q":"1.00000000",)"
      R"("p":"0.10264410","P":"0.00000000","F":"0.00000000","g":-1,"C":"","x":"TRADE",)"
      R"("X":"PARTIALLY_FILLED","r":"NONE","i":4293153,"l":"0.40000000","z":"0.40000000",)"
      R"("L":"0.10264400","n":"0.00040000","N":"ETH","T":1499405658657,"t":12345,"v":3,)"
      R"("I":8641984,"w":true,"m":true,"M":false,"O":1499405658657,"Z":"0.04105760",)"
      R"("Y":"0.04105760","Q":"0.00000000","W":1499405658657,"V":"NONE"}})";
  auto protocol = spot();
  symbol_map markets;
  markets.add(trading_pair::from_string("ETH-BTC"), "ETHBTC");
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol->parse_private_frame(frame, markets, {}));
}

} // namespace

BENCHMARK(stream_parse)->Unit(benchmark::kMillisecond);
BENCHMARK(raw_parse)->Unit(benchmark::kMillisecond);
BENCHMARK(place_order)->Unit(benchmark::kNanosecond);
BENCHMARK(private_frame)->Unit(benchmark::kNanosecond);

BENCHMARK_MAIN();
