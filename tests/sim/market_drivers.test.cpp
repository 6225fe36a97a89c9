// The synthetic drivers: the random walk's book, determinism, volatility and jumps; takers
// that fill users' orders; funding on perpetuals; several drivers run in time order.

#include <catch2/catch.hpp>

#include <cmath>

#include "sim/random_walk.hpp"
#include "sim/taker_flow.hpp"
#include "sim/venue.hpp"
#include "tests/sim/sim_fixtures.hpp"

using namespace tern;
using namespace tern::sim;
using namespace tern::sim::testing;

namespace {

const timestamp start = from_unix_ms(1'723'161'253'000);

random_walk_config walk_config(std::uint64_t seed = 11) {
  random_walk_config config;
  config.seed = seed;
  config.jump_seed = seed + 1;
  config.initial_mid = "60000.00"_d;
  config.volatility_bps = 2.0;
  config.levels_per_side = 10;
  config.spread_ticks = 2;
  config.level_size = "0.05"_d;
  config.size_jitter = 0.5;
  config.start = start;
  return config;
}

struct walk_venue {
  venue exchange;
  matching_engine& engine;
  std::unique_ptr<random_walk> walk;
  event_buffer events;

  explicit walk_venue(random_walk_config config, market_spec spec = binance_btcusdt_spot())
      : engine(*exchange.add_market(std::move(spec)).value()),
        walk(random_walk::create(engine, exchange.accounts(), std::move(config)).value()) {}

  void run_steps(int count) {
    for (int i = 0; i < count; ++i) {
      walk->advance_to(*walk->next_event_time(), events);
      events.clear();
    }
  }
};

} // namespace

TEST_CASE("the random walk centres its book on the mid with the configured shape", "[sim]") {
  walk_venue v{walk_config()};
  v.run_steps(1);
  CHECK(v.walk->mid() == "60000.00"_d);  // the first step builds the book without moving
  for (int round = 0; round < 50; ++round) {
    v.run_steps(1);
    book_snapshot book = v.engine.snapshot();
    REQUIRE(book.bids.size() == 10);
    REQUIRE(book.asks.size() == 10);
    CHECK(book.bids.front().price == v.walk->mid() - "0.01"_d);
    CHECK(book.asks.front().price == v.walk->mid() + "0.01"_d);
    CHECK(book.bids.back().price == book.bids.front().price - "0.09"_d);
    for (const auto& level : book.asks) {
      CHECK(level.size >= "0.025"_d);
      CHECK(level.size <= "0.075"_d);
    }
  }
  CHECK(v.walk->liquidity().refused() == 0);
  CHECK(v.exchange.audit() == "");
}

TEST_CASE("the same seed gives the same market, another seed another", "[sim]") {
  walk_venue first{walk_config(5)};
  walk_venue second{walk_config(5)};
  walk_venue other{walk_config(6)};
  bool differed = false;
  for (int round = 0; round < 200; ++round) {
    first.run_steps(1);
    second.run_steps(1);
    other.run_steps(1);
    REQUIRE(first.walk->mid() == second.walk->mid());
    differed = differed || first.walk->mid() != other.walk->mid();
  }
  book_snapshot a = first.engine.snapshot();
  book_snapshot b = second.engine.snapshot();
  CHECK(a.bids == b.bids);
  CHECK(a.asks == b.asks);
  CHECK(a.sequence == b.sequence);
  CHECK(differed);
}

TEST_CASE("the mid moves with the configured volatility per step", "[sim]") {
  random_walk_config config = walk_config(77);
  config.volatility_bps = 10.0;
  config.size_jitter = 0.0;
  walk_venue v{config};
  v.run_steps(1);
  double previous = v.walk->mid().to_double();
  double sum_squares = 0.0;
  const int steps = 3000;
  for (int i = 0; i < steps; ++i) {
    v.run_steps(1);
    double mid = v.walk->mid().to_double();
    double move_bps = (mid - previous) / previous * 1e4;
    sum_squares += move_bps * move_bps;
    previous = mid;
  }
  double observed = std::sqrt(sum_squares / steps);
  CHECK(observed == Approx(10.0).epsilon(0.06));
}

TEST_CASE("jumps displace one venue's mid for a while, then it rejoins the shared walk", "[sim]") {
  random_walk_config calm = walk_config(21);
  random_walk_config jumpy = calm;
  jumpy.jump_seed = 99;
  jumpy.jump_probability = 0.02;
  jumpy.jump_bps = 50.0;
  jumpy.jump_steps = 10;
  walk_venue a{calm};
  walk_venue b{jumpy};
  int apart = 0;
  int jumps = 0;
  bool was_jumping = false;
  for (int i = 0; i < 2000; ++i) {
    a.run_steps(1);
    b.run_steps(1);
    if (b.walk->jumping()) {
      ++apart;
      double gap_bps = std::abs((b.walk->mid() - a.walk->mid()).to_double())
                       / a.walk->mid().to_double() * 1e4;
      CHECK(gap_bps == Approx(50.0).margin(0.1));
      jumps += was_jumping ? 0 : 1;
    } else {
      REQUIRE(a.walk->mid() == b.walk->mid());
    }
    was_jumping = b.walk->jumping();
  }
  CHECK(jumps > 10);
  CHECK(apart == jumps * 10);
}

TEST_CASE("simulated takers fill a user's order resting at the best bid", "[sim]") {
  venue exchange;
  matching_engine& engine = *exchange.add_market(binance_btcusdt_spot()).value();
  random_walk_config config = walk_config(3);
  config.volatility_bps = 0.0;  // a still market: only the takers can fill the user
  auto walk = random_walk::create(engine, exchange.accounts(), config).value();
  taker_flow_config takers;
  takers.orders_per_second = 20.0;
  takers.min_quantity = "0.01"_d;
  takers.max_quantity = "0.2"_d;
  takers.start = start;
  auto flow = taker_flow::create(engine, exchange.accounts(), takers).value();
  account_id taker_account = flow->account();
  driver_set drivers;
  drivers.add(std::move(walk));
  drivers.add(std::move(flow));

  event_buffer events;
  drivers.advance_to(start, events);
  account_id user = funded_account(exchange, "user", {{"USDT", "10000"_d}});
  price_level best = *engine.best_bid();
  auto bid = engine.place(limit(user, side::buy, best.price, "0.02"_d), start, events);
  REQUIRE(bid);
  events.clear();

  bool filled = false;
  timestamp last_time = start;
  for (int second = 1; second <= 60 && !filled; ++second) {
    drivers.advance_to(start + std::chrono::seconds{second}, events);
    for (const auto& item : events) {
      if (const auto* change = std::get_if<order_event>(&item)) {
        CHECK(change->time >= last_time);  // drivers interleave in time order
        last_time = change->time;
        if (change->order.id == bid->id && change->fill)
          filled = true;
      }
    }
    for (const auto& trade : events_of<public_trade>(events))
      if (trade.buyer_order == bid->id)
        CHECK(engine.find_order(taker_account, trade.seller_order).has_value());
    events.clear();
  }
  CHECK(filled);
  CHECK(exchange.accounts().balance(user, "BTC").free.is_positive());
  CHECK(exchange.audit() == "");
}

TEST_CASE("a moving walk crosses a user's resting order and fills it", "[sim]") {
  walk_venue v{walk_config(8)};
  v.run_steps(1);
  account_id user = funded_account(v.exchange, "user", {{"BTC", "1"_d}});
  decimal above = v.engine.best_ask()->price + "5.00"_d;
  auto ask = v.engine.place(limit(user, side::sell, above, "0.01"_d), start, v.events);
  REQUIRE(ask);
  int steps = 0;
  while (v.engine.find_order(user, ask->id)->is_open() && steps < 20000) {
    v.run_steps(1);
    ++steps;
  }
  auto done = v.engine.find_order(user, ask->id);
  CHECK(done->status == order_status::filled);
  CHECK(done->cumulative_quote >= decimal::multiply(above, "0.01"_d, rounding::down));
  CHECK(v.exchange.audit() == "");
}

TEST_CASE("a perpetual walk settles funding on schedule with the mid as mark", "[sim]") {
  random_walk_config config = walk_config(4);
  config.funding_interval = std::chrono::hours{8};
  config.funding_rate = "0.0001"_d;
  config.step_interval = std::chrono::minutes{10};
  market_spec spec = simple_perpetual();
  spec.tick = "0.01"_d;
  walk_venue v{config, spec};
  v.run_steps(1);
  account_id user = funded_account(v.exchange, "user", {{"USDT", "100000"_d}});
  auto bought = v.engine.place(market_order(user, side::buy, "0.1"_d), start, v.events);
  REQUIRE(bought);
  CHECK(bought->status == order_status::filled);
  CHECK(v.engine.mark_price() == v.walk->mid());

  v.events.clear();
  v.walk->advance_to(start + std::chrono::hours{8}, v.events);
  std::vector<funding_settlement> paid;
  for (const auto& payment : events_of<funding_settlement>(v.events))
    if (payment.account == user)
      paid.push_back(payment);
  REQUIRE(paid.size() == 1);
  CHECK(paid[0].time == start + std::chrono::hours{8});
  decimal expected_amount = -fee_for(v.engine.spec(),
                                     decimal::multiply("0.1"_d, paid[0].mark_price, rounding::down),
                                     "0.0001"_d);
  CHECK(paid[0].amount == expected_amount);
  CHECK(paid[0].amount.is_negative());
  CHECK(paid[0].mark_price == v.walk->mid());
  CHECK(v.exchange.audit() == "");
}

TEST_CASE("driver configs are checked", "[sim]") {
  venue exchange;
  matching_engine& engine = *exchange.add_market(binance_btcusdt_spot()).value();
  random_walk_config off_tick = walk_config();
  off_tick.initial_mid = "60000.005"_d;
  CHECK_FALSE(random_walk::create(engine, exchange.accounts(), off_tick));
  random_walk_config funding_on_spot = walk_config();
  funding_on_spot.funding_interval = std::chrono::hours{8};
  CHECK_FALSE(random_walk::create(engine, exchange.accounts(), funding_on_spot));
  taker_flow_config no_rate;
  no_rate.orders_per_second = 0;
  no_rate.min_quantity = no_rate.max_quantity = "0.01"_d;
  CHECK_FALSE(taker_flow::create(engine, exchange.accounts(), no_rate));
  CHECK(exchange.accounts().account_count() == 0);  // nothing opened for a refused config
  REQUIRE(random_walk::create(engine, exchange.accounts(), walk_config()));
  auto same_key = random_walk::create(engine, exchange.accounts(), walk_config());
  REQUIRE_FALSE(same_key);
  CHECK(same_key.error().find("API key") != std::string::npos);
}
