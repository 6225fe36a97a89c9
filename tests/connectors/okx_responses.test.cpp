#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "connectors/registry.hpp"
#include "tests/connectors/okx_fixtures_account.hpp"
#include "tests/connectors/okx_fixtures_rest.hpp"

// OKX REST parsers on the documented examples (okx_fixtures_*.hpp name the sections). Where a
// test needs a variant the docs do not show, it edits the documented example field by field
// and says so.

using namespace tern;
using nlohmann::json;

namespace {

std::unique_ptr<exchange_protocol> protocol(std::string_view name) {
  auto made = make_protocol(name);
  REQUIRE(made);
  return std::move(made).value();
}

net::http_response ok(std::string_view body) { return net::http_response{200, {}, std::string{body}, false}; }
net::http_response ok(const json& body) { return ok(std::string_view{body.dump()}); }

symbol_map spot_markets() {
  symbol_map markets;
  markets.add(trading_pair::from_string("BTC-USDT"), "BTC-USDT");
  return markets;
}

symbol_map swap_markets() {
  symbol_map markets;
  markets.add(trading_pair::from_string("BTC-USDT"), "BTC-USDT-SWAP");
  markets.set_contract_size("BTC-USDT-SWAP", decimal::from_string("0.01"));
  return markets;
}

decimal d(std::string_view text) { return decimal::from_string(text); }

} // namespace

TEST_CASE("okx system time") {
  CHECK(protocol("okx")->parse_server_time(ok(okx_fixtures::system_time)).value()
        == from_unix_ms(1597026383085));
}

TEST_CASE("okx spot instruments: the documented BTC-USDT entry") {
  auto list = protocol("okx")->parse_trading_rules(ok(okx_fixtures::instruments_spot), "okx_main");
  REQUIRE(list);
  REQUIRE(list->instruments.size() == 1);
  const instrument& btc = list->instruments.front();
  CHECK(btc.exchange == "okx_main");
  CHECK(btc.pair == trading_pair::from_string("BTC-USDT"));
  CHECK(btc.kind == market_kind::spot);
  CHECK(btc.rules.tick_size == d("0.1"));
  CHECK(btc.rules.step_size == d("0.00000001"));
  CHECK(btc.rules.min_order_size == d("0.00001"));
  CHECK(btc.rules.max_order_size == d("9999999999"));
  CHECK((btc.rules.supports_limit && btc.rules.supports_market && btc.rules.supports_limit_maker));
  CHECK(*list->symbols.symbol_of(btc.pair) == "BTC-USDT");
  CHECK_FALSE(list->symbols.contract_size("BTC-USDT"));
  CHECK(list->skipped.empty());
}

TEST_CASE("okx swap instruments: rules in base amounts, the contract size recorded") {
  // The documented spot entry made a linear USDT swap, field by field: instType SWAP, instId
  // BTC-USDT-SWAP, ctType linear, ctVal 0.01, ctValCcy BTC, settleCcy USDT, lotSz and minSz
  // 0.01 (contracts), maxLmtSz 100000, baseCcy and quoteCcy empty (as for contracts).
  json body = json::parse(okx_fixtures::instruments_spot);
  json swap = body["data"][0];
  swap["instType"] = "SWAP";
  swap["instId"] = "BTC-USDT-SWAP";
  swap["ctType"] = "linear";
  swap["ctVal"] = "0.01";
  swap["ctValCcy"] = "BTC";
  swap["settleCcy"] = "USDT";
  swap["lotSz"] = "0.01";
  swap["minSz"] = "0.01";
  swap["maxLmtSz"] = "100000";
  swap["baseCcy"] = "";
  swap["quoteCcy"] = "";
  json inverse = swap;  // and an inverse one, which is not a Tern market
  inverse["instId"] = "BTC-USD-SWAP";
  inverse["ctType"] = "inverse";
  json broken = swap;  // and one whose ctVal cannot be read
  broken["instId"] = "ETH-USDT-SWAP";
  broken["ctVal"] = "";
  body["data"] = json::array({swap, inverse, broken, body["data"][0]});
  auto list = protocol("okx_perpetual")->parse_trading_rules(ok(body), "okx_swap");
  REQUIRE(list);
  REQUIRE(list->instruments.size() == 1);
  const instrument& btc = list->instruments.front();
  CHECK(btc.kind == market_kind::perpetual);
  CHECK(btc.rules.step_size == d("0.0001"));
  CHECK(btc.rules.min_order_size == d("0.0001"));
  CHECK(btc.rules.max_order_size == d("1000"));
  CHECK(*list->symbols.symbol_of(btc.pair) == "BTC-USDT-SWAP");
  CHECK(list->symbols.contract_size("BTC-USDT-SWAP") == d("0.01"));
  REQUIRE(list->skipped.size() == 1);
  CHECK(list->skipped.front().rfind("ETH-USDT-SWAP: field \"ctVal\"", 0) == 0);
}

TEST_CASE("okx REST books: spot levels, swap books refer to the stream") {
  auto book = protocol("okx")->parse_depth_snapshot(ok(okx_fixtures::books),
                                                    trading_pair::from_string("BTC-USDT"),
                                                    from_unix_ms(5));
  REQUIRE(book);
  CHECK(book->bids == std::vector<price_level>{{d("41006.3"), d("0.30178218")}});
  CHECK(book->asks == std::vector<price_level>{{d("41006.8"), d("0.60038921")}});
  CHECK(book->exchange_time == from_unix_ms(1629966436396));
  CHECK(book->sequence == 0);
  auto swap = protocol("okx_perpetual")->parse_depth_snapshot(
      ok(okx_fixtures::books), trading_pair::from_string("BTC-USDT"), from_unix_ms(5));
  REQUIRE_FALSE(swap);
  CHECK(swap.error().category == error_category::unsupported);
}

TEST_CASE("okx place and cancel answers name the order by its ids") {
  auto okx = protocol("okx");
  auto ack = okx->parse_place_order(ok(okx_fixtures::place_order), spot_markets());
  REQUIRE(ack);
  CHECK(ack->client_order_id == "oktswap6");
  CHECK(ack->exchange_order_id == "312269865356374016");
  CHECK(ack->exchange_time == from_unix_ms(1695190491421));
  CHECK(ack->state == order_state::open);
  auto cancel = okx->parse_cancel_order(ok(okx_fixtures::cancel_order), spot_markets());
  REQUIRE(cancel);
  CHECK(cancel->client_order_id == "oktswap6");
  CHECK(cancel->exchange_order_id == "12345689");
  CHECK(cancel->state == order_state::pending_cancel);  // OKX cancels asynchronously
}

TEST_CASE("okx order details and pending orders") {
  auto okx = protocol("okx");
  auto filled = okx->parse_order_status(ok(okx_fixtures::order_details), spot_markets());
  REQUIRE(filled);
  CHECK(filled->pair == "BTC-USDT");
  CHECK(filled->exchange_order_id == "680800019749904384");
  CHECK(filled->state == order_state::filled);
  CHECK(filled->order_side == side::buy);
  CHECK(filled->type == "market");
  CHECK(filled->price == decimal{});             // px "" for a market order
  CHECK(filled->amount == decimal{});            // sz 100 is quote (tgtCcy quote_ccy)
  CHECK(filled->executed_base == d("0.00192834"));
  CHECK(filled->executed_quote == d("99.99985572"));  // 0.00192834 x 51858
  CHECK(filled->update_time == from_unix_ms(1708587373362));
  auto open = okx->parse_open_orders(ok(okx_fixtures::orders_pending), spot_markets());
  REQUIRE(open);
  REQUIRE(open->size() == 1);
  CHECK(open->front().state == order_state::open);
  CHECK(open->front().type == "post_only");
  CHECK(open->front().price == d("13013.5"));
  CHECK(open->front().amount == d("0.001"));
  CHECK(open->front().executed_quote == decimal{});  // avgPx ""
}

TEST_CASE("okx order reports in contracts become base amounts, unknown states are errors") {
  // The documented pending order made a swap order, field by field.
  json body = json::parse(okx_fixtures::orders_pending);
  body["data"][0]["instId"] = "BTC-USDT-SWAP";
  body["data"][0]["instType"] = "SWAP";
  body["data"][0]["sz"] = "3";
  body["data"][0]["accFillSz"] = "1";
  body["data"][0]["avgPx"] = "13013.5";
  body["data"][0]["state"] = "partially_filled";
  auto swap = protocol("okx_perpetual")->parse_open_orders(ok(body), swap_markets());
  REQUIRE(swap);
  CHECK(swap->front().amount == d("0.03"));
  CHECK(swap->front().executed_base == d("0.01"));
  CHECK(swap->front().executed_quote == d("130.135"));
  CHECK(swap->front().state == order_state::partially_filled);
  body["data"][0]["state"] = "expired";
  auto unknown = protocol("okx_perpetual")->parse_open_orders(ok(body), swap_markets());
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().category == error_category::malformed_response);
  CHECK(unknown.error().message.find("unknown order state \"expired\"") != std::string::npos);
  symbol_map no_size;
  no_size.add(trading_pair::from_string("BTC-USDT"), "BTC-USDT-SWAP");
  body["data"][0]["state"] = "live";
  auto unsized = protocol("okx_perpetual")->parse_open_orders(ok(body), no_size);
  REQUIRE_FALSE(unsized);
  CHECK(unsized.error().message.find("no contract size known for \"BTC-USDT-SWAP\"") != std::string::npos);
}

TEST_CASE("okx fills: fee paid is the negated OKX fee, taker from execType") {
  auto fills = protocol("okx")->parse_fills(ok(okx_fixtures::fills_history), spot_markets());
  REQUIRE(fills);
  REQUIRE(fills->size() == 1);
  const fill& f = fills->front();
  CHECK(f.pair == "BTC-USDT");
  CHECK(f.trade_id == "744876980");
  CHECK(f.exchange_order_id == "680800019749904384");
  CHECK(f.order_side == side::buy);
  CHECK(f.price == d("51858"));
  CHECK(f.base_amount == d("0.00192834"));
  CHECK(f.quote_amount == d("99.99985572"));
  CHECK(f.fee == tern::fee{"BTC", d("0.00000192834")});
  CHECK(f.is_taker);
  CHECK(f.fill_time == from_unix_ms(1708587373361));
}

TEST_CASE("okx fills come oldest first") {
  json body = json::parse(okx_fixtures::fills_history);
  json older = body["data"][0];
  older["tradeId"] = "744876979";  // edited: an earlier fill of the same order
  older["fillTime"] = "1708587373000";
  body["data"].push_back(older);   // OKX lists newest first
  auto fills = protocol("okx")->parse_fills(ok(body), spot_markets());
  REQUIRE(fills);
  REQUIRE(fills->size() == 2);
  CHECK(fills->front().trade_id == "744876979");
}

TEST_CASE("okx balances: total eq, available availBal") {
  auto balances = protocol("okx")->parse_balances(ok(okx_fixtures::balance));
  REQUIRE(balances);
  CHECK(*balances == std::vector<balance>{{"USDT", d("4992.890093622894"), d("4834.317093622894")}});
}

TEST_CASE("okx positions: contracts times contract size, signed by side, zero ones left out") {
  // The documented MARGIN position made a SWAP one, field by field.
  json body = json::parse(okx_fixtures::positions);
  json& item = body["data"][0];
  item["instId"] = "BTC-USDT-SWAP";
  item["instType"] = "SWAP";
  item["pos"] = "7";
  item["posSide"] = "short";
  json closed = item;
  closed["pos"] = "0";
  body["data"].push_back(closed);
  auto positions = protocol("okx_perpetual")->parse_positions(ok(body), swap_markets());
  REQUIRE(positions);
  REQUIRE(positions->size() == 1);
  const position& p = positions->front();
  CHECK(p.pair == "BTC-USDT");
  CHECK(p.side == position_side::short_side);
  CHECK(p.amount == d("-0.07"));
  CHECK(p.entry_price == d("62961.4"));
  CHECK(p.unrealized_pnl == d("-0.0000033452492717"));
  CHECK(p.leverage == d("5"));
}

TEST_CASE("okx leverage, position mode and funding answers") {
  auto swap = protocol("okx_perpetual");
  CHECK(swap->parse_set_leverage(ok(okx_fixtures::set_leverage)).value() == 30);
  CHECK(swap->parse_position_mode(ok(okx_fixtures::account_config)).value() == position_mode::hedge);
  CHECK(swap->parse_set_position_mode(ok(okx_fixtures::set_position_mode)));
  auto funding = swap->parse_funding_info(ok(okx_fixtures::funding_rate),
                                          trading_pair::from_string("BTC-USDT"));
  REQUIRE(funding);
  CHECK(funding->rate == d("0.0000182221218054"));
  CHECK(funding->next_funding_time == from_unix_ms(1743609600000));
  CHECK(funding->mark_price == decimal{});
}

TEST_CASE("okx funding payments: funding bills on mapped markets") {
  // The documented trade bill made a funding bill, field by field: type 8, subType 173
  // (expense), instType SWAP, instId BTC-USDT-SWAP, pnl -0.0219338232210000.
  json body = json::parse(okx_fixtures::bills);
  json& bill = body["data"][0];
  bill["type"] = "8";
  bill["subType"] = "173";
  bill["instType"] = "SWAP";
  bill["instId"] = "BTC-USDT-SWAP";
  bill["pnl"] = "-0.0219338232210000";
  json trade = json::parse(okx_fixtures::bills)["data"][0];  // a trade bill is not funding
  trade["instId"] = "BTC-USDT-SWAP";
  body["data"].push_back(trade);
  auto payments = protocol("okx_perpetual")->parse_funding_payments(ok(body), swap_markets());
  REQUIRE(payments);
  REQUIRE(payments->size() == 1);
  CHECK(payments->front().pair == "BTC-USDT");
  CHECK(payments->front().asset == "USDT");
  CHECK(payments->front().amount == d("-0.021933823221"));
  CHECK(payments->front().payment_time == from_unix_ms(1695033476167));
}

TEST_CASE("okx garbled success bodies are malformed responses naming the field") {
  auto okx = protocol("okx");
  auto garbled = okx->parse_place_order(ok(std::string_view{"<html>bad gateway</html>"}), spot_markets());
  REQUIRE_FALSE(garbled);
  CHECK(garbled.error().category == error_category::malformed_response);
  CHECK(garbled.error().outcome == net::outcome_class::outcome_unknown);
  auto no_data = okx->parse_balances(ok(std::string_view{R"({"code":"0","msg":""})"}));
  REQUIRE_FALSE(no_data);
  CHECK(no_data.error().message.rfind("field \"data\": expected an array", 0) == 0);
}
