// Binance spot REST over real HTTPS: public endpoints, and place / query / open orders /
// account / cancel / trades with requests signed as rest-api.md describes.

#include "tests/sim/server_support.hpp"

namespace tern::sim::testing {

namespace {

server_options still_btcusdt() {
  server_options options;
  exchange_setup exchange;
  exchange.name = "binance";
  exchange.dialect = "binance";
  exchange.markets = {btcusdt_walk()};
  exchange.accounts = {doc_account()};
  options.exchanges = {exchange};
  options.start_paused = true;  // one step builds the book, then it stays still
  options.control_port.reset();
  return options;
}

std::string header(const net::https_result& result, std::string_view name) {
  auto value = result->header(name);
  return value ? std::string{*value} : std::string{};
}

decimal number(const nlohmann::json& value) { return decimal::from_string(value.get<std::string>()); }

} // namespace

TEST_CASE("spot public endpoints answer in Binance's formats with weight headers", "[sim][binance][spot]") {
  sim_fixture fixture{still_btcusdt()};
  REQUIRE(fixture.host->step(1) == 1);

  auto ping = fixture.call("GET", "/api/v3/ping", {}, "");
  CHECK(ping->status == 200);
  CHECK(ping->body == "{}");
  CHECK(header(ping, "X-MBX-USED-WEIGHT-1M") == "1");

  std::int64_t before = wall_ms();
  auto time = body_of(fixture.call("GET", "/api/v3/time", {}, ""));
  CHECK(time["serverTime"].get<std::int64_t>() >= before);
  CHECK(time["serverTime"].get<std::int64_t>() <= wall_ms());

  auto info_answer = fixture.call("GET", "/api/v3/exchangeInfo?symbol=BTCUSDT", {}, "");
  CHECK(header(info_answer, "X-MBX-USED-WEIGHT-1M") == "22");  // 1 + 1 + 20
  auto info = body_of(info_answer);
  REQUIRE(info["symbols"].size() == 1);
  const auto& symbol = info["symbols"][0];
  CHECK(symbol["symbol"] == "BTCUSDT");
  CHECK(symbol["baseAsset"] == "BTC");
  CHECK(symbol["quoteAsset"] == "USDT");
  std::map<std::string, nlohmann::json> filters;
  for (const auto& f : symbol["filters"]) filters[f["filterType"]] = f;
  CHECK(filters["PRICE_FILTER"]["tickSize"] == "0.01000000");
  CHECK(filters["LOT_SIZE"]["stepSize"] == "0.00001000");
  CHECK(filters["LOT_SIZE"]["minQty"] == "0.00001000");
  CHECK(filters["NOTIONAL"]["minNotional"] == "5.00000000");
  CHECK(info["rateLimits"][0]["rateLimitType"] == "REQUEST_WEIGHT");
  CHECK(info["rateLimits"][0]["limit"] == 6000);
  CHECK(body_of(fixture.call("GET", "/api/v3/exchangeInfo?symbol=NOPE", {}, ""))["code"] == -1121);

  auto depth = body_of(fixture.call("GET", "/api/v3/depth?symbol=BTCUSDT&limit=5", {}, ""));
  book_snapshot engine_book;
  fixture.host->run_sync([&](exchange_state& state) { engine_book = state.venue.market("BTCUSDT")->snapshot(5); });
  CHECK(depth["lastUpdateId"] == engine_book.sequence);
  REQUIRE(depth["bids"].size() == 5);
  CHECK(number(depth["bids"][0][0]) == engine_book.bids[0].price);
  CHECK(number(depth["asks"][0][1]) == engine_book.asks[0].size);

  auto ticker = body_of(fixture.call("GET", "/api/v3/ticker/bookTicker?symbol=BTCUSDT", {}, ""));
  CHECK(number(ticker["bidPrice"]) == engine_book.bids[0].price);
  CHECK(number(ticker["askPrice"]) == engine_book.asks[0].price);
  CHECK(fixture.call("GET", "/api/v3/nothing", {}, "")->status == 404);
}

TEST_CASE("spot orders: place, query, list, cancel, fill, and the account follows", "[sim][binance][spot]") {
  sim_fixture fixture{still_btcusdt()};
  REQUIRE(fixture.host->step(1) == 1);
  auto best = body_of(fixture.call("GET", "/api/v3/ticker/bookTicker?symbol=BTCUSDT", {}, ""));
  decimal best_bid = number(best["bidPrice"]);
  decimal best_ask = number(best["askPrice"]);
  decimal low = best_bid - "1000"_d;

  std::string rest = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01000&price=" + low.to_string(2) +
                     "&newClientOrderId=tern-1";
  auto placed_answer = fixture.signed_call("POST", "/api/v3/order", rest, wall_ms());
  auto placed = body_of(placed_answer);
  INFO(placed.dump());
  REQUIRE(placed_answer->status == 200);
  CHECK(placed["status"] == "NEW");
  CHECK(placed["clientOrderId"] == "tern-1");
  CHECK(placed["fills"].empty());
  CHECK(header(placed_answer, "X-MBX-ORDER-COUNT-10S") == "1");
  CHECK(header(placed_answer, "X-MBX-ORDER-COUNT-1D") == "1");
  std::int64_t id = placed["orderId"];

  auto queried = body_of(fixture.signed_call("GET", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=tern-1", wall_ms()));
  CHECK(queried["orderId"] == id);
  CHECK(queried["status"] == "NEW");
  CHECK(number(queried["price"]) == low);

  auto open = body_of(fixture.signed_call("GET", "/api/v3/openOrders", "symbol=BTCUSDT", wall_ms()));
  REQUIRE(open.size() == 1);
  CHECK(open[0]["orderId"] == id);

  auto account = body_of(fixture.signed_call("GET", "/api/v3/account", "", wall_ms()));
  std::map<std::string, nlohmann::json> balances;
  for (const auto& b : account["balances"]) balances[b["asset"]] = b;
  CHECK(number(balances["USDT"]["locked"]) == decimal::multiply(low, "0.01"_d, rounding::up));
  CHECK(number(balances["USDT"]["free"]) + number(balances["USDT"]["locked"]) == "1000000"_d);

  SECTION("cancel by id, then the order is CANCELED and a second cancel is -2011") {
    auto cancelled = body_of(fixture.signed_call("DELETE", "/api/v3/order", "symbol=BTCUSDT&orderId=" + std::to_string(id), wall_ms()));
    CHECK(cancelled["status"] == "CANCELED");
    CHECK(cancelled["origClientOrderId"] == "tern-1");
    auto again = fixture.signed_call("DELETE", "/api/v3/order", "symbol=BTCUSDT&orderId=" + std::to_string(id), wall_ms());
    CHECK(body_of(again)["code"] == -2011);
    auto final_state = body_of(fixture.signed_call("GET", "/api/v3/order", "symbol=BTCUSDT&orderId=" + std::to_string(id), wall_ms()));
    CHECK(final_state["status"] == "CANCELED");
    CHECK(body_of(fixture.signed_call("GET", "/api/v3/order", "symbol=BTCUSDT&orderId=999999", wall_ms()))["code"] == -2013);
  }
  SECTION("a market buy fills against the book, pays its fee in BTC, and shows in myTrades") {
    auto bought = body_of(fixture.signed_call("POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01000", wall_ms()));
    INFO(bought.dump());
    CHECK(bought["status"] == "FILLED");
    REQUIRE(bought["fills"].size() >= 1);
    CHECK(number(bought["fills"][0]["price"]) == best_ask);
    CHECK(bought["fills"][0]["commissionAsset"] == "BTC");
    auto trades = body_of(fixture.signed_call("GET", "/api/v3/myTrades", "symbol=BTCUSDT", wall_ms()));
    REQUIRE(trades.size() == bought["fills"].size());
    CHECK(trades[0]["orderId"] == bought["orderId"]);
    CHECK(trades[0]["isBuyer"] == true);
    CHECK(trades[0]["isMaker"] == false);
    decimal fees;
    for (const auto& t : trades) fees += number(t["commission"]);
    CHECK(fees == "0.00001"_d);  // 0.1 % of 0.01 BTC
  }
  SECTION("refusals carry Binance's codes") {
    auto code = [&](const std::string& query) {
      return body_of(fixture.signed_call("POST", "/api/v3/order", query, wall_ms()))["code"].get<int>();
    };
    std::string base = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&";
    CHECK(code(base + "quantity=0.01000&price=" + low.to_string(2) + "&newClientOrderId=tern-1") == -2010);
    CHECK(code(base + "quantity=0.01000&price=" + (low + "0.001"_d).to_string(3)) == -1013);
    CHECK(code(base + "quantity=0.000001&price=" + low.to_string(2)) == -1013);
    CHECK(code(base + "quantity=0.00001&price=" + low.to_string(2)) == -1013);  // notional under 5
    CHECK(code(base + "quantity=100&price=" + low.to_string(2)) == -2010);      // insufficient balance
    CHECK(code("symbol=BTCUSDT&side=BUY&type=LIMIT_MAKER&quantity=0.01&price=" + best_ask.to_string(2)) == -2010);
    CHECK(code("symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.01&price=" + low.to_string(2)) == -1102);
    CHECK(code("symbol=BTCUSDX&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=1") == -1121);
    CHECK(code("symbol=BTCUSDT&side=UP&type=LIMIT&timeInForce=GTC&quantity=0.01&price=1") == -1117);
    CHECK(code("symbol=BTCUSDT&side=BUY&type=STOP_LOSS&quantity=0.01&stopPrice=1") == -2010);
  }
  SECTION("cancel all open orders of the symbol") {
    auto second = fixture.signed_call("POST", "/api/v3/order",
                                      "symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=0.01000&price=" +
                                          (best_ask + "1000"_d).to_string(2),
                                      wall_ms());
    REQUIRE(second->status == 200);
    auto cancelled = body_of(fixture.signed_call("DELETE", "/api/v3/openOrders", "symbol=BTCUSDT", wall_ms()));
    REQUIRE(cancelled.size() == 2);
    for (const auto& order : cancelled) CHECK(order["status"] == "CANCELED");
    CHECK(body_of(fixture.signed_call("GET", "/api/v3/openOrders", "symbol=BTCUSDT", wall_ms())).empty());
    CHECK(body_of(fixture.signed_call("DELETE", "/api/v3/openOrders", "symbol=BTCUSDT", wall_ms()))["code"] == -2011);
  }
  fixture.host->run_sync([](exchange_state& state) { CHECK(state.venue.audit().empty()); });
}

} // namespace tern::sim::testing
