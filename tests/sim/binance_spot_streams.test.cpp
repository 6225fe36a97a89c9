// Binance spot streams over real WSS: a plain WebSocket client keeps a local book from the diff
// stream and a REST snapshot (the U/u procedure of web-socket-streams.md "How to manage a local
// order book correctly", written here) and ends equal to the engine's book; combined streams,
// live SUBSCRIBE, and the user data stream of the WebSocket API.

#include "tests/sim/server_support.hpp"

#include "core/order_book.hpp"

namespace tern::sim::testing {

namespace {

server_options moving_btcusdt(bool with_takers) {
  server_options options;
  exchange_setup exchange;
  exchange.name = "binance";
  exchange.dialect = "binance";
  market_setup market = btcusdt_walk(5ms);
  if (with_takers) {
    taker_flow_config takers;
    takers.orders_per_second = 40;
    takers.min_quantity = "0.001"_d;
    takers.max_quantity = "0.2"_d;
    market.takers = takers;
  }
  exchange.markets = {market};
  exchange.accounts = {doc_account()};
  options.exchanges = {exchange};
  options.control_port.reset();
  return options;
}

decimal number(const nlohmann::json& value) { return decimal::from_string(value.get<std::string>()); }

std::vector<price_level> levels_of(const nlohmann::json& list) {
  std::vector<price_level> out;
  for (const auto& level : list) out.push_back({number(level[0]), number(level[1])});
  return out;
}

/// The local book of web-socket-streams.md: buffer diffs, take a snapshot, drop diffs with
/// u <= lastUpdateId, the first applied must span lastUpdateId + 1, then each U == last u + 1.
struct local_book {
  tern::order_book book{"BTCUSDT"};
  std::int64_t last = -1;  ///< -1: no snapshot yet
  std::size_t applied = 0;
  std::size_t gaps = 0;

  void snapshot(const nlohmann::json& answer) {
    book_snapshot snap;
    snap.pair = "BTCUSDT";
    snap.bids = levels_of(answer["bids"]);
    snap.asks = levels_of(answer["asks"]);
    snap.sequence = answer["lastUpdateId"];
    REQUIRE(book.apply_snapshot(snap).has_value());
    last = snap.sequence;
  }

  /// Applies one depthUpdate; false once a gap is seen (the caller must resynchronise).
  bool apply(const nlohmann::json& diff) {
    std::int64_t first = diff["U"];
    std::int64_t final = diff["u"];
    if (final <= last) return true;
    if (first > last + 1) {
      ++gaps;
      return false;
    }
    for (const auto& level : levels_of(diff["b"])) REQUIRE(book.set_level(side::buy, level.price, level.size).has_value());
    for (const auto& level : levels_of(diff["a"])) REQUIRE(book.set_level(side::sell, level.price, level.size).has_value());
    last = final;
    ++applied;
    return true;
  }
};

} // namespace

TEST_CASE("a plain WebSocket client's book from diffs and a snapshot stays equal to the engine's",
          "[sim][binance][spot][streams]") {
  sim_fixture fixture{moving_btcusdt(true)};
  ws_reader depth{fixture, "/ws/btcusdt@depth@100ms"};
  REQUIRE(depth.frames.wait_for(1));
  local_book local;
  local.snapshot(body_of(fixture.call("GET", "/api/v3/depth?symbol=BTCUSDT&limit=5000", {}, "")));
  std::int64_t start = local.last;

  // Users' orders rest beside the background liquidity and trade with the takers.
  auto best = body_of(fixture.call("GET", "/api/v3/ticker/bookTicker?symbol=BTCUSDT", {}, ""));
  for (int i = 0; i < 3; ++i) {
    decimal price = number(best["bidPrice"]) - decimal::from_integer(i);
    auto placed = fixture.signed_call("POST", "/api/v3/order",
                                      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.30000&price=" +
                                          price.to_string(2),
                                      wall_ms());
    REQUIRE(placed->status == 200);
  }

  std::size_t next = 0;
  auto consume = [&](std::int64_t until, std::size_t frames_at_least) {
    return depth.frames.wait_until(
        [&](const std::vector<std::string>& frames) {
          for (; next < frames.size(); ++next) {
            auto diff = nlohmann::json::parse(frames[next]);
            REQUIRE(diff["e"] == "depthUpdate");
            REQUIRE(local.apply(diff));
          }
          return local.last >= until && local.applied >= frames_at_least;
        },
        30s);
  };
  REQUIRE(consume(start + 5000, 30));  // thousands of engine updates in tens of frames
  fixture.host->pause();
  book_snapshot engine_book;
  fixture.host->run_sync([&](exchange_state& state) { engine_book = state.venue.market("BTCUSDT")->snapshot(); });
  REQUIRE(consume(engine_book.sequence, 0));
  CHECK(local.last == engine_book.sequence);
  CHECK(local.gaps == 0);
  CHECK(local.book.depth(side::buy, 10'000) == engine_book.bids);
  CHECK(local.book.depth(side::sell, 10'000) == engine_book.asks);
  INFO("update ids applied: " << local.last - start);
}

TEST_CASE("combined streams wrap trades and book tickers, SUBSCRIBE adds streams live",
          "[sim][binance][spot][streams]") {
  sim_fixture fixture{moving_btcusdt(true)};
  ws_reader combined{fixture, "/stream?streams=btcusdt@trade/btcusdt@bookTicker"};
  auto trades = combined.wait_json(3, [](const nlohmann::json& f) { return f.value("stream", "") == "btcusdt@trade"; });
  REQUIRE(trades.size() >= 3);
  const auto& trade = trades[0]["data"];
  CHECK(trade["e"] == "trade");
  CHECK(trade["s"] == "BTCUSDT");
  CHECK(trade["M"] == true);
  CHECK(trades[1]["data"]["t"].get<std::int64_t>() > trade["t"].get<std::int64_t>());
  CHECK(number(trade["q"]).is_positive());
  auto tickers = combined.wait_json(2, [](const nlohmann::json& f) { return f.value("stream", "") == "btcusdt@bookTicker"; });
  REQUIRE(tickers.size() >= 2);
  CHECK(number(tickers[0]["data"]["b"]) < number(tickers[0]["data"]["a"]));
  CHECK(tickers[1]["data"]["u"].get<std::int64_t>() > tickers[0]["data"]["u"].get<std::int64_t>());

  ws_reader raw{fixture, "/ws"};
  raw.send(R"({"method":"SUBSCRIBE","params":["btcusdt@depth"],"id":7})");
  raw.send(R"({"method":"LIST_SUBSCRIPTIONS","id":8})");
  raw.send(R"({"method":"SUBSCRIBE","params":["nosuch@depth"],"id":9})");
  auto acks = raw.wait_json(3, [](const nlohmann::json& f) { return f.contains("id"); });
  REQUIRE(acks.size() == 3);
  CHECK(acks[0] == nlohmann::json::parse(R"({"result":null,"id":7})"));
  CHECK(acks[1]["result"] == nlohmann::json::array({"btcusdt@depth"}));
  CHECK(acks[2].contains("error"));
  auto diffs = raw.wait_json(1, [](const nlohmann::json& f) { return f.value("e", "") == "depthUpdate"; });
  REQUIRE(!diffs.empty());
  CHECK(diffs[0]["u"].get<std::int64_t>() >= diffs[0]["U"].get<std::int64_t>());
}

TEST_CASE("the WebSocket API user data stream reports orders, fills and balances", "[sim][binance][spot][streams]") {
  server_options options = moving_btcusdt(false);
  options.start_paused = true;
  sim_fixture fixture{options};
  REQUIRE(fixture.host->step(1) == 1);
  ws_reader api{fixture, "/ws-api/v3"};
  // web-socket-api.md: sorted "apiKey=...&timestamp=..." signed with the secret.
  std::string timestamp = std::to_string(wall_ms());
  std::string payload = "apiKey=" + std::string{doc_api_key} + "&timestamp=" + timestamp;
  api.send(R"({"id":"sub-1","method":"userDataStream.subscribe.signature","params":{"apiKey":")" +
           std::string{doc_api_key} + R"(","timestamp":)" + timestamp + R"(,"signature":")" +
           sign(doc_secret, payload) + R"("}})");
  auto subscribed = api.wait_json(1, [](const nlohmann::json& f) { return f.value("id", "") == "sub-1"; });
  REQUIRE(subscribed.size() == 1);
  INFO(subscribed[0].dump());
  REQUIRE(subscribed[0]["status"] == 200);
  std::int64_t subscription = subscribed[0]["result"]["subscriptionId"];

  auto bought = body_of(fixture.signed_call("POST", "/api/v3/order",
                                            "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01000&newClientOrderId=mkt-1",
                                            wall_ms()));
  REQUIRE(bought["status"] == "FILLED");
  auto reports = api.wait_json(2, [](const nlohmann::json& f) {
    return f.contains("event") && f["event"]["e"] == "executionReport";
  });
  REQUIRE(reports.size() >= 2);
  CHECK(reports[0]["subscriptionId"] == subscription);
  CHECK(reports[0]["event"]["x"] == "NEW");
  CHECK(reports[0]["event"]["c"] == "mkt-1");
  const auto& last_report = reports.back()["event"];
  CHECK(last_report["x"] == "TRADE");
  CHECK(last_report["X"] == "FILLED");
  CHECK(last_report["z"] == "0.01000000");
  CHECK(last_report["N"] == "BTC");
  CHECK(last_report["i"] == bought["orderId"]);
  auto positions = api.wait_json(1, [](const nlohmann::json& f) {
    return f.contains("event") && f["event"]["e"] == "outboundAccountPosition";
  });
  REQUIRE(!positions.empty());
  auto account = body_of(fixture.signed_call("GET", "/api/v3/account", "", wall_ms()));
  for (const auto& reported : positions.back()["event"]["B"])
    for (const auto& balance : account["balances"])
      if (balance["asset"] == reported["a"]) CHECK(balance["free"] == reported["f"]);

  // A resting order cancelled: "c" is the cancel's id, "C" the order's.
  auto resting = body_of(fixture.signed_call("POST", "/api/v3/order",
                                             "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=1000&newClientOrderId=rest-1",
                                             wall_ms()));
  REQUIRE(resting["status"] == "NEW");
  REQUIRE(fixture.signed_call("DELETE", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=rest-1&newClientOrderId=cxl-1",
                              wall_ms())->status == 200);
  auto cancels = api.wait_json(1, [](const nlohmann::json& f) {
    return f.contains("event") && f["event"].value("x", "") == "CANCELED";
  });
  REQUIRE(cancels.size() == 1);
  CHECK(cancels[0]["event"]["c"] == "cxl-1");
  CHECK(cancels[0]["event"]["C"] == "rest-1");

  api.send(R"({"id":2,"method":"userDataStream.unsubscribe"})");
  auto ended = api.wait_json(1, [](const nlohmann::json& f) {
    return f.contains("event") && f["event"]["e"] == "eventStreamTerminated";
  });
  CHECK(ended.size() == 1);
}

TEST_CASE("the WebSocket API refuses a bad signature with -1022", "[sim][binance][spot][streams]") {
  sim_fixture fixture{moving_btcusdt(false)};
  ws_reader api{fixture, "/ws-api/v3"};
  api.send(R"({"id":1,"method":"userDataStream.subscribe.signature","params":{"apiKey":")" + std::string{doc_api_key} +
           R"(","timestamp":)" + std::to_string(wall_ms()) + R"(,"signature":"00ff"}})");
  auto answer = api.wait_json(1, [](const nlohmann::json& f) { return f.contains("status"); });
  REQUIRE(answer.size() == 1);
  CHECK(answer[0]["status"] == 400);
  CHECK(answer[0]["error"]["code"] == -1022);
}

} // namespace tern::sim::testing
