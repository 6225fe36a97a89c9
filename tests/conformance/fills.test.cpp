// Conformance item 6, written once and run for every connector: partial and full fills from
// the user stream with their fees; a fill seen twice (the stream, then the REST fills a
// reconciliation reads) counts once; fills that arrive before the placement's answer.

#include "tests/conformance/conformance_support.hpp"

#include <algorithm>

namespace tern::testing {
namespace {

std::size_t count_kind(const std::vector<order_notice>& notices, order_notice_kind kind) {
  return static_cast<std::size_t>(std::count_if(
      notices.begin(), notices.end(), [&](const order_notice& n) { return n.kind == kind; }));
}

/// The sum of the base amounts of every fill notice (about `id`, when given).
decimal filled_base(const std::vector<order_notice>& notices, const std::string& id = {}) {
  decimal total;
  for (const auto& notice : notices)
    if (notice.kind == order_notice_kind::filled && (id.empty() || notice.client_order_id == id))
      for (const auto& execution : notice.fills)
        total = total + execution.base_amount;
  return total;
}

} // namespace

TEMPLATE_TEST_CASE("conformance 6: partial and full fills with fees, each fill counted once",
                   "[conformance][fills]", TERN_CONNECTORS) {
  conformance_fixture fixture{TestType::make()};
  const auto book = fixture.engine_book();
  REQUIRE(book.asks.size() >= 2);
  const auto best = book.asks[0];

  // A buy at the best ask for more than the level holds: a partial fill, the rest resting.
  const auto amount = best.size + fixture.spec.order_amount;
  const auto partial = fixture.place(side::buy, best.price, amount);
  REQUIRE(partial.accepted());
  const auto first = fixture.await_notice(partial.client_order_id, order_notice_kind::filled);
  REQUIRE(first.has_value());
  REQUIRE(!first->fills.empty());
  CHECK(first->fills[0].price == best.price);
  CHECK(first->fills[0].fee.amount.is_positive());
  CHECK((first->fills[0].fee.asset == "BTC" || first->fills[0].fee.asset == "USDT"));
  REQUIRE(fixture.inbox->notices.wait_until(
      [&](const std::vector<order_notice>& notices) {
        return filled_base(notices, partial.client_order_id) == best.size;
      },
      10s));
  auto open = fixture.request<std::vector<order_notice>>(orders_atom::value);
  REQUIRE(open.has_value());
  REQUIRE(open->size() == 1);
  CHECK(open->front().state == order_state::partially_filled);
  CHECK(open->front().executed_base == best.size);

  // Reconciliation reads the same fill again from REST: still counted once.
  auto orders = fixture.account.context->directory.get("orders");
  REQUIRE(orders);
  caf::anon_send(orders, reconcile_atom::value);
  // The reconciliation's REST answers come within the wait; a fill counted twice would show.
  CHECK_FALSE(fixture.inbox->notices.wait_until(
      [&](const std::vector<order_notice>& notices) {
        return filled_base(notices, partial.client_order_id) > best.size;
      },
      2s));
  open = fixture.request<std::vector<order_notice>>(orders_atom::value);
  REQUIRE(open.has_value());
  REQUIRE(open->size() == 1);
  CHECK(open->front().executed_base == best.size);
  CHECK(filled_base(fixture.notices_of(partial.client_order_id)) == best.size);
  auto cancelled = fixture.request<command_reply>(cancel_atom::value, partial.client_order_id);
  REQUIRE(cancelled.has_value());
  CHECK(cancelled->ok);
  REQUIRE(fixture.await_notice(partial.client_order_id, order_notice_kind::cancelled));

  // A taker whose placement is answered late: its fill arrives on the stream first.
  sim::fault late;
  late.kind = sim::fault_kind::delay_response;
  late.endpoint = fixture.spec.okx ? "POST /api/v5/trade/order"
                  : fixture.spec.perpetual ? "POST /fapi/v1/order"
                                           : "POST /api/v3/order";
  late.delay_ms = 600;  // under the placement timeout (1 s): the answer still comes
  fixture.account.simulator->faults().add(late);
  const auto after = fixture.engine_book();
  const auto taker = fixture.place(side::buy, after.asks[0].price, fixture.spec.order_amount);
  REQUIRE(taker.accepted());
  const auto completed = fixture.await_notice(taker.client_order_id, order_notice_kind::completed);
  REQUIRE(completed.has_value());
  CHECK(completed->executed_base == fixture.spec.order_amount);
  // The late answer has come and gone: still one fill, one completion, no failure.
  REQUIRE(fixture.request<std::vector<order_notice>>(orders_atom::value).has_value());
  CHECK_FALSE(fixture.inbox->notices.wait_until(
      [&](const std::vector<order_notice>& notices) {
        return std::any_of(notices.begin(), notices.end(), [&](const order_notice& n) {
          return n.client_order_id == taker.client_order_id && n.kind == order_notice_kind::failed;
        });
      },
      1s));
  const auto notices = fixture.notices_of(taker.client_order_id);
  CHECK(filled_base(notices) == fixture.spec.order_amount);
  CHECK(count_kind(notices, order_notice_kind::completed) == 1);
}

} // namespace tern::testing
