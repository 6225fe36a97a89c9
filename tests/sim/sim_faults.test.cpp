// Every fault kind triggered from a test (in process and through the control API) and seen by
// a client: exchange errors, 429 / 418 with Retry-After, 5xx before and after execution,
// delayed and dropped answers after the order was accepted, dropped and stale WebSockets,
// sequence gaps, malformed frames, and a skewed server clock.

#include "tests/sim/server_support.hpp"

#include "sim/control_client.hpp"

namespace tern::sim::testing {

namespace {

server_options binance_with(market_setup market, bool paused) {
  server_options options;
  exchange_setup exchange;
  exchange.name = "binance";
  exchange.dialect = "binance";
  exchange.markets = {std::move(market)};
  exchange.accounts = {doc_account()};
  options.exchanges = {exchange};
  options.start_paused = paused;
  return options;
}

fault rest_fault(fault_kind kind) {
  fault f;
  f.kind = kind;
  f.endpoint = "POST /api/v3/order";
  return f;
}

std::string order_query(const std::string& client_id) {
  return "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01000&price=50000.00&newClientOrderId=" +
         client_id;
}

} // namespace

TEST_CASE("REST faults answer for the exchange, or after it executed", "[sim][faults]") {
  sim_fixture fixture{binance_with(btcusdt_walk(), true)};
  REQUIRE(fixture.host->step(1) == 1);
  auto status_of_order = [&](const std::string& client_id) {
    auto answer = fixture.signed_call("GET", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=" + client_id, wall_ms());
    auto body = body_of(answer);
    return body.contains("status") ? body["status"].get<std::string>() : "code " + std::to_string(body["code"].get<int>());
  };
  auto place = [&](const std::string& client_id, std::chrono::nanoseconds timeout = 10s) {
    std::string payload = order_query(client_id) + "&timestamp=" + std::to_string(wall_ms());
    return fixture.call("POST", "/api/v3/order?" + payload + "&signature=" + sign(doc_secret, payload), {},
                        std::string{doc_api_key}, timeout);
  };

  SECTION("reject with an exchange error code: nothing executes") {
    fault f = rest_fault(fault_kind::reject);
    f.code = -2010;
    f.message = "Account has insufficient balance for requested action.";
    fixture.sim->faults().add(f);
    auto answer = place("f-reject");
    CHECK(answer->status == 400);
    CHECK(body_of(answer)["code"] == -2010);
    CHECK(status_of_order("f-reject") == "code -2013");
    CHECK(place("f-after")->status == 200);  // used up: the next order goes through
  }
  SECTION("429 and 418 carry Retry-After, nothing executes") {
    fault limited = rest_fault(fault_kind::rate_limit);
    limited.retry_after_s = 7;
    fixture.sim->faults().add(limited);
    auto answer = place("f-429");
    CHECK(answer->status == 429);
    CHECK(answer->header("Retry-After") == "7");
    CHECK(body_of(answer)["code"] == -1003);
    fault banned = rest_fault(fault_kind::rate_limit);
    banned.status = 418;
    fixture.sim->faults().add(banned);
    auto ban = place("f-418");
    CHECK(ban->status == 418);
    CHECK(ban->header("Retry-After") == "120");
    CHECK(status_of_order("f-429") == "code -2013");
    CHECK(status_of_order("f-418") == "code -2013");
  }
  SECTION("5xx before execution leaves no order, after acceptance the order exists") {
    fault before = rest_fault(fault_kind::server_error);
    fixture.sim->faults().add(before);
    auto lost = place("f-503");
    CHECK(lost->status == 503);
    CHECK(net::classify_http_status(lost->status) == net::outcome_class::outcome_unknown);
    CHECK(status_of_order("f-503") == "code -2013");
    fault after = rest_fault(fault_kind::server_error);
    after.status = 502;
    after.after_accept = true;
    fixture.sim->faults().add(after);
    CHECK(place("f-502")->status == 502);
    CHECK(status_of_order("f-502") == "NEW");
  }
  SECTION("a delayed answer times the client out after the order was accepted") {
    fault delayed = rest_fault(fault_kind::delay_response);
    delayed.delay_ms = 3000;
    fixture.sim->faults().add(delayed);
    auto answer = place("f-delay", 300ms);
    REQUIRE(!answer.has_value());
    CHECK(answer.error().code == net::net_errc::timeout);
    CHECK(net::classify(answer.error()) == net::outcome_class::outcome_unknown);
    CHECK(status_of_order("f-delay") == "NEW");
  }
  SECTION("a dropped answer: the connection resets after the order was accepted") {
    fixture.sim->faults().add(rest_fault(fault_kind::drop_response));
    auto answer = place("f-drop");
    REQUIRE(!answer.has_value());
    CHECK(answer.error().request_written);
    CHECK(net::classify(answer.error()) == net::outcome_class::outcome_unknown);
    CHECK(status_of_order("f-drop") == "NEW");
    auto records = fixture.sim->records().since();
    auto dropped = std::find_if(records.begin(), records.end(), [](const request_record& r) { return r.fault == "drop_response"; });
    REQUIRE(dropped != records.end());
    CHECK(dropped->status == 0);
    CHECK(dropped->executed);
    CHECK(dropped->client_order_id == "f-drop");
  }
  SECTION("count and endpoint targeting") {
    fault twice = rest_fault(fault_kind::reject);
    twice.code = -1000;
    twice.count = 2;
    fixture.sim->faults().add(twice);
    CHECK(fixture.call("GET", "/api/v3/time", {}, "")->status == 200);  // another endpoint: untouched
    CHECK(place("f-c1")->status == 400);
    CHECK(place("f-c2")->status == 400);
    CHECK(place("f-c3")->status == 200);
    CHECK(fixture.sim->faults().list().empty());
    CHECK(fixture.sim->faults().fired_total() == 2);
  }
  SECTION("faults added through the control API, and the clock skew") {
    control_client control{"127.0.0.1", fixture.sim->control_port()};
    fault f = rest_fault(fault_kind::reject);
    f.code = -1013;
    f.message = "Filter failure: PRICE_FILTER";
    auto id = control.add_fault(f);
    REQUIRE(id.has_value());
    auto listed = control.call("GET", "/faults");
    REQUIRE(listed.has_value());
    CHECK((*listed)["faults"].size() == 1);
    CHECK(body_of(place("f-ctl"))["code"] == -1013);
    auto bad = control.call("POST", "/faults", nlohmann::json{{"kind", "explode"}});
    CHECK(!bad.has_value());
    REQUIRE(control.set_clock_skew(-7000ms).has_value());
    CHECK(body_of(place("f-skew"))["code"] == -1021);  // the request is now 7 s ahead of the server
    auto time = body_of(fixture.call("GET", "/api/v3/time", {}, ""));
    CHECK(time["serverTime"].get<std::int64_t>() < wall_ms() - 6000);
    REQUIRE(control.set_clock_skew(0ms).has_value());
    auto records = control.records();
    REQUIRE(records.has_value());
    CHECK(!(*records)["records"].empty());
  }
}

TEST_CASE("stream faults: dropped and stale connections, gaps, malformed frames", "[sim][faults]") {
  sim_fixture fixture{binance_with(btcusdt_walk(5ms), false)};
  auto add = [&](fault_kind kind, std::string stream) {
    fault f;
    f.kind = kind;
    f.stream = std::move(stream);
    return fixture.sim->faults().add(f);
  };

  SECTION("drop: the client sees an abrupt close and reconnects") {
    ws_reader depth{fixture, "/ws/btcusdt@depth@100ms", true};
    REQUIRE(depth.frames.wait_for(1));
    add(fault_kind::drop_websocket, "depth");
    REQUIRE(depth.closes.wait_for(1));
    CHECK(depth.closes.snapshot()[0].was_open);
    CHECK(depth.closes.snapshot()[0].will_reconnect);
    CHECK(depth.opens.wait_for(2));
  }
  SECTION("stale: the feed goes silent on a live connection until the client's detector fires") {
    ws_reader depth{fixture, "/ws/btcusdt@depth@100ms", true, 500ms};
    REQUIRE(depth.frames.wait_for(1));
    add(fault_kind::stale_stream, "btcusdt@depth");
    REQUIRE(depth.closes.wait_for(1));
    CHECK(depth.closes.snapshot()[0].error.code == net::net_errc::timeout);
    REQUIRE(depth.opens.wait_for(2));
    std::size_t before = depth.frames.size();
    CHECK(depth.frames.wait_for(before + 1));  // the new connection is served again
  }
  SECTION("gap: one depth frame is skipped, so U jumps past the last u + 1") {
    ws_reader depth{fixture, "/ws/btcusdt@depth@100ms"};
    REQUIRE(depth.frames.wait_for(2));
    add(fault_kind::sequence_gap, "depth");
    auto find_gap = [](const std::vector<std::string>& frames) {
      for (std::size_t i = 1; i < frames.size(); ++i) {
        auto previous = nlohmann::json::parse(frames[i - 1]);
        auto current = nlohmann::json::parse(frames[i]);
        if (current["U"].get<std::int64_t>() != previous["u"].get<std::int64_t>() + 1) return true;
      }
      return false;
    };
    CHECK(depth.frames.wait_until(find_gap));
  }
  SECTION("malformed: a broken frame arrives, and the stream goes on") {
    ws_reader depth{fixture, "/ws/btcusdt@depth@100ms"};
    REQUIRE(depth.frames.wait_for(1));
    fault f;
    f.kind = fault_kind::malformed_frame;
    f.stream = "depth";
    f.payload = R"({"e":"depthUpdate","E":17)";
    fixture.sim->faults().add(f);
    auto broken_then_good = [&](const std::vector<std::string>& frames) {
      auto at = std::find(frames.begin(), frames.end(), f.payload);
      return at != frames.end() && std::next(at) != frames.end() &&
             !nlohmann::json::parse(*std::next(at), nullptr, false).is_discarded();
    };
    CHECK(depth.frames.wait_until(broken_then_good));
  }
}

} // namespace tern::sim::testing

namespace tern::sim::testing {

TEST_CASE("the control API pauses and steps the market and shows the engine's book", "[sim][faults][control]") {
  sim_fixture fixture{binance_with(btcusdt_walk(), true)};
  control_client control{"127.0.0.1", fixture.sim->control_port()};
  auto stepped = control.call("POST", "/market/step", nlohmann::json{{"exchange", "binance"}, {"count", 3}});
  REQUIRE(stepped.has_value());
  CHECK((*stepped)["binance"] == 3);
  auto book = control.call("GET", "/book?exchange=binance&symbol=BTCUSDT&depth=3");
  REQUIRE(book.has_value());
  auto depth = body_of(fixture.call("GET", "/api/v3/depth?symbol=BTCUSDT&limit=3", {}, ""));
  CHECK((*book)["lastUpdateId"] == depth["lastUpdateId"]);
  CHECK(decimal::from_string((*book)["bids"][0][0].get<std::string>()) ==
        decimal::from_string(depth["bids"][0][0].get<std::string>()));
  auto status = control.status();
  REQUIRE(status.has_value());
  CHECK((*status)["exchanges"][0]["paused"] == true);
  REQUIRE(control.call("POST", "/market/resume").has_value());
  CHECK(fixture.host->paused() == false);
  CHECK(!control.call("POST", "/market/step", nlohmann::json{{"count", "ten"}}).has_value());  // 400, not a crash
  CHECK(!control.call("GET", "/book?exchange=nowhere&symbol=BTCUSDT").has_value());
}

} // namespace tern::sim::testing
