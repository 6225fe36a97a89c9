// Perpetual markets: positions in one-way and hedge mode, margin from leverage, realised PnL,
// reduce-only, funding, position mode changes, and the money invariants under random flow.

#include <catch2/catch.hpp>

#include <random>

#include "sim/venue.hpp"
#include "tests/sim/sim_fixtures.hpp"

using namespace tern;
using namespace tern::sim;
using namespace tern::sim::testing;

namespace {

struct perp_fixture {
  venue exchange;
  matching_engine& engine;
  account_id alice;
  account_id bob;
  account_id carol;
  event_buffer events;
  timestamp now = from_unix_ms(1'723'161'253'937);

  perp_fixture()
      : engine(*exchange.add_market(simple_perpetual()).value()),
        alice(funded_account(exchange, "alice", {{"USDT", "10000"_d}})),
        bob(funded_account(exchange, "bob", {{"USDT", "10000"_d}})),
        carol(funded_account(exchange, "carol", {{"USDT", "10000"_d}})) {}

  order_view place(order_request request) {
    auto placed = engine.place(request, now, events);
    INFO((placed ? std::string{} : placed.error().message));
    REQUIRE(placed.has_value());
    return *placed;
  }
  order_view place_hedge(account_id account, side s, position_side pos, decimal price,
                         decimal quantity) {
    order_request request = limit(account, s, price, quantity);
    request.pos_side = pos;
    return place(request);
  }
  position_view position(account_id account, position_side pos = position_side::both) {
    for (const auto& held : engine.positions(account))
      if (held.pos_side == pos)
        return held;
    return position_view{pos, {}, {}, {}, {}, 0};
  }
  asset_balance usdt(account_id account) { return exchange.accounts().balance(account, "USDT"); }
  fill_detail last_fill_of(order_id id) {
    std::optional<fill_detail> found;
    for (const auto& change : events_of<order_event>(events))
      if (change.order.id == id && change.fill)
        found = change.fill;
    REQUIRE(found);
    return *found;
  }
};

} // namespace

TEST_CASE("one-way positions lock margin by leverage, realise PnL and flip", "[sim]") {
  perp_fixture f;
  REQUIRE(f.engine.set_leverage(f.alice, 10));
  f.place(limit(f.bob, side::sell, "100.0"_d, "1.000"_d));  // default leverage 20
  order_view opened = f.place(limit(f.alice, side::buy, "100.0"_d, "1.000"_d));
  CHECK(opened.status == order_status::filled);
  CHECK(f.position(f.alice).amount == "1"_d);
  CHECK(f.position(f.alice).entry_price == "100"_d);
  CHECK(f.position(f.alice).margin == "10"_d);        // 100 / 10
  CHECK(f.usdt(f.alice) == asset_balance{"9989.95"_d, "10"_d});  // taker fee 0.05
  CHECK(f.position(f.bob).amount == "-1"_d);
  CHECK(f.usdt(f.bob) == asset_balance{"9994.98"_d, "5"_d});     // margin 5, maker fee 0.02
  CHECK(f.exchange.audit() == "");

  f.place(limit(f.carol, side::buy, "110.0"_d, "0.400"_d));
  f.events.clear();
  order_view reduced = f.place(limit(f.alice, side::sell, "110.0"_d, "0.400"_d));
  fill_detail reduce_fill = f.last_fill_of(reduced.id);
  CHECK(reduce_fill.realized_pnl == "4"_d);           // 0.4 x (110 - 100)
  CHECK(reduce_fill.fee == "0.022"_d);
  CHECK(f.position(f.alice).amount == "0.6"_d);
  CHECK(f.position(f.alice).margin == "6"_d);
  CHECK(f.usdt(f.alice) == asset_balance{"9997.928"_d, "6"_d});
  auto positions = events_of<position_update>(f.events);
  REQUIRE(positions.size() == 2);  // alice and carol
  CHECK(f.exchange.audit() == "");

  f.place(limit(f.carol, side::buy, "110.0"_d, "1.000"_d));
  order_view flipped = f.place(limit(f.alice, side::sell, "110.0"_d, "1.000"_d));
  CHECK(f.last_fill_of(flipped.id).realized_pnl == "6"_d);  // the 0.6 long closed at 110
  CHECK(f.position(f.alice).amount == "-0.4"_d);
  CHECK(f.position(f.alice).entry_price == "110"_d);
  CHECK(f.position(f.alice).margin == "4.4"_d);
  CHECK(f.usdt(f.alice) == asset_balance{"10005.473"_d, "4.4"_d});
  CHECK(f.exchange.audit() == "");
}

TEST_CASE("a loss larger than the account is absorbed by the insurance fund", "[sim]") {
  perp_fixture f;
  account_id small = funded_account(f.exchange, "small", {{"USDT", "10"_d}});
  REQUIRE(f.engine.set_leverage(small, 100));
  f.place(limit(f.bob, side::sell, "100.0"_d, "1.000"_d));
  f.place(limit(small, side::buy, "100.0"_d, "1.000"_d));  // margin 1, taker fee 0.05
  CHECK(f.usdt(small) == asset_balance{"8.95"_d, "1"_d});

  f.place(limit(f.carol, side::buy, "50.0"_d, "1.000"_d));
  order_request close = limit(small, side::sell, "50.0"_d, "1.000"_d);
  close.reduce_only = true;
  f.events.clear();
  order_view closed = f.place(close);
  fill_detail fill = f.last_fill_of(closed.id);
  CHECK(fill.realized_pnl == "-50"_d);
  CHECK(fill.fee.is_zero());  // nothing left to pay it with
  CHECK(f.usdt(small) == asset_balance{"0"_d, "0"_d});
  asset_id usdt = *f.exchange.accounts().find_asset("USDT");
  CHECK(f.exchange.accounts().insurance(usdt) == "-40.05"_d);  // 50 - (8.95 + 1)
  CHECK(f.exchange.audit() == "");
}

TEST_CASE("hedge mode keeps long and short positions apart", "[sim]") {
  perp_fixture f;
  REQUIRE(f.exchange.set_position_mode(f.alice, position_mode::hedge));
  f.place(limit(f.bob, side::sell, "100.0"_d, "1.000"_d));
  f.place_hedge(f.alice, side::buy, position_side::long_side, "100.0"_d, "1.000"_d);
  f.place(limit(f.carol, side::buy, "100.0"_d, "1.000"_d));
  f.place_hedge(f.alice, side::sell, position_side::short_side, "100.0"_d, "1.000"_d);
  CHECK(f.position(f.alice, position_side::long_side).amount == "1"_d);
  CHECK(f.position(f.alice, position_side::short_side).amount == "-1"_d);

  f.place(limit(f.carol, side::buy, "101.0"_d, "0.500"_d));
  f.events.clear();
  order_view closed = f.place_hedge(f.alice, side::sell, position_side::long_side, "101.0"_d,
                                    "0.500"_d);
  CHECK(f.last_fill_of(closed.id).realized_pnl == "0.5"_d);
  CHECK(f.position(f.alice, position_side::long_side).amount == "0.5"_d);
  CHECK(f.position(f.alice, position_side::short_side).amount == "-1"_d);

  order_request both = limit(f.alice, side::buy, "99.0"_d, "0.100"_d);
  CHECK(f.engine.place(both, f.now, f.events).error().code == error_code::position_side_mismatch);
  both.pos_side = position_side::long_side;
  both.reduce_only = true;
  CHECK(f.engine.place(both, f.now, f.events).error().code == error_code::reduce_only_not_allowed);
  order_request one_way_long = limit(f.bob, side::buy, "99.0"_d, "0.100"_d);
  one_way_long.pos_side = position_side::long_side;
  CHECK(f.engine.place(one_way_long, f.now, f.events).error().code
        == error_code::position_side_mismatch);
  CHECK(f.exchange.audit() == "");
}

TEST_CASE("reduce-only orders never increase a position", "[sim]") {
  perp_fixture f;
  order_request reduce = limit(f.alice, side::sell, "100.0"_d, "2.000"_d);
  reduce.reduce_only = true;
  CHECK(f.engine.place(reduce, f.now, f.events).error().code == error_code::reduce_only_rejected);

  f.place(limit(f.bob, side::sell, "100.0"_d, "1.000"_d));
  f.place(limit(f.alice, side::buy, "100.0"_d, "1.000"_d));  // alice long 1
  order_request wrong_way = limit(f.alice, side::buy, "90.0"_d, "0.500"_d);
  wrong_way.reduce_only = true;
  CHECK(f.engine.place(wrong_way, f.now, f.events).error().code == error_code::reduce_only_rejected);

  SECTION("as taker it fills up to the position and the rest expires") {
    f.place(limit(f.carol, side::buy, "100.0"_d, "3.000"_d));
    order_view result = f.place(reduce);
    CHECK(result.executed_quantity == "1"_d);
    CHECK(result.status == order_status::expired);
    CHECK(result.reason == end_reason::reduce_only_exhausted);
    CHECK(f.position(f.alice).amount.is_zero());
  }
  SECTION("resting, it locks nothing and is capped when matched") {
    reduce.price = "101.0"_d;
    asset_balance before = f.usdt(f.alice);
    order_view resting = f.place(reduce);
    CHECK(resting.status == order_status::new_order);
    CHECK(f.usdt(f.alice) == before);
    order_view taker = f.place(limit(f.carol, side::buy, "101.0"_d, "2.000"_d));
    CHECK(taker.executed_quantity == "1"_d);
    CHECK(taker.status == order_status::partially_filled);  // the other 1 rests
    auto maker = f.engine.find_order(f.alice, resting.id);
    CHECK(maker->executed_quantity == "1"_d);
    CHECK(maker->status == order_status::expired);
    CHECK(maker->reason == end_reason::reduce_only_exhausted);
    CHECK(f.position(f.alice).amount.is_zero());
    CHECK(f.engine.best_bid() == price_level{"101.0"_d, "1.000"_d});
  }
  CHECK(f.exchange.audit() == "");
}

TEST_CASE("leverage sets the margin an order locks", "[sim]") {
  perp_fixture f;
  CHECK(f.engine.set_leverage(f.alice, 0).error().code == error_code::leverage_out_of_range);
  CHECK(f.engine.set_leverage(f.alice, 126).error().code == error_code::leverage_out_of_range);
  REQUIRE(f.engine.set_leverage(f.alice, 5));
  CHECK(f.engine.leverage(f.alice) == 5);
  order_view resting = f.place(limit(f.alice, side::buy, "100.0"_d, "1.000"_d));
  CHECK(resting.leverage == 5);
  CHECK(f.usdt(f.alice).locked == "20.05"_d);  // 100 / 5 + 0.05 % fee reserve

  account_id small = funded_account(f.exchange, "small", {{"USDT", "10"_d}});
  // At the default 20x, 1 @ 200 needs 10 margin + 0.1 fee reserve: more than 10.
  CHECK(f.engine.place(limit(small, side::sell, "200.0"_d, "1.000"_d), f.now, f.events).error().code
        == error_code::insufficient_balance);
  f.place(limit(small, side::sell, "190.0"_d, "1.000"_d));  // 9.5 + 0.095
  CHECK(f.usdt(small) == asset_balance{"0.405"_d, "9.595"_d});
  REQUIRE(f.engine.set_leverage(small, 40));
  f.place(limit(small, side::sell, "190.0"_d, "0.080"_d));  // 0.38 + 0.0076
  CHECK(f.usdt(small).free == "0.0174"_d);
  CHECK(f.exchange.audit() == "");
}

TEST_CASE("funding moves notional x rate from longs to shorts when the rate is positive", "[sim]") {
  perp_fixture f;
  f.place(limit(f.bob, side::sell, "100.0"_d, "2.000"_d));
  f.place(limit(f.alice, side::buy, "100.0"_d, "2.000"_d));
  asset_balance alice_before = f.usdt(f.alice);
  asset_balance bob_before = f.usdt(f.bob);

  f.events.clear();
  REQUIRE(f.engine.settle_funding("0.0001"_d, "105.0"_d, f.now, f.events));
  auto payments = events_of<funding_settlement>(f.events);
  REQUIRE(payments.size() == 2);
  CHECK(payments[0].account == f.alice);
  CHECK(payments[0].amount == "-0.021"_d);  // 2 x 105 x 0.0001, paid by the long
  CHECK(payments[1].account == f.bob);
  CHECK(payments[1].amount == "0.021"_d);
  CHECK(payments[1].mark_price == "105"_d);
  CHECK(f.usdt(f.alice).free == alice_before.free - "0.021"_d);
  CHECK(f.usdt(f.bob).free == bob_before.free + "0.021"_d);
  CHECK(f.engine.mark_price() == "105"_d);
  CHECK(f.position(f.alice).unrealized_pnl == "10"_d);

  f.events.clear();
  REQUIRE(f.engine.settle_funding("-0.0003"_d, "90.0"_d, f.now, f.events));
  payments = events_of<funding_settlement>(f.events);
  REQUIRE(payments.size() == 2);
  CHECK(payments[0].amount == "0.054"_d);   // the long receives 2 x 90 x 0.0003
  CHECK(payments[1].amount == "-0.054"_d);
  CHECK(f.exchange.audit() == "");

  venue spot_only;
  auto& spot = *spot_only.add_market(simple_spot()).value();
  CHECK(spot.settle_funding("0.0001"_d, "1"_d, f.now, f.events).error().code
        == error_code::not_perpetual);
}

TEST_CASE("position mode changes are refused while positions or open orders exist", "[sim]") {
  perp_fixture f;
  CHECK(f.exchange.set_position_mode(f.alice, position_mode::one_way).error().code
        == error_code::position_mode_unchanged);
  order_view open = f.place(limit(f.alice, side::buy, "90.0"_d, "1.000"_d));
  CHECK(f.exchange.set_position_mode(f.alice, position_mode::hedge).error().code
        == error_code::open_orders_exist);
  REQUIRE(f.engine.cancel(f.alice, open.id, f.now, f.events));
  f.place(limit(f.bob, side::sell, "100.0"_d, "1.000"_d));
  f.place(limit(f.alice, side::buy, "100.0"_d, "1.000"_d));
  CHECK(f.exchange.set_position_mode(f.alice, position_mode::hedge).error().code
        == error_code::position_exists);
  f.place(limit(f.carol, side::buy, "100.0"_d, "1.000"_d));
  f.place(limit(f.alice, side::sell, "100.0"_d, "1.000"_d));
  CHECK(f.engine.positions(f.alice).empty());
  CHECK(f.exchange.set_position_mode(f.alice, position_mode::hedge));
  CHECK(f.exchange.accounts().mode(f.alice) == position_mode::hedge);
}

TEST_CASE("perpetual money invariants hold under random flow, funding and losses", "[sim]") {
  venue exchange;
  matching_engine& engine = *exchange.add_market(simple_perpetual()).value();
  std::vector<account_id> traders;
  for (int i = 0; i < 6; ++i) {
    traders.push_back(funded_account(exchange, numbered("p", i),
                                     {{"USDT", decimal::from_integer(30 + 25 * i)}}));
    if (i % 2 == 1)
      REQUIRE(exchange.set_position_mode(traders.back(), position_mode::hedge));
    REQUIRE(engine.set_leverage(traders.back(), 1 + 20 * i));
  }
  std::mt19937_64 random{564};
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<std::uint64_t>(n)); };
  event_buffer events;
  int realized = 0;
  int exhausted = 0;
  int fundings = 0;
  for (int op = 0; op < 8000; ++op) {
    INFO("operation " << op);
    timestamp now = from_unix_ms(1'700'000'000'000 + op);
    account_id trader = traders[static_cast<std::size_t>(pick(6))];
    bool hedge = exchange.accounts().mode(trader) == position_mode::hedge;
    int kind = pick(20);
    if (kind == 0) {
      decimal rate = decimal::from_scaled(pick(21) - 10, 4);
      REQUIRE(engine.settle_funding(rate, decimal::from_scaled(900 + pick(201), 1), now, events));
      ++fundings;
    } else if (kind < 4) {
      cancel_one_open_order(engine, trader, random(), now, events);
    } else {
      // Prices wander over a wide range so that leveraged positions win and lose big.
      order_request request = limit(trader, pick(2) == 0 ? side::buy : side::sell,
                                    decimal::from_scaled(700 + pick(601), 1),
                                    decimal::from_scaled(1 + pick(300), 3));
      if (pick(4) == 0)
        request.type = order_type::market;
      else if (pick(4) == 0)
        request.tif = time_in_force::ioc;
      if (hedge)
        request.pos_side = pick(2) == 0 ? position_side::long_side : position_side::short_side;
      else
        request.reduce_only = pick(4) == 0;
      auto placed = engine.place(request, now, events);
      if (placed && placed->reason == end_reason::reduce_only_exhausted)
        ++exhausted;
    }
    for (const auto& change : events_of<order_event>(events))
      if (change.fill && !change.fill->realized_pnl.is_zero())
        ++realized;
    events.clear();
    REQUIRE(exchange.audit() == "");
  }
  CHECK(realized > 100);
  CHECK(exhausted > 5);
  CHECK(fundings > 100);
}
