// The work an order does on its way out, without the actors' hand-offs: validated and quantized,
// named, started by the order tracker, its intent written ahead to the journal's intent log,
// built and signed as a Binance spot request. What tick-to-order would cost if the path were
// one function call on a free core (docs/performance.md, "Tick-to-order").
//
//   order_path_work/0: back to back, code and data in the caches (the floor);
//   order_path_work/1: with the caches overwritten (64 MiB) before each order, as for one order
//                      among a stream of market data on a busy machine (timed apart).
//
// The journal goes in $TMPDIR (default /tmp).

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/scratch_journal.hpp"
#include "connectors/registry.hpp"
#include "core/client_order_id.hpp"
#include "core/instrument.hpp"
#include "core/order_tracker.hpp"
#include "journal/order_journal.hpp"

namespace {

using namespace tern;

instrument btc_usdt() {
  instrument market;
  market.exchange = "binance_main";
  market.pair = trading_pair::from_string("BTC-USDT");
  market.rules.tick_size = decimal::from_string("0.01");
  market.rules.step_size = decimal::from_string("0.00001");
  market.rules.min_order_size = decimal::from_string("0.00001");
  market.rules.min_notional = decimal::from_string("5");
  return market;
}

/// Writes over a buffer larger than the last-level cache, so the next order starts cold.
void evict_caches() {
  static std::vector<char> junk(64U << 20U);
  for (std::size_t i = 0; i < junk.size(); i += 64) junk[i] = static_cast<char>(junk[i] + 1);
  benchmark::DoNotOptimize(junk.data());
}

void order_path_work(benchmark::State& state) {
  const bool cold = state.range(0) == 1;
  bench::scratch_journal journal{journal::journal_sync::normal};
  auto protocol = std::move(make_protocol("binance")).value();
  auto ids = client_order_id_generator::create(protocol->client_order_ids(), "bench").value();
  const credentials keys{"vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
                         "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"};
  const auto market = btc_usdt();
  const order_proposal proposal{side::buy, order_type::limit, decimal::from_string("61737.634"),
                                decimal::from_string("0.001234")};
  order_tracker tracker;
  auto now = from_unix_ms(1'700'000'000'000);
  for (auto _ : state) {
    state.PauseTiming();
    (void)journal->flush();  // as the tracker does after answering, off the path
    if (cold) evict_caches();
    now += std::chrono::milliseconds{1};
    state.ResumeTiming();
    auto valid = validate_order(market, proposal);
    order_spec spec;
    spec.client_order_id = ids.next(side::buy, market.pair, now);
    spec.pair = market.pair;
    spec.price = valid->price;
    spec.amount = valid->amount;
    spec.creation_time = now;
    auto started = tracker.start(spec, now);
    if (!journal->write_ahead("bench", started->journal)) throw std::runtime_error("log failed");
    order_request request;
    request.client_order_id = spec.client_order_id;
    request.price = spec.price;
    request.amount = spec.amount;
    benchmark::DoNotOptimize(
        protocol->place_order("BTCUSDT", request, signing_context{keys, to_unix_ms(now), 5000}));
  }
}
BENCHMARK(order_path_work)->Arg(0)->Arg(1)->UseRealTime()->Iterations(1000);

} // namespace

BENCHMARK_MAIN();
