// Binance USD-M perpetual over real TLS: public endpoints, the depth stream's pu chain, orders,
// leverage, position mode, positions, the listen-key user stream (ORDER_TRADE_UPDATE,
// ACCOUNT_UPDATE, ACCOUNT_CONFIG_UPDATE, listenKeyExpired), funding and the income history.

#include "tests/sim/server_support.hpp"

#include "core/order_book.hpp"

namespace tern::sim::testing {

namespace {

/// BTCUSDT perpetual with Binance's rules (tick 0.1, step 0.001, min notional 100).
market_setup btcusdt_perpetual(std::chrono::milliseconds step = 100ms) {
  market_setup market = btcusdt_walk(step);
  market.spec.kind = market_kind::perpetual;
  market.spec.tick = "0.1"_d;
  market.spec.step = "0.001"_d;
  market.spec.min_quantity = "0.001"_d;
  market.spec.min_notional = "100"_d;
  market.spec.maker_fee_rate = "0.0002"_d;
  market.spec.taker_fee_rate = "0.0005"_d;
  market.random_walk->initial_mid = "60000.0"_d;
  market.random_walk->level_size = "2.000"_d;
  market.random_walk->funding_interval = 1s;
  market.random_walk->funding_rate = "0.0001"_d;
  return market;
}

server_options usdm(bool paused, std::function<timestamp()> clock = {}, std::chrono::milliseconds step = 100ms) {
  server_options options;
  options.clock = std::move(clock);
  exchange_setup exchange;
  exchange.name = "binance_perpetual";
  exchange.dialect = "binance_perpetual";
  exchange.markets = {btcusdt_perpetual(step)};
  account_setup account = doc_account();
  account.balances = {{"USDT", "100000"_d}};
  exchange.accounts = {account};
  options.exchanges = {exchange};
  options.start_paused = paused;
  options.control_port.reset();
  return options;
}

decimal number(const nlohmann::json& value) { return decimal::from_string(value.get<std::string>()); }

bool user_event(const nlohmann::json& f, std::string_view type) { return f.value("e", "") == type; }

} // namespace

TEST_CASE("USD-M public endpoints: exchangeInfo, depth, premium index", "[sim][binance][usdm]") {
  sim_fixture fixture{usdm(true), "binance_perpetual"};
  REQUIRE(fixture.host->step(1) == 1);
  auto info = body_of(fixture.call("GET", "/fapi/v1/exchangeInfo", {}, ""));
  REQUIRE(info["symbols"].size() == 1);
  const auto& symbol = info["symbols"][0];
  CHECK(symbol["symbol"] == "BTCUSDT");
  CHECK(symbol["contractType"] == "PERPETUAL");
  CHECK(symbol["marginAsset"] == "USDT");
  CHECK(symbol["pricePrecision"] == 1);
  CHECK(symbol["quantityPrecision"] == 3);
  CHECK(symbol["filters"][0]["tickSize"] == "0.1");
  CHECK(symbol["filters"][1]["stepSize"] == "0.001");
  CHECK(info["rateLimits"][0]["limit"] == 2400);

  auto depth_answer = fixture.call("GET", "/fapi/v1/depth?symbol=BTCUSDT&limit=5", {}, "");
  CHECK(depth_answer->header("X-MBX-USED-WEIGHT-1M") == "3");  // 1 + 2
  auto depth = body_of(depth_answer);
  book_snapshot engine_book;
  fixture.host->run_sync([&](exchange_state& state) { engine_book = state.venue.market("BTCUSDT")->snapshot(5); });
  CHECK(depth["lastUpdateId"] == engine_book.sequence);
  CHECK(number(depth["bids"][0][0]) == engine_book.bids[0].price);
  std::string quantity = depth["bids"][0][1];
  CHECK(quantity.size() - quantity.find('.') - 1 == 3);  // quantities at the step's precision

  auto premium = body_of(fixture.call("GET", "/fapi/v1/premiumIndex?symbol=BTCUSDT", {}, ""));
  decimal mid = decimal::divide(engine_book.bids[0].price + engine_book.asks[0].price, decimal::from_integer(2),
                                rounding::half_even);
  CHECK(number(premium["markPrice"]) == mid);
  CHECK(premium["lastFundingRate"] == "0.00010000");
  CHECK(premium["nextFundingTime"].get<std::int64_t>() > premium["time"].get<std::int64_t>());
}

TEST_CASE("USD-M depth frames chain with pu and rebuild the engine's book", "[sim][binance][usdm][streams]") {
  sim_fixture fixture{usdm(false, {}, 5ms), "binance_perpetual"};
  ws_reader depth{fixture, "/ws/btcusdt@depth@100ms"};
  REQUIRE(depth.frames.wait_for(1));
  auto snapshot = body_of(fixture.call("GET", "/fapi/v1/depth?symbol=BTCUSDT&limit=1000", {}, ""));
  tern::order_book book{"BTCUSDT"};
  book_snapshot snap;
  for (const auto& l : snapshot["bids"]) snap.bids.push_back({number(l[0]), number(l[1])});
  for (const auto& l : snapshot["asks"]) snap.asks.push_back({number(l[0]), number(l[1])});
  snap.sequence = snapshot["lastUpdateId"];
  REQUIRE(book.apply_snapshot(snap).has_value());
  // Futures rule: drop u < lastUpdateId; the first applied has U <= id <= u; then pu == last u.
  std::int64_t last = snap.sequence;
  bool first = true;
  std::size_t next = 0, applied = 0;
  auto consume = [&](std::int64_t until, std::size_t frames) {
    return depth.frames.wait_until([&](const std::vector<std::string>& all) {
      for (; next < all.size(); ++next) {
        auto diff = nlohmann::json::parse(all[next]);
        if (diff["u"].get<std::int64_t>() < last) continue;
        if (first) REQUIRE(diff["U"].get<std::int64_t>() <= last);
        else REQUIRE(diff["pu"].get<std::int64_t>() == last);
        first = false;
        for (const auto& l : diff["b"]) REQUIRE(book.set_level(side::buy, number(l[0]), number(l[1])).has_value());
        for (const auto& l : diff["a"]) REQUIRE(book.set_level(side::sell, number(l[0]), number(l[1])).has_value());
        last = diff["u"];
        ++applied;
      }
      return last >= until && applied >= frames;
    }, 30s);
  };
  REQUIRE(consume(snap.sequence + 3000, 20));
  fixture.host->pause();
  book_snapshot engine_book;
  fixture.host->run_sync([&](exchange_state& state) { engine_book = state.venue.market("BTCUSDT")->snapshot(); });
  REQUIRE(consume(engine_book.sequence, 0));
  CHECK(book.depth(side::buy, 10'000) == engine_book.bids);
  CHECK(book.depth(side::sell, 10'000) == engine_book.asks);
}

TEST_CASE("USD-M orders, leverage and positions arrive on the listen-key user stream", "[sim][binance][usdm]") {
  sim_fixture fixture{usdm(true), "binance_perpetual"};
  REQUIRE(fixture.host->step(1) == 1);
  auto key = body_of(fixture.call("POST", "/fapi/v1/listenKey"));
  REQUIRE(key.contains("listenKey"));
  std::string listen_key = key["listenKey"];
  CHECK(body_of(fixture.call("POST", "/fapi/v1/listenKey"))["listenKey"] == listen_key);  // same key, extended
  ws_reader user{fixture, "/ws/" + listen_key};

  auto leverage = body_of(fixture.signed_call("POST", "/fapi/v1/leverage", "symbol=BTCUSDT&leverage=10", wall_ms()));
  CHECK(leverage["leverage"] == 10);
  CHECK(body_of(fixture.signed_call("POST", "/fapi/v1/leverage", "symbol=BTCUSDT&leverage=126", wall_ms()))["code"] == -4028);
  auto config = user.wait_json(1, [](const nlohmann::json& f) { return user_event(f, "ACCOUNT_CONFIG_UPDATE"); });
  REQUIRE(config.size() == 1);
  CHECK(config[0]["ac"]["l"] == 10);

  // A resting order placed and cancelled changes no position: ORDER_TRADE_UPDATEs, no ACCOUNT_UPDATE.
  REQUIRE(fixture.signed_call("POST", "/fapi/v1/order",
                              "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=50000.0&"
                              "newClientOrderId=rest-1", wall_ms())->status == 200);
  REQUIRE(fixture.signed_call("DELETE", "/fapi/v1/order", "symbol=BTCUSDT&origClientOrderId=rest-1", wall_ms())->status == 200);
  auto cancelled = user.wait_json(1, [](const nlohmann::json& f) {
    return user_event(f, "ORDER_TRADE_UPDATE") && f["o"]["X"] == "CANCELED";
  });
  REQUIRE(cancelled.size() == 1);
  CHECK(cancelled[0]["o"]["c"] == "rest-1");
  user.sync();  // answered after every frame the exchange sent before it
  CHECK(user.wait_json(0, [](const nlohmann::json& f) { return user_event(f, "ACCOUNT_UPDATE"); }, 0ms).empty());

  auto bought = body_of(fixture.signed_call("POST", "/fapi/v1/order",
                                            "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.010&newClientOrderId=long-1&"
                                            "newOrderRespType=RESULT",
                                            wall_ms()));
  INFO(bought.dump());
  CHECK(bought["status"] == "FILLED");
  CHECK(bought["executedQty"] == "0.010");
  CHECK(bought["positionSide"] == "BOTH");
  auto updates = user.wait_json(2, [](const nlohmann::json& f) {
    return user_event(f, "ORDER_TRADE_UPDATE") && f["o"]["c"] == "long-1";
  });
  REQUIRE(updates.size() >= 2);
  CHECK(updates[0]["o"]["x"] == "NEW");
  CHECK(updates[0]["o"]["c"] == "long-1");
  CHECK(updates.back()["o"]["X"] == "FILLED");
  CHECK(updates.back()["o"]["N"] == "USDT");
  auto accounts = user.wait_json(1, [](const nlohmann::json& f) { return user_event(f, "ACCOUNT_UPDATE"); });
  REQUIRE(!accounts.empty());
  CHECK(accounts[0]["a"]["m"] == "ORDER");
  REQUIRE(accounts[0]["a"]["P"].size() == 1);
  CHECK(accounts[0]["a"]["P"][0]["pa"] == "0.010");
  CHECK(accounts[0]["a"]["B"][0]["a"] == "USDT");

  auto risk = body_of(fixture.signed_call("GET", "/fapi/v2/positionRisk", "symbol=BTCUSDT", wall_ms()));
  REQUIRE(risk.size() == 1);
  CHECK(risk[0]["positionAmt"] == "0.010");
  CHECK(risk[0]["leverage"] == "10");
  CHECK(number(risk[0]["entryPrice"]) == number(bought["avgPrice"]));
  auto account = body_of(fixture.signed_call("GET", "/fapi/v2/account", "", wall_ms()));
  CHECK(number(account["totalPositionInitialMargin"]) ==
        decimal::divide(number(bought["cumQuote"]), decimal::from_integer(10), rounding::half_even));
  auto balances = body_of(fixture.signed_call("GET", "/fapi/v2/balance", "", wall_ms()));
  for (const auto& balance : balances)
    if (balance["asset"] == "USDT") CHECK(number(balance["balance"]) == "100000"_d - number(updates.back()["o"]["n"]));
  CHECK(bought["timeInForce"] == "GTC");

  SECTION("reduce-only closes the position, trades and income follow") {
    auto sold = body_of(fixture.signed_call("POST", "/fapi/v1/order",
                                            "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.020&reduceOnly=true&newOrderRespType=RESULT",
                                            wall_ms()));
    CHECK(sold["status"] == "EXPIRED");  // only the position's 0.010 could be reduced
    CHECK(sold["executedQty"] == "0.010");
    auto flat = body_of(fixture.signed_call("GET", "/fapi/v2/positionRisk", "symbol=BTCUSDT", wall_ms()));
    CHECK(flat[0]["positionAmt"] == "0.000");
    auto trades = body_of(fixture.signed_call("GET", "/fapi/v1/userTrades", "symbol=BTCUSDT", wall_ms()));
    REQUIRE(trades.size() >= 2);
    CHECK(trades.back()["side"] == "SELL");
    auto income = body_of(fixture.signed_call("GET", "/fapi/v1/income", "symbol=BTCUSDT", wall_ms()));
    bool has_commission = false;
    for (const auto& row : income) has_commission = has_commission || row["incomeType"] == "COMMISSION";
    CHECK(has_commission);
  }
  SECTION("position mode: refused while a position exists, then hedge mode wants LONG/SHORT") {
    CHECK(body_of(fixture.signed_call("POST", "/fapi/v1/positionSide/dual", "dualSidePosition=true", wall_ms()))["code"] == -4068);
    REQUIRE(fixture.signed_call("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.010&reduceOnly=true",
                                wall_ms())->status == 200);
    CHECK(body_of(fixture.signed_call("POST", "/fapi/v1/positionSide/dual", "dualSidePosition=true", wall_ms()))["msg"] == "success");
    CHECK(body_of(fixture.signed_call("GET", "/fapi/v1/positionSide/dual", "", wall_ms()))["dualSidePosition"] == true);
    CHECK(body_of(fixture.signed_call("POST", "/fapi/v1/positionSide/dual", "dualSidePosition=true", wall_ms()))["code"] == -4059);
    auto both = fixture.signed_call("POST", "/fapi/v1/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.010", wall_ms());
    CHECK(body_of(both)["code"] == -4061);
    auto longed = body_of(fixture.signed_call("POST", "/fapi/v1/order",
                                              "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.010&positionSide=LONG", wall_ms()));
    CHECK(longed["positionSide"] == "LONG");
    CHECK(longed["status"] == "NEW");  // newOrderRespType ACK, the default: the order as accepted
    CHECK(longed["executedQty"] == "0.000");
    auto risk_hedge = body_of(fixture.signed_call("GET", "/fapi/v2/positionRisk", "symbol=BTCUSDT", wall_ms()));
    CHECK(risk_hedge.size() == 2);
  }
  SECTION("funding settles on the position: ACCOUNT_UPDATE FUNDING_FEE and income") {
    REQUIRE(fixture.host->step(15) == 15);  // past a one-second funding interval
    auto funding = user.wait_json(1, [](const nlohmann::json& f) {
      return user_event(f, "ACCOUNT_UPDATE") && f["a"]["m"] == "FUNDING_FEE";
    });
    REQUIRE(!funding.empty());
    CHECK(number(funding[0]["a"]["B"][0]["bc"]).is_negative());  // a long pays a positive rate
    auto income = body_of(fixture.signed_call("GET", "/fapi/v1/income", "incomeType=FUNDING_FEE", wall_ms()));
    REQUIRE(!income.empty());
    CHECK(number(income[0]["income"]).is_negative());
  }
}

TEST_CASE("USD-M listen keys expire after 60 minutes without a keep-alive", "[sim][binance][usdm]") {
  manual_clock clock{wall_ms()};
  sim_fixture fixture{usdm(true, clock.function()), "binance_perpetual"};
  CHECK(body_of(fixture.call("PUT", "/fapi/v1/listenKey"))["code"] == -1125);
  std::string key = body_of(fixture.call("POST", "/fapi/v1/listenKey"))["listenKey"];
  ws_reader user{fixture, "/ws/" + key};
  clock.advance(59min);
  CHECK(body_of(fixture.call("PUT", "/fapi/v1/listenKey"))["listenKey"] == key);
  clock.advance(59min);  // still alive: the PUT extended it
  clock.advance(2min);
  auto expired = user.wait_json(1, [](const nlohmann::json& f) { return user_event(f, "listenKeyExpired"); });
  REQUIRE(expired.size() == 1);
  CHECK(expired[0]["listenKey"] == key);
  CHECK(body_of(fixture.call("PUT", "/fapi/v1/listenKey"))["code"] == -1125);
  // The expired key's connection stays open but silent: a new key's connection gets the events.
  std::string renewed = body_of(fixture.call("POST", "/fapi/v1/listenKey"))["listenKey"];
  CHECK(renewed != key);
  ws_reader fresh{fixture, "/ws/" + renewed};
  REQUIRE(fixture.signed_call("POST", "/fapi/v1/leverage", "symbol=BTCUSDT&leverage=5", clock.now_ms())->status == 200);
  CHECK(fresh.wait_json(1, [](const nlohmann::json& f) { return user_event(f, "ACCOUNT_CONFIG_UPDATE"); }).size() == 1);
  user.sync();
  CHECK(user.wait_json(0, [](const nlohmann::json& f) { return user_event(f, "ACCOUNT_CONFIG_UPDATE"); }, 0ms).empty());
  CHECK(user.closes.size() == 0);
}

} // namespace tern::sim::testing
