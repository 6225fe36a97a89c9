#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "connectors/registry.hpp"
#include "net/rate_limiter.hpp"
#include "tests/connectors/binance_fixtures.hpp"

// Request builders through the exchange_protocol interface: exact method, URL, headers and
// body for fixed timestamps. Where Binance documents an example, the request reproduces it.

using namespace tern;
using fixtures::futures_key;
using fixtures::futures_secret;
using fixtures::spot_key;
using fixtures::spot_secret;

namespace {

std::unique_ptr<exchange_protocol> protocol(std::string_view name) {
  auto made = make_protocol(name);
  REQUIRE(made);
  return std::move(made).value();
}

order_request limit_order(side s, const char* price, const char* amount) {
  order_request order;
  order.order_side = s;
  order.type = order_type::limit;
  order.price = decimal::from_string(price);
  order.amount = decimal::from_string(amount);
  return order;
}

// The query before "&signature=": what the request says, minus the part the vectors check.
std::string unsigned_part(const prepared_request& request) {
  std::string target = request.http.target;
  auto at = target.find("&signature=");
  REQUIRE(at != std::string::npos);
  CHECK(target.size() - at == std::string{"&signature="}.size() + 64);
  return target.substr(0, at);
}

} // namespace

TEST_CASE("spot place-order with the documented example's values is the documented request") {
  // rest-api.md "SIGNED Endpoint Examples for POST /api/v3/order - HMAC Keys", step 3.
  auto binance = protocol("binance");
  credentials keys{spot_key, spot_secret};
  auto request = binance->place_order("LTCBTC", limit_order(side::buy, "0.1", "1"),
                                      signing_context{keys, 1499827319559, 5000});
  REQUIRE(request);
  CHECK(request->http.method == "POST");
  CHECK(request->url()
        == "https://api.binance.com/api/v3/order?symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC"
           "&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
           "&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
  REQUIRE(request->http.headers.size() == 1);
  CHECK(request->http.headers[0].first == "X-MBX-APIKEY");
  CHECK(request->http.headers[0].second == spot_key);
  CHECK(request->http.body.empty());
  CHECK(request->limit_id == "POST /api/v3/order");
  CHECK(request->kind == request_kind::place_order);
}

TEST_CASE("USD-M place-order with the documented example's values is the documented request") {
  // USD-M "SIGNED Endpoint Examples for POST /fapi/v1/order - HMAC Keys", example 1.
  auto futures = protocol("binance_perpetual");
  credentials keys{futures_key, futures_secret};
  order_request order = limit_order(side::buy, "9000", "1");
  order.action = position_action::open;
  auto request = futures->place_order("BTCUSDT", order, signing_context{keys, 1591702613943, 5000});
  REQUIRE(request);
  CHECK(request->url()
        == "https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1"
           "&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943"
           "&signature=3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9");
  CHECK(request->limit_id == "POST /fapi/v1/order");
}

TEST_CASE("order types map to Binance's: LIMIT_MAKER on spot, GTX on USD-M, MARKET without price") {
  credentials keys{spot_key, spot_secret};
  signing_context signing{keys, 1700000000000, {}};
  auto spot = protocol("binance");
  auto futures = protocol("binance_perpetual");

  order_request maker = limit_order(side::sell, "61000.5", "0.002");
  maker.type = order_type::limit_maker;
  maker.client_order_id = "tern-SBCUT123";
  CHECK(unsigned_part(*spot->place_order("BTCUSDT", maker, signing))
        == "/api/v3/order?symbol=BTCUSDT&side=SELL&type=LIMIT_MAKER&quantity=0.002&price=61000.5"
           "&newClientOrderId=tern-SBCUT123&timestamp=1700000000000");
  maker.action = position_action::open;
  CHECK(unsigned_part(*futures->place_order("BTCUSDT", maker, signing))
        == "/fapi/v1/order?symbol=BTCUSDT&side=SELL&type=LIMIT&quantity=0.002&price=61000.5"
           "&timeInForce=GTX&newClientOrderId=tern-SBCUT123&timestamp=1700000000000");

  order_request market = limit_order(side::buy, "0", "1.5");
  market.type = order_type::market;
  CHECK(unsigned_part(*spot->place_order("ETHUSDT", market, signing))
        == "/api/v3/order?symbol=ETHUSDT&side=BUY&type=MARKET&quantity=1.5&timestamp=1700000000000");

  order_request ioc = limit_order(side::buy, "10", "1");
  ioc.tif = time_in_force::ioc;
  CHECK(unsigned_part(*spot->place_order("ETHUSDT", ioc, signing))
        == "/api/v3/order?symbol=ETHUSDT&side=BUY&type=LIMIT&timeInForce=IOC&quantity=1&price=10"
           "&timestamp=1700000000000");
}

TEST_CASE("USD-M closes by reduceOnly in one-way mode and by position side in hedge mode") {
  credentials keys{futures_key, futures_secret};
  signing_context signing{keys, 1700000000000, {}};
  auto futures = protocol("binance_perpetual");
  order_request close_long = limit_order(side::sell, "100", "2");
  close_long.action = position_action::close;
  CHECK(unsigned_part(*futures->place_order("ETHUSDT", close_long, signing))
        == "/fapi/v1/order?symbol=ETHUSDT&side=SELL&type=LIMIT&quantity=2&price=100&timeInForce=GTC"
           "&reduceOnly=true&timestamp=1700000000000");
  close_long.mode = position_mode::hedge;
  CHECK(unsigned_part(*futures->place_order("ETHUSDT", close_long, signing))
        == "/fapi/v1/order?symbol=ETHUSDT&side=SELL&positionSide=LONG&type=LIMIT&quantity=2&price=100"
           "&timeInForce=GTC&timestamp=1700000000000");
  order_request open_short = close_long;
  open_short.action = position_action::open;
  CHECK(unsigned_part(*futures->place_order("ETHUSDT", open_short, signing))
            .find("positionSide=SHORT") != std::string::npos);
}

TEST_CASE("orders that cannot be expressed are refused with the reason, nothing is sent") {
  credentials keys{spot_key, spot_secret};
  signing_context signing{keys, 1700000000000, 5000};
  auto spot = protocol("binance");
  auto futures = protocol("binance_perpetual");

  auto no_price = spot->place_order("BTCUSDT", limit_order(side::buy, "0", "1"), signing);
  REQUIRE_FALSE(no_price);
  CHECK(no_price.error().message == "limit order needs a positive price, got 0");

  order_request market_ioc = limit_order(side::buy, "0", "1");
  market_ioc.type = order_type::market;
  market_ioc.tif = time_in_force::ioc;
  CHECK_FALSE(spot->place_order("BTCUSDT", market_ioc, signing));

  auto no_action = futures->place_order("BTCUSDT", limit_order(side::buy, "1", "1"), signing);
  REQUIRE_FALSE(no_action);
  CHECK(no_action.error().message == "perpetual orders need position action open or close");

  order_request spot_close = limit_order(side::buy, "1", "1");
  spot_close.action = position_action::close;
  CHECK_FALSE(spot->place_order("BTCUSDT", spot_close, signing));

  order_request twice = limit_order(side::buy, "1", "1");
  twice.extra = {{"price", "2"}};
  auto duplicate = spot->place_order("BTCUSDT", twice, signing);
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error().message.find("\"price\"") != std::string::npos);

  credentials none;
  CHECK_FALSE(spot->place_order("BTCUSDT", limit_order(side::buy, "1", "1"),
                                signing_context{none, 1, {}}));
}

TEST_CASE("extra parameters pass through after the standard ones, before the timestamp") {
  credentials keys{spot_key, spot_secret};
  auto spot = protocol("binance");
  order_request order = limit_order(side::buy, "1", "1");
  order.extra = {{"newOrderRespType", "RESULT"}, {"selfTradePreventionMode", "EXPIRE_TAKER"}};
  CHECK(unsigned_part(*spot->place_order("BNBBTC", order, signing_context{keys, 5, {}}))
        == "/api/v3/order?symbol=BNBBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=1"
           "&newOrderRespType=RESULT&selfTradePreventionMode=EXPIRE_TAKER&timestamp=5");
}

TEST_CASE("cancel, status, open orders, fills and balances have the documented shapes") {
  credentials keys{spot_key, spot_secret};
  signing_context signing{keys, 1700000000000, 5000};
  auto spot = protocol("binance");
  auto cancel = spot->cancel_order("LTCBTC", "myOrder1", signing);
  REQUIRE(cancel);
  CHECK(cancel->http.method == "DELETE");
  CHECK(cancel->kind == request_kind::cancel_order);
  CHECK(unsigned_part(*cancel)
        == "/api/v3/order?symbol=LTCBTC&origClientOrderId=myOrder1&recvWindow=5000&timestamp=1700000000000");
  auto status = spot->order_status("LTCBTC", "myOrder1", signing);
  CHECK(status->http.method == "GET");
  CHECK(status->limit_id == "GET /api/v3/order");
  auto all = spot->cancel_all("LTCBTC", signing);
  CHECK(all->http.method == "DELETE");
  CHECK(unsigned_part(*all) == "/api/v3/openOrders?symbol=LTCBTC&recvWindow=5000&timestamp=1700000000000");
  CHECK(unsigned_part(*spot->open_orders("LTCBTC", signing))
        == "/api/v3/openOrders?symbol=LTCBTC&recvWindow=5000&timestamp=1700000000000");
  CHECK(unsigned_part(*spot->fills_since("LTCBTC", from_unix_ms(1699999000000), signing))
        == "/api/v3/myTrades?symbol=LTCBTC&startTime=1699999000000&limit=1000&recvWindow=5000"
           "&timestamp=1700000000000");
  CHECK(unsigned_part(*spot->balances(signing))
        == "/api/v3/account?omitZeroBalances=true&recvWindow=5000&timestamp=1700000000000");

  auto futures = protocol("binance_perpetual");
  CHECK(unsigned_part(*futures->cancel_all("BTCUSDT", signing))
        == "/fapi/v1/allOpenOrders?symbol=BTCUSDT&recvWindow=5000&timestamp=1700000000000");
  CHECK(unsigned_part(*futures->fills_since("BTCUSDT", from_unix_ms(1), signing))
        == "/fapi/v1/userTrades?symbol=BTCUSDT&startTime=1&limit=1000&recvWindow=5000"
           "&timestamp=1700000000000");
  CHECK(unsigned_part(*futures->balances(signing)) == "/fapi/v2/account?recvWindow=5000&timestamp=1700000000000");
}

TEST_CASE("USD-M account calls: positions, leverage, position mode, funding") {
  credentials keys{futures_key, futures_secret};
  signing_context signing{keys, 1700000000000, {}};
  auto futures = protocol("binance_perpetual");
  CHECK(unsigned_part(*futures->positions(signing)) == "/fapi/v2/positionRisk?timestamp=1700000000000");
  auto leverage = futures->set_leverage("BTCUSDT", 20, signing);
  CHECK(leverage->http.method == "POST");
  CHECK(unsigned_part(*leverage) == "/fapi/v1/leverage?symbol=BTCUSDT&leverage=20&timestamp=1700000000000");
  CHECK_FALSE(futures->set_leverage("BTCUSDT", 126, signing));
  CHECK(unsigned_part(*futures->position_mode(signing)) == "/fapi/v1/positionSide/dual?timestamp=1700000000000");
  CHECK(unsigned_part(*futures->set_position_mode(position_mode::hedge, signing))
        == "/fapi/v1/positionSide/dual?dualSidePosition=true&timestamp=1700000000000");
  auto funding = futures->funding_info("BTCUSDT");
  REQUIRE(funding);
  CHECK(funding->url() == "https://fapi.binance.com/fapi/v1/premiumIndex?symbol=BTCUSDT");
  CHECK(funding->http.headers.empty());
  CHECK(unsigned_part(*futures->funding_payments("BTCUSDT", from_unix_ms(1690000000000), signing))
        == "/fapi/v1/income?symbol=BTCUSDT&incomeType=FUNDING_FEE&startTime=1690000000000&limit=1000"
           "&timestamp=1700000000000");
}

TEST_CASE("spot offers none of the perpetual calls") {
  credentials keys{spot_key, spot_secret};
  signing_context signing{keys, 1, {}};
  auto spot = protocol("binance");
  auto positions = spot->positions(signing);
  REQUIRE_FALSE(positions);
  CHECK(positions.error().message == "positions is not supported by binance");
  CHECK_FALSE(spot->set_leverage("BTCUSDT", 2, signing));
  CHECK_FALSE(spot->funding_info("BTCUSDT"));
  CHECK_FALSE(spot->user_stream_token(keys));
  CHECK_FALSE(spot->parse_positions(net::http_response{200, {}, "[]", false}, symbol_map{}));
}

TEST_CASE("public requests: time, exchange info, depth rounded to a served depth") {
  auto spot = protocol("binance");
  CHECK(spot->server_time().url() == "https://api.binance.com/api/v3/time");
  CHECK(spot->trading_rules().url() == "https://api.binance.com/api/v3/exchangeInfo");
  auto depth = spot->depth_snapshot("BTCUSDT", 1000);
  CHECK(depth.url() == "https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=1000");
  CHECK(depth.limit_id == "GET /api/v3/depth limit=1000");
  CHECK(spot->depth_snapshot("BTCUSDT", 101).limit_id == "GET /api/v3/depth limit=500");
  CHECK(spot->depth_snapshot("BTCUSDT", 9999).limit_id == "GET /api/v3/depth limit=5000");
  auto futures = protocol("binance_perpetual");
  CHECK(futures->depth_snapshot("BTCUSDT", 20).url()
        == "https://fapi.binance.com/fapi/v1/depth?symbol=BTCUSDT&limit=50");
  CHECK(futures->depth_snapshot("BTCUSDT", 5000).limit_id == "GET /fapi/v1/depth limit=1000");
}

TEST_CASE("every request names an endpoint of the connector's rate-limit table") {
  credentials keys{futures_key, futures_secret};
  signing_context signing{keys, 1, {}};
  for (std::string_view name : {"binance", "binance_perpetual"}) {
    INFO(name);
    auto p = protocol(name);
    auto limiter = net::rate_limiter::create(p->rate_limits());
    REQUIRE(limiter);
    std::vector<prepared_request> requests{p->server_time(), p->trading_rules(),
                                           p->depth_snapshot("X", 100), p->depth_snapshot("X", 500),
                                           p->depth_snapshot("X", 1000)};
    order_request order = limit_order(side::buy, "1", "1");
    if (p->info().kind == market_kind::perpetual)
      order.action = position_action::open;
    for (auto built : {p->place_order("X", order, signing), p->cancel_order("X", "c", signing),
                       p->cancel_all("X", signing), p->order_status("X", "c", signing),
                       p->open_orders("X", signing), p->fills_since("X", {}, signing),
                       p->balances(signing)})
      requests.push_back(*built);
    if (p->info().kind == market_kind::perpetual) {
      for (auto built : {p->positions(signing), p->set_leverage("X", 1, signing),
                         p->position_mode(signing), p->set_position_mode(position_mode::one_way, signing),
                         p->funding_info("X"), p->funding_payments("X", {}, signing),
                         p->user_stream_token(keys), p->user_stream_keepalive(keys, "k"),
                         p->user_stream_close(keys, "k")})
        requests.push_back(*built);
    }
    auto now = net::limiter_clock::time_point{} + std::chrono::hours{1};
    for (const prepared_request& request : requests) {
      INFO(request.limit_id);
      auto decision = limiter->try_acquire(request.limit_id, now);
      REQUIRE(decision);
      CHECK(decision->granted);
    }
  }
}

TEST_CASE("spot order placement draws its weight and one from each order pool") {
  auto limiter = net::rate_limiter::create(protocol("binance")->rate_limits());
  REQUIRE(limiter);
  auto now = net::limiter_clock::time_point{} + std::chrono::hours{1};
  REQUIRE(limiter->try_acquire("POST /api/v3/order", now)->granted);
  CHECK(limiter->used("REQUEST_WEIGHT", now) == 1);
  CHECK(limiter->used("RAW_REQUESTS", now) == 1);
  CHECK(limiter->used("ORDERS_10S", now) == 1);
  CHECK(limiter->used("ORDERS_1D", now) == 1);
  REQUIRE(limiter->try_acquire("GET /api/v3/exchangeInfo", now)->granted);
  CHECK(limiter->used("REQUEST_WEIGHT", now) == 21);
  CHECK(limiter->used("ORDERS_10S", now) == 1);
  // 100 orders per 10 s: the 101st waits.
  for (int i = 1; i < 100; ++i)
    REQUIRE(limiter->try_acquire("POST /api/v3/order", now)->granted);
  auto over = limiter->try_acquire("POST /api/v3/order", now);
  CHECK_FALSE(over->granted);
  CHECK(over->wait == std::chrono::seconds{10});
}

TEST_CASE("USD-M listen keys are keyed, not signed") {
  credentials keys{futures_key, futures_secret};
  auto futures = protocol("binance_perpetual");
  auto create = futures->user_stream_token(keys);
  REQUIRE(create);
  CHECK(create->http.method == "POST");
  CHECK(create->url() == "https://fapi.binance.com/fapi/v1/listenKey");
  CHECK(create->http.headers.at(0) == std::pair<std::string, std::string>{"X-MBX-APIKEY", futures_key});
  CHECK(futures->user_stream_keepalive(keys, "k")->http.method == "PUT");
  CHECK(futures->user_stream_close(keys, "k")->http.method == "DELETE");
  CHECK(futures->user_stream().kind == user_stream_kind::listen_key);
  CHECK(futures->user_stream().keepalive_interval == std::chrono::minutes{30});
}

TEST_CASE("private streams: spot subscribes on the WS API, USD-M connects with the listen key") {
  credentials keys{spot_key, spot_secret};
  auto spot = protocol("binance");
  auto plan = spot->private_stream(signing_context{keys, 1747385641636, {}}, "", "req-1");
  REQUIRE(plan);
  CHECK(plan->url == "wss://ws-api.binance.com:443/ws-api/v3");
  REQUIRE(plan->messages.size() == 1);
  auto message = nlohmann::json::parse(plan->messages[0]);
  CHECK(message["id"] == "req-1");
  CHECK(message["method"] == "userDataStream.subscribe.signature");
  CHECK(message["params"]["apiKey"] == spot_key);
  CHECK(message["params"]["timestamp"] == 1747385641636);
  CHECK(message["params"]["signature"].get<std::string>().size() == 64);
  CHECK(message["params"].size() == 3);

  auto futures = protocol("binance_perpetual");
  auto live = futures->private_stream(signing_context{keys, 1, {}}, "pqia91ma", "");
  REQUIRE(live);
  CHECK(live->url == "wss://fstream.binance.com/private/ws?listenKey=pqia91ma");
  CHECK(live->messages.empty());
  CHECK_FALSE(futures->private_stream(signing_context{keys, 1, {}}, "", ""));
  auto testnet = make_protocol("binance_perpetual", protocol_options{environment::testnet, {}, {}});
  CHECK((*testnet)->private_stream(signing_context{keys, 1, {}}, "abc", "")->url
        == "wss://fstream.binancefuture.com/ws/abc");
}

TEST_CASE("public subscriptions: SUBSCRIBE messages per connection, USD-M split by path") {
  auto spot = protocol("binance");
  auto plans = spot->public_streams({"BTCUSDT", "ETHBTC"}, 7);
  REQUIRE(plans.size() == 1);
  CHECK(plans[0].url == "wss://stream.binance.com:9443/stream");
  CHECK(plans[0].messages
        == std::vector<std::string>{
            R"({"method":"SUBSCRIBE","params":["btcusdt@depth@100ms","btcusdt@bookTicker","btcusdt@trade",)"
            R"("ethbtc@depth@100ms","ethbtc@bookTicker","ethbtc@trade"],"id":7})"});
  auto futures = protocol("binance_perpetual");
  auto split = futures->public_streams({"BTCUSDT"}, 1);
  REQUIRE(split.size() == 2);
  CHECK(split[0].url == "wss://fstream.binance.com/public/stream");
  CHECK(split[0].messages[0]
        == R"({"method":"SUBSCRIBE","params":["btcusdt@depth@100ms","btcusdt@bookTicker"],"id":1})");
  CHECK(split[1].url == "wss://fstream.binance.com/market/stream");
  CHECK(split[1].messages[0]
        == R"({"method":"SUBSCRIBE","params":["btcusdt@trade","btcusdt@markPrice@1s"],"id":2})");
}
