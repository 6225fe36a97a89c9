// The simulator's matching engine on one core: a mixed flow of passive limit orders, cancels
// and orders that cross the spread, with balances, fees and events as in the simulator. Also
// the capture replay driver: real Binance depth diffs mirrored into the engine.

#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "sim/capture_replay.hpp"
#include "sim/venue.hpp"

namespace {

using namespace tern;
using namespace tern::sim;

market_spec bench_market() {
  market_spec spec;
  spec.symbol = "BTCUSDT";
  spec.base = "BTC";
  spec.quote = "USDT";
  spec.tick = decimal::from_string("0.01");
  spec.step = decimal::from_string("0.00001");
  spec.maker_fee_rate = decimal::from_string("0.001");
  spec.taker_fee_rate = decimal::from_string("0.001");
  return spec;
}

struct planned_op {
  bool crosses;
  std::size_t account;
  side order_side;
  std::int64_t ticks_from_mid;
  std::int64_t lots;
  std::uint64_t pick;
};

// 15 % IOC limits reaching up to 10 ticks through the touch; the other 85 % add a passive
// limit within 50 ticks of the mid while the book holds fewer than `book_target` orders and
// cancel a random resting one otherwise, so the book stays near that size.
constexpr std::size_t book_target = 2000;

std::vector<planned_op> plan(std::size_t count) {
  std::mt19937_64 random{12345};
  std::vector<planned_op> ops(count);
  for (auto& op : ops) {
    op.crosses = random() % 100 < 15;
    op.account = random() % 8;
    op.order_side = random() % 2 == 0 ? side::buy : side::sell;
    op.ticks_from_mid = op.crosses ? static_cast<std::int64_t>(random() % 10)
                                   : 1 + static_cast<std::int64_t>(random() % 50);
    op.lots = 1 + static_cast<std::int64_t>(random() % 200);
    op.pick = random();
  }
  return ops;
}

void sim_engine_mixed_flow(benchmark::State& state) {
  venue exchange;
  matching_engine& engine = *exchange.add_market(bench_market()).value();
  std::vector<account_id> accounts;
  for (int i = 0; i < 8; ++i) {
    account_id account = exchange.accounts().open_account("bench-" + std::to_string(i)).value();
    (void)exchange.accounts().deposit(account, "USDT", decimal::from_integer(1'000'000'000'000));
    (void)exchange.accounts().deposit(account, "BTC", decimal::from_integer(100'000'000));
    accounts.push_back(account);
  }
  const std::vector<planned_op> ops = plan(1 << 20);
  const decimal mid = decimal::from_string("60000.00");
  const decimal tick = engine.spec().tick;
  const decimal lot = engine.spec().step;
  std::vector<std::pair<account_id, order_id>> resting;
  event_buffer events;
  timestamp now = from_unix_ms(1'723'161'253'000);
  std::size_t next = 0;
  std::size_t events_seen = 0;
  std::size_t cancel_misses = 0;
  for (auto _ : state) {
    const planned_op& op = ops[next++ & (ops.size() - 1)];
    account_id account = accounts[op.account];
    if (!op.crosses && resting.size() >= book_target) {
      std::size_t index = op.pick % resting.size();
      auto [owner, id] = resting[index];
      resting[index] = resting.back();
      resting.pop_back();
      // The order may have been filled since; such a cancel is refused (counted below).
      if (!engine.cancel(owner, id, now, events))
        ++cancel_misses;
    } else {
      order_request request;
      request.account = account;
      request.side = op.order_side;
      bool buys = op.order_side == side::buy;
      std::int64_t offset = op.crosses ? -op.ticks_from_mid - 1 : op.ticks_from_mid;
      request.price = mid + tick * (buys ? -offset : offset);
      request.quantity = lot * op.lots;
      request.tif = op.crosses ? time_in_force::ioc : time_in_force::gtc;
      request.stp = stp_mode::expire_maker;
      auto placed = engine.place(request, now, events);
      if (placed && placed->is_open())
        resting.emplace_back(account, placed->id);
    }
    events_seen += events.size();
    events.clear();
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["events_per_op"] = static_cast<double>(events_seen)
                                    / static_cast<double>(state.iterations());
  state.counters["open_orders"] = static_cast<double>(engine.open_order_count());
  state.counters["refused_cancels_per_op"] = static_cast<double>(cancel_misses)
                                             / static_cast<double>(state.iterations());
}
BENCHMARK(sim_engine_mixed_flow);

void sim_capture_replay(benchmark::State& state) {
  std::string file = std::string{TERN_SHARED_DIR} + "/data/binance-captures/spot/btcusdt_20240808.gz";
  auto frames = read_capture_frames({file});
  if (!frames) {
    state.SkipWithError(frames.error().c_str());
    return;
  }
  std::size_t applied = 0;
  event_buffer events;
  for (auto _ : state) {
    state.PauseTiming();
    venue exchange;
    matching_engine& engine = *exchange.add_market(bench_market()).value();
    capture_replay_config config;
    config.files = {file};
    config.replay_trades = false;
    auto replay = capture_replay::open(engine, exchange.accounts(), config).value();
    state.ResumeTiming();
    while (replay->step(events))
      events.clear();
    applied += replay->frames_applied();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(applied));
  state.SetLabel("depth frames (snapshot + diffs) mirrored into the engine");
}
BENCHMARK(sim_capture_replay)->Unit(benchmark::kMillisecond);

} // namespace
BENCHMARK_MAIN();
