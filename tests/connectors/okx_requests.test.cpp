#include <catch2/catch.hpp>

#include <algorithm>

#include "connectors/okx/requests.hpp"
#include "connectors/registry.hpp"
#include "net/rate_limiter.hpp"
#include "tests/connectors/okx_fixtures_rest.hpp"

// OKX request builders for a fixed time. The documented place-order example
// (#order-book-trading-trade-post-place-order, "place order for SPOT") is reproduced member
// for member; its signature is an independent OpenSSL vector (see okx_signing.test.cpp).

using namespace tern;
using okx_fixtures::example_secret;
using okx_fixtures::example_timestamp_ms;

namespace {

std::unique_ptr<exchange_protocol> protocol(std::string_view name, protocol_options options = {}) {
  auto made = make_protocol(name, options);
  REQUIRE(made);
  return std::move(made).value();
}

const credentials keys{"37c541a1-key", std::string{example_secret}, "passphrase-1"};

signing_context at_example_time() { return signing_context{keys, example_timestamp_ms, {}}; }

std::string header(const prepared_request& request, std::string_view name) {
  auto value = net::find_header(request.http.headers, name);
  return value ? std::string{*value} : std::string{"<none>"};
}

order_request spot_limit() {
  order_request order;
  order.client_order_id = "b15";
  order.order_side = side::buy;
  order.price = decimal::from_string("2.15");
  order.amount = decimal::from_string("2");
  return order;
}

order_request swap_order(side s, position_action action, position_mode mode) {
  order_request order;
  order.client_order_id = "tern1";
  order.order_side = s;
  order.price = decimal::from_string("60000.5");
  order.amount = decimal::from_string("0.05");
  order.action = action;
  order.mode = mode;
  order.contract_size = decimal::from_string("0.01");
  return order;
}

} // namespace

TEST_CASE("okx place-order: the documented spot example, signed") {
  auto okx = protocol("okx");
  auto request = okx->place_order("BTC-USDT", spot_limit(), at_example_time());
  REQUIRE(request);
  CHECK(request->http.method == "POST");
  CHECK(request->url() == "https://www.okx.com/api/v5/trade/order");
  CHECK(request->http.body
        == R"({"instId":"BTC-USDT","tdMode":"cash","clOrdId":"b15","side":"buy","ordType":"limit","px":"2.15","sz":"2"})");
  CHECK(header(*request, "OK-ACCESS-KEY") == "37c541a1-key");
  CHECK(header(*request, "OK-ACCESS-TIMESTAMP") == "2020-12-08T09:08:57.715Z");
  CHECK(header(*request, "OK-ACCESS-PASSPHRASE") == "passphrase-1");
  CHECK(header(*request, "OK-ACCESS-SIGN") == "dI6rrL9rXW/HdaPKJ/6LC1OgvH4/PYju6R3CqixMTNQ=");
  CHECK(header(*request, "Content-Type") == "application/json");
  CHECK(request->limit_id == "POST /api/v5/trade/order");
  CHECK(request->kind == request_kind::place_order);
}

TEST_CASE("okx order types: post_only, ioc, fok, and market sized in base") {
  auto okx = protocol("okx");
  order_request order = spot_limit();
  order.type = order_type::limit_maker;
  CHECK(okx->place_order("BTC-USDT", order, at_example_time())->http.body.find(R"("ordType":"post_only")")
        != std::string::npos);
  order = spot_limit();
  order.tif = time_in_force::ioc;
  CHECK(okx->place_order("BTC-USDT", order, at_example_time())->http.body.find(R"("ordType":"ioc")")
        != std::string::npos);
  order.tif = time_in_force::fok;
  CHECK(okx->place_order("BTC-USDT", order, at_example_time())->http.body.find(R"("ordType":"fok")")
        != std::string::npos);
  order = spot_limit();
  order.type = order_type::market;
  CHECK(okx->place_order("BTC-USDT", order, at_example_time())->http.body
        == R"({"instId":"BTC-USDT","tdMode":"cash","clOrdId":"b15","side":"buy","ordType":"market","sz":"2","tgtCcy":"base_ccy"})");
}

TEST_CASE("okx_perpetual orders: contracts, cross margin, posSide in hedge mode, reduceOnly") {
  auto swap = protocol("okx_perpetual");
  auto open_long = swap->place_order("BTC-USDT-SWAP", swap_order(side::buy, position_action::open,
                                                                 position_mode::hedge),
                                     at_example_time());
  REQUIRE(open_long);
  CHECK(open_long->http.body
        == R"({"instId":"BTC-USDT-SWAP","tdMode":"cross","clOrdId":"tern1","side":"buy","posSide":"long","ordType":"limit","px":"60000.5","sz":"5"})");
  auto close_long = swap->place_order(
      "BTC-USDT-SWAP", swap_order(side::sell, position_action::close, position_mode::hedge),
      at_example_time());
  CHECK(close_long->http.body.find(R"("side":"sell","posSide":"long")") != std::string::npos);
  auto open_short = swap->place_order(
      "BTC-USDT-SWAP", swap_order(side::sell, position_action::open, position_mode::hedge),
      at_example_time());
  CHECK(open_short->http.body.find(R"("posSide":"short")") != std::string::npos);
  auto close_net = swap->place_order(
      "BTC-USDT-SWAP", swap_order(side::buy, position_action::close, position_mode::one_way),
      at_example_time());
  CHECK(close_net->http.body
        == R"({"instId":"BTC-USDT-SWAP","tdMode":"cross","clOrdId":"tern1","side":"buy","ordType":"limit","px":"60000.5","sz":"5","reduceOnly":true})");
  auto open_net = swap->place_order(
      "BTC-USDT-SWAP", swap_order(side::buy, position_action::open, position_mode::one_way),
      at_example_time());
  CHECK(open_net->http.body.find("posSide") == std::string::npos);
  CHECK(open_net->http.body.find("reduceOnly") == std::string::npos);
}

TEST_CASE("okx orders that cannot be sent say why") {
  auto okx = protocol("okx");
  auto swap = protocol("okx_perpetual");
  order_request no_size = swap_order(side::buy, position_action::open, position_mode::one_way);
  no_size.contract_size.reset();
  auto refused = swap->place_order("BTC-USDT-SWAP", no_size, at_example_time());
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("contract size") != std::string::npos);
  order_request inexact = swap_order(side::buy, position_action::open, position_mode::one_way);
  inexact.contract_size = decimal::from_string("0.03");
  CHECK(swap->place_order("BTC-USDT-SWAP", inexact, at_example_time()).error().message
        == "amount 0.05 is not an exact number of contracts of 0.03");
  order_request lots = swap_order(side::buy, position_action::open, position_mode::one_way);
  lots.amount = decimal::from_string("0.055");  // 5.5 contracts: OKX lots may be fractional
  CHECK(swap->place_order("BTC-USDT-SWAP", lots, at_example_time())->http.body.find(R"("sz":"5.5")")
        != std::string::npos);
  order_request no_action = spot_limit();
  CHECK_FALSE(swap->place_order("BTC-USDT-SWAP", no_action, at_example_time()));
  order_request spot_action = spot_limit();
  spot_action.action = position_action::open;
  CHECK(okx->place_order("BTC-USDT", spot_action, at_example_time()).error().message
        == "spot orders take no position action");
  order_request twice = spot_limit();
  twice.extra = {{"px", "3"}};
  CHECK(okx->place_order("BTC-USDT", twice, at_example_time()).error().message
        == "parameter \"px\" is set by the connector and cannot be passed again");
  order_request tagged = spot_limit();
  tagged.extra = {{"stpMode", "cancel_both"}};
  CHECK(okx->place_order("BTC-USDT", tagged, at_example_time())->http.body.ends_with(
      R"("sz":"2","stpMode":"cancel_both"})"));
  credentials no_passphrase{"key", "secret"};
  auto unsigned_request = okx->balances(signing_context{no_passphrase, 1, {}});
  REQUIRE_FALSE(unsigned_request);
  CHECK(unsigned_request.error().message
        == "signed request GET /api/v5/account/balance needs an API key, secret and passphrase");
}

TEST_CASE("okx private GETs sign the path with its query, POSTs sign the body") {
  auto okx = protocol("okx");
  auto status = okx->order_status("BTC-USDT", "b15", at_example_time());
  REQUIRE(status);
  CHECK(status->http.target == "/api/v5/trade/order?instId=BTC-USDT&clOrdId=b15");
  CHECK(status->http.body.empty());
  CHECK(header(*status, "Content-Type") == "<none>");
  // Independent OpenSSL vector over "2020-12-08T09:08:57.715ZGET/api/v5/trade/order?instId=
  // BTC-USDT&clOrdId=b15".
  CHECK(header(*status, "OK-ACCESS-SIGN") == "Sm7W+/LUugnlL0CckFh5u8eC1fmkvm+Rpu7mRpOMqHY=");
  auto cancel = okx->cancel_order("BTC-USDT", "b15", at_example_time());
  CHECK(cancel->http.target == "/api/v5/trade/cancel-order");
  CHECK(cancel->http.body == R"({"instId":"BTC-USDT","clOrdId":"b15"})");
  CHECK(cancel->kind == request_kind::cancel_order);
  CHECK(okx->open_orders("BTC-USDT", at_example_time())->http.target
        == "/api/v5/trade/orders-pending?instType=SPOT&instId=BTC-USDT");
  CHECK(okx->fills_since("BTC-USDT", from_unix_ms(1708587373000), at_example_time())->http.target
        == "/api/v5/trade/fills-history?instType=SPOT&instId=BTC-USDT&begin=1708587373000&limit=100");
  CHECK(okx->balances(at_example_time())->http.target == "/api/v5/account/balance");
  CHECK_FALSE(okx->cancel_all("BTC-USDT", at_example_time()));
  CHECK_FALSE(okx->positions(at_example_time()));
}

TEST_CASE("okx public requests and the perpetual calls") {
  auto swap = protocol("okx_perpetual");
  CHECK(swap->server_time().url() == "https://www.okx.com/api/v5/public/time");
  CHECK(swap->trading_rules().http.target == "/api/v5/public/instruments?instType=SWAP");
  CHECK(swap->depth_snapshot("BTC-USDT-SWAP", 1000).http.target
        == "/api/v5/market/books?instId=BTC-USDT-SWAP&sz=400");
  CHECK(swap->depth_snapshot("BTC-USDT-SWAP", 20).limit_id == "GET /api/v5/market/books");
  CHECK(swap->positions(at_example_time())->http.target == "/api/v5/account/positions?instType=SWAP");
  auto leverage = swap->set_leverage("BTC-USDT-SWAP", 5, at_example_time());
  CHECK(leverage->http.body == R"({"instId":"BTC-USDT-SWAP","lever":"5","mgnMode":"cross"})");
  CHECK(leverage->kind == request_kind::account_change);
  CHECK(swap->set_leverage("BTC-USDT-SWAP", 126, at_example_time()).error().message
        == "leverage must be 1 to 125, got 126");
  CHECK(swap->position_mode(at_example_time())->http.target == "/api/v5/account/config");
  CHECK(swap->set_position_mode(position_mode::hedge, at_example_time())->http.body
        == R"({"posMode":"long_short_mode"})");
  CHECK(swap->set_position_mode(position_mode::one_way, at_example_time())->http.body
        == R"({"posMode":"net_mode"})");
  CHECK(swap->funding_info("BTC-USDT-SWAP")->http.target
        == "/api/v5/public/funding-rate?instId=BTC-USDT-SWAP");
  CHECK(swap->funding_payments("BTC-USDT-SWAP", from_unix_ms(1695033476000), at_example_time())
            ->http.target
        == "/api/v5/account/bills-archive?instType=SWAP&instId=BTC-USDT-SWAP&type=8"
           "&begin=1695033476000&limit=100");
}

TEST_CASE("okx demo trading marks every request, the simulator's endpoints replace the live ones") {
  auto demo = protocol("okx", {environment::testnet, {}, {}});
  CHECK(header(demo->server_time(), "x-simulated-trading") == "1");
  CHECK(header(*demo->balances(at_example_time()), "x-simulated-trading") == "1");
  CHECK(demo->urls().public_ws == "wss://wspap.okx.com:8443/ws/v5/public");
  auto live = protocol("okx");
  CHECK(header(live->server_time(), "x-simulated-trading") == "<none>");
  endpoints sim{"https://127.0.0.1:9443", "wss://127.0.0.1:9444/ws/v5/public", "",
                "wss://127.0.0.1:9444/ws/v5/private"};
  auto simulated = protocol("okx_perpetual", {environment::live, sim, {}});
  CHECK(simulated->server_time().url() == "https://127.0.0.1:9443/api/v5/public/time");
  CHECK(simulated->public_streams({"BTC-USDT-SWAP"}, 1).front().url == sim.public_ws);
}

TEST_CASE("every okx request draws on an endpoint of the rate-limit table, which the limiter accepts") {
  auto swap = protocol("okx_perpetual");
  net::rate_limit_table table = swap->rate_limits();
  auto limiter = net::rate_limiter::create(table);
  REQUIRE(limiter);
  auto known = [&](const std::string& id) {
    return std::any_of(table.endpoints.begin(), table.endpoints.end(),
                       [&](const net::rate_limit_endpoint& e) { return e.id == id; });
  };
  signing_context signing = at_example_time();
  std::vector<prepared_request> requests{
      swap->server_time(), swap->trading_rules(), swap->depth_snapshot("BTC-USDT-SWAP", 400),
      *swap->place_order("BTC-USDT-SWAP", swap_order(side::buy, position_action::open,
                                                     position_mode::one_way), signing),
      *swap->cancel_order("BTC-USDT-SWAP", "x1", signing),
      *swap->order_status("BTC-USDT-SWAP", "x1", signing),
      *swap->open_orders("BTC-USDT-SWAP", signing),
      *swap->fills_since("BTC-USDT-SWAP", from_unix_ms(1), signing), *swap->balances(signing),
      *swap->positions(signing), *swap->set_leverage("BTC-USDT-SWAP", 3, signing),
      *swap->position_mode(signing), *swap->set_position_mode(position_mode::hedge, signing),
      *swap->funding_info("BTC-USDT-SWAP"),
      *swap->funding_payments("BTC-USDT-SWAP", from_unix_ms(1), signing)};
  for (const prepared_request& request : requests)
    CHECK(known(request.limit_id));
  CHECK(table.endpoints.size() == requests.size());
}
