// Balances, positions and the budget check (§A10, §A15, §A16).

#include <catch2/catch.hpp>

#include "core/balance_sheet.hpp"
#include "core/order_tracker.hpp"
#include "tests/core/tracker_test_support.hpp"

using namespace tern;
using namespace tern::test;

namespace {

budget_request spot(side s, decimal price, decimal amount, decimal fee_rate = "0.001"_d) {
  budget_request request;
  request.pair = "BTC-USDT";
  request.order_side = s;
  request.price = price;
  request.amount = amount;
  request.fee_rate = fee_rate;
  return request;
}

balance_sheet funded(decimal usdt, decimal btc) {
  balance_sheet sheet;
  sheet.apply(balance{"USDT", usdt, usdt});
  sheet.apply(balance{"BTC", btc, btc});
  return sheet;
}

} // namespace

TEST_CASE("balances follow the exchange's reports, a snapshot drops unlisted assets") {
  balance_sheet sheet;
  sheet.apply(balance{"USDT", "1000"_d, "800"_d});
  sheet.apply(balance{"BNB", "1"_d, "1"_d});
  CHECK(sheet.total("USDT") == "1000"_d);
  CHECK(sheet.available("USDT") == "800"_d);
  sheet.apply_delta("USDT", "-100"_d);
  CHECK(sheet.total("USDT") == "900"_d);
  CHECK(sheet.available("USDT") == "700"_d);
  sheet.replace_all({balance{"USDT", "950"_d, "950"_d}});
  CHECK_FALSE(sheet.find("BNB").has_value());
  CHECK(sheet.all().size() == 1);
  CHECK(sheet.available("ETH") == decimal{});
}

TEST_CASE("a spot buy needs its quote value plus the fee") {
  auto sheet = funded("3002"_d, "1"_d);
  // 0.1 BTC at 30000 = 3000 USDT, fee 0.1 % = 3 USDT: 3003 > 3002.
  auto refused = sheet.check(spot(side::buy, "30000"_d, "0.1"_d));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().reason == budget_refusal_reason::insufficient_balance);
  CHECK(refused.error().asset == "USDT");
  CHECK(refused.error().required == "3003"_d);
  CHECK(refused.error().available == "3002"_d);
  CHECK_THAT(refused.error().message, Catch::Contains("3003") && Catch::Contains("3002"));
  auto fits = sheet.check(spot(side::buy, "30000"_d, "0.1"_d, decimal{}));
  REQUIRE(fits);
  CHECK(fits->amount == "3000"_d);
}

TEST_CASE("a spot sell needs its base amount, the fee comes out of the returns") {
  auto sheet = funded("0"_d, "0.5"_d);
  CHECK(sheet.check(spot(side::sell, "30000"_d, "0.5"_d)));
  auto refused = sheet.check(spot(side::sell, "30000"_d, "0.51"_d));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().asset == "BTC");
  CHECK(refused.error().required == "0.51"_d);
}

TEST_CASE("budget refusals name an unknown asset and an invalid request") {
  balance_sheet sheet;
  auto unknown = sheet.check(spot(side::buy, "30000"_d, "0.1"_d));
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().reason == budget_refusal_reason::unknown_asset);
  CHECK_THAT(unknown.error().message, Catch::Contains("no USDT balance"));
  auto invalid = sheet.check(spot(side::buy, decimal{}, "0.1"_d));
  REQUIRE_FALSE(invalid);
  CHECK(invalid.error().reason == budget_refusal_reason::invalid_request);
  auto bad_pair = spot(side::buy, "1"_d, "1"_d);
  bad_pair.pair = "BTCUSDT";
  CHECK(sheet.check(bad_pair).error().reason == budget_refusal_reason::invalid_request);
}

TEST_CASE("a perpetual open needs value / leverage plus the fee on the whole value") {
  auto sheet = funded("320"_d, "0"_d);
  auto request = spot(side::buy, "30000"_d, "0.1"_d, "0.0005"_d);
  request.action = position_action::open;
  request.leverage = "10"_d;
  // 3000 / 10 = 300 margin + 3000 x 0.0005 = 1.5 fee.
  auto fits = sheet.check(request);
  REQUIRE(fits);
  CHECK(fits->asset == "USDT");
  CHECK(fits->amount == "301.5"_d);
  request.leverage = "5"_d;  // 600 + 1.5
  CHECK(sheet.check(request).error().required == "601.5"_d);
  request.action = position_action::close;  // closing locks nothing
  auto closing = sheet.check(request);
  REQUIRE(closing);
  CHECK(closing->asset.empty());
}

TEST_CASE("a batch locks each order's budget for the orders after it") {
  auto sheet = funded("5000"_d, "0"_d);
  auto results = sheet.check_batch({spot(side::buy, "30000"_d, "0.1"_d, decimal{}),
                                    spot(side::buy, "30000"_d, "0.1"_d, decimal{})});
  REQUIRE(results.size() == 2);
  CHECK(results[0]);
  REQUIRE_FALSE(results[1]);
  CHECK(results[1].error().available == "2000"_d);
  CHECK_THAT(results[1].error().message, Catch::Contains("promised"));
}

TEST_CASE("the tracker's budget check counts orders the exchange has not acknowledged") {
  auto tracker = started_tracker();  // buys 1 BTC at 30000: 30000 USDT, not yet acknowledged
  tracker.balances().apply(balance{"USDT", "40000"_d, "40000"_d});
  auto request = spot(side::buy, "30000"_d, "0.5"_d, decimal{});
  auto refused = tracker.check_budget(request);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().available == "10000"_d);
  // Once acknowledged, the exchange's available balance is the one to trust.
  (void)tracker.place_acknowledged(client_id, ack_with(exchange_id), at(1));
  tracker.balances().apply(balance{"USDT", "40000"_d, "10000"_d});
  CHECK_FALSE(tracker.check_budget(request));
  tracker.balances().apply(balance{"USDT", "40000"_d, "15000"_d});
  CHECK(tracker.check_budget(request));
}

TEST_CASE("perpetual positions are kept per pair and side, zero removes them") {
  balance_sheet sheet;
  sheet.apply(position{"BTC-USDT", position_side::both, "0.3"_d, "30000"_d, "12"_d, "10"_d});
  sheet.apply(position{"ETH-USDT", position_side::long_side, "2"_d, "2000"_d, "0"_d, "5"_d});
  sheet.apply(position{"ETH-USDT", position_side::short_side, "-1"_d, "2100"_d, "0"_d, "5"_d});
  CHECK(sheet.positions().size() == 3);
  REQUIRE(sheet.find_position("ETH-USDT", position_side::short_side));
  CHECK(sheet.find_position("ETH-USDT", position_side::short_side)->amount == "-1"_d);
  sheet.apply(position{"BTC-USDT", position_side::both, "-0.1"_d, "31000"_d, "0"_d, "10"_d});
  CHECK(sheet.find_position("BTC-USDT", position_side::both)->amount == "-0.1"_d);
  sheet.apply(position{"ETH-USDT", position_side::long_side, "0"_d, "0"_d, "0"_d, "5"_d});
  CHECK_FALSE(sheet.find_position("ETH-USDT", position_side::long_side));
  CHECK(sheet.positions().size() == 2);
}

TEST_CASE("a position snapshot replaces every position, dropping those it does not list") {
  balance_sheet sheet;
  sheet.apply(position{"BTC-USDT", position_side::long_side, "0.3"_d, "30000"_d, "0"_d, "10"_d});
  sheet.apply(position{"BTC-USDT", position_side::short_side, "-0.2"_d, "30100"_d, "0"_d, "10"_d});
  // The short was closed while the stream was away: the poll lists the long only.
  sheet.replace_positions({position{"BTC-USDT", position_side::long_side, "0.4"_d, "30050"_d, "0"_d, "10"_d}});
  REQUIRE(sheet.positions().size() == 1);
  CHECK(sheet.find_position("BTC-USDT", position_side::long_side)->amount == "0.4"_d);
  CHECK_FALSE(sheet.find_position("BTC-USDT", position_side::short_side));
  // Flat entries in a snapshot (Binance lists flat sides) add nothing.
  sheet.replace_positions({position{"BTC-USDT", position_side::both, "0"_d, "0"_d, "0"_d, "10"_d}});
  CHECK(sheet.positions().empty());
}
