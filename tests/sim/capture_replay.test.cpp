// Replaying the real Binance captures through the driver: the engine's public book must be
// the captured book. Checked against the capture's own bookTicker frames, read here with a
// separate parser: wherever a bookTicker's update id equals a diff's last update id, the
// engine's best bid and ask (price and size) after that diff must equal the ticker's.

#include <catch2/catch.hpp>
#include <zlib.h>

#include <map>
#include <nlohmann/json.hpp>

#include "sim/capture_replay.hpp"
#include "sim/venue.hpp"
#include "tests/sim/sim_fixtures.hpp"

using namespace tern;
using namespace tern::sim;
using namespace tern::sim::testing;

namespace {

const std::string captures = std::string{TERN_SHARED_DIR} + "/data/binance-captures/";

struct ticker {
  price_level bid;
  price_level ask;
};

/// bookTicker frames of a capture by update id.
std::map<std::int64_t, ticker> book_tickers(const std::string& path) {
  std::map<std::int64_t, ticker> tickers;
  gzFile file = gzopen(path.c_str(), "rb");
  REQUIRE(file != nullptr);
  std::string line;
  std::vector<char> buffer(1 << 20);
  while (gzgets(file, buffer.data(), static_cast<int>(buffer.size())) != nullptr) {
    line.assign(buffer.data());
    if (line.find("@bookTicker") == std::string::npos)
      continue;
    auto data = nlohmann::json::parse(line.substr(line.find(' ') + 1)).at("data");
    auto level = [&](const char* price, const char* size) {
      return price_level{decimal::from_string(data.at(price).get<std::string>()),
                         decimal::from_string(data.at(size).get<std::string>())};
    };
    tickers[data.at("u").get<std::int64_t>()] = ticker{level("b", "B"), level("a", "A")};
  }
  gzclose(file);
  return tickers;
}

market_spec binance_btcusdt_perpetual() {
  // Binance USD-M BTCUSDT: PRICE_FILTER tickSize 0.10, LOT_SIZE stepSize 0.001, maker 0.02 %,
  // taker 0.05 %.
  market_spec spec = simple_perpetual();
  spec.min_quantity = "0.001"_d;
  spec.min_notional = "100"_d;
  return spec;
}

/// Replays `file` to the end, comparing the top of book at every diff that has a ticker.
void replay_matches_tickers(const market_spec& spec, const std::string& file) {
  venue exchange;
  matching_engine& engine = *exchange.add_market(spec).value();
  capture_replay_config config;
  config.files = {captures + file};
  config.start = from_unix_ms(1'723'161'253'000);
  auto opened = capture_replay::open(engine, exchange.accounts(), config);
  REQUIRE(opened.has_value());
  capture_replay& replay = **opened;
  auto tickers = book_tickers(captures + file);
  REQUIRE(tickers.size() > 1000);

  event_buffer events;
  std::size_t compared = 0;
  std::int64_t previous = -1;
  while (replay.step(events)) {
    events.clear();
    if (replay.capture_update() == previous)
      continue;  // a trade frame: the book did not move
    previous = replay.capture_update();
    auto found = tickers.find(replay.capture_update());
    if (found == tickers.end())
      continue;
    INFO("update id " << replay.capture_update());
    REQUIRE(engine.best_bid() == found->second.bid);
    REQUIRE(engine.best_ask() == found->second.ask);
    ++compared;
  }
  CHECK(replay.frames_applied() == replay.frame_count());
  CHECK(replay.gaps() == 0);
  INFO(replay.liquidity().last_refusal());
  CHECK(replay.liquidity().refused() == 0);
  // Every ticker that shares an update id with a diff was compared (564 spot, 629 USD-M).
  std::size_t shared = 0;
  auto frames = read_capture_frames(config.files);
  REQUIRE(frames.has_value());
  for (const auto& frame : *frames)
    shared += frame.type == capture_frame::kind::diff && tickers.contains(frame.last_update);
  CHECK(compared == shared);
  CHECK(compared > 500);
  CHECK(exchange.audit() == "");
}

} // namespace

TEST_CASE("replaying the spot capture reproduces every matching bookTicker", "[sim][capture]") {
  replay_matches_tickers(binance_btcusdt_spot(), "spot/btcusdt_20240808.gz");
}

TEST_CASE("replaying the USD-M capture reproduces every matching bookTicker", "[sim][capture]") {
  replay_matches_tickers(binance_btcusdt_perpetual(), "usdm/btcusdt_20240808.gz");
}

TEST_CASE("the replayed book equals the capture's book, level for level", "[sim][capture]") {
  venue exchange;
  matching_engine& engine = *exchange.add_market(binance_btcusdt_spot()).value();
  capture_replay_config config;
  config.files = {captures + "spot/btcusdt_20240808.gz", captures + "spot/btcusdt_20240809.gz"};
  auto replay = capture_replay::open(engine, exchange.accounts(), config).value();
  event_buffer events;
  // Build the expected book straight from the frames: snapshot, then diffs after it.
  auto frames = read_capture_frames(config.files).value();
  std::map<decimal, decimal> bids;
  std::map<decimal, decimal> asks;
  std::int64_t snapshot_id = -1;
  for (const auto& frame : frames) {
    if (frame.type == capture_frame::kind::snapshot) {
      snapshot_id = frame.last_update;
      for (const auto& level : frame.bids)
        bids[level.price] = level.size;
      for (const auto& level : frame.asks)
        asks[level.price] = level.size;
    }
  }
  for (const auto& frame : frames) {
    if (frame.type != capture_frame::kind::diff || frame.last_update < snapshot_id)
      continue;
    for (auto [levels, changes] : {std::pair{&bids, &frame.bids}, std::pair{&asks, &frame.asks}}) {
      for (const auto& level : *changes) {
        if (level.size.is_zero())
          levels->erase(level.price);
        else
          (*levels)[level.price] = level.size;
      }
    }
  }
  replay->advance_to(timestamp::max(), events);
  CHECK_FALSE(replay->next_event_time().has_value());
  CHECK(replay->gaps() == 0);

  book_snapshot book = engine.snapshot();
  REQUIRE(book.bids.size() == bids.size());
  REQUIRE(book.asks.size() == asks.size());
  auto bid = bids.rbegin();
  for (const auto& level : book.bids)
    CHECK(level == price_level{bid->first, (bid++)->second});
  auto ask = asks.begin();
  for (const auto& level : book.asks)
    CHECK(level == price_level{ask->first, (ask++)->second});
}

TEST_CASE("replay runs on the server's clock, scaled by the speed factor", "[sim][capture]") {
  venue exchange;
  matching_engine& engine = *exchange.add_market(binance_btcusdt_spot()).value();
  capture_replay_config config;
  config.files = {captures + "spot/btcusdt_20240808.gz"};
  config.start = from_unix_ms(1'000'000);
  config.speed = 10.0;
  config.replay_trades = false;  // count depth frames only
  auto replay = capture_replay::open(engine, exchange.accounts(), config).value();
  REQUIRE(replay->next_event_time() == config.start);  // the snapshot
  event_buffer events;
  replay->advance_to(config.start, events);
  std::size_t at_start = replay->frames_applied();
  CHECK(at_start >= 2);  // the snapshot and the diff that bridges it (received before it)
  CHECK(engine.best_bid().has_value());
  // One simulated second at 10x covers ten captured seconds: about 100 diffs at 100 ms.
  replay->advance_to(config.start + std::chrono::seconds{1}, events);
  std::size_t after_one_second = replay->frames_applied() - at_start;
  CHECK(after_one_second > 80);
  CHECK(after_one_second < 120);
  CHECK(replay->next_event_time() > config.start + std::chrono::seconds{1});
}

TEST_CASE("a user's order rests beside the captured book and trades with it", "[sim][capture]") {
  venue exchange;
  matching_engine& engine = *exchange.add_market(binance_btcusdt_spot()).value();
  capture_replay_config config;
  config.files = {captures + "spot/btcusdt_20240808.gz"};
  auto replay = capture_replay::open(engine, exchange.accounts(), config).value();
  event_buffer events;
  replay->step(events);
  account_id user = funded_account(exchange, "user", {{"USDT", "100000"_d}, {"BTC", "1"_d}});
  price_level captured = *engine.best_bid();
  auto joined = engine.place(limit(user, side::buy, captured.price, "0.01"_d), {}, events);
  REQUIRE(joined);
  CHECK(engine.best_bid() == price_level{captured.price, captured.size + "0.01"_d});

  // A user market sell takes the captured bids at the top, in price-time order.
  events.clear();
  auto sold = engine.place(market_order(user, side::sell, "0.5"_d), {}, events);
  REQUIRE(sold);
  CHECK(sold->status == order_status::filled);
  auto trades = events_of<public_trade>(events);
  REQUIRE_FALSE(trades.empty());
  CHECK(trades.front().price == captured.price);
  CHECK(exchange.audit() == "");
  // The replay goes on from there; the user's remaining bid stays where it was put.
  while (replay->step(events))
    events.clear();
  CHECK(replay->liquidity().refused() == 0);
  CHECK(exchange.audit() == "");
}

TEST_CASE("captured trades are published as public trades in recorded order", "[sim][capture]") {
  venue exchange;
  matching_engine& engine = *exchange.add_market(binance_btcusdt_spot()).value();
  capture_replay_config config;
  config.files = {captures + "spot/btcusdt_20240808.gz"};
  auto replay = capture_replay::open(engine, exchange.accounts(), config).value();
  std::int64_t snapshot_ns = 0;
  std::vector<capture_frame> captured;
  auto frames = read_capture_frames(config.files);
  REQUIRE(frames.has_value());
  for (auto& frame : *frames) {
    if (frame.type == capture_frame::kind::snapshot)
      snapshot_ns = frame.received_ns;
    else if (frame.type == capture_frame::kind::trade && snapshot_ns != 0)
      captured.push_back(std::move(frame));
  }
  REQUIRE(captured.size() > 1000);

  event_buffer events;
  replay->advance_to(timestamp::max(), events);
  auto trades = events_of<public_trade>(events);
  REQUIRE(trades.size() == captured.size());
  for (std::size_t i = 0; i < trades.size(); ++i) {
    INFO("trade " << i);
    REQUIRE(trades[i].price == captured[i].price);
    REQUIRE(trades[i].quantity == captured[i].quantity);
    REQUIRE(trades[i].taker_side == captured[i].taker_side);
    REQUIRE(trades[i].buyer_order == 0);
    if (i > 0)
      REQUIRE(trades[i].trade == trades[i - 1].trade + 1);
  }
  // The capture's first trade after the snapshot (t 3735683260): 0.048 @ 61837.63, m true.
  CHECK(trades.front().price == "61837.63"_d);
  CHECK(trades.front().quantity == "0.048"_d);
  CHECK(trades.front().taker_side == side::sell);
  CHECK(engine.last_price() == trades.back().price);
  CHECK(events_of<order_event>(events).size() > 0);  // the background account's own orders
}
