// The simulator's faults on the OKX dialect: REST faults answered in OKX's envelope (429 with
// 50011, a 5xx after the order was accepted, so its outcome is unknown to the client), and
// stream faults on the public channels (malformed frame, dropped connection).

#include "tests/sim/okx_support.hpp"

namespace tern::sim::testing {

namespace {

constexpr std::int64_t start_ms = 1'700'000'000'000;

fault rest_fault(fault_kind kind) {
  fault f;
  f.kind = kind;
  f.exchange = "okx";
  f.endpoint = "POST /api/v5/trade/order";
  return f;
}

std::string order_body(std::string_view client_id) {
  return R"({"instId":"BTC-USDT","tdMode":"cash","side":"buy","ordType":"limit","px":"1000","sz":"0.001",)"
         R"("clOrdId":")" + std::string{client_id} + R"("})";
}

} // namespace

TEST_CASE("OKX REST faults: 429 with 50011, and a 5xx after acceptance leaves the order live", "[sim][okx][faults]") {
  manual_clock clock{start_ms};
  sim_fixture fixture{okx_options(false, true, clock.function()), "okx"};
  REQUIRE(fixture.host->step(1) == 1);

  fixture.sim->faults().add(rest_fault(fault_kind::rate_limit));
  auto limited = okx_call(fixture, "POST", "/api/v5/trade/order", order_body("f429"), start_ms);
  CHECK(limited->status == 429);
  CHECK(body_of(limited)["code"] == "50011");
  auto missing = body_of(okx_call(fixture, "GET", "/api/v5/trade/order?instId=BTC-USDT&clOrdId=f429", {}, start_ms));
  CHECK(missing["code"] == "51603");

  fault lost = rest_fault(fault_kind::server_error);
  lost.status = 504;
  lost.after_accept = true;
  fixture.sim->faults().add(lost);
  auto timeout = okx_call(fixture, "POST", "/api/v5/trade/order", order_body("f504"), start_ms);
  CHECK(timeout->status == 504);
  CHECK(body_of(timeout)["code"] == "50004");
  auto live = body_of(okx_call(fixture, "GET", "/api/v5/trade/order?instId=BTC-USDT&clOrdId=f504", {}, start_ms));
  REQUIRE(live["code"] == "0");
  CHECK(live["data"][0]["state"] == "live");

  std::size_t faulted = 0;
  for (const auto& record : fixture.sim->records().since())
    if (!record.fault.empty()) ++faulted;
  CHECK(faulted == 2);
}

TEST_CASE("OKX stream faults: a malformed frame before intact ones, a dropped connection", "[sim][okx][faults]") {
  sim_fixture fixture{okx_options(false, false, {}, 5ms), "okx"};
  ws_reader ws{fixture, "/ws/v5/public"};
  ws.send(okx_subscribe({{"channel", "books"}, {"instId", "BTC-USDT"}}));
  auto books = [](const nlohmann::json& f) { return f.contains("data") && f["arg"]["channel"] == "books"; };
  REQUIRE(ws.wait_json(2, books).size() >= 2);

  fault broken;
  broken.kind = fault_kind::malformed_frame;
  broken.exchange = "okx";
  broken.stream = "books";
  broken.payload = R"({"arg":{"channel":"books","instId":"BTC-U)";
  fixture.sim->faults().add(broken);
  REQUIRE(ws.frames.wait_until([&](const std::vector<std::string>& all) {
    auto at = std::find(all.begin(), all.end(), broken.payload);
    return at != all.end() && std::next(at) != all.end();
  }));
  auto all = ws.frames.snapshot();
  auto at = std::find(all.begin(), all.end(), broken.payload);
  auto after = nlohmann::json::parse(*std::next(at));
  CHECK(after["action"] == "update");

  fault drop;
  drop.kind = fault_kind::drop_websocket;
  drop.exchange = "okx";
  drop.stream = "books";
  fixture.sim->faults().add(drop);
  REQUIRE(ws.closes.wait_for(1));
  CHECK(ws.closes.snapshot()[0].was_open);
}

} // namespace tern::sim::testing

namespace tern::sim::testing {

TEST_CASE("OKX settings: books_checksum zero, unknown options and missing contract values refused", "[sim][okx]") {
  server_options zero = okx_options(false, true);
  zero.exchanges[0].options["books_checksum"] = "zero";
  {
    sim_fixture fixture{zero, "okx"};
    REQUIRE(fixture.host->step(1) == 1);
    ws_reader ws{fixture, "/ws/v5/public"};
    ws.send(okx_subscribe({{"channel", "books"}, {"instId", "BTC-USDT"}}));
    auto snapshot = ws.wait_json(1, [](const nlohmann::json& f) { return f.contains("data"); });
    REQUIRE(snapshot.size() == 1);
    CHECK(snapshot[0]["action"] == "snapshot");
    CHECK(!snapshot[0]["data"][0]["bids"].empty());
    CHECK(snapshot[0]["data"][0]["checksum"] == 0);
  }
  server_options unknown = okx_options(false, true);
  unknown.exchanges[0].options["books_checksum"] = "md5";
  auto refused = server::start(unknown);
  REQUIRE(!refused);
  CHECK(refused.error().find("books_checksum") != std::string::npos);

  server_options no_value = okx_options(true, true);
  no_value.exchanges[0].markets[0].contract_value = decimal{};
  refused = server::start(no_value);
  REQUIRE(!refused);
  CHECK(refused.error().find("contract_value") != std::string::npos);
}

} // namespace tern::sim::testing
