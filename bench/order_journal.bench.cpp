// What the order path pays for bookkeeping: the tracker's work per fill (CPU), and one journal
// write, which syncs the WAL to disk before it returns (wall time). The journal file goes in
// $TMPDIR (default /tmp): run it on the disk Tern will write to.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "bench/scratch_journal.hpp"
#include "core/order_tracker.hpp"
#include "journal/order_journal.hpp"

namespace {

using namespace tern;

order_spec spec_of(int i) {
  order_spec spec;
  spec.client_order_id = "bench-" + std::to_string(i);
  spec.pair = trading_pair::from_string("BTC-USDT");
  spec.price = decimal::from_integer(30000);
  spec.amount = decimal::from_integer(1);
  return spec;
}

fill fill_of(const order_spec& spec, int i) {
  fill f;
  f.pair = "BTC-USDT";
  f.trade_id = "t" + std::to_string(i);
  f.client_order_id = spec.client_order_id;
  f.price = spec.price;
  f.base_amount = decimal::from_scaled(1, 1);
  f.quote_amount = decimal::from_integer(3000);
  f.fee = fee{"USDT", decimal::from_integer(3)};
  return f;
}

/// One order started, acknowledged and filled in ten fills: the tracker's calls and their
/// results (notices and journal records), per fill.
void tracker_order_lifecycle(benchmark::State& state) {
  int i = 0;
  const auto now = from_unix_ms(1'700'000'000'000);
  for (auto _ : state) {
    order_tracker tracker;
    auto spec = spec_of(i);
    auto started = tracker.start(spec, now);
    place_ack ack;
    ack.exchange_order_id = std::to_string(i);
    auto acked = tracker.place_acknowledged(spec.client_order_id, ack, now);
    benchmark::DoNotOptimize(acked);
    for (int k = 0; k < 10; ++k) {
      auto filled = tracker.apply_fill(fill_of(spec, i * 10 + k), now);
      benchmark::DoNotOptimize(filled);
    }
    ++i;
  }
  state.SetItemsProcessed(state.iterations() * 10);
}
BENCHMARK(tracker_order_lifecycle);

/// One fill's records written (one transaction), as the tracker actor does before it publishes
/// the fill. Argument 0: synchronous=FULL (the default), 1: NORMAL.
void journal_write_fill(benchmark::State& state) {
  bench::scratch_journal journal{state.range(0) == 0 ? journal::journal_sync::full
                                                     : journal::journal_sync::normal};
  order_tracker tracker;
  auto spec = spec_of(0);
  spec.amount = decimal::from_integer(1'000'000'000);
  const auto now = from_unix_ms(1'700'000'000'000);
  (void)journal->write("bench", tracker.start(spec, now).value().journal);
  int i = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto filled = tracker.apply_fill(fill_of(spec, i++), now);
    state.ResumeTiming();
    if (!journal->write("bench", filled.journal)) throw std::runtime_error("write failed");
  }
}
BENCHMARK(journal_write_fill)->Arg(0)->Arg(1)->UseRealTime()->Iterations(500);

/// What the order path waits for before a request may leave: one new order's intent made
/// durable. Argument 0: write() with synchronous=FULL (fsync per commit); 1: write() with
/// NORMAL (one SQLite transaction); 2: write_ahead with NORMAL (one append to the intent log;
/// the flush into SQLite, which the tracker does after replying, is timed apart in
/// journal_flush_intent).
void journal_write_intent(benchmark::State& state) {
  const auto mode = state.range(0);
  bench::scratch_journal journal{mode == 0 ? journal::journal_sync::full
                                           : journal::journal_sync::normal};
  order_tracker tracker;
  const auto now = from_unix_ms(1'700'000'000'000);
  int i = 0;
  for (auto _ : state) {
    state.PauseTiming();
    if (mode == 2 && !journal->flush()) throw std::runtime_error("flush failed");
    auto started = tracker.start(spec_of(i++), now).value();
    state.ResumeTiming();
    auto written = mode == 2 ? journal->write_ahead("bench", started.journal)
                             : journal->write("bench", started.journal);
    if (!written) throw std::runtime_error("write failed");
  }
}
BENCHMARK(journal_write_intent)->Arg(0)->Arg(1)->Arg(2)->UseRealTime()->Iterations(2000);

/// The SQLite transaction that follows a write_ahead (off the order path), NORMAL.
void journal_flush_intent(benchmark::State& state) {
  bench::scratch_journal journal{journal::journal_sync::normal};
  order_tracker tracker;
  const auto now = from_unix_ms(1'700'000'000'000);
  int i = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto started = tracker.start(spec_of(i++), now).value();
    if (!journal->write_ahead("bench", started.journal)) throw std::runtime_error("log failed");
    state.ResumeTiming();
    if (!journal->flush()) throw std::runtime_error("flush failed");
  }
}
BENCHMARK(journal_flush_intent)->UseRealTime()->Iterations(2000);

} // namespace

BENCHMARK_MAIN();
