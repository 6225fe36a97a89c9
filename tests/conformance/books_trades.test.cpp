// Conformance items 2 and 3, written once and run for every connector against its simulator
// dialect over TLS, through the real connection and book actors:
//  2. the book equals the engine's after thousands of updates; an injected sequence gap (and,
//     for OKX, a bad checksum) marks the book degraded and a new snapshot makes it equal again;
//     a stale stream triggers a reconnect;
//  3. the trades of takers arrive as trade events.

#include "tests/conformance/conformance_support.hpp"

namespace tern::testing {
namespace {

/// The connector's market, moving (every 5 ms) with takers trading against it.
sim::server_options moving_market(connector_case& c) {
  c.market.random_walk->step_interval = 5ms;
  sim::taker_flow_config takers;
  takers.orders_per_second = 40;
  takers.min_quantity = c.perpetual ? "0.01"_d : "0.001"_d;
  takers.max_quantity = "0.2"_d;
  c.market.takers = takers;
  return conformance_options(c, false);
}

struct market_watch {
  connector_case spec;
  account_fixture account;
  std::shared_ptr<probe_inbox> inbox = std::make_shared<probe_inbox>();
  caf::actor probe;

  explicit market_watch(connector_case c)
      : spec{std::move(c)}, account{moving_market(spec), spec.connector, [&] {
          account_settings settings;
          settings.name = spec.connector + "_main";
          settings.connector = spec.connector;
          settings.markets = {"BTC-USDT"};
          settings.timings = test_timings();
          settings.depth_levels = 1000;  // depth subscribers get the whole book
          return settings;
        }()} {
    account.start();
    for (const char* child : {"services", "connection", "book.BTC-USDT"}) {
      const bool ready = account.await_state(child, health_state::ready);
      INFO(spec.connector << " " << child << "\n" << account.describe_tree());
      REQUIRE(ready);
    }
    probe = account.spawn_probe(inbox);
    auto book = account.context->directory.get("book.BTC-USDT");
    REQUIRE(book);
    caf::send_as(probe, book, subscribe_atom::value, std::string{"BTC-USDT"}, std::int32_t{1000});
  }
  ~market_watch() { caf::anon_send_exit(probe, caf::exit_reason::user_shutdown); }

  /// The last depth push at or past the engine's `sequence`, waiting at most `limit`.
  std::optional<book_snapshot> caught_up(std::int64_t sequence, std::chrono::milliseconds limit = 20s) {
    std::optional<book_snapshot> found;
    inbox->depth.wait_until(
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

  /// Pauses the market and compares the pushed book and the actor's own with the engine's.
  void check_equal_to_engine() {
    account.host->pause();
    const auto engine = account.engine_book(spec.symbol);
    auto pushed = caught_up(engine.sequence);
    REQUIRE(pushed.has_value());
    CHECK(pushed->sequence == engine.sequence);
    CHECK(pushed->bids == engine.bids);
    CHECK(pushed->asks == engine.asks);
    auto answered = account.actor_book("BTC-USDT");
    REQUIRE(answered.has_value());
    CHECK(answered->bids == engine.bids);
    CHECK(answered->asks == engine.asks);
    account.host->resume();
  }

  bool went_through(const std::string& child, health_state wanted) const {
    for (const auto& entry : account.states_of(child))
      if (entry.state == wanted)
        return true;
    return false;
  }
};

sim::fault depth_fault(sim::fault_kind kind, const std::string& exchange) {
  sim::fault f;
  f.kind = kind;
  f.exchange = exchange;
  f.stream = "depth";
  return f;
}

} // namespace

TEMPLATE_TEST_CASE("conformance 2: the book follows the engine through gaps and stale streams",
                   "[conformance][books]", TERN_CONNECTORS) {
  market_watch watch{TestType::make()};
  REQUIRE(watch.inbox->depth.wait_for(1));
  const auto first = watch.inbox->depth.snapshot().front().sequence;
  REQUIRE(watch.caught_up(first + 3000, 60s).has_value());
  watch.check_equal_to_engine();

  SECTION("a sequence gap: degraded, a new snapshot, equal again") {
    watch.account.simulator->faults().add(depth_fault(sim::fault_kind::sequence_gap, watch.spec.connector));
    REQUIRE(watch.account.await_state("book.BTC-USDT", health_state::degraded));
    REQUIRE(watch.account.await_state("book.BTC-USDT", health_state::ready));
    watch.check_equal_to_engine();
  }
  if (watch.spec.okx) {
    SECTION("a bad checksum (OKX): degraded, a new snapshot, equal again") {
      watch.account.simulator->faults().add(depth_fault(sim::fault_kind::bad_checksum, watch.spec.connector));
      REQUIRE(watch.account.await_state("book.BTC-USDT", health_state::degraded));
      REQUIRE(watch.account.await_state("book.BTC-USDT", health_state::ready));
      watch.check_equal_to_engine();
    }
  }
  SECTION("a stale stream: reconnected, resubscribed, equal again") {
    auto stale = depth_fault(sim::fault_kind::stale_stream, watch.spec.connector);
    stale.stream.clear();  // the whole connection goes silent
    watch.account.simulator->faults().add(stale);
    REQUIRE(watch.account.await_state("connection", health_state::degraded));
    REQUIRE(watch.account.await_state("connection", health_state::ready));
    REQUIRE(watch.account.await_state("book.BTC-USDT", health_state::ready));
    CHECK(watch.went_through("book.BTC-USDT", health_state::degraded));
    watch.check_equal_to_engine();
  }
}

TEMPLATE_TEST_CASE("conformance 3: takers' trades arrive as trade events", "[conformance][trades]",
                   TERN_CONNECTORS) {
  market_watch watch{TestType::make()};
  // The probe's book subscription carries the pair's trades too.
  REQUIRE(watch.inbox->trades.wait_for(5, 20s));
  for (const auto& event : watch.inbox->trades.snapshot()) {
    CHECK(event.pair == "BTC-USDT");
    CHECK(event.price.is_positive());
    CHECK(event.size.is_positive());
    CHECK(!event.trade_id.empty());
  }
}

} // namespace tern::testing
