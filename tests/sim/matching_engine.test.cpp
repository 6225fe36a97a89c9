// The matching engine's behaviour case by case: events of a fill, priority, order types,
// self-trade prevention, cancels, client ids, amends, validation and the public book.

#include <catch2/catch.hpp>

#include "sim/venue.hpp"
#include "tests/sim/sim_fixtures.hpp"

using namespace tern;
using namespace tern::sim;
using namespace tern::sim::testing;

namespace {

struct spot_fixture {
  venue exchange;
  matching_engine& engine;
  account_id alice;
  account_id bob;
  account_id carol;
  event_buffer events;
  timestamp now = from_unix_ms(1'723'161'253'937);

  explicit spot_fixture(market_spec spec = simple_spot())
      : engine(*exchange.add_market(std::move(spec)).value()),
        alice(funded_account(exchange, "alice", {{"USD", "10000"_d}, {"TEST", "100"_d}})),
        bob(funded_account(exchange, "bob", {{"USD", "10000"_d}, {"TEST", "100"_d}})),
        carol(funded_account(exchange, "carol", {{"USD", "10000"_d}, {"TEST", "100"_d}})) {}

  order_view place(const order_request& request) {
    auto placed = engine.place(request, now, events);
    REQUIRE(placed.has_value());
    return *placed;
  }
  error reject(const order_request& request) {
    events.clear();
    auto placed = engine.place(request, now, events);
    REQUIRE_FALSE(placed.has_value());
    CHECK(events.empty());
    return placed.error();
  }
};

} // namespace

TEST_CASE("a partial fill reports both sides with trade id, prices, fees and maker flag", "[sim]") {
  spot_fixture f;
  order_view maker = f.place(limit(f.alice, side::sell, "100.00"_d, "1.000"_d, "ask-1"));
  f.events.clear();
  order_view taker = f.place(limit(f.bob, side::buy, "100.50"_d, "0.400"_d, "bid-1"));

  CHECK(taker.status == order_status::filled);
  auto changes = events_of<order_event>(f.events);
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].kind == execution_kind::new_order);
  CHECK(changes[0].order.id == taker.id);
  CHECK(changes[0].order.executed_quantity.is_zero());

  const order_event& maker_side = changes[1];
  CHECK(maker_side.order.id == maker.id);
  CHECK(maker_side.order.status == order_status::partially_filled);
  REQUIRE(maker_side.fill);
  CHECK(maker_side.fill->is_maker);
  CHECK(maker_side.fill->price == "100.00"_d);
  CHECK(maker_side.fill->quantity == "0.400"_d);
  CHECK(maker_side.fill->quote_quantity == "40"_d);
  CHECK(maker_side.fill->fee_asset == "USD");   // a seller receives quote
  CHECK(maker_side.fill->fee == "0.04"_d);      // 40 x 0.1 % maker

  const order_event& taker_side = changes[2];
  CHECK(taker_side.order.id == taker.id);
  CHECK(taker_side.order.status == order_status::filled);
  CHECK(taker_side.order.cumulative_quote == "40"_d);
  REQUIRE(taker_side.fill);
  CHECK_FALSE(taker_side.fill->is_maker);
  CHECK(taker_side.fill->trade == maker_side.fill->trade);
  CHECK(taker_side.fill->fee_asset == "TEST");  // a buyer receives base
  CHECK(taker_side.fill->fee == "0.0008"_d);    // 0.4 x 0.2 % taker

  auto trades = events_of<public_trade>(f.events);
  REQUIRE(trades.size() == 1);
  CHECK(trades[0].trade == maker_side.fill->trade);
  CHECK(trades[0].taker_side == side::buy);
  CHECK(trades[0].buyer_order == taker.id);
  CHECK(trades[0].seller_order == maker.id);

  // The buyer locked 100.50 x 0.4 = 40.20, paid 40 and got the price improvement back.
  auto& accounts = f.exchange.accounts();
  CHECK(accounts.balance(f.bob, "USD") == asset_balance{"9960"_d, "0"_d});
  CHECK(accounts.balance(f.bob, "TEST") == asset_balance{"100.3992"_d, "0"_d});
  CHECK(accounts.balance(f.alice, "TEST") == asset_balance{"99"_d, "0.6"_d});
  CHECK(accounts.balance(f.alice, "USD") == asset_balance{"10039.96"_d, "0"_d});
  CHECK(f.exchange.audit() == "");

  auto balances = events_of<balance_update>(f.events);
  CHECK(balances.size() == 4);
  auto books = events_of<book_update>(f.events);
  REQUIRE(books.size() == 1);
  CHECK(books[0].asks == std::vector<price_level>{{"100.00"_d, "0.600"_d}});
  CHECK(books[0].bids.empty());
}

TEST_CASE("orders match best price first, then first come first served", "[sim]") {
  spot_fixture f;
  order_view first = f.place(limit(f.alice, side::sell, "100.00"_d, "0.100"_d));
  order_view second = f.place(limit(f.bob, side::sell, "100.00"_d, "0.100"_d));
  order_view better = f.place(limit(f.carol, side::sell, "99.99"_d, "0.100"_d));
  f.events.clear();
  order_view sweep = f.place(limit(f.bob, side::buy, "100.00"_d, "0.150"_d));
  auto trades = events_of<public_trade>(f.events);
  REQUIRE(trades.size() == 2);
  CHECK(trades[0].seller_order == better.id);
  CHECK(trades[0].price == "99.99"_d);
  CHECK(trades[1].seller_order == first.id);
  CHECK(trades[1].quantity == "0.050"_d);
  CHECK(sweep.status == order_status::filled);
  CHECK(f.engine.find_order(f.alice, first.id)->remaining() == "0.050"_d);
  CHECK(f.engine.find_order(f.bob, second.id)->remaining() == "0.100"_d);
}

TEST_CASE("a post-only order that would take is rejected and changes nothing", "[sim]") {
  spot_fixture f;
  f.place(limit(f.alice, side::sell, "100.00"_d, "1.000"_d));
  update_id before = f.engine.last_update();

  order_request crossing = limit(f.bob, side::buy, "100.00"_d, "0.500"_d);
  crossing.type = order_type::limit_maker;
  error refused = f.reject(crossing);
  CHECK(refused.code == error_code::post_only_would_take);
  CHECK(f.engine.last_update() == before);
  CHECK(f.exchange.accounts().balance(f.bob, "USD").locked.is_zero());

  order_request passive = limit(f.bob, side::buy, "99.99"_d, "0.500"_d);
  passive.type = order_type::limit_maker;
  order_view rests = f.place(passive);
  CHECK(rests.status == order_status::new_order);
  CHECK(f.engine.best_bid() == price_level{"99.99"_d, "0.500"_d});
}

TEST_CASE("with post_only_expires a post-only order that would take is accepted and ends unfilled", "[sim]") {
  spot_fixture f;
  f.place(limit(f.alice, side::sell, "100.00"_d, "1.000"_d));
  update_id before = f.engine.last_update();
  decimal free_before = f.exchange.accounts().balance(f.bob, "USD").free;
  f.events.clear();

  order_request crossing = limit(f.bob, side::buy, "100.00"_d, "0.500"_d);
  crossing.type = order_type::limit_maker;
  crossing.post_only_expires = true;
  order_view ended = f.place(crossing);
  CHECK(ended.id > 0);
  CHECK(ended.status == order_status::expired);
  CHECK(ended.reason == end_reason::post_only_would_take);
  CHECK(ended.executed_quantity.is_zero());
  auto changes = events_of<order_event>(f.events);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].kind == execution_kind::new_order);
  CHECK(changes[1].kind == execution_kind::expired);
  CHECK(events_of<public_trade>(f.events).empty());
  CHECK(f.engine.last_update() == before);
  CHECK(f.exchange.accounts().balance(f.bob, "USD").free == free_before);
  CHECK(f.exchange.accounts().balance(f.bob, "USD").locked.is_zero());
  CHECK(f.exchange.audit().empty());
}

TEST_CASE("FOK fills all or nothing, checked before any fill", "[sim]") {
  spot_fixture f;
  f.place(limit(f.alice, side::sell, "100.00"_d, "0.300"_d));
  f.place(limit(f.bob, side::sell, "100.01"_d, "0.200"_d));
  f.place(limit(f.bob, side::sell, "100.50"_d, "5.000"_d));
  auto book_before = f.engine.snapshot();

  order_request too_much = limit(f.carol, side::buy, "100.01"_d, "0.600"_d);
  too_much.tif = time_in_force::fok;
  f.events.clear();
  order_view expired = f.place(too_much);
  CHECK(expired.status == order_status::expired);
  CHECK(expired.reason == end_reason::fok_unfillable);
  CHECK(expired.executed_quantity.is_zero());
  CHECK(events_of<public_trade>(f.events).empty());
  CHECK(f.engine.snapshot().asks == book_before.asks);
  CHECK(f.exchange.accounts().balance(f.carol, "USD") == asset_balance{"10000"_d, "0"_d});

  order_request exact = too_much;
  exact.quantity = "0.500"_d;
  f.events.clear();
  order_view filled = f.place(exact);
  CHECK(filled.status == order_status::filled);
  CHECK(filled.cumulative_quote == "50.002"_d);  // 0.3 x 100.00 + 0.2 x 100.01
  CHECK(events_of<public_trade>(f.events).size() == 2);
}

TEST_CASE("IOC and market orders expire what the book cannot fill", "[sim]") {
  spot_fixture f;
  f.place(limit(f.alice, side::buy, "99.00"_d, "0.100"_d));
  f.place(limit(f.alice, side::buy, "98.00"_d, "0.100"_d));

  order_request ioc = limit(f.bob, side::sell, "98.50"_d, "0.300"_d);
  ioc.tif = time_in_force::ioc;
  order_view partial = f.place(ioc);
  CHECK(partial.status == order_status::expired);
  CHECK(partial.reason == end_reason::ioc_remainder);
  CHECK(partial.executed_quantity == "0.100"_d);
  CHECK_FALSE(f.engine.best_ask().has_value());  // nothing of the IOC rests

  f.events.clear();
  order_view swept = f.place(market_order(f.carol, side::sell, "0.500"_d));
  CHECK(swept.executed_quantity == "0.100"_d);
  CHECK(swept.status == order_status::expired);
  CHECK(swept.price.is_zero());
  CHECK_FALSE(f.engine.best_bid().has_value());
  CHECK(f.exchange.accounts().balance(f.carol, "TEST") == asset_balance{"99.9"_d, "0"_d});

  order_view nothing = f.place(market_order(f.carol, side::sell, "0.500"_d));
  CHECK(nothing.status == order_status::expired);
  CHECK(nothing.executed_quantity.is_zero());
}

TEST_CASE("self-trade prevention expires the taker, the maker or both", "[sim]") {
  auto setup = [](spot_fixture& f) {
    order_view own = f.place(limit(f.alice, side::sell, "100.00"_d, "0.100"_d));
    order_view other = f.place(limit(f.bob, side::sell, "100.00"_d, "0.100"_d));
    f.events.clear();
    return std::pair{own, other};
  };
  order_request taker = limit(0, side::buy, "100.00"_d, "0.200"_d);

  SECTION("expire_taker") {
    spot_fixture f;
    auto [own, other] = setup(f);
    taker.account = f.alice;
    taker.stp = stp_mode::expire_taker;
    order_view result = f.place(taker);
    CHECK(result.status == order_status::expired);
    CHECK(result.reason == end_reason::self_trade_prevention);
    CHECK(result.executed_quantity.is_zero());
    CHECK(f.engine.find_order(f.alice, own.id)->status == order_status::new_order);
    CHECK(f.engine.best_ask() == price_level{"100.00"_d, "0.200"_d});
  }
  SECTION("expire_maker") {
    spot_fixture f;
    auto [own, other] = setup(f);
    taker.account = f.alice;
    taker.stp = stp_mode::expire_maker;
    order_view result = f.place(taker);
    CHECK(result.status == order_status::partially_filled);  // filled bob's 0.1, rests 0.1
    auto expired = f.engine.find_order(f.alice, own.id);
    CHECK(expired->status == order_status::expired);
    CHECK(expired->reason == end_reason::self_trade_prevention);
    CHECK(f.engine.find_order(f.bob, other.id)->status == order_status::filled);
    CHECK(f.engine.best_bid() == price_level{"100.00"_d, "0.100"_d});
    CHECK_FALSE(f.engine.best_ask().has_value());
    CHECK(f.exchange.accounts().balance(f.alice, "TEST").locked.is_zero());
  }
  SECTION("expire_both") {
    spot_fixture f;
    auto [own, other] = setup(f);
    taker.account = f.alice;
    taker.stp = stp_mode::expire_both;
    order_view result = f.place(taker);
    CHECK(result.status == order_status::expired);
    CHECK(result.reason == end_reason::self_trade_prevention);
    CHECK(f.engine.find_order(f.alice, own.id)->status == order_status::expired);
    CHECK(f.engine.find_order(f.bob, other.id)->status == order_status::new_order);
    CHECK(f.engine.best_ask() == price_level{"100.00"_d, "0.100"_d});
  }
}

TEST_CASE("orders are cancelled by id, by client id, or all at once, only by their owner", "[sim]") {
  spot_fixture f;
  order_view a = f.place(limit(f.alice, side::buy, "99.00"_d, "1.000"_d, "a"));
  order_view b = f.place(limit(f.alice, side::buy, "98.00"_d, "1.000"_d, "b"));
  order_view c = f.place(limit(f.alice, side::sell, "101.00"_d, "1.000"_d, "c"));
  CHECK(f.engine.open_orders(f.alice).size() == 3);
  CHECK(f.exchange.accounts().balance(f.alice, "USD").locked == "197"_d);

  auto not_owner = f.engine.cancel(f.bob, a.id, f.now, f.events);
  REQUIRE_FALSE(not_owner);
  CHECK(not_owner.error().code == error_code::unknown_order);

  f.events.clear();
  auto by_id = f.engine.cancel(f.alice, a.id, f.now, f.events);
  REQUIRE(by_id);
  CHECK(by_id->status == order_status::cancelled);
  auto cancelled = events_of<order_event>(f.events);
  REQUIRE(cancelled.size() == 1);
  CHECK(cancelled[0].kind == execution_kind::cancelled);
  CHECK(f.exchange.accounts().balance(f.alice, "USD").locked == "98"_d);

  auto by_client = f.engine.cancel_by_client_id(f.alice, "b", f.now, f.events);
  REQUIRE(by_client);
  CHECK(by_client->id == b.id);
  CHECK_FALSE(f.engine.cancel_by_client_id(f.alice, "b", f.now, f.events));

  f.place(limit(f.alice, side::buy, "97.00"_d, "1.000"_d, "d"));
  auto all = f.engine.cancel_all(f.alice, f.now, f.events);
  REQUIRE(all.size() == 2);
  CHECK(all[0].id == c.id);
  CHECK(f.engine.open_orders(f.alice).empty());
  CHECK(f.exchange.accounts().balance(f.alice, "USD") == asset_balance{"10000"_d, "0"_d});
  CHECK(f.exchange.accounts().balance(f.alice, "TEST") == asset_balance{"100"_d, "0"_d});
  CHECK_FALSE(f.engine.best_bid().has_value());
  CHECK(f.exchange.audit() == "");
}

TEST_CASE("a client order id is unique among an account's open orders", "[sim]") {
  spot_fixture f;
  order_view first = f.place(limit(f.alice, side::buy, "99.00"_d, "1.000"_d, "same"));
  CHECK(f.reject(limit(f.alice, side::buy, "98.00"_d, "1.000"_d, "same")).code
        == error_code::duplicate_client_order_id);
  // Another account may use it, and so may alice once the first order is closed.
  f.place(limit(f.bob, side::buy, "98.00"_d, "1.000"_d, "same"));
  REQUIRE(f.engine.cancel(f.alice, first.id, f.now, f.events));
  order_view second = f.place(limit(f.alice, side::buy, "97.00"_d, "1.000"_d, "same"));
  CHECK(f.engine.find_order_by_client_id(f.alice, "same")->id == second.id);
  // The finished first order can still be queried by its id.
  auto old = f.engine.find_order(f.alice, first.id);
  REQUIRE(old);
  CHECK(old->status == order_status::cancelled);
  CHECK_FALSE(f.engine.find_order(f.bob, first.id));
}

TEST_CASE("an amend down keeps the order's place in the queue and unlocks the difference", "[sim]") {
  spot_fixture f;
  order_view front = f.place(limit(f.alice, side::sell, "100.00"_d, "1.000"_d));
  order_view back = f.place(limit(f.bob, side::sell, "100.00"_d, "1.000"_d));
  f.events.clear();
  auto amended = f.engine.amend_keep_priority(f.alice, front.id, "0.400"_d, f.now, f.events);
  REQUIRE(amended);
  CHECK(amended->quantity == "0.400"_d);
  CHECK(events_of<order_event>(f.events).at(0).kind == execution_kind::amended);
  CHECK(f.engine.best_ask() == price_level{"100.00"_d, "1.400"_d});
  CHECK(f.exchange.accounts().balance(f.alice, "TEST") == asset_balance{"99.6"_d, "0.4"_d});
  CHECK_FALSE(f.engine.amend_keep_priority(f.alice, front.id, "0.500"_d, f.now, f.events));

  f.events.clear();
  f.place(limit(f.carol, side::buy, "100.00"_d, "0.400"_d));
  auto trades = events_of<public_trade>(f.events);
  REQUIRE(trades.size() == 1);
  CHECK(trades[0].seller_order == front.id);
  CHECK(f.engine.find_order(f.bob, back.id)->executed_quantity.is_zero());
}

TEST_CASE("orders breaking the trading rules are rejected with the reason", "[sim]") {
  venue exchange;
  matching_engine& engine = *exchange.add_market(binance_btcusdt_spot()).value();
  account_id trader = funded_account(exchange, "trader", {{"USDT", "100000"_d}, {"BTC", "1"_d}});
  event_buffer events;
  timestamp now = from_unix_ms(1'723'161'253'937);
  auto code = [&](order_request request) {
    auto placed = engine.place(request, now, events);
    REQUIRE_FALSE(placed);
    return placed.error().code;
  };
  CHECK(code(limit(trader, side::buy, "61737.635"_d, "0.001"_d)) == error_code::invalid_price);
  CHECK(code(limit(trader, side::buy, "61737.63"_d, "0.000015"_d)) == error_code::invalid_quantity);
  CHECK(code(limit(trader, side::buy, "61737.63"_d, "0"_d)) == error_code::invalid_quantity);
  CHECK(code(limit(trader, side::buy, "61737.63"_d, "0.00008"_d)) == error_code::below_min_notional);
  CHECK(code(limit(trader, side::buy, "61737.63"_d, "2"_d)) == error_code::insufficient_balance);
  order_request ioc_maker = limit(trader, side::buy, "61737.63"_d, "0.001"_d);
  ioc_maker.type = order_type::limit_maker;
  ioc_maker.tif = time_in_force::ioc;
  CHECK(code(ioc_maker) == error_code::invalid_order);
  order_request reduce = limit(trader, side::sell, "61737.63"_d, "0.001"_d);
  reduce.reduce_only = true;
  CHECK(code(reduce) == error_code::reduce_only_not_allowed);
  CHECK(code(limit(99, side::buy, "61737.63"_d, "0.001"_d)) == error_code::unknown_account);
  CHECK(events.empty());
  CHECK(engine.place(limit(trader, side::buy, "61737.63"_d, "0.00009"_d), now, events));
}

TEST_CASE("a snapshot plus the book updates after it rebuild the book", "[sim]") {
  spot_fixture f;
  f.place(limit(f.alice, side::buy, "99.00"_d, "1.000"_d));
  f.place(limit(f.alice, side::sell, "101.00"_d, "1.000"_d));
  book_snapshot snapshot = f.engine.snapshot();
  CHECK(snapshot.sequence == f.engine.last_update());
  f.events.clear();
  f.place(limit(f.bob, side::buy, "99.50"_d, "0.500"_d));
  f.place(limit(f.carol, side::sell, "99.00"_d, "0.700"_d));  // takes 0.5 @ 99.50, 0.2 @ 99.00
  f.place(limit(f.bob, side::sell, "100.00"_d, "0.300"_d));

  auto set = [](std::map<decimal, decimal>& levels, const price_level& level) {
    if (level.size.is_zero())
      levels.erase(level.price);
    else
      levels[level.price] = level.size;
  };
  std::map<decimal, decimal> bids;
  std::map<decimal, decimal> asks;
  for (const auto& level : snapshot.bids)
    bids[level.price] = level.size;
  for (const auto& level : snapshot.asks)
    asks[level.price] = level.size;
  update_id last = snapshot.sequence;
  for (const auto& update : events_of<book_update>(f.events)) {
    CHECK(update.first_update == last + 1);
    last = update.last_update;
    for (const auto& level : update.bids)
      set(bids, level);
    for (const auto& level : update.asks)
      set(asks, level);
  }
  book_snapshot now = f.engine.snapshot();
  CHECK(last == now.sequence);
  std::map<decimal, decimal> expected_bids{{"99.00"_d, "0.800"_d}};
  std::map<decimal, decimal> expected_asks{{"100.00"_d, "0.300"_d}, {"101.00"_d, "1.000"_d}};
  CHECK(bids == expected_bids);
  CHECK(asks == expected_asks);
  CHECK(now.bids == std::vector<price_level>{{"99.00"_d, "0.800"_d}});
  CHECK(f.engine.snapshot(1).asks.size() == 1);
}
