#include <catch2/catch.hpp>

#include "strategies/arbitrage.hpp"
#include "strategy_support.hpp"

using namespace tern;
using namespace tern::strategies;
using namespace tern::strategies::testing;

namespace {

const market_id A = market("binance");
const market_id B = market("okx");

/// An arbitrage between A and B, with A holding quote and B holding base.
struct arbitrage_fixture {
  arbitrage_params params;
  std::unique_ptr<arbitrage> strategy;

  explicit arbitrage_fixture(arbitrage_params p = default_params(), decimal a_quote = "10000"_d,
                             decimal b_base = "10"_d, std::vector<market_info> markets = {info("binance"), info("okx")})
      : params(p) {
    strategy = std::make_unique<arbitrage>(common_params{"arb", "arb-1732496400", std::nullopt}, params, std::move(markets));
    (void)strategy->on_balance({"binance", "USDT", a_quote, a_quote}, at_seconds(0));
    (void)strategy->on_balance({"okx", "BTC", b_base, b_base}, at_seconds(0));
  }
  static arbitrage_params default_params() {
    arbitrage_params p;
    p.min_profitability = "0.003"_d;
    p.order_amount = "1"_d;
    return p;
  }
  /// Sets A's asks and B's bids (the other sides far away) and returns what the strategy did.
  actions books(std::vector<price_level> a_asks, std::vector<price_level> b_bids, long second = 1) {
    actions out = strategy->on_book(book(A, {{"50"_d, "1"_d}}, std::move(a_asks)), at_seconds(second));
    auto b = strategy->on_book(book(B, std::move(b_bids), {{"200"_d, "1"_d}}), at_seconds(second));
    out.insert(out.end(), b.begin(), b.end());
    return out;
  }
};

decimal profitability_by_hand(decimal buy_price, decimal sell_price, decimal amount, decimal fee) {
  decimal cost = decimal::multiply(buy_price, amount, rounding::up);
  cost += decimal::multiply(cost, fee, rounding::up);
  decimal proceeds = decimal::multiply(sell_price, amount, rounding::down);
  proceeds -= decimal::multiply(proceeds, fee, rounding::up);
  return decimal::divide(proceeds - cost, cost, rounding::floor);
}

} // namespace

TEST_CASE("arbitrage fires exactly when the profit after both taker fees clears the threshold") {
  // Sweep the sell venue's bid across the threshold one tick at a time: the strategy must fire
  // for exactly the bids whose hand-computed net profitability is at least 0.3 %.
  int fired = 0;
  int skipped = 0;
  for (decimal bid = "100.40"_d; bid <= "100.60"_d; bid += "0.01"_d) {
    arbitrage_fixture f;
    auto out = f.books({{"100"_d, "5"_d}}, {{bid, "5"_d}});
    const bool should_fire = profitability_by_hand("100"_d, bid, "1"_d, "0.001"_d) >= "0.003"_d;
    INFO("bid " << bid);
    CHECK(only<place_order>(out).size() == (should_fire ? 2u : 0u));
    (should_fire ? fired : skipped) += 1;
  }
  CHECK(fired > 0);  // the sweep really straddles the threshold
  CHECK(skipped > 0);
}

TEST_CASE("a profitability exactly at the threshold fires") {
  market_info a = info("binance", "0.01"_d, "0.001"_d, "0"_d);
  market_info b = info("okx", "0.01"_d, "0.001"_d, "0"_d);
  arbitrage_fixture f{arbitrage_fixture::default_params(), "10000"_d, "10"_d, {a, b}};
  CHECK(only<place_order>(f.books({{"100"_d, "1"_d}}, {{"100.29"_d, "1"_d}})).empty());
  auto out = f.books({{"100"_d, "1"_d}}, {{"100.30"_d, "1"_d}}, 2);  // exactly 0.3 %
  CHECK(only<place_order>(out).size() == 2);
}

TEST_CASE("both legs go out together as IOC limits at the worst price walked") {
  arbitrage_fixture f;
  auto out = f.books({{"100"_d, "0.5"_d}, {"100.2"_d, "0.5"_d}}, {{"102"_d, "0.4"_d}, {"101.9"_d, "0.6"_d}});
  auto orders = only<place_order>(out);
  REQUIRE(orders.size() == 2);
  CHECK(orders[0].market == A);
  CHECK(orders[0].order_side == side::buy);
  CHECK(orders[0].price == "100.2"_d);
  CHECK(orders[0].tif == time_in_force::ioc);
  CHECK(orders[1].market == B);
  CHECK(orders[1].order_side == side::sell);
  CHECK(orders[1].price == "101.9"_d);
  CHECK(orders[0].amount == "1"_d);
  CHECK(orders[1].amount == "1"_d);
  auto chance = f.strategy->best_opportunity();
  REQUIRE(chance);
  CHECK(chance->buy_vwap == "100.1"_d);
  CHECK(chance->sell_vwap == "101.94"_d);
  CHECK(f.strategy->status().opportunities_seen == 1);
}

TEST_CASE("the direction follows the books: buy where it is cheap") {
  arbitrage_fixture f{arbitrage_fixture::default_params(), "10000"_d, "10"_d};
  // B is cheap this time, but A holds no base to sell and B no quote to buy: nothing fires.
  (void)f.strategy->on_book(book(A, {{"102"_d, "5"_d}}, {{"103"_d, "5"_d}}), at_seconds(1));
  auto out = f.strategy->on_book(book(B, {{"99"_d, "5"_d}}, {{"100"_d, "5"_d}}), at_seconds(1));
  CHECK(only<place_order>(out).empty());
  (void)f.strategy->on_balance({"okx", "USDT", "1000"_d, "1000"_d}, at_seconds(1));
  (void)f.strategy->on_balance({"binance", "BTC", "3"_d, "3"_d}, at_seconds(1));
  auto chance = f.strategy->best_opportunity();
  REQUIRE(chance);
  CHECK(chance->buy_market == B);
  CHECK(chance->sell_market == A);
}

TEST_CASE("the amount is limited by the sell side's base, the buy side's quote and the depth") {
  SECTION("base on the sell account") {
    arbitrage_fixture f{arbitrage_fixture::default_params(), "10000"_d, "0.3"_d};
    auto orders = only<place_order>(f.books({{"100"_d, "5"_d}}, {{"101"_d, "5"_d}}));
    REQUIRE(orders.size() == 2);
    CHECK(orders[0].amount == "0.3"_d);
  }
  SECTION("quote on the buy account, fees included") {
    arbitrage_fixture f{arbitrage_fixture::default_params(), "50.05"_d, "10"_d};  // 0.5 x 100 x 1.001
    auto chance = (f.books({{"100"_d, "5"_d}}, {{"101"_d, "5"_d}}), f.strategy->best_opportunity());
    REQUIRE(chance);
    CHECK(chance->amount == "0.5"_d);
    CHECK(chance->cost <= "50.05"_d);
    arbitrage_fixture poorer{arbitrage_fixture::default_params(), "50.04"_d, "10"_d};
    (void)poorer.books({{"100"_d, "5"_d}}, {{"101"_d, "5"_d}});
    CHECK(poorer.strategy->best_opportunity()->amount == "0.499"_d);
  }
  SECTION("depth of the thinner book") {
    arbitrage_fixture f;
    auto orders = only<place_order>(f.books({{"100"_d, "0.25"_d}}, {{"101"_d, "0.7"_d}}));
    REQUIRE(orders.size() == 2);
    CHECK(orders[0].amount == "0.25"_d);
    CHECK(orders[1].amount == "0.25"_d);
  }
}

TEST_CASE("quantization can leave no tradable amount, and then nothing fires") {
  arbitrage_params p = arbitrage_fixture::default_params();
  p.order_amount = "0.0015"_d;
  SECTION("fine steps: 0.001 is tradable") {
    arbitrage_fixture f{p};
    auto orders = only<place_order>(f.books({{"100"_d, "5"_d}}, {{"101"_d, "5"_d}}));
    REQUIRE(orders.size() == 2);
    CHECK(orders[0].amount == "0.001"_d);
  }
  SECTION("a coarse step on the sell market floors the amount to zero") {
    arbitrage_fixture f{p, "10000"_d, "10"_d, {info("binance"), info("okx", "0.01"_d, "0.01"_d)}};
    CHECK(only<place_order>(f.books({{"100"_d, "5"_d}}, {{"101"_d, "5"_d}})).empty());
  }
  SECTION("a minimum notional the quantized order does not reach") {
    market_info b = info("okx");
    b.rules.min_notional = "0.2"_d;  // 0.001 x 101 = 0.101
    arbitrage_fixture f{p, "10000"_d, "10"_d, {info("binance"), b}};
    CHECK(only<place_order>(f.books({{"100"_d, "5"_d}}, {{"101"_d, "5"_d}})).empty());
  }
}

TEST_CASE("a coarser tick on the buy market raises the limit price but not the estimate") {
  arbitrage_fixture f{arbitrage_fixture::default_params(), "10000"_d, "10"_d,
                      {info("binance", "0.5"_d), info("okx")}};
  auto orders = only<place_order>(f.books({{"100.2"_d, "5"_d}}, {{"101"_d, "5"_d}}));
  REQUIRE(orders.size() == 2);
  CHECK(orders[0].price == "100.5"_d);  // rounded up so that the IOC still reaches the level
}

namespace {

/// Fires one round on crafted books and returns its two legs (buy on A, sell on B).
std::pair<place_order, place_order> fire_round(arbitrage_fixture& f) {
  auto orders = only<place_order>(f.books({{"100"_d, "5"_d}}, {{"101"_d, "5"_d}}));
  REQUIRE(orders.size() == 2);
  return {orders[0], orders[1]};
}

arbitrage_params with_policy(leg_failure_policy policy, int retries = 2) {
  arbitrage_params p = arbitrage_fixture::default_params();
  p.on_leg_failure = policy;
  p.max_retries = retries;
  return p;
}

} // namespace

TEST_CASE("a rejected sell leg after a filled buy is unwound on the buy market") {
  arbitrage_fixture f{with_policy(leg_failure_policy::unwind)};
  auto [buy, sell] = fire_round(f);
  CHECK(only<place_order>(f.strategy->on_order_event(filled(buy, "100"_d, "1"_d, "0.1"_d), at_seconds(2))).empty());
  auto out = f.strategy->on_order_event(rejected(sell), at_seconds(2));
  auto orders = only<place_order>(out);
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].market == A);
  CHECK(orders[0].order_side == side::sell);
  CHECK(orders[0].type == order_type::market);
  CHECK(orders[0].amount == "1"_d);
  CHECK(f.strategy->status().exposure.at("BTC") == "1"_d);  // reported while it is open
  (void)f.strategy->on_order_event(filled(orders[0], "99.9"_d, "1"_d, "0.0999"_d), at_seconds(3));
  CHECK(f.strategy->status().exposure.at("BTC") == "0"_d);
  CHECK_FALSE(f.strategy->round_active());
}

TEST_CASE("hedge completes the missing leg with a market order on the other market") {
  arbitrage_fixture f{with_policy(leg_failure_policy::hedge)};
  auto [buy, sell] = fire_round(f);
  (void)f.strategy->on_order_event(filled(sell, "101"_d, "0.6"_d, "0"_d, order_state::partially_filled), at_seconds(2));
  (void)f.strategy->on_order_event(state_only(sell, order_state::cancelled), at_seconds(2));  // IOC remainder
  auto out = f.strategy->on_order_event(filled(buy, "100"_d, "1"_d, "0"_d), at_seconds(2));
  auto orders = only<place_order>(out);
  REQUIRE(orders.size() == 1);
  CHECK(orders[0].market == B);
  CHECK(orders[0].order_side == side::sell);
  CHECK(orders[0].type == order_type::market);
  CHECK(orders[0].amount == "0.4"_d);
}

TEST_CASE("retry re-sends the missing leg, then unwinds, then stops and reports the exposure") {
  arbitrage_fixture f{with_policy(leg_failure_policy::retry, 2)};
  auto [buy, sell] = fire_round(f);
  (void)f.strategy->on_order_event(filled(buy, "100"_d, "1"_d, "0"_d), at_seconds(2));
  auto failing = sell;
  std::vector<place_order> sent;
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto orders = only<place_order>(f.strategy->on_order_event(rejected(failing), at_seconds(3 + attempt)));
    REQUIRE(orders.size() == 1);
    sent.push_back(orders[0]);
    failing = orders[0];
  }
  // Two re-sends of the sell leg on B (limit, like the legs), then three unwinds on A.
  CHECK(sent[0].market == B);
  CHECK(sent[0].type == order_type::limit);
  CHECK(sent[1].market == B);
  for (int i = 2; i < 5; ++i) {
    CHECK(sent[i].market == A);
    CHECK(sent[i].type == order_type::market);
    CHECK(sent[i].order_side == side::sell);
  }
  auto out = f.strategy->on_order_event(rejected(failing), at_seconds(9));
  CHECK(only<place_order>(out).empty());
  CHECK(only<stopped>(out).size() == 1);
  CHECK_FALSE(f.strategy->running());
  CHECK(f.strategy->status().exposure.at("BTC") == "1"_d);
}

TEST_CASE("balances and P&L after both legs fill match the fills") {
  arbitrage_fixture f;
  auto [buy, sell] = fire_round(f);
  (void)f.strategy->on_order_event(filled(buy, "100"_d, "1"_d, "0.1"_d), at_seconds(2));
  (void)f.strategy->on_order_event(filled(sell, "101"_d, "1"_d, "0.101"_d), at_seconds(2));
  const ledger& l = f.strategy->books_ledger();
  CHECK(l.available("binance", "USDT") == "10000"_d - "100"_d - "0.1"_d);
  CHECK(l.available("binance", "BTC") == "1"_d);
  CHECK(l.available("okx", "BTC") == "9"_d);
  CHECK(l.available("okx", "USDT") == "101"_d - "0.101"_d);
  auto s = f.strategy->status();
  CHECK(s.realised_pnl == "101"_d - "0.101"_d - "100"_d - "0.1"_d);
  CHECK(s.total_pnl == s.realised_pnl);
  CHECK(s.accounts.at("binance").pnl + s.accounts.at("okx").pnl == s.total_pnl);
  CHECK(s.fills == 2);
  CHECK(s.orders_placed == 2);
  CHECK(s.counters.at("completed_rounds") == 1);
  CHECK(s.exposure.at("BTC") == "0"_d);
}

TEST_CASE("no second round while one is open, and none before the cooldown ends") {
  arbitrage_params p = arbitrage_fixture::default_params();
  p.cooldown = std::chrono::seconds{10};
  arbitrage_fixture f{p};
  auto [buy, sell] = fire_round(f);
  CHECK(only<place_order>(f.strategy->on_tick(at_seconds(2))).empty());  // round open
  (void)f.strategy->on_order_event(filled(buy, "100"_d, "1"_d, "0"_d), at_seconds(3));
  (void)f.strategy->on_order_event(filled(sell, "101"_d, "1"_d, "0"_d), at_seconds(3));
  CHECK(only<place_order>(f.strategy->on_tick(at_seconds(12))).empty());  // 9 s after the round
  CHECK(only<place_order>(f.strategy->on_tick(at_seconds(13))).size() == 2);
}

TEST_CASE("with three markets the most profitable pair fires, as market orders when so configured") {
  arbitrage_params p = arbitrage_fixture::default_params();
  p.leg_type = order_type::market;
  arbitrage_fixture f{p, "10000"_d, "10"_d, {info("binance"), info("okx"), info("bybit")}};
  (void)f.strategy->on_balance({"bybit", "BTC", "10"_d, "10"_d}, at_seconds(0));
  (void)f.strategy->on_book(book(market("bybit"), {{"101.5"_d, "5"_d}}, {{"103"_d, "5"_d}}), at_seconds(1));
  auto orders = only<place_order>(f.books({{"100"_d, "5"_d}}, {{"101"_d, "5"_d}}));
  REQUIRE(orders.size() == 2);
  CHECK(orders[0].market == A);
  CHECK(orders[1].market == market("bybit"));  // 101.5 beats okx's 101
  CHECK(orders[0].type == order_type::market);
  CHECK(orders[1].type == order_type::market);
  CHECK(orders[1].price == "101.5"_d);  // the reference price it was sized at
}
