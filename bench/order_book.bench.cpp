// Order-book benchmarks on the real Binance BTCUSDT captures (../shared/data/binance-captures).
// docs/performance.md lists the figures and the commands that reproduce them.
//
//   book_apply:    pre-parsed diffs applied to order_book; time per level update
//   book_apply_std_map: the same diffs on a std::map per side, the textbook book, for scale
//   parse:         raw depth frames parsed into a reused book_delta; time per frame
//   ingest:        raw frame bytes -> parsed -> sequenced_book_sync; time per frame
//   ingest_latency: the same path timed frame by frame; median and p99 ns per frame
//   parse_in_place, ingest_in_place_latency: the same with market_data_parser::parse_padded on
//                  frames followed by spare bytes (as a receive buffer could leave them): no copy

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "connectors/binance/market_data.hpp"
#include "connectors/common/sequenced_book_sync.hpp"
#include "core/order_book.hpp"
#include "tests/support/capture_file.hpp"

namespace {

using namespace tern;

// The diffs of one capture that follow its REST snapshot, raw and parsed.
struct capture_set {
  book_sync_policy policy;
  book_snapshot snapshot;
  std::vector<std::string> frames;  // raw depth frames applied after the snapshot
  std::vector<std::string> padded;  // the same, each followed by frame_padding zero bytes
  std::vector<book_delta> diffs;    // the same frames, parsed
  std::size_t levels = 0;           // level updates in `diffs`
};

capture_set load(const std::string& relative, sequence_rule rule) {
  capture_set set;
  set.policy = book_sync_policy{rule, 10'000};
  binance::market_data_parser parser;
  binance::market_frame out;
  sequenced_book_sync sync{"BTC-USDT", set.policy};
  std::vector<std::string> pending;  // raw frames buffered before the snapshot
  testing::capture_file file{testing::capture_path(relative)};
  testing::capture_line line;
  while (file.next(line)) {
    auto kind = parser.parse(line.frame, {"BTC-USDT", line.received_time, {}}, out);
    if (!kind)
      throw std::runtime_error{kind.error().message()};
    if (*kind == binance::frame_kind::depth_snapshot) {
      set.snapshot = out.snapshot;
      (void)sync.on_snapshot(out.snapshot);
      // Keep the buffered frames the snapshot does not cover; the sync replays them too.
      for (auto& frame : pending) {
        book_delta diff;
        (void)parser.parse_depth_update(frame, {"BTC-USDT", {}, {}}, diff);
        if (diff.last_sequence > set.snapshot.sequence) {
          set.frames.push_back(frame);
          set.levels += diff.bids.size() + diff.asks.size();
          set.diffs.push_back(std::move(diff));
        }
      }
    } else if (*kind == binance::frame_kind::depth_update) {
      if (sync.state() != sync_state::synced) {
        pending.emplace_back(line.frame);
        (void)sync.on_diff(out.depth);
        continue;
      }
      set.frames.emplace_back(line.frame);
      set.levels += out.depth.bids.size() + out.depth.asks.size();
      set.diffs.push_back(out.depth);
    }
  }
  return set;
}

// The frames with spare bytes after them, for parse_padded.
capture_set& add_padding(capture_set& set) {
  for (const std::string& frame : set.frames)
    set.padded.push_back(frame + std::string(binance::market_data_parser::frame_padding, '\0'));
  return set;
}

// The frame a padded copy holds (its padding excluded).
std::string_view unpadded(const std::string& padded) {
  return std::string_view{padded}.substr(0, padded.size() - binance::market_data_parser::frame_padding);
}

const capture_set& spot() {
  static capture_set loaded = load("spot/btcusdt_20240808.gz", sequence_rule::consecutive);
  static const capture_set& set = add_padding(loaded);
  return set;
}

const capture_set& usdm() {
  static capture_set loaded = load("usdm/btcusdt_20240808.gz", sequence_rule::chained);
  static const capture_set& set = add_padding(loaded);
  return set;
}

const capture_set& pick(const benchmark::State& state) {
  return state.range(0) == 0 ? spot() : usdm();
}

// Reports `items` per iteration as items/s and as time per item (counter `name`).
void count_items(benchmark::State& state, std::size_t items, const char* name) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(items));
  state.counters[name] = benchmark::Counter(
      static_cast<double>(items),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Puts the sync back at the capture's snapshot, outside the timed region.
void restart(benchmark::State& state, sequenced_book_sync& sync, const capture_set& set) {
  state.PauseTiming();
  sync.reset();
  if (!sync.on_snapshot(set.snapshot))
    state.SkipWithError("snapshot rejected");
  state.ResumeTiming();
}

void book_apply(benchmark::State& state) {
  const capture_set& set = pick(state);
  order_book book{"BTC-USDT"};
  for (auto _ : state) {
    state.PauseTiming();
    if (!book.apply_snapshot(set.snapshot))
      state.SkipWithError("snapshot rejected");
    state.ResumeTiming();
    for (const book_delta& diff : set.diffs) {
      auto applied = book.apply_delta(diff);
      benchmark::DoNotOptimize(applied);
    }
  }
  count_items(state, set.levels, "per_level");
  state.counters["levels_per_frame"] =
      static_cast<double>(set.levels) / static_cast<double>(set.diffs.size());
}

// The usual textbook book: one ordered map per side. Same diffs, same exact decimals.
void book_apply_std_map(benchmark::State& state) {
  const capture_set& set = pick(state);
  std::map<decimal, decimal, std::greater<>> bids;
  std::map<decimal, decimal> asks;
  auto apply = [](auto& side, const std::vector<price_level>& levels) {
    for (const price_level& level : levels) {
      if (level.size.is_zero())
        side.erase(level.price);
      else
        side.insert_or_assign(level.price, level.size);
    }
  };
  for (auto _ : state) {
    state.PauseTiming();
    bids.clear();
    asks.clear();
    for (const price_level& level : set.snapshot.bids)
      bids.emplace(level.price, level.size);
    for (const price_level& level : set.snapshot.asks)
      asks.emplace(level.price, level.size);
    state.ResumeTiming();
    for (const book_delta& diff : set.diffs) {
      apply(bids, diff.bids);
      apply(asks, diff.asks);
      benchmark::DoNotOptimize(bids.begin()->first < asks.begin()->first);
    }
  }
  count_items(state, set.levels, "per_level");
}

void parse(benchmark::State& state) {
  const capture_set& set = pick(state);
  binance::market_data_parser parser;
  book_delta diff;
  const binance::parse_context context{"BTC-USDT", {}, {}};
  for (auto _ : state) {
    for (const std::string& frame : set.frames) {
      auto parsed = parser.parse_depth_update(frame, context, diff);
      benchmark::DoNotOptimize(parsed);
    }
  }
  count_items(state, set.frames.size(), "per_frame");
}

void ingest(benchmark::State& state) {
  const capture_set& set = pick(state);
  binance::market_data_parser parser;
  binance::market_frame out;
  sequenced_book_sync sync{"BTC-USDT", set.policy};
  const binance::parse_context context{"BTC-USDT", {}, {}};
  for (auto _ : state) {
    restart(state, sync, set);
    for (const std::string& frame : set.frames) {
      auto parsed = parser.parse(frame, context, out);
      auto applied = sync.on_diff(out.depth);
      benchmark::DoNotOptimize(parsed);
      benchmark::DoNotOptimize(applied);
    }
  }
  if (sync.state() != sync_state::synced)
    state.SkipWithError("the replay lost sync");
  count_items(state, set.frames.size(), "per_frame");
}

void parse_in_place(benchmark::State& state) {
  const capture_set& set = pick(state);
  binance::market_data_parser parser;
  binance::market_frame out;
  const binance::parse_context context{"BTC-USDT", {}, {}};
  for (auto _ : state) {
    for (const std::string& frame : set.padded) {
      auto parsed = parser.parse_padded(unpadded(frame), context, out);
      benchmark::DoNotOptimize(parsed);
    }
  }
  count_items(state, set.frames.size(), "per_frame");
}

// Frame-by-frame timing of the ingest path, for the median the latency target is set on.
// steady_clock adds its own ~20 ns to each sample.
void time_frames(benchmark::State& state, bool in_place) {
  const capture_set& set = pick(state);
  binance::market_data_parser parser;
  binance::market_frame out;
  sequenced_book_sync sync{"BTC-USDT", set.policy};
  const binance::parse_context context{"BTC-USDT", {}, {}};
  std::vector<double> samples;
  samples.reserve(set.frames.size() * 16);
  for (auto _ : state) {
    restart(state, sync, set);
    for (std::size_t i = 0; i < set.frames.size(); ++i) {
      auto start = std::chrono::steady_clock::now();
      auto parsed = in_place ? parser.parse_padded(unpadded(set.padded[i]), context, out)
                             : parser.parse(set.frames[i], context, out);
      auto applied = sync.on_diff(out.depth);
      auto stop = std::chrono::steady_clock::now();
      benchmark::DoNotOptimize(parsed);
      benchmark::DoNotOptimize(applied);
      samples.push_back(std::chrono::duration<double, std::nano>(stop - start).count());
    }
  }
  if (sync.state() != sync_state::synced)
    state.SkipWithError("the replay lost sync");
  auto at = [&](double quantile) {
    auto index = static_cast<std::size_t>(quantile * static_cast<double>(samples.size() - 1));
    std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(index),
                     samples.end());
    return samples[index];
  };
  state.counters["median_ns"] = at(0.5);
  state.counters["p99_ns"] = at(0.99);
  state.counters["frames"] = static_cast<double>(set.frames.size());
}

void ingest_latency(benchmark::State& state) {
  time_frames(state, false);
}

void ingest_in_place_latency(benchmark::State& state) {
  time_frames(state, true);
}

} // namespace

// Argument 0: spot BTCUSDT 2024-08-08 (depth@100ms); 1: USD-M BTCUSDT 2024-08-08 (depth@0ms).
BENCHMARK(book_apply)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(book_apply_std_map)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(parse)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(ingest)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(ingest_latency)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->Iterations(10);
BENCHMARK(parse_in_place)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(ingest_in_place_latency)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->Iterations(10);

BENCHMARK_MAIN();
