#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "connectors/binance/market_data.hpp"
#include "connectors/common/sequenced_book_sync.hpp"
#include "connectors/common/symbol_map.hpp"
#include "tests/support/capture_file.hpp"

// Counts every allocation in this test program, so a test can show that a code path makes none.
namespace {
std::atomic<std::size_t> allocations{0};
}

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* block = std::malloc(size == 0 ? 1 : size))
    return block;
  throw std::bad_alloc{};
}
void operator delete(void* block) noexcept {
  std::free(block);
}
void operator delete(void* block, std::size_t) noexcept {
  std::free(block);
}

using namespace tern;
using namespace tern::binance;

TEST_CASE("after warm-up, parsing and applying depth frames allocates nothing") {
  std::vector<std::string> frames;
  book_snapshot snapshot;
  {
    // Every diff the snapshot does not cover, including the one that bridges it, which
    // arrives before the snapshot in this capture.
    std::vector<std::pair<std::string, std::int64_t>> diffs;
    market_data_parser loader;
    market_frame out;
    testing::capture_file file{testing::capture_path("spot/btcusdt_20240808.gz")};
    testing::capture_line line;
    while (file.next(line)) {
      auto kind = loader.parse(line.frame, parse_context{"BTC-USDT", line.received_time, {}}, out);
      REQUIRE(kind);
      if (*kind == frame_kind::depth_snapshot)
        snapshot = out.snapshot;
      else if (*kind == frame_kind::depth_update)
        diffs.emplace_back(std::string{line.frame}, out.depth.last_sequence);
    }
    for (auto& [frame, last_id] : diffs)
      if (last_id > snapshot.sequence)
        frames.push_back(std::move(frame));
  }
  REQUIRE(frames.size() > 3000);

  market_data_parser parser;
  market_frame out;
  sequenced_book_sync sync{"BTC-USDT", book_sync_policy{sequence_rule::consecutive, 10'000}};
  const parse_context context{"BTC-USDT", {}, {}};
  auto replay = [&] {
    for (const std::string& frame : frames) {
      REQUIRE(parser.parse(frame, context, out));
      REQUIRE(sync.on_diff(out.depth));
    }
  };
  // The first pass grows the buffers, vectors and book chunks to the sizes this data needs.
  REQUIRE(sync.on_snapshot(snapshot));
  replay();
  sync.reset();
  REQUIRE(sync.on_snapshot(snapshot));
  std::size_t before = allocations.load();
  {
    std::vector<int> probe(100);  // the counter does see allocations
    REQUIRE(allocations.load() - before == 1);
  }
  before = allocations.load();
  replay();
  CHECK(allocations.load() - before == 0);
  CHECK(sync.state() == sync_state::synced);
}

TEST_CASE("after warm-up, the connector's public stream parser routes and parses without allocating") {
  // Every frame of the capture (diffs, tickers, trades), through the exchange_protocol's
  // parser: envelope routing by stream name, then the simdjson readers.
  std::vector<std::string> frames;
  {
    testing::capture_file file{testing::capture_path("spot/btcusdt_20240808.gz")};
    testing::capture_line line;
    while (file.next(line))
      if (line.frame.substr(0, 10) == "{\"stream\":")
        frames.emplace_back(line.frame);
  }
  REQUIRE(frames.size() == 41248);
  symbol_map markets;
  markets.add(trading_pair::from_string("BTC-USDT"), "BTCUSDT");
  auto parser = make_market_stream_parser(std::move(markets));
  public_frame out;
  auto pass = [&] {
    for (const std::string& frame : frames)
      REQUIRE(parser->parse(frame, {}, out));
  };
  pass();  // grows the buffers
  std::size_t before = allocations.load();
  pass();
  CHECK(allocations.load() - before == 0);
}
