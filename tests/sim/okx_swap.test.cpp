// OKX perpetual swaps and the private WebSocket over real TLS: instruments in contracts (ctVal),
// orders sized in contracts and filled in base units by the engine, positions, leverage,
// position mode, funding rate and mark price; the private channel's login (and its failures),
// orders / account / positions pushes for swap and spot orders.

#include "tests/sim/okx_support.hpp"

namespace tern::sim::testing {

namespace {

constexpr std::int64_t start_ms = 1'700'000'000'000;

nlohmann::json call_json(sim_fixture& fixture, std::string method, std::string target, std::string body,
                         std::int64_t now_ms) {
  return body_of(okx_call(fixture, std::move(method), std::move(target), std::move(body), now_ms));
}

auto channel_push(std::string_view name) {
  return [name](const nlohmann::json& f) { return f.contains("data") && f["arg"]["channel"] == name; };
}

auto event_is(std::string_view name) {
  return [name](const nlohmann::json& f) { return f.value("event", "") == name; };
}

/// A logged-in private connection subscribed to `args`; waits for every ack.
void log_in(ws_reader& ws, const std::vector<nlohmann::json>& args) {
  ws.send(okx_login(wall_ms() / 1000));
  auto login = ws.wait_json(1, event_is("login"));
  REQUIRE(login.size() == 1);
  REQUIRE(login[0]["code"] == "0");
  for (const auto& arg : args) ws.send(okx_subscribe(arg));
  REQUIRE(ws.wait_json(args.size(), event_is("subscribe")).size() == args.size());
}

} // namespace

TEST_CASE("OKX swaps: instruments and books in contracts, funding rate, mark price", "[sim][okx][swap]") {
  manual_clock clock{start_ms};
  sim_fixture fixture{okx_options(true, true, clock.function()), "okx_perpetual"};
  REQUIRE(fixture.host->step(1) == 1);
  auto instruments = body_of(okx_public(fixture, "/api/v5/public/instruments?instType=SWAP"));
  REQUIRE(instruments["data"].size() == 1);
  const auto& swap = instruments["data"][0];
  CHECK(swap["instId"] == "BTC-USDT-SWAP");
  CHECK(swap["ctVal"] == "0.01");
  CHECK(swap["ctValCcy"] == "BTC");
  CHECK(swap["ctType"] == "linear");
  CHECK(swap["settleCcy"] == "USDT");
  CHECK(swap["lotSz"] == "0.01");  // 0.0001 BTC
  CHECK(swap["minSz"] == "0.01");
  CHECK(swap["tickSz"] == "0.1");
  CHECK(swap["lever"] == "100");

  auto books = body_of(okx_public(fixture, "/api/v5/market/books?instId=BTC-USDT-SWAP&sz=3"))["data"][0];
  book_snapshot engine_book;
  decimal mark;
  fixture.host->run_sync([&](exchange_state& state) {
    engine_book = state.venue.market("BTC-USDT-SWAP")->snapshot(3);
    mark = state.venue.market("BTC-USDT-SWAP")->mark_price();
  });
  CHECK(mul(dec(books["bids"][0][1]), "0.01"_d) == engine_book.bids[0].size);
  CHECK(mul(dec(books["asks"][2][1]), "0.01"_d) == engine_book.asks[2].size);

  auto funding = body_of(okx_public(fixture, "/api/v5/public/funding-rate?instId=BTC-USDT-SWAP"))["data"][0];
  CHECK(funding["fundingRate"] == "0.0001");
  CHECK(std::stoll(funding["fundingTime"].get<std::string>()) > start_ms);
  CHECK(std::stoll(funding["nextFundingTime"].get<std::string>()) > std::stoll(funding["fundingTime"].get<std::string>()));
  auto marks = body_of(okx_public(fixture, "/api/v5/public/mark-price?instType=SWAP&instId=BTC-USDT-SWAP"));
  CHECK(dec(marks["data"][0]["markPx"]) == mark);
}

TEST_CASE("OKX swap trading: leverage, orders in contracts, positions, pushes, position mode", "[sim][okx][swap]") {
  sim_fixture fixture{okx_options(true, true), "okx_perpetual"};
  REQUIRE(fixture.host->step(1) == 1);
  ws_reader ws{fixture, "/ws/v5/private"};
  log_in(ws, {{{"channel", "orders"}, {"instType", "SWAP"}},
              {{"channel", "positions"}, {"instType", "SWAP"}},
              {{"channel", "account"}}});
  REQUIRE(ws.wait_json(1, channel_push("account")).size() == 1);  // the snapshot on subscribe

  auto lever = call_json(fixture, "POST", "/api/v5/account/set-leverage",
                         R"({"instId":"BTC-USDT-SWAP","lever":"5","mgnMode":"cross"})", wall_ms());
  REQUIRE(lever["code"] == "0");
  CHECK(lever["data"][0]["lever"] == "5");
  CHECK(call_json(fixture, "POST", "/api/v5/account/set-leverage",
                  R"({"instId":"BTC-USDT-SWAP","lever":"101","mgnMode":"cross"})", wall_ms())["code"] == "51000");

  auto placed = call_json(fixture, "POST", "/api/v5/trade/order",
                          R"({"instId":"BTC-USDT-SWAP","tdMode":"cross","side":"buy","ordType":"market","sz":"2",)"
                          R"("clOrdId":"swap1"})",
                          wall_ms());
  REQUIRE(placed["data"][0]["sCode"] == "0");
  // Order pushes: live first, then fills in contracts; the last is filled.
  REQUIRE(ws.wait_json(1, [](const nlohmann::json& f) {
              return channel_push("orders")(f) && f["data"][0]["state"] == "filled";
            }).size() == 1);
  auto orders = ws.wait_json(1, channel_push("orders"));
  REQUIRE(orders.size() >= 2);
  CHECK(orders.front()["data"][0]["state"] == "live");
  CHECK(orders.front()["arg"].contains("uid"));
  decimal filled;
  for (const auto& push : orders) {
    const auto& order = push["data"][0];
    CHECK(order["clOrdId"] == "swap1");
    CHECK(order["instType"] == "SWAP");
    if (order["tradeId"] != "") {
      filled += dec(order["fillSz"]);
      CHECK(order["execType"] == "T");
      CHECK(dec(order["fillFee"]).is_negative());
      CHECK(order["fillFeeCcy"] == "USDT");
    }
  }
  CHECK(filled == "2"_d);
  CHECK(orders.back()["data"][0]["state"] == "filled");
  CHECK(orders.back()["data"][0]["accFillSz"] == "2");
  CHECK(orders.back()["data"][0]["lever"] == "5");

  auto positions = ws.wait_json(1, [](const nlohmann::json& f) { return channel_push("positions")(f) && !f["data"].empty(); });
  REQUIRE(!positions.empty());
  CHECK(positions.back()["data"][0]["pos"] == "2");
  CHECK(positions.back()["data"][0]["posSide"] == "net");
  auto rest_positions = call_json(fixture, "GET", "/api/v5/account/positions?instType=SWAP", {}, wall_ms());
  REQUIRE(rest_positions["data"].size() == 1);
  const auto& position = rest_positions["data"][0];
  CHECK(position["pos"] == "2");
  CHECK(position["lever"] == "5");
  CHECK(position["mgnMode"] == "cross");
  decimal entry = dec(position["avgPx"]);
  // Initial margin: cost / leverage (the engine sums it fill by fill).
  CHECK((dec(position["margin"]) * 5 - mul(entry, "0.02"_d)).abs() < "0.01"_d);
  auto fills = call_json(fixture, "GET", "/api/v5/trade/fills?instType=SWAP", {}, wall_ms());
  decimal fill_total;
  for (const auto& fill : fills["data"]) fill_total += dec(fill["fillSz"]);
  CHECK(fill_total == "2"_d);

  // A position blocks a change of position mode.
  auto blocked = call_json(fixture, "POST", "/api/v5/account/set-position-mode", R"({"posMode":"long_short_mode"})",
                           wall_ms());
  CHECK(blocked["code"] == "59000");
  auto closed = call_json(fixture, "POST", "/api/v5/trade/order",
                          R"({"instId":"BTC-USDT-SWAP","tdMode":"cross","side":"sell","ordType":"market","sz":"2",)"
                          R"("reduceOnly":true})",
                          wall_ms());
  REQUIRE(closed["data"][0]["sCode"] == "0");
  REQUIRE(ws.wait_json(1, [](const nlohmann::json& f) {
              return channel_push("positions")(f) && !f["data"].empty() && f["data"][0]["pos"] == "0";
            }).size() == 1);
  CHECK(call_json(fixture, "GET", "/api/v5/account/positions", {}, wall_ms())["data"].empty());
  auto reduce_nothing = call_json(fixture, "POST", "/api/v5/trade/order",
                                  R"({"instId":"BTC-USDT-SWAP","tdMode":"cross","side":"sell","ordType":"market",)"
                                  R"("sz":"1","reduceOnly":"true"})",
                                  wall_ms());
  CHECK(reduce_nothing["data"][0]["sCode"] == "51169");

  auto mode = call_json(fixture, "POST", "/api/v5/account/set-position-mode", R"({"posMode":"long_short_mode"})",
                        wall_ms());
  CHECK(mode["code"] == "0");
  CHECK(call_json(fixture, "GET", "/api/v5/account/config", {}, wall_ms())["data"][0]["posMode"] == "long_short_mode");
  auto no_side = call_json(fixture, "POST", "/api/v5/trade/order",
                           R"({"instId":"BTC-USDT-SWAP","tdMode":"cross","side":"buy","ordType":"market","sz":"1"})",
                           wall_ms());
  CHECK(no_side["data"][0]["sCode"] == "51000");
  auto long_side = call_json(fixture, "POST", "/api/v5/trade/order",
                             R"({"instId":"BTC-USDT-SWAP","tdMode":"cross","side":"buy","ordType":"market","sz":"1",)"
                             R"("posSide":"long"})",
                             wall_ms());
  REQUIRE(long_side["data"][0]["sCode"] == "0");
  auto hedge_positions = call_json(fixture, "GET", "/api/v5/account/positions", {}, wall_ms());
  REQUIRE(hedge_positions["data"].size() == 1);
  CHECK(hedge_positions["data"][0]["posSide"] == "long");
  CHECK(hedge_positions["data"][0]["pos"] == "1");
  fixture.host->run_sync([&](exchange_state& state) { CHECK(state.venue.audit().empty()); });
}

TEST_CASE("OKX swap bills: each funding a position pays is a type 8 bill", "[sim][okx][swap]") {
  sim_fixture fixture{okx_options(true, true), "okx_perpetual"};
  REQUIRE(fixture.host->step(1) == 1);
  CHECK(call_json(fixture, "GET", "/api/v5/account/bills?type=8", {}, wall_ms())["data"].empty());
  auto placed = call_json(fixture, "POST", "/api/v5/trade/order",
                          R"({"instId":"BTC-USDT-SWAP","tdMode":"cross","side":"buy","ordType":"market","sz":"2"})",
                          wall_ms());
  REQUIRE(placed["data"][0]["sCode"] == "0");
  // okx_swap_market funds every 1 s at 0.0001; the walk steps every 20 ms: one funding.
  REQUIRE(fixture.host->step(55) == 55);
  auto bills = call_json(fixture, "GET", "/api/v5/account/bills?instType=SWAP&type=8", {}, wall_ms());
  REQUIRE(bills["code"] == "0");
  REQUIRE(bills["data"].size() == 1);
  const auto& bill = bills["data"][0];
  CHECK(bill["type"] == "8");
  CHECK(bill["subType"] == "173");  // a long pays a positive rate: expense
  CHECK(bill["instId"] == "BTC-USDT-SWAP");
  CHECK(bill["ccy"] == "USDT");
  CHECK(bill["sz"] == "2");
  CHECK(bill["balChg"] == bill["pnl"]);
  // 2 contracts of 0.01 BTC at the mark price, times the rate.
  CHECK(dec(bill["balChg"]) == -mul(mul("0.02"_d, dec(bill["px"])), "0.0001"_d));
  auto balance = call_json(fixture, "GET", "/api/v5/account/balance?ccy=USDT", {}, wall_ms());
  CHECK(dec(bill["bal"]) == dec(balance["data"][0]["details"][0]["cashBal"]));  // nothing moved since
  // The same bill in the 3-month archive; filters that exclude it return nothing.
  auto archive = call_json(fixture, "GET", "/api/v5/account/bills-archive?instId=BTC-USDT-SWAP&type=8", {}, wall_ms());
  REQUIRE(archive["data"].size() == 1);
  CHECK(archive["data"][0]["billId"] == bill["billId"]);
  const auto ts = std::stoll(bill["ts"].get<std::string>());
  // account/bills allows 5 requests a second and bills-archive 5 every 2 s: spread over both.
  auto none_for = [&](const std::string& target) {
    auto answer = call_json(fixture, "GET", target, {}, wall_ms());
    CHECK(answer["code"] == "0");
    CHECK(answer["data"].empty());
  };
  none_for("/api/v5/account/bills?type=2");
  none_for("/api/v5/account/bills?instId=ETH-USDT-SWAP");
  none_for("/api/v5/account/bills?subType=174");
  none_for("/api/v5/account/bills-archive?begin=" + std::to_string(ts + 1));
  none_for("/api/v5/account/bills-archive?end=" + std::to_string(ts - 1));
  CHECK(call_json(fixture, "GET", "/api/v5/account/bills-archive?limit=x", {}, wall_ms())["code"] == "51000");
}

TEST_CASE("OKX private channel: login failures, then spot order and account pushes", "[sim][okx][private]") {
  sim_fixture fixture{okx_options(false, true), "okx"};
  REQUIRE(fixture.host->step(1) == 1);
  ws_reader ws{fixture, "/ws/v5/private"};
  ws.send(okx_subscribe({{"channel", "orders"}, {"instType", "SPOT"}}));
  auto errors = ws.wait_json(1, event_is("error"));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0]["code"] == "60011");  // log in first
  std::int64_t now_s = wall_ms() / 1000;
  ws.send(okx_login(now_s, "wrong-secret"));
  ws.send(okx_login(now_s, okx_secret, "wrong-passphrase"));
  ws.send(okx_login(now_s - 31));
  errors = ws.wait_json(4, event_is("error"));
  REQUIRE(errors.size() == 4);
  CHECK(errors[1]["code"] == "60007");
  CHECK(errors[2]["code"] == "60024");
  CHECK(errors[3]["code"] == "60006");

  log_in(ws, {{{"channel", "orders"}, {"instType", "SPOT"}}, {{"channel", "account"}, {"ccy", "USDT"}}});
  auto snapshot = ws.wait_json(1, channel_push("account"));
  REQUIRE(snapshot.size() == 1);
  CHECK(snapshot[0]["data"][0]["details"][0]["ccy"] == "USDT");
  CHECK(snapshot[0]["data"][0]["details"][0]["cashBal"] == "100000");

  auto top = body_of(okx_public(fixture, "/api/v5/market/books?instId=BTC-USDT&sz=1"))["data"][0];
  decimal price = dec(top["bids"][0][0]) - "500"_d;
  auto placed = body_of(okx_call(fixture, "POST", "/api/v5/trade/order",
                                 R"({"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","px":")" +
                                     price.to_string() + R"(","sz":"0.1","clOrdId":"ws1"})",
                                 wall_ms()));
  REQUIRE(placed["data"][0]["sCode"] == "0");
  std::string ord_id = placed["data"][0]["ordId"];
  auto live = ws.wait_json(1, channel_push("orders"));
  REQUIRE(live.size() == 1);
  CHECK(live[0]["data"][0]["ordId"] == ord_id);
  CHECK(live[0]["data"][0]["state"] == "live");
  CHECK(live[0]["data"][0]["fillSz"] == "0");
  auto frozen = ws.wait_json(2, channel_push("account"));
  REQUIRE(frozen.size() == 2);
  CHECK(dec(frozen[1]["data"][0]["details"][0]["frozenBal"]) == mul(price, "0.1"_d));

  auto cancelled = body_of(okx_call(fixture, "POST", "/api/v5/trade/cancel-order",
                                    R"({"instId":"BTC-USDT","clOrdId":"ws1"})", wall_ms()));
  REQUIRE(cancelled["data"][0]["sCode"] == "0");
  auto pushes = ws.wait_json(2, channel_push("orders"));
  REQUIRE(pushes.size() == 2);
  CHECK(pushes[1]["data"][0]["state"] == "canceled");
  CHECK(pushes[1]["data"][0]["cancelSource"] == "1");

  // A buy at the ask fills: the fill push carries fillSz, fillPx, tradeId and the fee in BTC.
  decimal ask = dec(top["asks"][0][0]);
  auto taker = body_of(okx_call(fixture, "POST", "/api/v5/trade/order",
                                R"({"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"ioc","px":")" +
                                    ask.to_string() + R"(","sz":"0.001"})",
                                wall_ms()));
  REQUIRE(taker["data"][0]["sCode"] == "0");
  auto filled = ws.wait_json(1, [](const nlohmann::json& f) {
    return channel_push("orders")(f) && f["data"][0]["state"] == "filled";
  });
  REQUIRE(filled.size() == 1);
  const auto& fill = filled[0]["data"][0];
  CHECK(dec(fill["fillPx"]) == ask);
  CHECK(fill["fillSz"] == "0.001");
  CHECK(fill["tradeId"] != "");
  CHECK(fill["fillFeeCcy"] == "BTC");
  CHECK(dec(fill["fillFee"]) == decimal{} - "0.000001"_d);  // 0.1 % of 0.001
  CHECK(fill["ordType"] == "ioc");
}

} // namespace tern::sim::testing
