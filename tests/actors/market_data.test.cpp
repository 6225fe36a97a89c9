// Market data end to end through the account actors, against the simulator over TLS: the
// services actor loads rules and the clock, the connection subscribes the public stream, and
// the book actor keeps the book by the connector's rule (REST snapshot + sequenced diffs for
// Binance spot and USD-M). The book must equal the engine's after thousands of updates, and
// come back equal after a sequence gap, a stale stream and a crash of the book actor.

#include "tests/actors/account_support.hpp"

#include <caf/send.hpp>

#include "sim/faults.hpp"

namespace tern::testing {
namespace {

using sim::testing::btcusdt_walk;
using sim::testing::doc_account;
using namespace tern::literals;

struct venue_case {
  std::string connector;  ///< also the simulator's exchange and dialect name
  sim::market_setup market;
};

venue_case spot_case() {
  auto market = btcusdt_walk(5ms);
  sim::taker_flow_config takers;
  takers.orders_per_second = 40;
  takers.min_quantity = "0.001"_d;
  takers.max_quantity = "0.2"_d;
  market.takers = takers;
  return {"binance", market};
}

/// BTCUSDT perpetual with Binance's rules (tick 0.1, step 0.001), walking every 5 ms.
venue_case perpetual_case() {
  auto market = btcusdt_walk(5ms);
  market.spec.kind = market_kind::perpetual;
  market.spec.tick = "0.1"_d;
  market.spec.step = "0.001"_d;
  market.spec.min_quantity = "0.001"_d;
  market.spec.min_notional = "100"_d;
  market.spec.maker_fee_rate = "0.0002"_d;
  market.spec.taker_fee_rate = "0.0005"_d;
  market.spec.fee_rule = sim::fee_asset_rule::quote_asset;
  market.random_walk->initial_mid = "60000.0"_d;
  market.random_walk->level_size = "2.000"_d;
  return {"binance_perpetual", market};
}

sim::server_options one_exchange(const venue_case& venue) {
  sim::server_options options;
  sim::exchange_setup exchange;
  exchange.name = venue.connector;
  exchange.dialect = venue.connector;
  exchange.markets = {venue.market};
  exchange.accounts = {doc_account()};
  options.exchanges = {exchange};
  options.control_port.reset();
  return options;
}

account_settings market_data_account(const venue_case& venue) {
  account_settings settings;
  settings.name = venue.connector + "_main";
  settings.connector = venue.connector;
  settings.markets = {"BTC-USDT"};
  settings.timings = test_timings();
  settings.depth_levels = 1000;  // depth subscribers get the whole book
  return settings;
}

/// Waits until a depth push has caught up with the engine's sequence; the last one that did.
std::optional<book_snapshot> caught_up(probe_inbox& inbox, std::int64_t sequence,
                                       std::chrono::milliseconds limit = 20s) {
  std::optional<book_snapshot> found;
  inbox.depth.wait_until(
      [&](const std::vector<book_snapshot>& pushes) {
        for (auto it = pushes.rbegin(); it != pushes.rend(); ++it)
          if (it->sequence >= sequence) {
            found = *it;
            return true;
          }
        return false;
      },
      limit);
  return found;
}

/// Pauses the market, waits for the actor's book to reach the engine's last update, compares
/// every level both ways (the depth push and the book actor's own answer), resumes.
void check_equal_to_engine(account_fixture& fixture, probe_inbox& inbox) {
  fixture.host->pause();
  const auto engine = fixture.engine_book("BTCUSDT");
  auto pushed = caught_up(inbox, engine.sequence);
  REQUIRE(pushed.has_value());
  CHECK(pushed->sequence == engine.sequence);
  CHECK(pushed->bids == engine.bids);
  CHECK(pushed->asks == engine.asks);
  auto answered = fixture.actor_book("BTC-USDT");
  REQUIRE(answered.has_value());
  CHECK(answered->sequence == engine.sequence);
  CHECK(answered->bids == engine.bids);
  CHECK(answered->asks == engine.asks);
  fixture.host->resume();
}

/// Subscribes `probe` by having it send the subscription (the book records the sender).
void subscribe(account_fixture& fixture, const caf::actor& probe) {
  auto book = fixture.context->directory.get("book.BTC-USDT");
  REQUIRE(book);
  caf::send_as(probe, book, subscribe_atom::value, std::string{"BTC-USDT"}, std::int32_t{1000});
}

sim::fault stream_fault(sim::fault_kind kind, std::string exchange) {
  sim::fault f;
  f.kind = kind;
  f.exchange = std::move(exchange);
  f.stream = "depth";
  return f;
}

bool went_through(const std::vector<health_history::entry>& states, health_state wanted,
                  std::string_view reason_part = {}) {
  for (const auto& entry : states)
    if (entry.state == wanted && entry.reason.find(reason_part) != std::string::npos)
      return true;
  return false;
}

void run_market_data(const venue_case& venue) {
  account_fixture fixture{one_exchange(venue), venue.connector, market_data_account(venue)};
  fixture.start();
  for (const char* child : {"services", "connection", "book.BTC-USDT"}) {
    const bool ready = fixture.await_state(child, health_state::ready);
    INFO(fixture.describe_tree());
    REQUIRE(ready);
  }
  auto inbox = std::make_shared<probe_inbox>();
  auto probe = fixture.spawn_probe(inbox);
  subscribe(fixture, probe);
  REQUIRE(inbox.get() != nullptr);

  // Thousands of engine updates arrive as diffs; the book follows them exactly.
  REQUIRE(inbox->depth.wait_for(1));
  const auto first = inbox->depth.snapshot().front().sequence;
  REQUIRE(caught_up(*inbox, first + 3000, 60s).has_value());
  check_equal_to_engine(fixture, *inbox);
  REQUIRE(inbox->tops.wait_for(1));
  const auto top = inbox->tops.snapshot().back();
  CHECK(top.pair == "BTC-USDT");
  CHECK(top.bid.price < top.ask.price);

  SECTION("a sequence gap: degraded, a new snapshot, equal again") {
    fixture.simulator->faults().add(stream_fault(sim::fault_kind::sequence_gap, venue.connector));
    REQUIRE(fixture.await_state("book.BTC-USDT", health_state::degraded));
    REQUIRE(fixture.await_state("book.BTC-USDT", health_state::ready));
    CHECK(went_through(fixture.states_of("book.BTC-USDT"), health_state::degraded, "gap"));
    check_equal_to_engine(fixture, *inbox);
  }
  SECTION("a stale stream: reconnected, resubscribed, equal again") {
    auto stale = stream_fault(sim::fault_kind::stale_stream, venue.connector);
    stale.stream.clear();  // the whole connection goes silent
    fixture.simulator->faults().add(stale);
    REQUIRE(fixture.await_state("connection", health_state::degraded));
    REQUIRE(fixture.await_state("connection", health_state::ready));
    REQUIRE(fixture.await_state("book.BTC-USDT", health_state::ready));
    CHECK(went_through(fixture.states_of("connection"), health_state::degraded,
                       "public stream down"));
    CHECK(went_through(fixture.states_of("book.BTC-USDT"), health_state::degraded));
    check_equal_to_engine(fixture, *inbox);
  }
  SECTION("the book actor crashes: its supervisor restarts it and it re-snapshots") {
    auto book = fixture.context->directory.get("book.BTC-USDT");
    REQUIRE(book);
    caf::anon_send_exit(book, caf::exit_reason::kill);
    REQUIRE(fixture.await_state("book.BTC-USDT", health_state::ready, 1));
    CHECK(fixture.context->directory.get("book.BTC-USDT") != book);
    // Subscriptions outlive the incarnation: the probe keeps getting the new book's pushes.
    check_equal_to_engine(fixture, *inbox);
  }
  caf::anon_send_exit(probe, caf::exit_reason::user_shutdown);
}

} // namespace

TEST_CASE("binance spot: the book actor follows the engine through gaps, stale streams and crashes",
          "[actors][account][binance][market_data]") {
  run_market_data(spot_case());
}

TEST_CASE("binance_perpetual: the book actor follows the engine through gaps, stale streams and "
          "crashes",
          "[actors][account][binance_perpetual][market_data]") {
  run_market_data(perpetual_case());
}

} // namespace tern::testing
