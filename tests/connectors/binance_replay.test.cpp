#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "connectors/binance/market_data.hpp"
#include "connectors/common/sequenced_book_sync.hpp"
#include "tests/support/capture_file.hpp"

// Real Binance data through the parser and the book sync: every bookTicker that names the same
// update id as a diff's final id u must equal the book's top once that diff is applied.

using namespace tern;
using namespace tern::binance;

namespace {

using tickers_by_id = std::map<std::int64_t, std::vector<top_of_book>>;

struct replay_counts {
  std::size_t diffs = 0;
  std::size_t applied = 0;
  std::size_t trades = 0;
  std::size_t tickers = 0;
  std::size_t snapshots = 0;
  std::size_t ticker_checks = 0;  // tickers compared with the book after their diff
};

// First pass: every bookTicker by update id, and how many of them share a diff's final id. Files
// are read together: a ticker at the end of one file may name a diff early in the next.
tickers_by_id collect_tickers(const std::vector<std::string>& paths, std::size_t& coinciding) {
  market_data_parser parser;
  market_frame out;
  tickers_by_id tickers;
  std::set<std::int64_t> diff_ids;
  for (const std::string& path : paths) {
    testing::capture_file file{path};
    testing::capture_line line;
    while (file.next(line)) {
      auto kind = parser.parse(
          line.frame, parse_context{"BTC-USDT", line.received_time, "BTCUSDT"}, out);
      REQUIRE(kind);
      if (*kind == frame_kind::book_ticker)
        tickers[out.ticker.sequence].push_back(out.ticker);
      else if (*kind == frame_kind::depth_update)
        diff_ids.insert(out.depth.last_sequence);
    }
  }
  coinciding = 0;
  for (const auto& [id, list] : tickers)
    if (diff_ids.count(id) != 0)
      coinciding += list.size();
  return tickers;
}

// Compares the book's top with every bookTicker published at the diff's final id.
void check_tickers(const tickers_by_id& tickers, const book_delta& diff, const order_book& book,
                   replay_counts& counts) {
  auto found = tickers.find(diff.last_sequence);
  if (found == tickers.end())
    return;
  for (const top_of_book& ticker : found->second) {
    INFO("update id " << diff.last_sequence);
    REQUIRE(book.best_bid() == ticker.bid);
    REQUIRE(book.best_ask() == ticker.ask);
    ++counts.ticker_checks;
  }
}

// Second pass: diffs and the snapshot through the sync, checking tickers after each diff.
void replay(const std::string& path, sequenced_book_sync& sync, const tickers_by_id& tickers,
            replay_counts& counts) {
  market_data_parser parser;
  market_frame out;
  testing::capture_file file{path};
  testing::capture_line line;
  auto observe = [&](const book_delta& diff, const order_book& book) {
    ++counts.applied;
    check_tickers(tickers, diff, book, counts);
  };
  while (file.next(line)) {
    auto kind = parser.parse(line.frame, parse_context{"BTC-USDT", line.received_time, "BTCUSDT"},
                             out);
    REQUIRE(kind);
    if (*kind == frame_kind::depth_update) {
      ++counts.diffs;
      auto result = sync.on_diff(out.depth);
      INFO("diff U=" << out.depth.first_sequence << " u=" << out.depth.last_sequence);
      REQUIRE(result);  // no gap, no broken book, no overflow anywhere in the capture
      if (*result == diff_outcome::applied)
        observe(out.depth, sync.book());
    } else if (*kind == frame_kind::depth_snapshot) {
      ++counts.snapshots;
      auto result = sync.on_snapshot(out.snapshot, observe);
      REQUIRE(result);
      REQUIRE(result->outcome == snapshot_outcome::synced);
    } else if (*kind == frame_kind::trade) {
      ++counts.trades;
      REQUIRE(out.trade_event.price.is_positive());
      REQUIRE(out.trade_event.exchange_time != timestamp{});
    } else {
      ++counts.tickers;
    }
  }
}

} // namespace

TEST_CASE("spot capture: the synced book's top equals every bookTicker at a diff's final id") {
  std::string first = testing::capture_path("spot/btcusdt_20240808.gz");
  std::string second = testing::capture_path("spot/btcusdt_20240809.gz");
  std::size_t coinciding_first = 0;
  std::size_t coinciding_both = 0;
  collect_tickers({first}, coinciding_first);
  auto tickers = collect_tickers({first, second}, coinciding_both);

  sequenced_book_sync sync{"BTC-USDT", book_sync_policy{sequence_rule::consecutive, 10'000}};
  replay_counts day1;
  replay(first, sync, tickers, day1);
  CHECK(day1.snapshots == 1);
  CHECK(sync.state() == sync_state::synced);
  CHECK(day1.applied > 3000);
  CHECK(day1.ticker_checks == coinciding_first);
  CHECK(day1.ticker_checks == 564);  // the count stated by the issue for this file
  CHECK(day1.tickers > day1.ticker_checks);

  // The next file continues with no gap and no snapshot: the same sync carries on.
  replay_counts day2;
  replay(second, sync, tickers, day2);
  CHECK(day2.snapshots == 0);
  CHECK(day2.applied == day2.diffs);
  CHECK(sync.state() == sync_state::synced);
  CHECK(day2.ticker_checks > 0);
  CHECK(day1.ticker_checks + day2.ticker_checks == coinciding_both);
}

TEST_CASE("USD-M capture: the pu chain has no gap and the top equals the bookTickers") {
  std::string path = testing::capture_path("usdm/btcusdt_20240808.gz");
  std::size_t coinciding = 0;
  auto tickers = collect_tickers({path}, coinciding);
  for (const auto& [id, list] : tickers)
    for (const top_of_book& ticker : list)
      REQUIRE(ticker.exchange_time != timestamp{});  // USD-M bookTicker carries T and E
  sequenced_book_sync sync{"BTC-USDT", book_sync_policy{sequence_rule::chained, 10'000}};
  replay_counts counts;
  replay(path, sync, tickers, counts);
  CHECK(counts.snapshots == 1);
  CHECK(sync.state() == sync_state::synced);
  CHECK(counts.applied > 6000);
  CHECK(counts.ticker_checks == coinciding);
  CHECK(counts.ticker_checks > 0);
}
