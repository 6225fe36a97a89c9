// Binance request authentication against the documented examples: rest-api.md "SIGNED Endpoint
// Examples for POST /api/v3/order - HMAC Keys" (key, secret, query string, signature) and
// "Timing security" (recvWindow, 1000 ms ahead), over real HTTPS to the simulator.

#include "tests/sim/server_support.hpp"

#include "sim/binance/wire.hpp"

namespace tern::sim::testing {

namespace {

/// The documented request: its parameters, timestamp and the signature the docs print.
constexpr std::string_view doc_query =
    "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
constexpr std::string_view doc_signature = "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71";
constexpr std::int64_t doc_timestamp = 1499827319559;

/// LTCBTC with rules the documented order fits (price 0.1, quantity 1).
market_setup ltcbtc() {
  market_setup market;
  market.spec.base = "LTC";
  market.spec.quote = "BTC";
  market.spec.tick = "0.000001"_d;
  market.spec.step = "0.001"_d;
  market.spec.min_quantity = "0.001"_d;
  market.spec.min_notional = "0.0001"_d;
  market.spec.maker_fee_rate = "0.001"_d;
  market.spec.taker_fee_rate = "0.001"_d;
  return market;
}

server_options doc_exchange(const manual_clock& clock) {
  server_options options;
  options.clock = clock.function();
  exchange_setup exchange;
  exchange.name = "binance";
  exchange.dialect = "binance";
  exchange.markets = {ltcbtc()};
  exchange.accounts = {doc_account()};
  options.exchanges = {exchange};
  options.control_port.reset();
  return options;
}

} // namespace

TEST_CASE("the documented HMAC example signs to the documented signature", "[sim][binance][auth]") {
  std::string payload{doc_query};
  CHECK(sign(doc_secret, payload) == doc_signature);
  CHECK(binance::hmac_sha256_hex(doc_secret, payload) == doc_signature);
  // web-socket-api.md "SIGNED request example (HMAC)": the sorted payload of order.place.
  CHECK(binance::hmac_sha256_hex(
            doc_secret,
            "apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=52000.00&quantity="
            "0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT") ==
        "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24");
}

TEST_CASE("the documented signed order is accepted and a tampered one is refused with -1022",
          "[sim][binance][auth]") {
  manual_clock clock{doc_timestamp + 300};  // 300 ms after the request was signed
  sim_fixture fixture{doc_exchange(clock)};
  std::string target = "/api/v3/order?" + std::string{doc_query} + "&signature=" + std::string{doc_signature};

  SECTION("as documented: the order rests on the book") {
    auto placed = body_of(fixture.call("POST", target));
    INFO(placed.dump());
    CHECK(placed["symbol"] == "LTCBTC");
    CHECK(placed["status"] == "NEW");
    CHECK(placed["price"] == "0.10000000");
    CHECK(placed["origQty"] == "1.00000000");
    CHECK(placed["transactTime"] == clock.now_ms());
  }
  SECTION("the signature in upper case verifies too (HMAC signatures are case-insensitive)") {
    std::string upper{doc_signature};
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto answer = fixture.call("POST", "/api/v3/order?" + std::string{doc_query} + "&signature=" + upper);
    CHECK(answer->status == 200);
  }
  SECTION("the same signature over a changed quantity is refused") {
    std::string changed{doc_query};
    changed.replace(changed.find("quantity=1"), 10, "quantity=2");
    auto answer = fixture.call("POST", "/api/v3/order?" + changed + "&signature=" + std::string{doc_signature});
    CHECK(answer->status == 400);
    CHECK(body_of(answer)["code"] == -1022);
    CHECK(body_of(answer)["msg"] == "Signature for this request is not valid.");
  }
  SECTION("the parameters in the body and the signature in the query verify as query + body") {
    auto answer = fixture.call("POST", "/api/v3/order?signature=" + std::string{doc_signature}, std::string{doc_query});
    CHECK(answer->status == 200);
  }
  SECTION("a signature made with another secret is refused") {
    auto answer = fixture.call("POST", "/api/v3/order?" + std::string{doc_query} +
                                           "&signature=" + sign("not-the-secret", doc_query));
    CHECK(body_of(answer)["code"] == -1022);
  }
  SECTION("no signature is -1102") {
    auto answer = fixture.call("POST", "/api/v3/order?" + std::string{doc_query});
    CHECK(body_of(answer)["code"] == -1102);
  }
  SECTION("no API key is -2014 and an unknown one -2015, both 401") {
    auto without = fixture.call("POST", target, {}, "");
    CHECK(without->status == 401);
    CHECK(body_of(without)["code"] == -2014);
    auto stranger = fixture.call("POST", target, {}, "someone-else");
    CHECK(stranger->status == 401);
    CHECK(body_of(stranger)["code"] == -2015);
  }
}

TEST_CASE("timestamps outside recvWindow or 1000 ms ahead are refused with -1021", "[sim][binance][auth]") {
  manual_clock clock{doc_timestamp};
  sim_fixture fixture{doc_exchange(clock)};
  std::string target = "/api/v3/order?" + std::string{doc_query} + "&signature=" + std::string{doc_signature};

  SECTION("5001 ms after the timestamp, with recvWindow 5000") {
    clock.advance(5001ms);
    auto answer = fixture.call("POST", target);
    CHECK(answer->status == 400);
    CHECK(body_of(answer)["code"] == -1021);
    CHECK(body_of(answer)["msg"] == "Timestamp for this request is outside of the recvWindow.");
  }
  SECTION("exactly 5000 ms after is still inside") {
    clock.advance(5000ms);
    CHECK(fixture.call("POST", target)->status == 200);
  }
  SECTION("the server 1000 ms behind the request") {
    clock.advance(-1000ms);
    auto answer = fixture.call("POST", target);
    CHECK(body_of(answer)["code"] == -1021);
    CHECK(body_of(answer)["msg"] == "Timestamp for this request was 1000ms ahead of the server's time.");
  }
  SECTION("999 ms behind is accepted") {
    clock.advance(-999ms);
    CHECK(fixture.call("POST", target)->status == 200);
  }
  SECTION("a server clock skewed by the fault plan turns a good request into -1021") {
    clock.advance(100ms);
    fixture.sim->set_clock_skew(6000ms);
    CHECK(body_of(fixture.call("POST", target))["code"] == -1021);
    fixture.sim->set_clock_skew(0ms);
    CHECK(fixture.call("POST", target)->status == 200);
  }
  SECTION("recvWindow above 60000 is refused") {
    std::string query = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=60001";
    auto answer = fixture.signed_call("POST", "/api/v3/order", query, clock.now_ms());
    CHECK(body_of(answer)["code"] == -1102);
  }
  SECTION("a microsecond timestamp is read as microseconds") {
    std::string query = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1";
    CHECK(fixture.signed_call("POST", "/api/v3/order", query, clock.now_ms() * 1000)->status == 200);
    CHECK(body_of(fixture.signed_call("POST", "/api/v3/order", query, (clock.now_ms() - 6000) * 1000))["code"] ==
          -1021);
  }
}

} // namespace tern::sim::testing
