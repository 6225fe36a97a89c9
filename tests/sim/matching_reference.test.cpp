// The matching engine against the naive reference matcher on seeded random order flow: every
// fill, every STP expiry, every order's status and the final book must agree; the engine's
// book_update records must rebuild its book exactly; the money invariants must hold throughout.

#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "sim/venue.hpp"
#include "tests/sim/reference_matcher.hpp"
#include "tests/sim/sim_fixtures.hpp"

using namespace tern;
using namespace tern::sim;
using namespace tern::sim::testing;

namespace {

/// Rebuilds an L2 book from book_update records, checking that update ids chain.
struct l2_mirror {
  std::map<decimal, decimal> bids;
  std::map<decimal, decimal> asks;
  update_id last = 0;

  void apply(const book_update& update) {
    REQUIRE(update.first_update == last + 1);
    REQUIRE(update.last_update >= update.first_update);
    last = update.last_update;
    for (const auto& level : update.bids)
      set(bids, level);
    for (const auto& level : update.asks)
      set(asks, level);
  }
  static void set(std::map<decimal, decimal>& side_levels, const price_level& level) {
    if (level.size.is_zero())
      side_levels.erase(level.price);
    else
      side_levels[level.price] = level.size;
  }
  [[nodiscard]] std::vector<price_level> levels(side s) const {
    std::vector<price_level> result;
    for (const auto& [price, size] : s == side::buy ? bids : asks)
      result.push_back(price_level{price, size});
    if (s == side::buy)
      std::reverse(result.begin(), result.end());
    return result;
  }
};

struct random_flow {
  std::mt19937_64 random;
  explicit random_flow(std::uint64_t seed) : random(seed) {}

  int pick(int count) { return static_cast<int>(random() % static_cast<std::uint64_t>(count)); }
  decimal price() { return decimal::from_scaled(9990 + pick(21), 2); }     // 99.90 .. 100.10
  decimal quantity() { return decimal::from_scaled(1 + pick(100), 3); }    // 0.001 .. 0.100
};

void check_same_book(const matching_engine& engine, const reference_matcher& reference,
                     const l2_mirror& mirror) {
  book_snapshot snapshot = engine.snapshot();
  CHECK(snapshot.bids == reference.levels(side::buy));
  CHECK(snapshot.asks == reference.levels(side::sell));
  CHECK(mirror.levels(side::buy) == snapshot.bids);
  CHECK(mirror.levels(side::sell) == snapshot.asks);
  CHECK(mirror.last == snapshot.sequence);
}

/// How often each situation came up, so the test shows it exercised them all.
struct coverage {
  int fills = 0;
  int stp_expiries = 0;
  int fok_expired = 0;
  int rejections = 0;
  int cancels = 0;
  int partially_filled_resting = 0;
};

/// One seeded run: the same random requests go to the engine and to the reference.
struct flow_run {
  venue exchange;
  matching_engine& engine;
  std::vector<account_id> accounts;
  reference_matcher reference;
  l2_mirror mirror;
  random_flow flow;
  event_buffer events;
  coverage& seen;
  int client_serial = 0;
  timestamp now = from_unix_ms(1'700'000'000'000);

  flow_run(std::uint64_t seed, coverage& counts)
      : engine(*exchange.add_market(simple_spot()).value()), flow(seed), seen(counts) {
    for (int i = 0; i < 4; ++i)
      accounts.push_back(funded_account(exchange, numbered("key-", i),
                                        {{"USD", "1000000000"_d}, {"TEST", "1000000"_d}}));
  }

  void cancel_random_order() {
    const auto& victim = reference.resting()[static_cast<std::size_t>(
        flow.pick(static_cast<int>(reference.resting().size())))];
    auto cancelled = victim.client_id.empty() || flow.pick(2) == 0
                         ? engine.cancel(victim.account, victim.id, now, events)
                         : engine.cancel_by_client_id(victim.account, victim.client_id, now, events);
    REQUIRE(cancelled.has_value());
    CHECK(cancelled->status == order_status::cancelled);
    REQUIRE(reference.cancel(victim.account, victim.id));
    ++seen.cancels;
  }

  reference_request random_request(int kind) {
    reference_request model;
    model.account = accounts[static_cast<std::size_t>(flow.pick(4))];
    model.order_side = flow.pick(2) == 0 ? side::buy : side::sell;
    model.type = kind == 2 ? order_type::market
                 : kind == 3 ? order_type::limit_maker
                             : order_type::limit;
    model.tif = kind == 4 ? time_in_force::ioc : kind == 5 ? time_in_force::fok : time_in_force::gtc;
    if (model.type != order_type::limit)
      model.tif = time_in_force::gtc;
    model.price = flow.price();
    model.quantity = flow.quantity();
    model.stp = static_cast<stp_mode>(flow.pick(3));
    if (flow.pick(3) == 0) {
      // Sometimes reuse an open order's client id to provoke a duplicate.
      bool reuse = flow.pick(4) == 0 && !reference.resting().empty();
      model.client_id = reuse ? reference.resting().front().client_id
                              : numbered("c", ++client_serial);
      if (reuse)
        model.account = reference.resting().front().account;
    }
    return model;
  }

  void place_and_compare(const reference_request& model) {
    order_request request = limit(model.account, model.order_side, model.price, model.quantity,
                                  model.client_id);
    request.type = model.type;
    request.tif = model.tif;
    request.stp = model.stp;
    reference_result expected_result = reference.submit(model);
    auto placed = engine.place(request, now, events);
    REQUIRE(placed.has_value() == !expected_result.rejected);
    if (!placed) {
      CHECK(events.empty());
      ++seen.rejections;
      return;
    }
    CHECK(placed->id == expected_result.id);
    CHECK(placed->status == expected_result.status);
    std::vector<reference_fill> fills;
    for (const auto& trade : events_of<public_trade>(events))
      fills.push_back(reference_fill{trade.buyer_order, trade.seller_order, trade.price,
                                     trade.quantity});
    CHECK(fills == expected_result.fills);
    std::vector<std::int64_t> expired;
    for (const auto& change : events_of<order_event>(events))
      if (change.kind == execution_kind::expired && change.order.id != placed->id)
        expired.push_back(change.order.id);
    CHECK(expired == expected_result.expired_makers);
    seen.fills += static_cast<int>(fills.size());
    seen.stp_expiries += static_cast<int>(expired.size())
                         + (placed->reason == end_reason::self_trade_prevention ? 1 : 0);
    seen.fok_expired += placed->reason == end_reason::fok_unfillable ? 1 : 0;
    seen.partially_filled_resting += placed->status == order_status::partially_filled ? 1 : 0;
  }

  void run(int operations) {
    for (int op = 0; op < operations; ++op) {
      INFO("operation " << op);
      events.clear();
      now += std::chrono::milliseconds{1};
      int kind = flow.pick(10);
      if (kind < 2 && !reference.resting().empty())
        cancel_random_order();
      else
        place_and_compare(random_request(kind));
      for (const auto& update : events_of<book_update>(events))
        mirror.apply(update);
      if (op % 50 == 0) {
        check_same_book(engine, reference, mirror);
        REQUIRE(exchange.audit() == "");
      }
    }
    check_same_book(engine, reference, mirror);
    REQUIRE(exchange.audit() == "");
  }
};

} // namespace

TEST_CASE("the engine makes the same fills as the naive reference matcher on random flow", "[sim]") {
  coverage seen;
  for (std::uint64_t seed : {1ULL, 7ULL, 42ULL, 2024ULL, 99991ULL}) {
    INFO("seed " << seed);
    flow_run{seed, seen}.run(4000);
  }
  INFO("fills " << seen.fills << ", STP expiries " << seen.stp_expiries << ", FOK expired "
                << seen.fok_expired << ", rejections " << seen.rejections << ", cancels "
                << seen.cancels << ", partial then resting " << seen.partially_filled_resting);
  CHECK(seen.fills > 1000);
  CHECK(seen.stp_expiries > 50);
  CHECK(seen.fok_expired > 50);
  CHECK(seen.rejections > 50);
  CHECK(seen.cancels > 1000);
  CHECK(seen.partially_filled_resting > 50);
}
