// Conformance item 10, 429 and Retry-After, for every connector: the exchange refuses a
// reconciliation query with its rate-limit answer (Binance 429 -1003 with Retry-After; OKX 429
// 50011, no Retry-After); the account backs off before that query is retried, the simulator's
// records show no real limit was ever exceeded, and trading goes on afterwards.

#include "tests/conformance/recovery_support.hpp"

namespace tern::testing {

namespace {

void backs_off(const venue_case& venue) {
  venue_fixture fixture{venue};
  const bool okx = venue.connector.rfind("okx", 0) == 0;
  auto limited = rest_fault(sim::fault_kind::rate_limit, venue.open_orders);
  limited.retry_after_s = 2;  // ignored by OKX's answer, which carries none
  fixture.account.simulator->faults().add(limited);
  // What the account waits: the Retry-After, or the connector's default of 1 s without one.
  const auto wait = okx ? std::chrono::seconds{1} : std::chrono::seconds{2};

  auto orders = fixture.account.context->directory.get("orders");
  REQUIRE(orders);
  caf::anon_send(orders, reconcile_atom::value);

  // The refused query, then its retry.
  std::optional<sim::request_record> refused;
  std::optional<sim::request_record> retried;
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (!retried && std::chrono::steady_clock::now() < deadline) {
    for (const auto& record : fixture.records()) {
      const auto endpoint = record.method + " " + record.path;
      if (endpoint != venue.open_orders)
        continue;
      if (!refused && record.status == 429)
        refused = record;
      // A query already on the wire when the 429 came back cannot be held back: only those
      // arriving later than the refusal's round trip (100 ms is ample on the loopback) count.
      else if (refused && record.sequence > refused->sequence && record.status == 200
               && record.time - refused->time > 100ms) {
        retried = record;
        break;
      }
    }
    if (!retried)
      fixture.inbox->notices.wait_for(1'000'000, 50ms);  // bounded pause between polls
  }
  REQUIRE(refused.has_value());
  REQUIRE(retried.has_value());
  INFO("retried after "
       << std::chrono::duration_cast<std::chrono::milliseconds>(retried->time - refused->time)
              .count()
       << " ms");
  CHECK(retried->time - refused->time >= wait);

  // Trading goes on.
  const auto placed = fixture.place_resting();
  REQUIRE(placed.accepted());
  REQUIRE(fixture.await_notice(placed.client_order_id, order_notice_kind::created, 15s));

  // Only the injected refusal: no real limit was ever hit.
  auto& records = fixture.account.simulator->records();
  CHECK(records.count_status(429) == 1);
  CHECK(records.count_status(418) == 0);
  for (const auto& record : fixture.records()) {
    if (record.weight_limit > 0) {
      INFO(record.method << " " << record.path << " #" << record.sequence);
      CHECK(record.used_weight <= record.weight_limit);
    }
  }
  for (const auto& [order, sends] : records.new_orders_by_client_id())
    CHECK(sends == 1);
}

} // namespace

TEST_CASE("conformance 10: a 429 makes the account back off and no limit is ever exceeded",
          "[conformance][recovery][rate_limit]") {
  for (const auto& venue : venues()) {
    DYNAMIC_SECTION(venue.connector) { backs_off(venue); }
  }
}

} // namespace tern::testing
