// OKX public WebSocket over real WSS: a client keeps a book from the books channel (snapshot,
// then updates chained by prevSeqId / seqId) and checks every frame's checksum, computed here
// as "Checksum" describes it (CRC32 over the top 25 levels, bid and ask of each rank
// interleaved as price:size, as a signed 32-bit integer); the book ends equal to the engine's.
// The bad_checksum and sequence_gap faults; books5, bbo-tbt, trades, ping / pong and errors.

#include <map>

#include <zlib.h>

#include "tests/sim/okx_support.hpp"

namespace tern::sim::testing {

namespace {

/// The client's book: levels as received (the checksum is over the strings as sent).
struct okx_book {
  std::map<decimal, std::pair<std::string, std::string>, std::greater<>> bids;
  std::map<decimal, std::pair<std::string, std::string>> asks;
  std::int64_t seq = -1;
  std::size_t updates = 0;
  std::size_t checksum_failures = 0;
  std::size_t gaps = 0;

  template <typename Side>
  static void apply_levels(Side& levels, const nlohmann::json& list) {
    for (const auto& level : list) {
      std::string price = level[0];
      std::string size = level[1];
      if (dec(level[1]).is_zero()) levels.erase(dec(level[0]));
      else levels[dec(level[0])] = {price, size};
    }
  }

  [[nodiscard]] std::int32_t checksum() const {
    std::vector<std::string> parts;
    auto bid = bids.begin();
    auto ask = asks.begin();
    for (int i = 0; i < 25; ++i) {
      if (bid != bids.end()) {
        parts.push_back(bid->second.first + ":" + bid->second.second);
        ++bid;
      }
      if (ask != asks.end()) {
        parts.push_back(ask->second.first + ":" + ask->second.second);
        ++ask;
      }
    }
    std::string text;
    for (const auto& part : parts) text += (text.empty() ? "" : ":") + part;
    auto crc = crc32(0L, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size()));
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(crc));
  }

  /// One books frame; false on a gap (prevSeqId is not the last seqId).
  bool apply(const nlohmann::json& frame) {
    const auto& data = frame["data"][0];
    if (frame["action"] == "snapshot") {
      bids.clear();
      asks.clear();
    } else if (data["prevSeqId"].get<std::int64_t>() != seq) {
      ++gaps;
      return false;
    }
    apply_levels(bids, data["bids"]);
    apply_levels(asks, data["asks"]);
    seq = data["seqId"];
    updates += frame["action"] == "update" ? 1 : 0;
    if (data["checksum"].get<std::int32_t>() != checksum()) ++checksum_failures;
    return true;
  }
};

bool is_books(const nlohmann::json& frame) {
  return frame.contains("arg") && frame["arg"]["channel"] == "books" && frame.contains("data");
}

nlohmann::json books_arg() { return {{"channel", "books"}, {"instId", "BTC-USDT"}}; }

} // namespace

TEST_CASE("OKX books: snapshot and updates keep a client's book equal to the engine's, checksums valid",
          "[sim][okx][streams]") {
  server_options options = okx_options(false, false, {}, 5ms);
  taker_flow_config takers;
  takers.orders_per_second = 40;
  takers.min_quantity = "0.001"_d;
  takers.max_quantity = "0.2"_d;
  options.exchanges[0].markets[0].takers = takers;
  sim_fixture fixture{options, "okx"};
  ws_reader books{fixture, "/ws/v5/public"};
  books.send(okx_subscribe(books_arg()));
  auto ack = books.wait_json(1, [](const nlohmann::json& f) { return f.value("event", "") == "subscribe"; });
  REQUIRE(ack.size() == 1);
  CHECK(ack[0]["arg"] == books_arg());
  CHECK(ack[0].contains("connId"));

  okx_book local;
  std::size_t next = 0;
  std::int64_t start = -1;
  auto consume = [&](std::int64_t until, std::size_t updates_at_least) {
    return books.frames.wait_until(
        [&](const std::vector<std::string>& frames) {
          for (; next < frames.size(); ++next) {
            auto frame = nlohmann::json::parse(frames[next]);
            if (!is_books(frame)) continue;
            REQUIRE(local.apply(frame));
            if (start < 0) start = local.seq;
          }
          return start >= 0 && local.seq >= until && local.updates >= updates_at_least;
        },
        30s);
  };
  REQUIRE(consume(0, 1));
  REQUIRE(consume(start + 3000, 20));  // thousands of engine updates in tens of frames
  fixture.host->pause();
  book_snapshot engine_book;
  fixture.host->run_sync([&](exchange_state& state) { engine_book = state.venue.market("BTC-USDT")->snapshot(); });
  REQUIRE(consume(engine_book.sequence, 0));
  CHECK(local.seq == engine_book.sequence);
  CHECK(local.gaps == 0);
  CHECK(local.checksum_failures == 0);
  REQUIRE(local.bids.size() == engine_book.bids.size());
  REQUIRE(local.asks.size() == engine_book.asks.size());
  auto bid = local.bids.begin();
  for (const auto& level : engine_book.bids) {
    CHECK(bid->first == level.price);
    CHECK(decimal::from_string((bid++)->second.second) == level.size);
  }
  auto ask = local.asks.begin();
  for (const auto& level : engine_book.asks) {
    CHECK(ask->first == level.price);
    CHECK(decimal::from_string((ask++)->second.second) == level.size);
  }
}

TEST_CASE("OKX books faults: bad_checksum sends one wrong checksum, sequence_gap breaks the prevSeqId chain",
          "[sim][okx][streams][faults]") {
  sim_fixture fixture{okx_options(false, true), "okx"};
  ws_reader books{fixture, "/ws/v5/public"};
  books.send(okx_subscribe(books_arg()));
  REQUIRE(books.wait_json(1, [](const nlohmann::json& f) { return is_books(f); }).size() == 1);
  okx_book local;
  std::size_t next = 0;
  // Steps the market and waits for the update frame that carries it.
  auto step_and_read = [&] {
    REQUIRE(fixture.host->step(1) == 1);
    book_snapshot engine_book;
    fixture.host->run_sync([&](exchange_state& state) { engine_book = state.venue.market("BTC-USDT")->snapshot(1); });
    REQUIRE(books.frames.wait_until(
        [&](const std::vector<std::string>& frames) {
          for (; next < frames.size(); ++next) {
            auto frame = nlohmann::json::parse(frames[next]);
            if (is_books(frame)) local.apply(frame);
          }
          return local.seq >= engine_book.sequence;
        },
        10s));
  };
  step_and_read();  // the snapshot, then a first update
  REQUIRE(local.checksum_failures == 0);

  fault corrupt;
  corrupt.kind = fault_kind::bad_checksum;
  corrupt.exchange = "okx";
  corrupt.stream = "books";
  fixture.sim->faults().add(corrupt);
  step_and_read();
  CHECK(local.checksum_failures == 1);  // the data were right, the checksum was not
  step_and_read();
  CHECK(local.checksum_failures == 1);  // the next frame is right again
  CHECK(local.gaps == 0);

  fault gap;
  gap.kind = fault_kind::sequence_gap;
  gap.exchange = "okx";
  gap.stream = "books";
  fixture.sim->faults().add(gap);
  std::uint64_t fired = fixture.sim->faults().fired_total();
  REQUIRE(fixture.host->step(1) == 1);  // this frame is skipped...
  // The exchange thread is the barrier: wait (bounded) until the next flush consumed the fault.
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (fixture.sim->faults().fired_total() == fired && std::chrono::steady_clock::now() < deadline)
    fixture.host->run_sync([](exchange_state&) {});
  REQUIRE(fixture.sim->faults().fired_total() == fired + 1);
  std::int64_t before = local.seq;
  REQUIRE(fixture.host->step(1) == 1);  // ... so the next one's prevSeqId is not the client's seqId
  REQUIRE(books.frames.wait_until(
      [&](const std::vector<std::string>& frames) {
        for (; next < frames.size(); ++next) {
          auto frame = nlohmann::json::parse(frames[next]);
          if (is_books(frame)) local.apply(frame);
        }
        return local.gaps > 0;
      },
      10s));
  CHECK(local.seq == before);
}

TEST_CASE("OKX books5, bbo-tbt, trades, ping and subscription errors", "[sim][okx][streams]") {
  sim_fixture fixture{okx_options(false, true), "okx"};
  REQUIRE(fixture.host->step(1) == 1);
  ws_reader ws{fixture, "/ws/v5/public"};
  ws.send(R"({"op":"subscribe","args":[{"channel":"books5","instId":"BTC-USDT"},)"
          R"({"channel":"bbo-tbt","instId":"BTC-USDT"},{"channel":"trades","instId":"BTC-USDT"}]})");
  auto channel = [](std::string_view name) {
    return [name](const nlohmann::json& f) { return f.contains("data") && f["arg"]["channel"] == name; };
  };
  auto five = ws.wait_json(1, channel("books5"));
  auto bbo = ws.wait_json(1, channel("bbo-tbt"));
  REQUIRE(five.size() == 1);
  REQUIRE(bbo.size() == 1);
  book_snapshot engine_book;
  fixture.host->run_sync([&](exchange_state& state) { engine_book = state.venue.market("BTC-USDT")->snapshot(5); });
  REQUIRE(five[0]["data"][0]["bids"].size() == 5);
  for (std::size_t i = 0; i < 5; ++i) CHECK(dec(five[0]["data"][0]["asks"][i][0]) == engine_book.asks[i].price);
  REQUIRE(bbo[0]["data"][0]["bids"].size() == 1);
  CHECK(dec(bbo[0]["data"][0]["bids"][0][0]) == engine_book.bids[0].price);
  CHECK(dec(bbo[0]["data"][0]["asks"][0][1]) == engine_book.asks[0].size);

  // A market buy: a trade push per fill, the taker's side, and a new top of book.
  auto placed = body_of(okx_call(fixture, "POST", "/api/v5/trade/order",
                                 R"({"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"market",)"
                                 R"("sz":"0.01","tgtCcy":"base_ccy"})",
                                 wall_ms()));
  REQUIRE(placed["data"][0]["sCode"] == "0");
  auto trades = ws.wait_json(1, channel("trades"));
  REQUIRE(!trades.empty());
  CHECK(trades[0]["data"][0]["side"] == "buy");
  CHECK(dec(trades[0]["data"][0]["px"]) == engine_book.asks[0].price);

  ws.send("ping");
  REQUIRE(ws.frames.wait_until([](const std::vector<std::string>& all) {
    return std::find(all.begin(), all.end(), "pong") != all.end();
  }));

  ws.send(okx_subscribe({{"channel", "books"}, {"instId", "DOGE-USDT"}}));
  auto errors = ws.wait_json(1, [](const nlohmann::json& f) { return f.value("event", "") == "error"; });
  REQUIRE(errors.size() == 1);
  CHECK(errors[0]["code"] == "60018");
  ws.send(okx_subscribe({{"channel", "orders"}, {"instType", "SPOT"}}));  // a private channel on the public URL
  errors = ws.wait_json(2, [](const nlohmann::json& f) { return f.value("event", "") == "error"; });
  REQUIRE(errors.size() == 2);
  CHECK(errors[1]["code"] == "60018");
  ws.send(okx_subscribe(books_arg(), "unsubscribe"));
  auto unsubscribed = ws.wait_json(1, [](const nlohmann::json& f) { return f.value("event", "") == "unsubscribe"; });
  CHECK(unsubscribed.size() == 1);
}

} // namespace tern::sim::testing
