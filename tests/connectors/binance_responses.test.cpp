#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "connectors/registry.hpp"
#include "tests/connectors/binance_fixtures.hpp"

// REST response parsers on Binance's documented examples (binance_fixtures.hpp names each
// one's page and section), through the exchange_protocol interface.

using namespace tern;
using namespace tern::literals;

namespace {

net::http_response ok(const char* body) { return net::http_response{200, {}, body, false}; }

std::unique_ptr<exchange_protocol> protocol(std::string_view name) {
  auto made = make_protocol(name);
  REQUIRE(made);
  return std::move(made).value();
}

symbol_map markets(std::initializer_list<std::pair<const char*, const char*>> entries) {
  symbol_map map;
  for (auto [pair, symbol] : entries)
    map.add(trading_pair::from_string(pair), symbol);
  return map;
}

// The documented example with one field changed, for tests of what the parser does with it.
std::string with_field(const char* document, const char* pointer, nlohmann::json value) {
  auto parsed = nlohmann::json::parse(document);
  parsed[nlohmann::json::json_pointer{pointer}] = std::move(value);
  return parsed.dump();
}

} // namespace

TEST_CASE("spot exchangeInfo: a trading spot market becomes an instrument with its filters") {
  auto spot = protocol("binance");
  auto list = spot->parse_trading_rules(ok(fixtures::spot_exchange_info), "binance_main");
  REQUIRE(list);
  REQUIRE(list->instruments.size() == 1);
  const instrument& ethbtc = list->instruments[0];
  CHECK(ethbtc.exchange == "binance_main");
  CHECK(ethbtc.pair.to_string() == "ETH-BTC");
  CHECK(ethbtc.kind == market_kind::spot);
  CHECK(ethbtc.rules.tick_size == "0.000001"_d);
  CHECK(ethbtc.rules.step_size == "0.001"_d);
  CHECK(ethbtc.rules.min_order_size == "0.001"_d);
  CHECK(ethbtc.rules.max_order_size == "100000"_d);
  CHECK(ethbtc.rules.min_notional == "10"_d);
  CHECK(ethbtc.rules.supports_limit);
  CHECK(ethbtc.rules.supports_limit_maker);
  CHECK(ethbtc.rules.supports_market);
  REQUIRE(list->symbols.pair_of("ETHBTC") != nullptr);
  CHECK(list->symbols.pair_of("ETHBTC")->to_string() == "ETH-BTC");
  CHECK(*list->symbols.symbol_of(trading_pair::from_string("ETH-BTC")) == "ETHBTC");
  CHECK(list->skipped.empty());
}

TEST_CASE("spot exchangeInfo: markets not trading or not spot are left out") {
  auto spot = protocol("binance");
  auto halted = spot->parse_trading_rules(
      ok(with_field(fixtures::spot_exchange_info, "/symbols/0/status", "BREAK").c_str()), "b");
  REQUIRE(halted);
  CHECK(halted->instruments.empty());
  CHECK(halted->skipped.empty());
  auto margin_only = spot->parse_trading_rules(
      ok(with_field(fixtures::spot_exchange_info, "/symbols/0/isSpotTradingAllowed", false).c_str()),
      "b");
  REQUIRE(margin_only);
  CHECK(margin_only->instruments.empty());
}

TEST_CASE("spot exchangeInfo: a malformed market is skipped with its reason, never fatal") {
  auto spot = protocol("binance");
  // The documented entry twice: once intact, once with an unreadable LOT_SIZE stepSize.
  auto document = nlohmann::json::parse(fixtures::spot_exchange_info);
  nlohmann::json broken = document["symbols"][0];
  broken["symbol"] = "ETHBTC2";
  broken["filters"][1]["stepSize"] = "0.001.0";
  document["symbols"].push_back(broken);
  auto list = spot->parse_trading_rules(ok(document.dump().c_str()), "b");
  REQUIRE(list);
  CHECK(list->instruments.size() == 1);
  REQUIRE(list->skipped.size() == 1);
  CHECK(list->skipped[0].rfind("ETHBTC2: field \"stepSize\"", 0) == 0);
  // No "symbols" array at all is the one fatal case.
  auto empty = spot->parse_trading_rules(ok(R"({"timezone":"UTC"})"), "b");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().category == error_category::malformed_response);
}

TEST_CASE("USD-M exchangeInfo: the documented perpetual with MIN_NOTIONAL notional and GTX") {
  auto futures = protocol("binance_perpetual");
  auto list = futures->parse_trading_rules(ok(fixtures::usd_m_exchange_info), "binance_perp");
  REQUIRE(list);
  REQUIRE(list->instruments.size() == 1);
  const instrument& blz = list->instruments[0];
  CHECK(blz.pair.to_string() == "BLZ-USDT");
  CHECK(blz.kind == market_kind::perpetual);
  CHECK(blz.rules.tick_size == "0.0001"_d);
  CHECK(blz.rules.step_size == "1"_d);
  CHECK(blz.rules.min_order_size == "1"_d);
  CHECK(blz.rules.max_order_size == "10000000"_d);
  CHECK(blz.rules.min_notional == "5"_d);
  CHECK(blz.rules.supports_limit_maker);  // timeInForce lists GTX
  auto quarterly = futures->parse_trading_rules(
      ok(with_field(fixtures::usd_m_exchange_info, "/symbols/0/contractType", "CURRENT_QUARTER")
             .c_str()),
      "p");
  REQUIRE(quarterly);
  CHECK(quarterly->instruments.empty());
}

TEST_CASE("server time and depth snapshots") {
  auto spot = protocol("binance");
  auto time = spot->parse_server_time(ok(fixtures::server_time));
  REQUIRE(time);
  CHECK(to_unix_ms(*time) == 1499827319559);
  auto pair = trading_pair::from_string("BNB-BTC");
  auto snapshot = spot->parse_depth_snapshot(ok(fixtures::spot_depth), pair, from_unix_ms(5));
  REQUIRE(snapshot);
  CHECK(snapshot->pair == "BNB-BTC");
  CHECK(snapshot->sequence == 1027024);
  REQUIRE(snapshot->bids.size() == 1);
  CHECK(snapshot->bids[0] == price_level{"4"_d, "431"_d});
  CHECK(snapshot->asks[0] == price_level{"4.000002"_d, "12"_d});
  auto futures = protocol("binance_perpetual");
  auto usd_m = futures->parse_depth_snapshot(ok(fixtures::usd_m_depth), pair, {});
  REQUIRE(usd_m);
  CHECK(usd_m->sequence == 1027024);
  CHECK(to_unix_ms(usd_m->exchange_time) == 1589436922959);
}

TEST_CASE("spot order acks: ACK, RESULT and FULL (with its fills)") {
  auto spot = protocol("binance");
  auto symbols = markets({{"BTC-USDT", "BTCUSDT"}});
  auto ack = spot->parse_place_order(ok(fixtures::spot_order_ack), symbols);
  REQUIRE(ack);
  CHECK(ack->pair == "BTC-USDT");
  CHECK(ack->exchange_order_id == "28");
  CHECK(ack->client_order_id == "6gCrw2kRUAF9CvJDGP16IP");
  CHECK(ack->state == order_state::open);  // ACK says accepted, nothing more
  CHECK(to_unix_ms(ack->exchange_time) == 1507725176595);
  CHECK(ack->fills.empty());

  auto result = spot->parse_place_order(ok(fixtures::spot_order_result), symbols);
  REQUIRE(result);
  CHECK(result->state == order_state::filled);
  CHECK(result->executed_base == "10"_d);

  auto full = spot->parse_place_order(ok(fixtures::spot_order_full), symbols);
  REQUIRE(full);
  REQUIRE(full->fills.size() == 5);
  const fill& first = full->fills[0];
  CHECK(first.trade_id == "56");
  CHECK(first.exchange_order_id == "28");
  CHECK(first.client_order_id == "6gCrw2kRUAF9CvJDGP16IP");
  CHECK(first.order_side == side::sell);
  CHECK(first.price == "4000"_d);
  CHECK(first.base_amount == "1"_d);
  CHECK(first.quote_amount == "4000"_d);
  CHECK(first.fee == fee{"USDT", "4"_d});
  CHECK(full->fills[1].fee == fee{"USDT", "19.995"_d});
  CHECK(full->fills[4].trade_id == "60");
  decimal executed;
  for (const fill& each : full->fills)
    executed += each.base_amount;
  CHECK(executed == full->executed_base);  // the fills cover the reported execution
}

TEST_CASE("spot cancel names the cancelled order by origClientOrderId, not the cancel's id") {
  auto spot = protocol("binance");
  auto report = spot->parse_cancel_order(ok(fixtures::spot_cancel), markets({{"LTC-BTC", "LTCBTC"}}));
  REQUIRE(report);
  CHECK(report->client_order_id == "myOrder1");
  CHECK(report->exchange_order_id == "4");
  CHECK(report->state == order_state::cancelled);
  CHECK(report->order_side == side::buy);
  CHECK(report->type == "LIMIT");
  CHECK(report->price == "2"_d);
  CHECK(report->amount == "1"_d);
  CHECK(to_unix_ms(report->update_time) == 1684804350068);
  order_update update = report->to_update();
  CHECK(update.new_state == order_state::cancelled);
  CHECK(update.pair == "LTC-BTC");
}

TEST_CASE("spot cancel-all lists every cancelled order, order lists flattened") {
  auto spot = protocol("binance");
  auto result = spot->parse_cancel_all(ok(fixtures::spot_cancel_all), markets({{"BTC-USDT", "BTCUSDT"}}));
  REQUIRE(result);
  REQUIRE(result->cancelled.size() == 4);
  CHECK(result->cancelled[0].client_order_id == "E6APeyTJvkMvLMYMqu1KQ4");
  CHECK(result->cancelled[2].client_order_id == "CwOOIPHSmYywx6jZX77TdL");
  CHECK(result->cancelled[3].type == "LIMIT_MAKER");
  for (const order_report& each : result->cancelled)
    CHECK(each.state == order_state::cancelled);
  auto futures = protocol("binance_perpetual");
  auto usd_m = futures->parse_cancel_all(ok(fixtures::usd_m_cancel_all), symbol_map{});
  REQUIRE(usd_m);
  CHECK(usd_m->cancelled.empty());
}

TEST_CASE("spot cancel-all on a market with no open order is none cancelled, other errors stay errors") {
  auto spot = protocol("binance");
  auto symbols = markets({{"BTC-USDT", "BTCUSDT"}});
  // errors.md, -2011 CANCEL_REJECTED: "Unknown order sent."
  auto none = spot->parse_cancel_all(
      net::http_response{400, {}, R"({"code":-2011,"msg":"Unknown order sent."})", false}, symbols);
  REQUIRE(none);
  CHECK(none->cancelled.empty());
  auto refused = spot->parse_cancel_all(
      net::http_response{400, {}, fixtures::error_invalid_symbol, false}, symbols);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == "-1121");
}

TEST_CASE("spot order status and open orders") {
  auto spot = protocol("binance");
  auto symbols = markets({{"LTC-BTC", "LTCBTC"}});
  auto status = spot->parse_order_status(ok(fixtures::spot_query_order), symbols);
  REQUIRE(status);
  CHECK(status->client_order_id == "myOrder1");
  CHECK(status->state == order_state::open);
  CHECK(status->price == "0.1"_d);
  CHECK(status->executed_base.is_zero());
  std::string list = std::string{"["} + fixtures::spot_query_order + "]";
  auto open = spot->parse_open_orders(ok(list.c_str()), symbols);
  REQUIRE(open);
  REQUIRE(open->size() == 1);
  CHECK((*open)[0].exchange_order_id == "1");
}

TEST_CASE("an unknown order status is an error, never a guess") {
  auto spot = protocol("binance");
  auto report = spot->parse_order_status(
      ok(with_field(fixtures::spot_query_order, "/status", "HALF_CANCELED").c_str()),
      markets({{"LTC-BTC", "LTCBTC"}}));
  REQUIRE_FALSE(report);
  CHECK(report.error().category == error_category::malformed_response);
  CHECK(report.error().message.find("HALF_CANCELED") != std::string::npos);
}

TEST_CASE("spot myTrades: fills with fee asset, fee amount, side and maker flag") {
  auto spot = protocol("binance");
  auto fills = spot->parse_fills(ok(fixtures::spot_my_trades), markets({{"BNB-BTC", "BNBBTC"}}));
  REQUIRE(fills);
  REQUIRE(fills->size() == 1);
  const fill& trade = (*fills)[0];
  CHECK(trade.pair == "BNB-BTC");
  CHECK(trade.trade_id == "28457");
  CHECK(trade.exchange_order_id == "100234");
  CHECK(trade.client_order_id.empty());
  CHECK(trade.order_side == side::buy);
  CHECK(trade.price == "4.000001"_d);
  CHECK(trade.base_amount == "12"_d);
  CHECK(trade.quote_amount == "48.000012"_d);
  CHECK(trade.fee == fee{"BNB", "10.1"_d});
  CHECK(trade.is_taker);
  CHECK(to_unix_ms(trade.fill_time) == 1499865549590);
  // A trade on a market the connector does not map is an error, not a silent drop.
  CHECK_FALSE(spot->parse_fills(ok(fixtures::spot_my_trades), symbol_map{}));
}

TEST_CASE("spot balances: total is free plus locked, available is free") {
  auto spot = protocol("binance");
  auto balances = spot->parse_balances(ok(fixtures::spot_account));
  REQUIRE(balances);
  REQUIRE(balances->size() == 2);
  CHECK((*balances)[0] == balance{"BTC", "4723846.89208129"_d, "4723846.89208129"_d});
  CHECK((*balances)[1].asset == "LTC");
}

TEST_CASE("USD-M order responses: new order, cancel, status") {
  auto futures = protocol("binance_perpetual");
  auto symbols = markets({{"BTC-USDT", "BTCUSDT"}});
  auto ack = futures->parse_place_order(ok(fixtures::usd_m_new_order), symbols);
  REQUIRE(ack);
  CHECK(ack->exchange_order_id == "22542179");
  CHECK(ack->client_order_id == "testOrder");
  CHECK(ack->state == order_state::open);
  CHECK(to_unix_ms(ack->exchange_time) == 1566818724722);
  auto cancel = futures->parse_cancel_order(ok(fixtures::usd_m_cancel), symbols);
  REQUIRE(cancel);
  CHECK(cancel->client_order_id == "myOrder1");
  CHECK(cancel->state == order_state::cancelled);
  CHECK(cancel->amount == "11"_d);
  CHECK(cancel->type == "TRAILING_STOP_MARKET");
}

TEST_CASE("USD-M userTrades: the documented trade, with its negative commission kept") {
  auto futures = protocol("binance_perpetual");
  auto fills = futures->parse_fills(ok(fixtures::usd_m_user_trades), markets({{"BTC-USDT", "BTCUSDT"}}));
  REQUIRE(fills);
  REQUIRE(fills->size() == 1);
  const fill& trade = (*fills)[0];
  CHECK(trade.order_side == side::sell);
  CHECK(trade.price == "7819.01"_d);
  CHECK(trade.base_amount == "0.002"_d);
  CHECK(trade.quote_amount == "15.63802"_d);
  CHECK(trade.fee == fee{"USDT", "-0.0781901"_d});
  CHECK(trade.is_taker);
}

TEST_CASE("USD-M balances, positions, leverage, position mode") {
  auto futures = protocol("binance_perpetual");
  auto balances = futures->parse_balances(ok(fixtures::usd_m_account));
  REQUIRE(balances);
  REQUIRE(balances->size() == 2);
  CHECK((*balances)[0] == balance{"USDT", "23.72469206"_d, "23.72469206"_d});
  CHECK((*balances)[1] == balance{"BUSD", "103.12345678"_d, "103.12345678"_d});

  auto positions = futures->parse_positions(ok(fixtures::usd_m_position_risk),
                                            markets({{"BTC-USDT", "BTCUSDT"}}));
  REQUIRE(positions);
  REQUIRE(positions->size() == 1);  // the empty SHORT side is left out
  const position& held = (*positions)[0];
  CHECK(held.pair == "BTC-USDT");
  CHECK(held.side == position_side::long_side);
  CHECK(held.amount == "0.001"_d);
  CHECK(held.entry_price == "22185.2"_d);
  CHECK(held.unrealized_pnl == "-1.06214947"_d);
  CHECK(held.leverage == "4"_d);

  auto leverage = futures->parse_set_leverage(ok(fixtures::usd_m_leverage));
  REQUIRE(leverage);
  CHECK(*leverage == 21);
  auto mode = futures->parse_position_mode(ok(fixtures::usd_m_dual_side));
  REQUIRE(mode);
  CHECK(*mode == position_mode::hedge);
  CHECK(futures->parse_set_position_mode(ok(fixtures::usd_m_dual_side_changed)));
  // -4059 "No need to change position side.": already in that mode, which is success.
  CHECK(futures->parse_set_position_mode(
      net::http_response{400, {}, R"({"code":-4059,"msg":"No need to change position side."})", false}));
}

TEST_CASE("USD-M funding: premium index and income") {
  auto futures = protocol("binance_perpetual");
  auto info = futures->parse_funding_info(ok(fixtures::usd_m_premium_index),
                                          trading_pair::from_string("BTC-USDT"));
  REQUIRE(info);
  CHECK(info->mark_price == "11793.63104562"_d);
  CHECK(info->index_price == "11781.8049597"_d);
  CHECK(info->rate == "0.00038246"_d);
  CHECK(to_unix_ms(info->next_funding_time) == 1597392000000);
  // The documented income example holds no FUNDING_FEE: no payments.
  auto payments = futures->parse_funding_payments(ok(fixtures::usd_m_income),
                                                  markets({{"BTC-USDT", "BTCUSDT"}}));
  REQUIRE(payments);
  CHECK(payments->empty());
  // The same commission entry relabelled FUNDING_FEE is a payment, negative (paid).
  auto funding = with_field(fixtures::usd_m_income, "/1/incomeType", "FUNDING_FEE");
  payments = futures->parse_funding_payments(ok(funding.c_str()), markets({{"BTC-USDT", "BTCUSDT"}}));
  REQUIRE(payments);
  REQUIRE(payments->size() == 1);
  CHECK((*payments)[0].amount == "-0.01"_d);
  CHECK((*payments)[0].asset == "USDT");
  CHECK(to_unix_ms((*payments)[0].payment_time) == 1570636800000);
}

TEST_CASE("USD-M listen key") {
  auto futures = protocol("binance_perpetual");
  auto key = futures->parse_user_stream_token(ok(fixtures::usd_m_listen_key));
  REQUIRE(key);
  CHECK(*key == "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1");
  CHECK_FALSE(futures->parse_user_stream_token(ok(R"({"listenKey":""})")));
}

TEST_CASE("an error body on any parser comes back classified, a garbled 200 as malformed") {
  auto spot = protocol("binance");
  auto symbols = markets({{"BTC-USDT", "BTCUSDT"}});
  auto error = spot->parse_place_order(net::http_response{400, {}, fixtures::error_invalid_symbol, false},
                                       symbols);
  REQUIRE_FALSE(error);
  CHECK(error.error().http_status == 400);
  CHECK(error.error().code == "-1121");
  CHECK(error.error().message == "Invalid symbol.");
  CHECK(error.error().category == error_category::order_rejected);
  CHECK(error.error().outcome == net::outcome_class::fatal);

  auto garbled = spot->parse_place_order(ok("<html>gateway</html>"), symbols);
  REQUIRE_FALSE(garbled);
  CHECK(garbled.error().category == error_category::malformed_response);
  CHECK(garbled.error().outcome == net::outcome_class::outcome_unknown);  // it may be placed
  auto query = spot->parse_balances(ok("{}"));
  REQUIRE_FALSE(query);
  CHECK(query.error().outcome == net::outcome_class::retryable);
}
