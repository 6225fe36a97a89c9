#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "connectors/registry.hpp"
#include "tests/connectors/okx_fixtures_account.hpp"
#include "tests/connectors/okx_fixtures_ws.hpp"

// OKX stream frames on the documented push examples (okx_fixtures_ws.hpp names the sections),
// the subscriptions, and the login plan.

using namespace tern;
using nlohmann::json;

namespace {

std::unique_ptr<exchange_protocol> protocol(std::string_view name) {
  auto made = make_protocol(name);
  REQUIRE(made);
  return std::move(made).value();
}

symbol_map markets(std::string_view pair, std::string_view symbol,
                   std::optional<std::string_view> contract_size = std::nullopt) {
  symbol_map out;
  out.add(trading_pair::from_string(pair), std::string{symbol});
  if (contract_size)
    out.set_contract_size(symbol, decimal::from_string(*contract_size));
  return out;
}

decimal d(std::string_view text) { return decimal::from_string(text); }

} // namespace

TEST_CASE("okx books snapshot and update: levels, sequence ids, wire text") {
  auto parser = protocol("okx")->make_public_parser(markets("BTC-USDT", "BTC-USDT"));
  public_frame frame;
  auto kind = parser->parse(okx_fixtures::books_snapshot, from_unix_ms(9), frame);
  REQUIRE(kind);
  CHECK(*kind == public_event_kind::book_snapshot);
  CHECK(frame.snapshot.pair == "BTC-USDT");
  CHECK(frame.snapshot.sequence == 123456);
  CHECK(frame.snapshot.exchange_time == from_unix_ms(1597026383085));
  CHECK(frame.snapshot.received_time == from_unix_ms(9));
  REQUIRE(frame.snapshot.asks.size() == 8);
  CHECK(frame.snapshot.asks.front() == price_level{d("8476.98"), d("415")});
  CHECK(frame.snapshot.bids.back() == price_level{d("8446"), d("95")});
  REQUIRE(frame.levels.asks.size() == 8);
  CHECK(frame.levels.asks[1] == level_text{"8477", "7"});
  CHECK_FALSE(frame.levels.checksum);  // "checksum": 0 is "not computed" since its deprecation
  kind = parser->parse(okx_fixtures::books_update, from_unix_ms(10), frame);
  REQUIRE(kind);
  CHECK(*kind == public_event_kind::book_delta);
  CHECK(frame.depth.first_sequence == 123457);
  CHECK(frame.depth.last_sequence == 123457);
  CHECK(frame.depth.previous_sequence == 123456);
  CHECK(frame.depth.bids.size() == 8);
  CHECK(frame.levels.bids[3] == level_text{"8475.3", "1"});
}

TEST_CASE("okx books: a non-zero checksum is kept as its 32 bits, swap sizes become base") {
  // The documented update edited: checksum -855196043 (the value OKX's example carried before
  // the field's deprecation), instrument BTC-USDT-SWAP.
  json frame_json = json::parse(okx_fixtures::books_update);
  frame_json["data"][0]["checksum"] = -855196043;
  frame_json["arg"]["instId"] = "BTC-USDT-SWAP";
  auto parser =
      protocol("okx_perpetual")->make_public_parser(markets("BTC-USDT", "BTC-USDT-SWAP", "0.01"));
  public_frame frame;
  REQUIRE(parser->parse(frame_json.dump(), {}, frame));
  REQUIRE(frame.levels.checksum);
  CHECK(static_cast<std::int32_t>(*frame.levels.checksum) == -855196043);
  CHECK(frame.depth.checksum == frame.levels.checksum);
  CHECK(frame.depth.asks.front() == price_level{d("8476.98"), d("4.15")});  // 415 contracts
  CHECK(frame.levels.asks.front() == level_text{"8476.98", "415"});        // the text as sent
}

TEST_CASE("okx trades and funding rate") {
  auto spot = protocol("okx")->make_public_parser(markets("BTC-USDT", "BTC-USDT"));
  public_frame frame;
  REQUIRE(spot->parse(okx_fixtures::trades_push, from_unix_ms(3), frame).value()
          == public_event_kind::trade);
  CHECK(frame.trade_event.pair == "BTC-USDT");
  CHECK(frame.trade_event.trade_id == "130639474");
  CHECK(frame.trade_event.price == d("42219.9"));
  CHECK(frame.trade_event.size == d("0.12060306"));
  CHECK(frame.trade_event.taker_side == side::buy);
  CHECK(frame.trade_event.exchange_time == from_unix_ms(1630048897897));
  auto swap = protocol("okx_perpetual")->make_public_parser(markets("BTC-USD", "BTC-USD-SWAP", "100"));
  REQUIRE(swap->parse(okx_fixtures::funding_rate_push, {}, frame).value()
          == public_event_kind::funding_info);
  CHECK(frame.funding.pair == "BTC-USD");
  CHECK(frame.funding.rate == d("0.0001875391284828"));
  CHECK(frame.funding.next_funding_time == from_unix_ms(1700726400000));
}

TEST_CASE("okx public acknowledgements, refusals, pong, unknown channels and markets") {
  auto parser = protocol("okx")->make_public_parser(markets("BTC-USDT", "BTC-USDT"));
  public_frame frame;
  REQUIRE(parser->parse(okx_fixtures::books_subscribed, {}, frame).value() == public_event_kind::control);
  CHECK(frame.control.kind == stream_control_kind::subscribed);
  CHECK(frame.control.request_id == "1512");
  REQUIRE(parser->parse(okx_fixtures::books_subscribe_failed, {}, frame).value()
          == public_event_kind::control);
  CHECK(frame.control.kind == stream_control_kind::request_failed);
  REQUIRE(frame.control.error);
  CHECK(frame.control.error->code == "60012");
  CHECK(frame.control.error->category == error_category::invalid_request);
  REQUIRE(parser->parse("pong", {}, frame).value() == public_event_kind::control);
  CHECK(frame.control.kind == stream_control_kind::heartbeat);
  json candles = json::parse(okx_fixtures::trades_push);
  candles["arg"]["channel"] = "candle1m";
  auto unknown = parser->parse(candles.dump(), {}, frame);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().kind == frame_problem::kind_type::unknown);
  CHECK(unknown.error().channel == "candle1m");
  auto other = protocol("okx")->make_public_parser(markets("ETH-USDT", "ETH-USDT"));
  auto unmapped = other->parse(okx_fixtures::trades_push, {}, frame);
  REQUIRE_FALSE(unmapped);
  CHECK(unmapped.error().detail == "symbol \"BTC-USDT\" is not one of the connector's markets");
  auto truncated = parser->parse(okx_fixtures::books_update.substr(0, 120), {}, frame);
  REQUIRE_FALSE(truncated);
  CHECK(truncated.error().kind == frame_problem::kind_type::malformed);
}

TEST_CASE("okx public subscriptions: books and trades (and funding-rate for swaps), ping") {
  auto swap = protocol("okx_perpetual");
  auto plans = swap->public_streams({"BTC-USDT-SWAP", "ETH-USDT-SWAP"}, 7);
  REQUIRE(plans.size() == 1);
  CHECK(plans[0].url == "wss://ws.okx.com:8443/ws/v5/public");
  CHECK(plans[0].ping_message == "ping");
  CHECK(plans[0].ping_after_idle == std::chrono::seconds{25});
  REQUIRE(plans[0].messages.size() == 1);
  json message = json::parse(plans[0].messages[0]);
  CHECK(message["id"] == "7");
  CHECK(message["op"] == "subscribe");
  CHECK(message["args"].size() == 6);
  CHECK(message["args"][0] == json{{"channel", "books"}, {"instId", "BTC-USDT-SWAP"}});
  CHECK(message["args"][2] == json{{"channel", "funding-rate"}, {"instId", "BTC-USDT-SWAP"}});
  std::vector<std::string> many;
  for (int i = 0; i < 25; ++i)
    many.push_back("C" + std::to_string(i) + "-USDT");
  auto spot_plans = protocol("okx")->public_streams(many, 1);
  CHECK(spot_plans.size() == 3);  // 10 markets a connection
  CHECK(json::parse(spot_plans[2].messages[0])["id"] == "3");
  auto again = swap->book_resubscription("BTC-USDT-SWAP", 40);
  REQUIRE(again.size() == 2);
  CHECK(again[0] == R"({"id":"40","op":"unsubscribe","args":[{"channel":"books","instId":"BTC-USDT-SWAP"}]})");
  CHECK(again[1] == R"({"id":"41","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT-SWAP"}]})");
}

TEST_CASE("okx private stream: login then subscriptions, on the private URL") {
  credentials keys{"key-1", "secret-1", "pass-1"};
  auto spot = protocol("okx");
  auto plan = spot->private_stream(signing_context{keys, 1538054050000, {}}, "", "9");
  REQUIRE(plan);
  CHECK(plan->url == "wss://ws.okx.com:8443/ws/v5/private");
  REQUIRE(plan->messages.size() == 2);
  CHECK(json::parse(plan->messages[0])["op"] == "login");
  CHECK(plan->messages[1]
        == R"({"id":"9","op":"subscribe","args":[{"channel":"orders","instType":"SPOT"},{"channel":"account"}]})");
  auto swap_plan = protocol("okx_perpetual")->private_stream(signing_context{keys, 1, {}}, "", "2");
  CHECK(swap_plan->messages[1]
        == R"({"id":"2","op":"subscribe","args":[{"channel":"orders","instType":"SWAP"},{"channel":"positions","instType":"SWAP"},{"channel":"account"}]})");
  credentials no_passphrase{"key-1", "secret-1"};
  CHECK_FALSE(spot->private_stream(signing_context{no_passphrase, 1, {}}, "", "1"));
  CHECK(spot->user_stream().kind == user_stream_kind::ws_login);
}

TEST_CASE("okx orders push: the order update and its fill") {
  auto events = protocol("okx")->parse_private_frame(okx_fixtures::orders_push,
                                                     markets("BTC-USDT", "BTC-USDT"), {});
  REQUIRE(events);
  REQUIRE(events->size() == 2);
  const auto& update = std::get<order_update>((*events)[0]);
  CHECK(update.pair == "BTC-USDT");
  CHECK(update.exchange_order_id == "452197707845865472");
  CHECK(update.new_state == order_state::filled);
  CHECK(update.update_time == from_unix_ms(1654084353264));
  const auto& execution = std::get<fill>((*events)[1]);
  CHECK(execution.trade_id == "242589207");
  CHECK(execution.order_side == side::sell);
  CHECK(execution.price == d("31527.1"));
  CHECK(execution.base_amount == d("0.001"));
  CHECK(execution.quote_amount == d("31.5271"));
  CHECK(execution.fee == tern::fee{"USDT", d("0.02522168")});
  CHECK_FALSE(execution.is_taker);  // execType M
  CHECK(execution.fill_time == from_unix_ms(1654084353263));
}

TEST_CASE("okx orders push without a fill, in contracts, and with an unknown state") {
  // The documented push edited: a live swap order with nothing filled yet.
  json push = json::parse(okx_fixtures::orders_push);
  json& order = push["data"][0];
  order["instId"] = "BTC-USDT-SWAP";
  order["instType"] = "SWAP";
  order["state"] = "live";
  order["sz"] = "3";
  order["accFillSz"] = "0";
  order["fillSz"] = "0";
  order["tradeId"] = "";
  auto symbols = markets("BTC-USDT", "BTC-USDT-SWAP", "0.01");
  auto swap = protocol("okx_perpetual");
  auto events = swap->parse_private_frame(push.dump(), symbols, {});
  REQUIRE(events);
  REQUIRE(events->size() == 1);
  CHECK(std::get<order_update>((*events)[0]).new_state == order_state::open);
  order["state"] = "amended";
  auto bad = swap->parse_private_frame(push.dump(), symbols, {});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().kind == frame_problem::kind_type::malformed);
  CHECK(bad.error().channel == "orders");
  auto elsewhere = swap->parse_private_frame(push.dump(), markets("ETH-USDT", "ETH-USDT-SWAP", "0.1"), {});
  REQUIRE_FALSE(elsewhere);
  CHECK(elsewhere.error().kind == frame_problem::kind_type::unknown);
}

TEST_CASE("okx orders push: a cancellation says why by its cancelSource") {
  // The documented push edited into a post-only order OKX cancelled because it would have
  // taken (cancelSource 31, "Get order details" / order channel field list).
  json push = json::parse(okx_fixtures::orders_push);
  json& order = push["data"][0];
  order["state"] = "canceled";
  order["ordType"] = "post_only";
  order["accFillSz"] = "0";
  order["fillSz"] = "0";
  order["tradeId"] = "";
  order["cancelSource"] = "31";
  auto okx = protocol("okx");
  auto symbols = markets("BTC-USDT", "BTC-USDT");
  auto events = okx->parse_private_frame(push.dump(), symbols, {});
  REQUIRE(events);
  REQUIRE(events->size() == 1);
  const auto& update = std::get<order_update>((*events)[0]);
  CHECK(update.new_state == order_state::cancelled);
  CHECK(update.error_code == "cancelSource 31");
  CHECK(update.error_message == "post-only order would have taken liquidity (cancelSource 31)");
  // The owner's own cancel (1) carries no reason; a code the table lacks names itself and
  // keeps OKX's text.
  order["cancelSource"] = "1";
  auto own = okx->parse_private_frame(push.dump(), symbols, {});
  REQUIRE(own);
  CHECK(std::get<order_update>((*own)[0]).error_message.empty());
  order["cancelSource"] = "99";
  order["cancelSourceReason"] = "something new";
  auto other = okx->parse_private_frame(push.dump(), symbols, {});
  REQUIRE(other);
  CHECK(std::get<order_update>((*other)[0]).error_message
        == "cancelled by OKX (cancelSource 99): something new");
}

TEST_CASE("okx account and positions pushes") {
  auto swap = protocol("okx_perpetual");
  auto balances = swap->parse_private_frame(okx_fixtures::account_push, symbol_map{}, {});
  REQUIRE(balances);
  REQUIRE(balances->size() == 1);
  CHECK(std::get<balance>((*balances)[0])
        == balance{"USDT", d("4892.951170691435"), d("4734.371190691436")});
  // The documented push holds an expiry future (not mapped) and ETH-USD-SWAP; the test gives
  // the swap a contract size of 10.
  auto positions = swap->parse_private_frame(okx_fixtures::positions_push,
                                             markets("ETH-USD", "ETH-USD-SWAP", "10"), {});
  REQUIRE(positions);
  REQUIRE(positions->size() == 1);
  const auto& p = std::get<position>((*positions)[0]);
  CHECK(p.pair == "ETH-USD");
  CHECK(p.side == position_side::long_side);
  CHECK(p.amount == d("10"));
  CHECK(p.entry_price == d("2566.31"));
  CHECK(p.leverage == d("10"));
  // A closed position is pushed with pos 0 and reaches the tracker.
  json closed = json::parse(okx_fixtures::positions_push);
  closed["data"][1]["pos"] = "0";
  auto gone = swap->parse_private_frame(closed.dump(), markets("ETH-USD", "ETH-USD-SWAP", "10"), {});
  REQUIRE(gone);
  CHECK(std::get<position>((*gone)[0]).amount == decimal{});
}

TEST_CASE("okx private control frames: login, failures, pong, notices, unknown events") {
  auto okx = protocol("okx");
  auto parse = [&](std::string_view frame) { return okx->parse_private_frame(frame, symbol_map{}, {}); };
  auto login = parse(okx_fixtures::login_success);
  REQUIRE(login);
  CHECK(std::get<stream_control>((*login)[0]).kind == stream_control_kind::subscribed);
  auto refused = parse(okx_fixtures::login_failure);
  REQUIRE(refused);
  const auto& failure = std::get<stream_control>((*refused)[0]);
  CHECK(failure.kind == stream_control_kind::request_failed);
  REQUIRE(failure.error);
  CHECK(failure.error->category == error_category::authentication);
  CHECK(std::get<stream_control>(parse("pong")->at(0)).kind == stream_control_kind::heartbeat);
  // The push OKX sends 30 s before a service upgrade (OKX API changelog, "WebSocket service
  // upgrade disconnection notice", 2024-12; the example verbatim).
  auto notice = parse(R"({"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"a4d3ae55"})");
  REQUIRE(notice);
  CHECK(std::get<stream_control>((*notice)[0]).kind == stream_control_kind::server_shutdown);
  auto strange = parse(R"({"event":"rebate","connId":"a4d3ae55"})");
  REQUIRE_FALSE(strange);
  CHECK(strange.error().channel == "rebate");
  CHECK(parse("{\"arg\":").error().kind == frame_problem::kind_type::malformed);
}
