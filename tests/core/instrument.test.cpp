#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "core/instrument.hpp"

using namespace tern;

namespace {

// The example filters of Binance's spot API docs (binance-spot-api-docs, filters.md):
// PRICE_FILTER tickSize "0.00000100"; LOT_SIZE minQty "0.00100000", maxQty "100000.00000000",
// stepSize "0.00100000"; MIN_NOTIONAL minNotional "0.00100000". The docs' exchangeInfo example
// carries these on ETHBTC, so the notional is in BTC.
trading_rules binance_docs_rules() {
  trading_rules rules;
  rules.tick_size = "0.00000100"_d;
  rules.step_size = "0.00100000"_d;
  rules.min_order_size = "0.00100000"_d;
  rules.max_order_size = "100000.00000000"_d;
  rules.min_notional = "0.00100000"_d;
  return rules;
}

const trading_pair eth_btc = trading_pair::from_string("ETH-BTC");

order_proposal limit_buy(decimal price, decimal amount) {
  return order_proposal{side::buy, order_type::limit, price, amount};
}

order_validation_error rejection(const trading_rules& rules, const order_proposal& order) {
  auto result = validate_order(rules, eth_btc, order);
  REQUIRE_FALSE(result);
  return result.error();
}

} // namespace

TEST_CASE("documented exchange rules pass the rules check") {
  CHECK(check_rules(binance_docs_rules()));
}

TEST_CASE("unusable rules are refused with the field and value named") {
  auto rules = binance_docs_rules();
  rules.tick_size = decimal{};
  auto zero_tick = check_rules(rules);
  REQUIRE_FALSE(zero_tick);
  CHECK(zero_tick.error().message == "tick size 0 is not usable");

  rules = binance_docs_rules();
  rules.step_size = "-0.001"_d;
  REQUIRE_FALSE(check_rules(rules));
  CHECK(check_rules(rules).error().message == "step size -0.001 is not usable");

  rules = binance_docs_rules();
  rules.min_order_size = "-1"_d;
  CHECK_FALSE(check_rules(rules));

  rules = binance_docs_rules();
  rules.max_order_size = "0.0005"_d;
  REQUIRE_FALSE(check_rules(rules));
  CHECK(check_rules(rules).error().message
        == "maximum order size 0.0005 is below the minimum order size 0.001");

  rules = binance_docs_rules();
  rules.min_notional = "-5"_d;
  CHECK_FALSE(check_rules(rules));

  rules = binance_docs_rules();
  rules.quote_amount_step = decimal{};
  CHECK_FALSE(check_rules(rules));
}

TEST_CASE("prices floor to the tick and amounts to the step") {
  const auto rules = binance_docs_rules();
  CHECK(quantize_price(rules, "0.0123456789"_d) == "0.012345"_d);
  CHECK(quantize_price(rules, "0.012345"_d) == "0.012345"_d);
  CHECK(quantize_price(rules, "0.0000009"_d) == decimal{});
  CHECK(quantize_amount(rules, "1.23456"_d) == "1.234"_d);
  CHECK(quantize_amount(rules, "1.234"_d) == "1.234"_d);
  CHECK(quantize_amount(rules, "0.0009999"_d) == decimal{});
}

TEST_CASE("quote amounts floor to the quote increment only where the market has one") {
  auto rules = binance_docs_rules();
  CHECK(quantize_quote_amount(rules, "10.123456789"_d) == "10.123456789"_d);
  rules.quote_amount_step = "0.01"_d;
  CHECK(quantize_quote_amount(rules, "10.129"_d) == "10.12"_d);
}

TEST_CASE("a valid limit order comes back quantized with its notional") {
  auto result = validate_order(binance_docs_rules(), eth_btc,
                               limit_buy("0.0123456789"_d, "1.23456"_d));
  REQUIRE(result);
  CHECK(result->order_side == side::buy);
  CHECK(result->type == order_type::limit);
  CHECK(result->price == "0.012345"_d);
  CHECK(result->amount == "1.234"_d);
  // 0.012345 x 1.234 = 0.012345 + 0.012345 x 0.234 = 0.012345 + 0.00288873
  CHECK(result->notional == "0.01523373"_d);
}

TEST_CASE("a market order keeps its reference price unquantized") {
  instrument market{"binance_main", eth_btc, market_kind::spot, binance_docs_rules()};
  auto result =
      validate_order(market, {side::sell, order_type::market, "0.0123456789"_d, "1.234"_d});
  REQUIRE(result);
  CHECK(result->price == "0.0123456789"_d);
  CHECK(result->amount == "1.234"_d);
  // 0.0123456789 x 1.234 = 0.0123456789 + 0.0028888888626 (x 0.234), exact in 18 places
  CHECK(result->notional == "0.0152345677626"_d);
}

TEST_CASE("an order type the market does not support is rejected first") {
  auto rules = binance_docs_rules();
  rules.supports_limit_maker = false;
  auto error = rejection(rules, {side::buy, order_type::limit_maker, "-1"_d, "1"_d});
  CHECK(error.reason == order_rejection::unsupported_order_type);
  CHECK(error.message == "order type limit_maker is not supported on ETH-BTC");

  rules.supports_market = false;
  CHECK(rejection(rules, {side::buy, order_type::market, "1"_d, "1"_d}).reason
        == order_rejection::unsupported_order_type);
  rules.supports_limit = false;
  CHECK(rejection(rules, limit_buy("1"_d, "1"_d)).reason
        == order_rejection::unsupported_order_type);
}

TEST_CASE("non-positive prices and amounts are rejected") {
  const auto rules = binance_docs_rules();
  auto zero_price = rejection(rules, limit_buy(decimal{}, "1"_d));
  CHECK(zero_price.reason == order_rejection::non_positive_price);
  CHECK(zero_price.message == "price must be positive, got 0 on ETH-BTC");

  auto market = rejection(rules, {side::sell, order_type::market, "-0.5"_d, "1"_d});
  CHECK(market.reason == order_rejection::non_positive_price);
  CHECK(market.message == "reference price must be positive, got -0.5 on ETH-BTC");

  auto amount = rejection(rules, limit_buy("0.01"_d, "-2"_d));
  CHECK(amount.reason == order_rejection::non_positive_amount);
  CHECK(amount.message == "amount must be positive, got -2 on ETH-BTC");
}

TEST_CASE("a price below one tick is rejected rather than sent as zero") {
  auto error = rejection(binance_docs_rules(), limit_buy("0.0000005"_d, "1"_d));
  CHECK(error.reason == order_rejection::price_below_tick);
  CHECK(error.message == "price 0.0000005 is below the tick size 0.000001 for ETH-BTC");
}

TEST_CASE("amounts below the minimum order size name both values") {
  const auto rules = binance_docs_rules();
  auto exact = rejection(rules, limit_buy("0.01"_d, "0.0009"_d));
  CHECK(exact.reason == order_rejection::below_min_order_size);
  CHECK(exact.message
        == "amount 0.0009 (0 after rounding down to the step size 0.001) is below the minimum "
           "order size 0.001 for ETH-BTC");

  auto stepped = rules;
  stepped.step_size = "0.0001"_d;
  auto on_grid = rejection(stepped, limit_buy("0.01"_d, "0.0009"_d));
  CHECK(on_grid.message == "amount 0.0009 is below the minimum order size 0.001 for ETH-BTC");
}

TEST_CASE("the minimum order size is checked after flooring, as the exchange sees it") {
  auto rules = binance_docs_rules();
  rules.min_order_size = "0.01"_d;
  // 0.0109 floors to 0.010: allowed. 0.0099 floors to 0.009: below.
  CHECK(validate_order(rules, eth_btc, limit_buy("0.1"_d, "0.0109"_d)));
  CHECK(rejection(rules, limit_buy("0.1"_d, "0.0099"_d)).reason
        == order_rejection::below_min_order_size);
  // A minimum off the step grid: 0.0108 is above 0.0105 but the exchange would get 0.010.
  rules.min_order_size = "0.0105"_d;
  auto off_grid = rejection(rules, limit_buy("0.1"_d, "0.0108"_d));
  CHECK(off_grid.reason == order_rejection::below_min_order_size);
  CHECK_THAT(off_grid.message, Catch::Contains("(0.01 after rounding down"));
}

TEST_CASE("an amount that floors to zero without a minimum size is below the step") {
  auto rules = binance_docs_rules();
  rules.min_order_size = decimal{};
  auto error = rejection(rules, limit_buy("0.01"_d, "0.0005"_d));
  CHECK(error.reason == order_rejection::amount_below_step);
  CHECK_THAT(error.message, Catch::Contains("is below the step size 0.001 for ETH-BTC"));
}

TEST_CASE("amounts above the maximum order size are rejected, the maximum itself passes") {
  const auto rules = binance_docs_rules();
  CHECK(validate_order(rules, eth_btc, limit_buy("0.01"_d, "100000"_d)));
  CHECK(validate_order(rules, eth_btc, limit_buy("0.01"_d, "100000.0009"_d)));
  auto error = rejection(rules, limit_buy("0.01"_d, "100000.001"_d));
  CHECK(error.reason == order_rejection::above_max_order_size);
  CHECK(error.message
        == "amount 100000.001 is above the maximum order size 100000 for ETH-BTC");
}

TEST_CASE("notional below the minimum is rejected in the quote asset, the minimum passes") {
  const auto rules = binance_docs_rules();
  auto error = rejection(rules, limit_buy("0.000001"_d, "999"_d));
  CHECK(error.reason == order_rejection::below_min_notional);
  CHECK(error.message
        == "notional 0.000999 BTC is below the minimum notional 0.001 BTC for ETH-BTC "
           "(price 0.000001 x amount 999)");
  auto at_minimum = validate_order(rules, eth_btc, limit_buy("0.000001"_d, "1000"_d));
  REQUIRE(at_minimum);
  CHECK(at_minimum->notional == "0.001"_d);
}

TEST_CASE("the notional uses the quantized price and amount") {
  // 0.0000019 floors to 0.000001 and 999.9 to 999: 0.000999, below the minimum, though the
  // unquantized product 0.00189981 is above it.
  auto error = rejection(binance_docs_rules(), limit_buy("0.0000019"_d, "999.9"_d));
  CHECK(error.reason == order_rejection::below_min_notional);
}

TEST_CASE("market orders check the notional at their reference price") {
  auto error = rejection(binance_docs_rules(),
                         {side::buy, order_type::market, "0.0000015"_d, "600"_d});
  CHECK(error.reason == order_rejection::below_min_notional);
  CHECK_THAT(error.message, Catch::Contains("(reference price 0.0000015 x amount 600)"));
}

TEST_CASE("without a minimum notional any positive notional passes") {
  auto rules = binance_docs_rules();
  rules.min_notional.reset();
  CHECK(validate_order(rules, eth_btc, limit_buy("0.000001"_d, "0.001"_d)));
}

TEST_CASE("a notional beyond the decimal range is a rejection, not an exception") {
  auto rules = binance_docs_rules();
  rules.max_order_size.reset();
  auto error = rejection(rules, limit_buy("10000000000"_d, "100000000000"_d));
  CHECK(error.reason == order_rejection::notional_out_of_range);
}

TEST_CASE("every rejection reason has its own name") {
  std::set<std::string> names;
  for (auto reason : {order_rejection::unsupported_order_type, order_rejection::non_positive_price,
                      order_rejection::non_positive_amount, order_rejection::price_below_tick,
                      order_rejection::amount_below_step, order_rejection::below_min_order_size,
                      order_rejection::above_max_order_size, order_rejection::below_min_notional,
                      order_rejection::notional_out_of_range}) {
    names.insert(std::string{to_string(reason)});
  }
  CHECK(names.size() == 9);
  CHECK_FALSE(names.contains("unknown"));
}

TEST_CASE("an instrument names the account, the pair and the market kind") {
  instrument perp{"binance_perp_main", trading_pair::from_string("BTC-USDT"),
                  market_kind::perpetual, binance_docs_rules()};
  CHECK(perp.exchange == "binance_perp_main");
  CHECK(perp.pair.quote() == "USDT");
  CHECK(perp.kind == market_kind::perpetual);
  CHECK(perp.rules == binance_docs_rules());
}
