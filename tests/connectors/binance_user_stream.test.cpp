#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "connectors/registry.hpp"
#include "tests/connectors/binance_fixtures.hpp"

// Private stream frames on Binance's documented examples, through parse_private_frame.

using namespace tern;
using namespace tern::literals;

namespace {

std::unique_ptr<exchange_protocol> protocol(std::string_view name) {
  auto made = make_protocol(name);
  REQUIRE(made);
  return std::move(made).value();
}

symbol_map markets() {
  symbol_map map;
  map.add(trading_pair::from_string("ETH-BTC"), "ETHBTC");
  map.add(trading_pair::from_string("BTC-USDT"), "BTCUSDT");
  return map;
}

std::vector<private_event> parse(const std::string& frame) {
  auto events = protocol("binance")->parse_private_frame(frame, markets(), {});
  INFO(frame);
  REQUIRE(events);
  return std::move(events).value();
}

frame_problem problem(const std::string& frame) {
  auto events = protocol("binance_perpetual")->parse_private_frame(frame, markets(), {});
  REQUIRE_FALSE(events);
  return std::move(events).error();
}

// The documented example with fields changed, for cases the docs show no example of.
std::string edited(const char* document, std::initializer_list<std::pair<const char*, nlohmann::json>> changes) {
  auto parsed = nlohmann::json::parse(document);
  for (const auto& [pointer, value] : changes)
    parsed[nlohmann::json::json_pointer{pointer}] = value;
  return parsed.dump();
}

} // namespace

TEST_CASE("executionReport NEW: one order update, open, no fill") {
  auto events = parse(fixtures::execution_report);
  REQUIRE(events.size() == 1);
  const auto& update = std::get<order_update>(events[0]);
  CHECK(update.pair == "ETH-BTC");
  CHECK(update.client_order_id == "mUvoqJxFIILMdfAW5iGSOW");
  CHECK(update.exchange_order_id == "4293153");
  CHECK(update.new_state == order_state::open);
  CHECK(to_unix_ms(update.update_time) == 1499405658657);
  CHECK(update.error_code.empty());
}

TEST_CASE("executionReport TRADE: an order update and a fill with fee asset, amount and trade id") {
  // The documented report as a partial fill would set it: x TRADE, X PARTIALLY_FILLED, and the
  // last execution's fields.
  auto frame = edited(fixtures::execution_report,
                      {{"/event/x", "TRADE"}, {"/event/X", "PARTIALLY_FILLED"},
                       {"/event/l", "0.40000000"}, {"/event/L", "0.10264400"},
                       {"/event/z", "0.40000000"}, {"/event/n", "0.00040000"},
                       {"/event/N", "ETH"}, {"/event/t", 12345}, {"/event/m", true},
                       {"/event/Y", "0.04105760"}, {"/event/Z", "0.04105760"}});
  auto events = parse(frame);
  REQUIRE(events.size() == 2);
  CHECK(std::get<order_update>(events[0]).new_state == order_state::partially_filled);
  const auto& execution = std::get<fill>(events[1]);
  CHECK(execution.pair == "ETH-BTC");
  CHECK(execution.trade_id == "12345");
  CHECK(execution.client_order_id == "mUvoqJxFIILMdfAW5iGSOW");
  CHECK(execution.exchange_order_id == "4293153");
  CHECK(execution.order_side == side::buy);
  CHECK(execution.price == "0.102644"_d);
  CHECK(execution.base_amount == "0.4"_d);
  CHECK(execution.quote_amount == "0.0410576"_d);
  CHECK(execution.fee == fee{"ETH", "0.0004"_d});
  CHECK_FALSE(execution.is_taker);  // m: the maker side
  CHECK(to_unix_ms(execution.fill_time) == 1499405658657);
}

TEST_CASE("executionReport CANCELED names the cancelled order by C, not the cancel's id c") {
  auto frame = edited(fixtures::execution_report, {{"/event/x", "CANCELED"}, {"/event/X", "CANCELED"},
                                                   {"/event/c", "cancel-request-7"},
                                                   {"/event/C", "mUvoqJxFIILMdfAW5iGSOW"}});
  auto events = parse(frame);
  REQUIRE(events.size() == 1);
  const auto& update = std::get<order_update>(events[0]);
  CHECK(update.client_order_id == "mUvoqJxFIILMdfAW5iGSOW");
  CHECK(update.new_state == order_state::cancelled);
}

TEST_CASE("executionReport REJECTED carries the reject reason") {
  auto frame = edited(fixtures::execution_report, {{"/event/x", "REJECTED"}, {"/event/X", "REJECTED"},
                                                   {"/event/r", "INSUFFICIENT_BALANCES"}});
  auto events = parse(frame);
  const auto update = std::get<order_update>(events.at(0));
  CHECK(update.new_state == order_state::failed);
  CHECK(update.error_code == "INSUFFICIENT_BALANCES");
  CHECK(update.error_message == "rejected by Binance: INSUFFICIENT_BALANCES");
}

TEST_CASE("outboundAccountPosition: a balance per asset, total free plus locked") {
  auto events = parse(fixtures::event_format_example);
  REQUIRE(events.size() == 2);
  CHECK(std::get<balance>(events[0]) == balance{"BTC", "12000"_d, "11818"_d});
  CHECK(std::get<balance>(events[1]) == balance{"USDT", "10650"_d, "10580"_d});
  auto single = parse(fixtures::outbound_account_position);
  REQUIRE(single.size() == 1);
  CHECK(std::get<balance>(single[0]) == balance{"ETH", "10000"_d, "10000"_d});
}

TEST_CASE("balanceUpdate: a balance delta") {
  auto events = parse(fixtures::balance_update);
  REQUIRE(events.size() == 1);
  const auto& delta = std::get<balance_delta>(events[0]);
  CHECK(delta.asset == "BTC");
  CHECK(delta.delta == "100"_d);
  CHECK(to_unix_ms(delta.time) == 1573200697068);
}

TEST_CASE("stream control: terminated, shutdown, subscribed, refused") {
  auto terminated = parse(fixtures::event_stream_terminated);
  REQUIRE(terminated.size() == 1);
  CHECK(std::get<stream_control>(terminated[0]).kind == stream_control_kind::stream_terminated);
  CHECK(std::get<stream_control>(terminated[0]).detail == "eventStreamTerminated");
  CHECK(std::get<stream_control>(parse(fixtures::server_shutdown)[0]).kind
        == stream_control_kind::server_shutdown);
  CHECK(std::get<stream_control>(parse(fixtures::listen_key_expired)[0]).kind
        == stream_control_kind::stream_terminated);

  const auto subscribed = std::get<stream_control>(parse(fixtures::ws_api_subscribed).at(0));
  CHECK(subscribed.kind == stream_control_kind::subscribed);
  CHECK(subscribed.request_id == "d3df8a22-98ea-4fe0-9f4e-0fcea5d418b7");

  const auto failed = std::get<stream_control>(parse(fixtures::ws_api_failed).at(0));
  CHECK(failed.kind == stream_control_kind::request_failed);
  REQUIRE(failed.error);
  CHECK(failed.error->category == error_category::insufficient_balance);
  CHECK(failed.error->code == "-2010");
  const auto banned = std::get<stream_control>(parse(fixtures::ws_api_banned).at(0));
  REQUIRE(banned.error);
  CHECK(banned.error->category == error_category::rate_limited);
  CHECK(banned.error->http_status == 418);
}

TEST_CASE("known events Tern does not use are ignored, new ones are reported unknown") {
  CHECK(parse(fixtures::external_lock_update).empty());
  CHECK(parse(fixtures::margin_call).empty());
  auto unknown = problem(fixtures::kline);
  CHECK(unknown.kind == frame_problem::kind_type::unknown);
  CHECK(unknown.channel == "kline");
  CHECK(unknown.message() == "unknown frame on channel \"kline\": event not handled");
}

TEST_CASE("malformed frames are typed problems naming the field, never exceptions") {
  auto truncated = problem(std::string{fixtures::execution_report}.substr(0, 60));
  CHECK(truncated.kind == frame_problem::kind_type::malformed);
  auto document = nlohmann::json::parse(fixtures::execution_report);
  document["event"].erase("X");
  auto missing = problem(document.dump());
  CHECK(missing.kind == frame_problem::kind_type::malformed);
  CHECK(missing.channel == "executionReport");
  CHECK(missing.detail == "field \"X\": missing");
  auto bad_status = problem(edited(fixtures::execution_report, {{"/event/X", "SOMETHING_NEW"}}));
  CHECK(bad_status.detail == "field \"X\": unknown order status \"SOMETHING_NEW\"");
  auto bad_price = problem(edited(fixtures::execution_report,
                                  {{"/event/x", "TRADE"}, {"/event/L", "1.2.3"}}));
  CHECK(bad_price.kind == frame_problem::kind_type::malformed);
  CHECK(bad_price.detail.rfind("field \"L\"", 0) == 0);
  CHECK(problem("[]").kind == frame_problem::kind_type::malformed);
  CHECK(problem(R"({"x":1})").kind == frame_problem::kind_type::unknown);
}

TEST_CASE("an order on a market the connector does not map is reported, not guessed") {
  auto foreign = problem(edited(fixtures::execution_report, {{"/event/s", "DOGEBTC"}}));
  CHECK(foreign.kind == frame_problem::kind_type::unknown);
  CHECK(foreign.detail == "symbol \"DOGEBTC\" is not one of the connector's markets");
}

TEST_CASE("ORDER_TRADE_UPDATE NEW and STP expiry") {
  auto events = protocol("binance_perpetual")->parse_private_frame(fixtures::order_trade_update, markets(), {});
  REQUIRE(events);
  REQUIRE(events->size() == 1);
  const auto& update = std::get<order_update>((*events)[0]);
  CHECK(update.pair == "BTC-USDT");
  CHECK(update.client_order_id == "TEST");
  CHECK(update.exchange_order_id == "8886774");
  CHECK(update.new_state == order_state::open);
  CHECK(to_unix_ms(update.update_time) == 1568879465650);
  auto stp = protocol("binance_perpetual")->parse_private_frame(fixtures::order_trade_update_stp, markets(), {});
  REQUIRE(stp);
  CHECK(std::get<order_update>((*stp)[0]).new_state == order_state::cancelled);
}

TEST_CASE("ORDER_TRADE_UPDATE TRADE: the fill, quote amount price times quantity") {
  // The documented event as a limit order's partial fill would set it.
  auto frame = edited(fixtures::order_trade_update,
                      {{"/o/o", "LIMIT"}, {"/o/x", "TRADE"}, {"/o/X", "PARTIALLY_FILLED"},
                       {"/o/l", "0.0005"}, {"/o/L", "7103.04"}, {"/o/z", "0.0005"},
                       {"/o/n", "0.00142060"}, {"/o/t", 987}, {"/o/m", false}});
  auto events = protocol("binance_perpetual")->parse_private_frame(frame, markets(), {});
  REQUIRE(events);
  REQUIRE(events->size() == 2);
  const auto& execution = std::get<fill>((*events)[1]);
  CHECK(execution.trade_id == "987");
  CHECK(execution.order_side == side::sell);
  CHECK(execution.price == "7103.04"_d);
  CHECK(execution.base_amount == "0.0005"_d);
  CHECK(execution.quote_amount == "3.55152"_d);
  CHECK(execution.fee == fee{"USDT", "0.0014206"_d});
  CHECK(execution.is_taker);
}

TEST_CASE("ACCOUNT_UPDATE: balances (wallet, cross wallet) and every position side") {
  auto events = protocol("binance_perpetual")->parse_private_frame(fixtures::account_update, markets(), {});
  REQUIRE(events);
  REQUIRE(events->size() == 5);
  CHECK(std::get<balance>((*events)[0]) == balance{"USDT", "122624.12345678"_d, "100.12345678"_d});
  CHECK(std::get<balance>((*events)[1]) == balance{"BUSD", "1"_d, "0"_d});
  const auto& both = std::get<position>((*events)[2]);
  CHECK(both.side == position_side::both);
  CHECK(both.amount.is_zero());
  const auto& long_side = std::get<position>((*events)[3]);
  CHECK(long_side.pair == "BTC-USDT");
  CHECK(long_side.side == position_side::long_side);
  CHECK(long_side.amount == "20"_d);
  CHECK(long_side.entry_price == "6563.665"_d);
  CHECK(long_side.unrealized_pnl == "2850.212"_d);
  const auto& short_side = std::get<position>((*events)[4]);
  CHECK(short_side.side == position_side::short_side);
  CHECK(short_side.amount == "-10"_d);
}
