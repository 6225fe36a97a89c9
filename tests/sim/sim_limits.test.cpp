// Binance rate limits as the simulator enforces them, and the recorder that lets tests assert a
// client never exceeded a limit and never sent an order twice.

#include "tests/sim/server_support.hpp"

#include "sim/rate_meter.hpp"

namespace tern::sim::testing {

namespace {

server_options limited(std::map<std::string, std::int64_t> limits, const manual_clock& clock) {
  server_options options;
  options.clock = clock.function();
  exchange_setup exchange;
  exchange.name = "binance";
  exchange.dialect = "binance";
  exchange.markets = {btcusdt_walk()};
  exchange.accounts = {doc_account()};
  exchange.rate_limits = std::move(limits);
  options.exchanges = {exchange};
  options.start_paused = true;
  options.control_port.reset();
  return options;
}

}  // namespace

TEST_CASE("fixed windows count from whole intervals and reset at their end", "[sim][limits]") {
  fixed_window_counter minute{60'000ms, 100};
  timestamp start = from_unix_ms(1'700'000'020'000);  // 40 s into a minute
  minute.add(start, 60);
  CHECK(minute.used(start + 19'999ms) == 60);
  CHECK(!minute.fits(start + 1s, 41));
  CHECK(minute.fits(start + 1s, 40));
  CHECK(minute.until_reset(start) == 20'000ms);
  CHECK(minute.used(start + 20'000ms) == 0);  // the next minute
  minute.add(start + 20'000ms, 5);
  CHECK(minute.used(start + 20'001ms) == 5);
}

TEST_CASE("over the request weight: 429 with Retry-After, then a ban with 418", "[sim][limits]") {
  manual_clock clock{1'700'000'020'000};  // 20 s before the minute ends
  sim_fixture fixture{limited({{"REQUEST_WEIGHT_1M", 45}, {"BAN_AFTER_429S", 2}}, clock)};
  auto info = [&] { return fixture.call("GET", "/api/v3/exchangeInfo", {}, ""); };  // weight 20
  CHECK(info()->header("X-MBX-USED-WEIGHT-1M") == "20");
  CHECK(info()->header("X-MBX-USED-WEIGHT-1M") == "40");
  auto refused = info();
  CHECK(refused->status == 429);
  CHECK(refused->header("Retry-After") == "20");
  CHECK(body_of(refused)["code"] == -1003);
  CHECK(refused->header("X-MBX-USED-WEIGHT-1M") == "40");  // the refused request is not charged
  CHECK(fixture.call("GET", "/api/v3/time", {}, "")->status == 200);  // weight 1 still fits
  CHECK(info()->status == 429);
  auto banned = info();  // a third 429 in the window: more than BAN_AFTER_429S
  CHECK(banned->status == 418);
  CHECK(banned->header("Retry-After") == "120");
  clock.advance(30s);  // a new minute, but the ban holds
  CHECK(fixture.call("GET", "/api/v3/ping", {}, "")->status == 418);
  clock.advance(91s);
  CHECK(fixture.call("GET", "/api/v3/ping", {}, "")->status == 200);

  auto records = fixture.sim->records().since();
  CHECK(std::count_if(records.begin(), records.end(), [](const request_record& r) { return r.status == 429; }) == 2);
  for (const auto& r : records) CHECK(r.used_weight <= r.weight_limit);
}

TEST_CASE("over the order count: 429 -1015 until the 10 s window ends", "[sim][limits]") {
  manual_clock clock{1'700'000'000'000};
  sim_fixture fixture{limited({{"ORDERS_10S", 2}}, clock)};
  REQUIRE(fixture.host->step(1) == 1);
  auto order = [&](int i) {
    return fixture.signed_call("POST", "/api/v3/order",
                               "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01000&price=50000.00&"
                               "newClientOrderId=o-" + std::to_string(i),
                               clock.now_ms());
  };
  CHECK(order(1)->header("X-MBX-ORDER-COUNT-10S") == "1");
  CHECK(order(2)->header("X-MBX-ORDER-COUNT-10S") == "2");
  auto refused = order(3);
  CHECK(refused->status == 429);
  CHECK(body_of(refused)["code"] == -1015);
  CHECK(refused->header("Retry-After") == "10");
  clock.advance(10s);
  CHECK(order(4)->status == 200);
}

TEST_CASE("the recorder shows each request with its key, weight and order, and finds orders sent twice",
          "[sim][limits]") {
  manual_clock clock{1'700'000'000'000};
  sim_fixture fixture{limited({}, clock)};
  REQUIRE(fixture.host->step(1) == 1);
  std::string query = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01000&price=50000.00&newClientOrderId=twice";
  REQUIRE(fixture.signed_call("POST", "/api/v3/order", query, clock.now_ms())->status == 200);
  REQUIRE(fixture.signed_call("GET", "/api/v3/account", "", clock.now_ms())->status == 200);
  REQUIRE(fixture.call("GET", "/api/v3/depth?symbol=BTCUSDT&limit=500", {}, "")->status == 200);
  auto duplicate = fixture.signed_call("POST", "/api/v3/order", query, clock.now_ms());
  CHECK(body_of(duplicate)["code"] == -2010);  // Duplicate order sent.

  auto records = fixture.sim->records().since();
  REQUIRE(records.size() == 4);
  CHECK(records[0].method == "POST");
  CHECK(records[0].path == "/api/v3/order");
  CHECK(records[0].api_key == doc_api_key);
  CHECK(records[0].weight == 1);
  CHECK(records[0].new_order);
  CHECK(records[0].executed);
  CHECK(records[0].client_order_id == "twice");
  CHECK(records[0].order_id > 0);
  CHECK(records[0].order_count == 1);
  CHECK(records[0].time == from_unix_ms(clock.now_ms()));
  CHECK(records[1].weight == 20);
  CHECK(records[2].weight == 25);  // depth limit 101-500
  CHECK(records[2].api_key.empty());
  CHECK(records[3].used_weight == 1 + 20 + 25 + 1);
  CHECK(records[3].code == -2010);
  CHECK(!records[3].executed);
  CHECK(fixture.sim->records().max_used_weight()["binance"] == 47);
  CHECK(fixture.sim->records().new_orders_by_client_id()["binance twice"] == 2);
  CHECK(fixture.sim->records().since(records[1].sequence).size() == 2);
}

} // namespace tern::sim::testing
