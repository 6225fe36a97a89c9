// The OKX spot dialect over real TLS: REST authentication ("REST Authentication": the signature,
// the passphrase, the 30 s timestamp window), public endpoints against the engine, orders
// (place, query, pending, amend, cancel, batch cancel, fills, balances), the post-only order
// that would take (accepted, then canceled with cancelSource 31) and rate limits (429, 50011).

#include "tests/sim/okx_support.hpp"

namespace tern::sim::testing {

namespace {

constexpr std::int64_t start_ms = 1'700'000'000'000;

std::string code_of(const net::https_result& result) { return body_of(result)["code"].get<std::string>(); }

nlohmann::json place(sim_fixture& fixture, const nlohmann::json& order, std::int64_t now_ms) {
  return body_of(okx_call(fixture, "POST", "/api/v5/trade/order", order.dump(), now_ms));
}

nlohmann::json balance_of(sim_fixture& fixture, std::string_view ccy, std::int64_t now_ms) {
  auto answer = body_of(okx_call(fixture, "GET", "/api/v5/account/balance?ccy=" + std::string{ccy}, {}, now_ms));
  REQUIRE(answer["code"] == "0");
  return answer["data"][0]["details"][0];
}

} // namespace

TEST_CASE("OKX REST authentication: signature, passphrase, key and the 30 s timestamp window", "[sim][okx][auth]") {
  manual_clock clock{start_ms};
  sim_fixture fixture{okx_options(false, true, clock.function()), "okx"};
  const std::string target = "/api/v5/account/balance?ccy=BTC";

  auto accepted = okx_call(fixture, "GET", target, {}, start_ms);
  REQUIRE(accepted->status == 200);
  CHECK(code_of(accepted) == "0");
  CHECK(body_of(accepted)["data"][0]["details"][0]["cashBal"] == "2");

  auto expect = [&](net::http_request request, unsigned status, std::string_view code) {
    auto answer = okx_send(fixture, std::move(request));
    CHECK(answer->status == status);
    CHECK(code_of(answer) == code);
  };
  std::string now = okx_iso(start_ms);
  expect(okx_request("GET", target, {}, now, "another-secret"), 401, "50113");
  expect(okx_request("GET", target, {}, now, okx_secret, okx_key, "wrong"), 401, "50105");
  expect(okx_request("GET", target, {}, now, okx_secret, "unknown-key"), 401, "50111");
  expect(okx_request("GET", target, {}, now, okx_secret, ""), 401, "50103");
  expect(okx_request("GET", target, {}, std::to_string(start_ms)), 401, "50112");  // not ISO 8601
  // The signature covers the query: the same headers on another query fail.
  auto moved = okx_request("GET", target, {}, now);
  moved.target = "/api/v5/account/balance?ccy=USDT";
  expect(std::move(moved), 401, "50113");
  // ... and the body.
  auto body = okx_request("POST", "/api/v5/account/set-position-mode", R"({"posMode":"net_mode"})", now);
  body.body = R"({"posMode":"long_short_mode"})";
  expect(std::move(body), 401, "50113");

  // 30 s either way is accepted; more is 50102 "Timestamp request expired".
  CHECK(code_of(okx_call(fixture, "GET", target, {}, start_ms - 30'000)) == "0");
  CHECK(code_of(okx_call(fixture, "GET", target, {}, start_ms + 30'000)) == "0");
  expect(okx_request("GET", target, {}, okx_iso(start_ms - 30'001)), 401, "50102");
  expect(okx_request("GET", target, {}, okx_iso(start_ms + 30'001)), 401, "50102");
  // A skewed server clock moves the window.
  fixture.sim->set_clock_skew(std::chrono::milliseconds{-40'000});
  expect(okx_request("GET", target, {}, now), 401, "50102");
  CHECK(code_of(okx_call(fixture, "GET", target, {}, start_ms - 40'000)) == "0");
}

TEST_CASE("OKX public REST: time, instruments and books agree with the engine", "[sim][okx]") {
  manual_clock clock{start_ms};
  sim_fixture fixture{okx_options(false, true, clock.function()), "okx"};
  REQUIRE(fixture.host->step(1) == 1);

  auto time = body_of(okx_public(fixture, "/api/v5/public/time"));
  CHECK(time["data"][0]["ts"] == std::to_string(start_ms));

  auto spot = body_of(okx_public(fixture, "/api/v5/public/instruments?instType=SPOT"));
  REQUIRE(spot["data"].size() == 1);
  const auto& instrument = spot["data"][0];
  CHECK(instrument["instId"] == "BTC-USDT");
  CHECK(instrument["baseCcy"] == "BTC");
  CHECK(instrument["quoteCcy"] == "USDT");
  CHECK(instrument["tickSz"] == "0.1");
  CHECK(instrument["lotSz"] == "0.00000001");
  CHECK(instrument["minSz"] == "0.00001");
  CHECK(instrument["state"] == "live");
  CHECK(body_of(okx_public(fixture, "/api/v5/public/instruments?instType=SWAP"))["data"].empty());
  auto missing = okx_public(fixture, "/api/v5/public/instruments");
  CHECK(missing->status == 400);
  CHECK(code_of(missing) == "50014");

  auto books = body_of(okx_public(fixture, "/api/v5/market/books?instId=BTC-USDT&sz=5"));
  book_snapshot engine_book;
  fixture.host->run_sync([&](exchange_state& state) { engine_book = state.venue.market("BTC-USDT")->snapshot(5); });
  const auto& data = books["data"][0];
  REQUIRE(data["bids"].size() == 5);
  REQUIRE(data["asks"].size() == 5);
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(dec(data["bids"][i][0]) == engine_book.bids[i].price);
    CHECK(dec(data["bids"][i][1]) == engine_book.bids[i].size);
    CHECK(dec(data["asks"][i][0]) == engine_book.asks[i].price);
    CHECK(dec(data["asks"][i][3]) >= decimal::from_integer(1));  // orders at the level
  }
  CHECK(code_of(okx_public(fixture, "/api/v5/market/books?instId=ETH-USDT")) == "51001");
  CHECK(code_of(okx_public(fixture, "/api/v5/market/books?instId=BTC-USDT&sz=401")) == "51000");
}

TEST_CASE("OKX spot orders: place, query, pending, amend, cancel, fills and balances", "[sim][okx]") {
  manual_clock clock{start_ms};
  sim_fixture fixture{okx_options(false, true, clock.function()), "okx"};
  REQUIRE(fixture.host->step(1) == 1);
  auto top = body_of(okx_public(fixture, "/api/v5/market/books?instId=BTC-USDT&sz=1"))["data"][0];
  decimal bid = dec(top["bids"][0][0]);
  decimal ask = dec(top["asks"][0][0]);
  decimal usdt_before = dec(balance_of(fixture, "USDT", start_ms)["availBal"]);

  decimal price = bid - "100"_d;
  auto placed = place(fixture, {{"instId", "BTC-USDT"}, {"tdMode", "cash"}, {"side", "buy"}, {"ordType", "limit"},
                                {"px", price.to_string()}, {"sz", "0.5"}, {"clOrdId", "rest1"}}, start_ms);
  REQUIRE(placed["code"] == "0");
  CHECK(placed["data"][0]["sCode"] == "0");
  CHECK(placed.contains("inTime"));
  std::string ord_id = placed["data"][0]["ordId"];
  auto detail = body_of(okx_call(fixture, "GET", "/api/v5/trade/order?instId=BTC-USDT&ordId=" + ord_id, {}, start_ms));
  REQUIRE(detail["code"] == "0");
  CHECK(detail["data"][0]["state"] == "live");
  CHECK(dec(detail["data"][0]["px"]) == price);
  CHECK(detail["data"][0]["sz"] == "0.5");
  CHECK(detail["data"][0]["clOrdId"] == "rest1");
  CHECK(detail["data"][0]["ordType"] == "limit");
  CHECK(detail["data"][0]["tdMode"] == "cash");
  auto by_client = body_of(okx_call(fixture, "GET", "/api/v5/trade/order?instId=BTC-USDT&clOrdId=rest1", {}, start_ms));
  CHECK(by_client["data"][0]["ordId"] == ord_id);
  auto usdt = balance_of(fixture, "USDT", start_ms);
  CHECK(dec(usdt["frozenBal"]) == mul(price, "0.5"_d));
  CHECK(dec(usdt["availBal"]) == usdt_before - mul(price, "0.5"_d));
  auto pending = body_of(okx_call(fixture, "GET", "/api/v5/trade/orders-pending?instType=SPOT", {}, start_ms));
  REQUIRE(pending["data"].size() == 1);
  CHECK(pending["data"][0]["ordId"] == ord_id);

  auto amended = body_of(okx_call(fixture, "POST", "/api/v5/trade/amend-order",
                                  R"({"instId":"BTC-USDT","ordId":")" + ord_id + R"(","newSz":"0.2"})", start_ms));
  CHECK(amended["data"][0]["sCode"] == "0");
  CHECK(dec(balance_of(fixture, "USDT", start_ms)["frozenBal"]) == mul(price, "0.2"_d));

  std::string cancel = R"({"instId":"BTC-USDT","ordId":")" + ord_id + R"("})";
  auto cancelled = body_of(okx_call(fixture, "POST", "/api/v5/trade/cancel-order", cancel, start_ms));
  CHECK(cancelled["code"] == "0");
  CHECK(cancelled["data"][0]["sCode"] == "0");
  detail = body_of(okx_call(fixture, "GET", "/api/v5/trade/order?instId=BTC-USDT&ordId=" + ord_id, {}, start_ms));
  CHECK(detail["data"][0]["state"] == "canceled");
  CHECK(detail["data"][0]["cancelSource"] == "1");
  auto again = body_of(okx_call(fixture, "POST", "/api/v5/trade/cancel-order", cancel, start_ms));
  CHECK(again["code"] == "1");
  CHECK(again["data"][0]["sCode"] == "51400");
  auto unknown = body_of(okx_call(fixture, "GET", "/api/v5/trade/order?instId=BTC-USDT&ordId=1999", {}, start_ms));
  CHECK(unknown["code"] == "51603");
  CHECK(dec(balance_of(fixture, "USDT", start_ms)["availBal"]) == usdt_before);

  // A market buy sized in the base currency fills against the book; fees come out of the BTC.
  auto market = place(fixture, {{"instId", "BTC-USDT"}, {"tdMode", "cash"}, {"side", "buy"}, {"ordType", "market"},
                                {"sz", "0.01"}, {"tgtCcy", "base_ccy"}}, start_ms);
  REQUIRE(market["data"][0]["sCode"] == "0");
  std::string market_id = market["data"][0]["ordId"];
  auto fills = body_of(okx_call(fixture, "GET", "/api/v5/trade/fills?instId=BTC-USDT", {}, start_ms));
  REQUIRE(!fills["data"].empty());
  decimal filled;
  decimal fees;
  for (const auto& fill : fills["data"]) {
    CHECK(fill["ordId"] == market_id);
    CHECK(fill["execType"] == "T");
    CHECK(fill["feeCcy"] == "BTC");
    CHECK(dec(fill["fee"]).is_negative());
    CHECK(dec(fill["fillPx"]) >= ask);
    filled += dec(fill["fillSz"]);
    fees += dec(fill["fee"]);
  }
  CHECK(filled == "0.01"_d);
  detail = body_of(okx_call(fixture, "GET", "/api/v5/trade/order?instId=BTC-USDT&ordId=" + market_id, {}, start_ms));
  CHECK(detail["data"][0]["state"] == "filled");
  CHECK(detail["data"][0]["accFillSz"] == "0.01");
  CHECK(dec(detail["data"][0]["fee"]) == fees);
  CHECK(dec(balance_of(fixture, "BTC", start_ms)["cashBal"]) == "2.01"_d + fees);
  // Without tgtCcy a spot market buy is sized in USDT, which the simulator does not serve.
  auto quote_sized = place(fixture, {{"instId", "BTC-USDT"}, {"tdMode", "cash"}, {"side", "buy"},
                                     {"ordType", "market"}, {"sz", "100"}}, start_ms);
  CHECK(quote_sized["code"] == "1");
  CHECK(quote_sized["data"][0]["sCode"] == "51000");

  fixture.host->run_sync([&](exchange_state& state) { CHECK(state.venue.audit().empty()); });
}

TEST_CASE("OKX accepts a post-only order that would take and cancels it; refusals carry sCodes", "[sim][okx]") {
  manual_clock clock{start_ms};
  sim_fixture fixture{okx_options(false, true, clock.function()), "okx"};
  REQUIRE(fixture.host->step(1) == 1);
  auto top = body_of(okx_public(fixture, "/api/v5/market/books?instId=BTC-USDT&sz=1"))["data"][0];
  decimal ask = dec(top["asks"][0][0]);
  decimal usdt_before = dec(balance_of(fixture, "USDT", start_ms)["availBal"]);

  auto taking = place(fixture, {{"instId", "BTC-USDT"}, {"tdMode", "cash"}, {"side", "buy"}, {"ordType", "post_only"},
                                {"px", ask.to_string()}, {"sz", "0.1"}, {"clOrdId", "po1"}}, start_ms);
  REQUIRE(taking["code"] == "0");
  REQUIRE(taking["data"][0]["sCode"] == "0");
  auto detail = body_of(okx_call(fixture, "GET", "/api/v5/trade/order?instId=BTC-USDT&clOrdId=po1", {}, start_ms));
  CHECK(detail["data"][0]["state"] == "canceled");
  CHECK(detail["data"][0]["cancelSource"] == "31");
  CHECK(detail["data"][0]["accFillSz"] == "0");
  CHECK(dec(balance_of(fixture, "USDT", start_ms)["availBal"]) == usdt_before);
  book_snapshot engine_book;
  fixture.host->run_sync([&](exchange_state& state) { engine_book = state.venue.market("BTC-USDT")->snapshot(1); });
  CHECK(engine_book.asks[0].price == ask);  // nothing traded

  auto resting = place(fixture, {{"instId", "BTC-USDT"}, {"tdMode", "cash"}, {"side", "sell"}, {"ordType", "post_only"},
                                 {"px", (ask + "50"_d).to_string()}, {"sz", "0.1"}, {"clOrdId", "po2"}}, start_ms);
  REQUIRE(resting["data"][0]["sCode"] == "0");
  auto duplicate = place(fixture, {{"instId", "BTC-USDT"}, {"tdMode", "cash"}, {"side", "sell"}, {"ordType", "limit"},
                                   {"px", (ask + "60"_d).to_string()}, {"sz", "0.1"}, {"clOrdId", "po2"}}, start_ms);
  CHECK(duplicate["code"] == "1");
  CHECK(duplicate["data"][0]["sCode"] == "51016");
  auto too_big = place(fixture, {{"instId", "BTC-USDT"}, {"tdMode", "cash"}, {"side", "sell"}, {"ordType", "limit"},
                                 {"px", (ask + "60"_d).to_string()}, {"sz", "50"}}, start_ms);
  CHECK(too_big["data"][0]["sCode"] == "51008");
  auto off_tick = place(fixture, {{"instId", "BTC-USDT"}, {"tdMode", "cash"}, {"side", "sell"}, {"ordType", "limit"},
                                  {"px", (ask + "0.05"_d).to_string()}, {"sz", "0.1"}}, start_ms);
  CHECK(off_tick["data"][0]["sCode"] != "0");
  auto margin = place(fixture, {{"instId", "BTC-USDT"}, {"tdMode", "cross"}, {"side", "sell"}, {"ordType", "limit"},
                                {"px", (ask + "60"_d).to_string()}, {"sz", "0.1"}}, start_ms);
  CHECK(margin["data"][0]["sCode"] == "51000");

  // Batch cancel: one open order and one unknown: code "2", per-item sCodes.
  std::string batch = R"([{"instId":"BTC-USDT","clOrdId":"po2"},{"instId":"BTC-USDT","ordId":"1999"}])";
  auto cancelled = body_of(okx_call(fixture, "POST", "/api/v5/trade/cancel-batch-orders", batch, start_ms));
  CHECK(cancelled["code"] == "2");
  CHECK(cancelled["data"][0]["sCode"] == "0");
  CHECK(cancelled["data"][1]["sCode"] == "51400");
  fixture.host->run_sync([&](exchange_state& state) { CHECK(state.venue.audit().empty()); });
}

TEST_CASE("OKX rate limits: 429 with code 50011 per endpoint window, overrides, the recorder", "[sim][okx][limits]") {
  manual_clock clock{start_ms};
  server_options options = okx_options(false, true, clock.function());
  options.exchanges[0].rate_limits["POST /api/v5/trade/order"] = 2;
  sim_fixture fixture{options, "okx"};
  REQUIRE(fixture.host->step(1) == 1);

  // "Get system time": 10 requests per 2 seconds per IP.
  for (int i = 0; i < 10; ++i) REQUIRE(okx_public(fixture, "/api/v5/public/time")->status == 200);
  auto refused = okx_public(fixture, "/api/v5/public/time");
  CHECK(refused->status == 429);
  CHECK(code_of(refused) == "50011");
  clock.advance(2s);
  CHECK(okx_public(fixture, "/api/v5/public/time")->status == 200);

  // The overridden order limit: two orders in the window, the third refused, nothing placed.
  nlohmann::json order = {{"instId", "BTC-USDT"}, {"tdMode", "cash"}, {"side", "buy"}, {"ordType", "limit"},
                          {"px", "1000"}, {"sz", "0.001"}};
  std::int64_t now = clock.now_ms();
  CHECK(place(fixture, order, now)["data"][0]["sCode"] == "0");
  CHECK(place(fixture, order, now)["data"][0]["sCode"] == "0");
  auto third = okx_call(fixture, "POST", "/api/v5/trade/order", order.dump(), now);
  CHECK(third->status == 429);
  CHECK(code_of(third) == "50011");
  auto pending = body_of(okx_call(fixture, "GET", "/api/v5/trade/orders-pending", {}, now));
  CHECK(pending["data"].size() == 2);

  const recorder& records = fixture.sim->records();
  CHECK(records.count_status(429) == 2);
  CHECK(records.max_used_weight().at("okx") == 10);
  std::size_t orders = 0;
  for (const auto& record : records.since())
    if (record.new_order && record.status == 200) {
      ++orders;
      CHECK(record.order_id > 0);
      CHECK(record.api_key == okx_key);
      CHECK(record.symbol == "BTC-USDT");
    }
  CHECK(orders == 2);
}

} // namespace tern::sim::testing
