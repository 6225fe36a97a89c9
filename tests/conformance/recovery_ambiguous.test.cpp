// Conformance item 8, ambiguous outcomes, for every connector: a placement the exchange took
// but answered too late stays in flight (never failed) until reconciliation finds it; one the
// exchange never executed (a 5xx before acceptance) fails once the tracker's status queries
// have not found it often enough. Never resent.

#include "tests/conformance/recovery_support.hpp"

namespace tern::testing {

namespace {

/// The exchange takes the order, answers after the placement timeout, the user stream silent.
void accepted_but_late(const venue_case& venue) {
  venue_fixture fixture{venue};
  auto silent = sim::fault{};
  silent.kind = sim::fault_kind::stale_stream;
  silent.stream = "user";
  fixture.account.simulator->faults().add(silent);
  auto late = rest_fault(sim::fault_kind::delay_response, venue.place_endpoint);
  late.delay_ms = 4000;  // the placement timeout is 1 s
  fixture.account.simulator->faults().add(late);

  const auto sent = std::chrono::steady_clock::now();
  const auto placed = fixture.place_resting();
  REQUIRE(placed.accepted());
  const auto created = fixture.await_notice(placed.client_order_id, order_notice_kind::created, 15s);
  REQUIRE(created.has_value());
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - sent);
  INFO("created after " << waited.count() << " ms");
  // Settled over REST before the late answer left the exchange (the stream said nothing).
  CHECK(waited.count() < late.delay_ms);
  CHECK(!created->exchange_order_id.empty());
  // Past the late answer too, it was never failed.
  CHECK_FALSE(fixture.any_notice(order_notice_kind::failed,
                                 std::chrono::milliseconds{late.delay_ms} + 500ms - waited));
  auto open = fixture.request<std::vector<order_notice>>(orders_atom::value);
  REQUIRE(open.has_value());
  REQUIRE(open->size() == 1);
  CHECK(open->front().client_order_id == placed.client_order_id);
  CHECK(open->front().state == order_state::open);
  CHECK(fixture.open_at_exchange() == 1);
  // Sent once: nothing resent blindly.
  int sends = 0;
  for (const auto& record : fixture.records())
    sends += record.new_order && record.client_order_id == placed.client_order_id ? 1 : 0;
  CHECK(sends == 1);
}

/// A 5xx answered before the engine saw the order: the outcome is unknown to the client, the
/// status queries find nothing, and the order fails after the not-found threshold.
void never_reached(const venue_case& venue) {
  venue_fixture fixture{venue};
  auto refused = rest_fault(sim::fault_kind::server_error, venue.place_endpoint);
  refused.status = 503;
  fixture.account.simulator->faults().add(refused);

  const auto placed = fixture.place_resting();
  REQUIRE(placed.accepted());
  const auto failed = fixture.await_notice(placed.client_order_id, order_notice_kind::failed, 20s);
  REQUIRE(failed.has_value());
  CHECK_FALSE(fixture.await_notice(placed.client_order_id, order_notice_kind::created, 0ms));
  CHECK(fixture.open_at_exchange() == 0);
  auto open = fixture.request<std::vector<order_notice>>(orders_atom::value);
  REQUIRE(open.has_value());
  CHECK(open->empty());
  // Sent once, answered 503 by the fault (before the dialect read it, so the record has no
  // client id), never sent again.
  int sends = 0;
  for (const auto& record : fixture.records()) {
    if (record.method + " " + record.path != venue.place_endpoint)
      continue;
    ++sends;
    CHECK(record.status == 503);
    CHECK_FALSE(record.executed);
  }
  CHECK(sends == 1);
}

} // namespace

TEST_CASE("conformance 8: a placement answered too late stays in flight until reconciliation "
          "finds it",
          "[conformance][recovery][ambiguous]") {
  for (const auto& venue : venues()) {
    DYNAMIC_SECTION(venue.connector) { accepted_but_late(venue); }
  }
}

TEST_CASE("conformance 8: a placement the exchange never executed fails after the not-found "
          "threshold",
          "[conformance][recovery][ambiguous]") {
  for (const auto& venue : venues()) {
    DYNAMIC_SECTION(venue.connector) { never_reached(venue); }
  }
}

} // namespace tern::testing
