#include <catch2/catch.hpp>

#include "strategies/xemm.hpp"
#include "strategy_support.hpp"

using namespace tern;
using namespace tern::strategies;
using namespace tern::strategies::testing;

namespace {

const market_id MAKER = market("binance");
const market_id TAKER = market("okx");

struct xemm_fixture {
  std::unique_ptr<xemm> strategy;
  explicit xemm_fixture(xemm_params p = params()) {
    strategy = std::make_unique<xemm>(common_params{"xemm", "", std::nullopt}, p, info("binance"), info("okx"));
    for (const char* account : {"binance", "okx"}) {
      (void)strategy->on_balance({account, "BTC", "10"_d, "10"_d}, at_seconds(0));
      (void)strategy->on_balance({account, "USDT", "100000"_d, "100000"_d}, at_seconds(0));
    }
  }
  static xemm_params params() {
    xemm_params p;
    p.order_amount = "1"_d;
    p.min_profitability = "0.003"_d;
    p.anti_hysteresis = std::chrono::seconds{60};
    return p;
  }
  /// Maker book 95/105 (wide), then the taker book as given; returns what both updates did.
  actions books(decimal taker_bid, decimal taker_ask, long second, decimal maker_ask = "105"_d) {
    actions out = strategy->on_book(book(MAKER, {{"95"_d, "5"_d}}, {{maker_ask, "5"_d}}), at_seconds(second));
    auto taker = strategy->on_book(book(TAKER, {{taker_bid, "5"_d}}, {{taker_ask, "5"_d}}), at_seconds(second));
    out.insert(out.end(), taker.begin(), taker.end());
    return out;
  }
};

/// Net profitability of buying at `maker_price` (maker fee 0.05 %) and selling at `hedge`
/// (taker fee 0.1 %), or the reverse for a maker sell.
decimal profitability(side maker_side, decimal maker_price, decimal hedge) {
  if (maker_side == side::buy) {
    decimal cost = decimal::multiply(maker_price, "1.0005"_d, rounding::half_even);
    return decimal::divide(decimal::multiply(hedge, "0.999"_d, rounding::half_even) - cost, cost, rounding::floor);
  }
  decimal cost = decimal::multiply(hedge, "1.001"_d, rounding::half_even);
  return decimal::divide(decimal::multiply(maker_price, "0.9995"_d, rounding::half_even) - cost, cost, rounding::floor);
}

place_order on_side(const actions& out, side s) {
  for (const auto& o : only<place_order>(out))
    if (o.order_side == s) return o;
  FAIL("no order on that side");
  return {};
}

} // namespace

TEST_CASE("maker prices are the last ticks at which hedging still clears the threshold") {
  xemm_fixture f;
  auto out = f.books("100"_d, "101"_d, 1);
  REQUIRE(only<place_order>(out).size() == 2);
  const place_order bid = on_side(out, side::buy);
  const place_order ask = on_side(out, side::sell);
  CHECK(bid.market == MAKER);
  CHECK(bid.type == order_type::limit_maker);
  CHECK(profitability(side::buy, bid.price, "100"_d) >= "0.003"_d);
  CHECK(profitability(side::buy, bid.price + "0.01"_d, "100"_d) < "0.003"_d);
  CHECK(profitability(side::sell, ask.price, "101"_d) >= "0.003"_d);
  CHECK(profitability(side::sell, ask.price - "0.01"_d, "101"_d) < "0.003"_d);
  CHECK(bid.amount == "1"_d);
}

TEST_CASE("a maker price that would cross the maker book is pulled back one tick") {
  xemm_fixture f;
  auto out = f.books("100"_d, "101"_d, 1, "98"_d);  // the profitable bid (~99.3) would take the 98 ask
  CHECK(on_side(out, side::buy).price == "97.99"_d);
}

TEST_CASE("an order the taker book made unprofitable is cancelled at once and re-priced") {
  xemm_fixture f;
  const place_order bid = on_side(f.books("100"_d, "101"_d, 1), side::buy);
  auto out = f.books("99.5"_d, "101"_d, 2);  // inside the anti-hysteresis time, yet it must go
  auto cancels = only<cancel_order>(out);
  REQUIRE(cancels.size() == 1);
  CHECK(cancels[0].client_id == bid.client_id);
  (void)f.strategy->on_order_event(state_only(bid, order_state::cancelled), at_seconds(3));
  const place_order again = on_side(f.strategy->on_tick(at_seconds(3)), side::buy);
  CHECK(profitability(side::buy, again.price, "99.5"_d) >= "0.003"_d);
  CHECK(profitability(side::buy, again.price + "0.01"_d, "99.5"_d) < "0.003"_d);
}

TEST_CASE("a better price replaces a profitable order only after the anti-hysteresis time") {
  xemm_fixture f;
  const place_order bid = on_side(f.books("100"_d, "101"_d, 0), side::buy);
  CHECK(only<cancel_order>(f.books("100.5"_d, "101"_d, 59)).empty());
  auto cancels = only<cancel_order>(f.books("100.5"_d, "101"_d, 60));
  REQUIRE(cancels.size() >= 1);
  CHECK(cancels[0].client_id == bid.client_id);
  SECTION("unless adjusting is off") {
    xemm_params p = xemm_fixture::params();
    p.adjust_order_enabled = false;
    xemm_fixture still{p};
    (void)still.books("100"_d, "101"_d, 0);
    CHECK(only<cancel_order>(still.books("100.5"_d, "101"_d, 600)).empty());
  }
}

TEST_CASE("every maker fill is hedged on the taker market at once") {
  xemm_fixture f;
  const place_order bid = on_side(f.books("100"_d, "101"_d, 1), side::buy);
  auto out = f.strategy->on_order_event(filled(bid, bid.price, "0.4"_d, "0"_d, order_state::partially_filled),
                                        at_seconds(2));
  auto hedges = only<place_order>(out);
  REQUIRE(hedges.size() == 1);
  CHECK(hedges[0].market == TAKER);
  CHECK(hedges[0].order_side == side::sell);
  CHECK(hedges[0].type == order_type::market);
  CHECK(hedges[0].amount == "0.4"_d);
  SECTION("fills below the taker's step are gathered until they make one") {
    CHECK(only<place_order>(f.strategy->on_order_event(
                                filled(bid, bid.price, "0.0004"_d, "0"_d, order_state::partially_filled),
                                at_seconds(3)))
              .empty());
    auto more = only<place_order>(f.strategy->on_order_event(
        filled(bid, bid.price, "0.0006"_d, "0"_d, order_state::partially_filled), at_seconds(3)));
    REQUIRE(more.size() == 1);
    CHECK(more[0].amount == "0.001"_d);
  }
  SECTION("the position is flat once the hedge fills") {
    (void)f.strategy->on_order_event(filled(hedges[0], "100"_d, "0.4"_d, "0"_d), at_seconds(3));
    CHECK(f.strategy->status().exposure.at("BTC") == "0"_d);
    CHECK(f.strategy->status().realised_pnl == decimal::multiply("100"_d - bid.price, "0.4"_d, rounding::half_even));
  }
}

TEST_CASE("a hedge that keeps failing is re-sent, then the strategy stops with the exposure") {
  xemm_params p = xemm_fixture::params();
  p.max_hedge_retries = 2;
  xemm_fixture f{p};
  const place_order ask = on_side(f.books("100"_d, "101"_d, 1), side::sell);
  auto hedge = only<place_order>(f.strategy->on_order_event(filled(ask, ask.price, "1"_d, "0"_d), at_seconds(2)));
  REQUIRE(hedge.size() == 1);
  CHECK(hedge[0].order_side == side::buy);
  for (int retry = 0; retry < 2; ++retry) {
    auto again = only<place_order>(f.strategy->on_order_event(rejected(hedge[0]), at_seconds(3)));
    REQUIRE(again.size() == 1);
    CHECK(again[0].amount == "1"_d);
    hedge = again;
  }
  auto out = f.strategy->on_order_event(rejected(hedge[0]), at_seconds(4));
  CHECK(only<stopped>(out).size() == 1);
  CHECK(f.strategy->status().exposure.at("BTC") == "-1"_d);
}
