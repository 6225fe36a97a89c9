// Conformance item 11, clock skew, for every connector: the exchange's clock jumps ahead by
// more than any receive window, so signed requests are refused with the exchange's timestamp
// error (Binance -1021, OKX 50102); the account resyncs its clock from the exchange's time
// once (however many requests were refused together) and each refused request is sent once
// more, signed again, and succeeds. A placement refused for its timestamp a second time is
// rejected (the exchange definitely did not take it); one whose retry goes unanswered stays in
// flight until reconciliation finds it. Nothing is placed twice.

#include "tests/conformance/recovery_support.hpp"

namespace tern::testing {

namespace {

bool is_time_query(const sim::request_record& record) {
  return record.path == "/api/v3/time" || record.path == "/fapi/v1/time"
         || record.path == "/api/v5/public/time";
}

std::string describe(const std::vector<sim::request_record>& records) {
  std::string seen;
  for (const auto& record : records)
    seen += std::to_string(record.sequence) + " " + record.method + " " + record.path + " "
            + std::to_string(record.status) + " " + std::to_string(record.code) + " "
            + record.client_order_id + "\n";
  return seen;
}

/// The first time query after the first refusal with `code` since `from`, if both exist.
std::optional<std::size_t> resync_at(const std::vector<sim::request_record>& records,
                                     std::size_t from, std::int64_t code) {
  bool refused = false;
  for (std::size_t i = from; i < records.size(); ++i) {
    refused = refused || records[i].code == code;
    if (refused && is_time_query(records[i]))
      return i;
  }
  return std::nullopt;
}

/// The requests (method and path) refused with `code` more often than they were answered
/// without it after the resync: refused requests not (yet) retried successfully. Signed
/// queries carry no identity in the records, so requests are counted, not paired.
std::string unretried(const std::vector<sim::request_record>& records, std::size_t from,
                      std::int64_t code) {
  const auto resync = resync_at(records, from, code);
  std::map<std::string, int> balance;
  for (std::size_t i = from; i < records.size(); ++i) {
    const auto key = records[i].method + " " + records[i].path;
    if (records[i].code == code)
      ++balance[key];
    else if (resync && i > *resync)
      --balance[key];
  }
  std::string missing;
  for (const auto& [key, count] : balance)
    if (count > 0)
      missing += key + " (" + std::to_string(count) + ") ";
  return missing;
}

/// How often a placement was sent (each test places one order; a refusal before the order
/// was read records no client id), and how often `client_order_id` executed.
std::pair<int, int> placements(const std::vector<sim::request_record>& records,
                               const venue_case& venue, const std::string& client_order_id) {
  int sent = 0;
  int executed = 0;
  for (const auto& record : records) {
    if (record.method + " " + record.path != venue.place_endpoint)
      continue;
    ++sent;
    executed += record.new_order && record.executed && record.client_order_id == client_order_id
                    ? 1
                    : 0;
  }
  return {sent, executed};
}

/// The refusal the exchange sends for a timestamp outside its window (the dialect's status).
sim::fault timestamp_refusal(const venue_case& venue) {
  auto refusal = rest_fault(sim::fault_kind::reject, venue.place_endpoint);
  refusal.status = venue.connector.rfind("okx", 0) == 0 ? 401 : 400;
  refusal.code = venue.skew_code;
  refusal.message = "Timestamp for this request is outside of the recvWindow.";
  return refusal;
}

void skewed_clock(const venue_case& venue) {
  venue_fixture fixture{venue};
  const auto before = fixture.records().size();
  // Past Binance's largest recvWindow (60 s) and OKX's 30 s.
  fixture.account.simulator->set_clock_skew(90s);

  const auto placed = fixture.place_resting();
  REQUIRE(placed.accepted());
  const auto created = fixture.await_notice(placed.client_order_id, order_notice_kind::created, 15s);
  INFO(describe(fixture.records()));
  REQUIRE(created.has_value());
  CHECK_FALSE(fixture.await_notice(placed.client_order_id, order_notice_kind::failed, 0ms));
  CHECK(fixture.open_at_exchange() == 1);

  // Requests refused together are retried once the resync is in; some (the tracker's
  // reconciliation queries) may still be on their way when the order is created.
  auto records = fixture.records();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!unretried(records, before, venue.skew_code).empty()
         && std::chrono::steady_clock::now() < deadline) {
    fixture.inbox->notices.wait_for(1'000'000, 50ms);  // bounded pause between polls
    records = fixture.records();
  }
  INFO(describe(records));
  // The account resynced once, however many requests were refused together, and every
  // refused request was answered afterwards without the timestamp error.
  const auto resync = resync_at(records, before, venue.skew_code);
  REQUIRE(resync.has_value());
  CHECK(std::count_if(records.begin() + static_cast<std::ptrdiff_t>(before), records.end(),
                      is_time_query)
        == 1);
  CHECK(unretried(records, before, venue.skew_code).empty());
  // The placement: refused and sent once more after the resync, or (when the tracker's
  // queries were refused first and the resync was already in) signed with the new offset
  // from the start. Either way accepted once, after the resync, and executed once.
  std::vector<sim::request_record> sends;
  for (std::size_t i = before; i < records.size(); ++i)
    if (records[i].method + " " + records[i].path == venue.place_endpoint)
      sends.push_back(records[i]);
  REQUIRE((sends.size() == 1 || sends.size() == 2));
  if (sends.size() == 2)
    CHECK(sends.front().code == venue.skew_code);
  CHECK(sends.back().sequence > records[*resync].sequence);
  CHECK(sends.back().code != venue.skew_code);
  const auto [sent, executed] = placements(records, venue, placed.client_order_id);
  CHECK(sent == static_cast<int>(sends.size()));
  CHECK(executed == 1);
}

/// Refused for its timestamp, resynced, refused again: a definite refusal, so a rejection.
void refused_twice(const venue_case& venue) {
  venue_fixture fixture{venue};
  auto refusal = timestamp_refusal(venue);
  refusal.count = 2;
  fixture.account.simulator->faults().add(refusal);

  const auto placed = fixture.place_resting();
  REQUIRE(placed.accepted());
  const auto failed = fixture.await_notice(placed.client_order_id, order_notice_kind::failed, 15s);
  const auto records = fixture.records();
  INFO(describe(records));
  REQUIRE(failed.has_value());
  CHECK_FALSE(fixture.await_notice(placed.client_order_id, order_notice_kind::created, 0ms));
  CHECK(fixture.open_at_exchange() == 0);
  const auto [sent, executed] = placements(records, venue, placed.client_order_id);
  CHECK(sent == 2);  // one retry only
  CHECK(executed == 0);
  CHECK(std::count_if(records.begin(), records.end(), is_time_query) >= 1);
}

/// Refused for its timestamp, resynced, and the retry's answer comes too late: the exchange
/// may have taken it, so it stays in flight (never failed) until the user stream or
/// reconciliation shows it.
void retry_unanswered(const venue_case& venue) {
  venue_fixture fixture{venue};
  fixture.account.simulator->faults().add(timestamp_refusal(venue));
  auto late = rest_fault(sim::fault_kind::delay_response, venue.place_endpoint);
  late.delay_ms = 4000;  // the placement timeout is 1 s
  fixture.account.simulator->faults().add(late);

  const auto placed_at = std::chrono::steady_clock::now();
  const auto placed = fixture.place_resting();
  REQUIRE(placed.accepted());
  const auto created = fixture.await_notice(placed.client_order_id, order_notice_kind::created, 15s);
  REQUIRE(created.has_value());
  // Past the late answer too, it was never failed.
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - placed_at);
  CHECK_FALSE(fixture.any_notice(order_notice_kind::failed,
                                 std::chrono::milliseconds{late.delay_ms} + 500ms - waited));
  const auto records = fixture.records();
  INFO(describe(records));
  CHECK(fixture.open_at_exchange() == 1);
  const auto [sent, executed] = placements(records, venue, placed.client_order_id);
  CHECK(sent == 2);
  CHECK(executed == 1);
}

} // namespace

TEST_CASE("conformance 11: a timestamp refusal resyncs the clock and the retry succeeds",
          "[conformance][recovery][clock]") {
  for (const auto& venue : venues()) {
    DYNAMIC_SECTION(venue.connector) { skewed_clock(venue); }
  }
}

TEST_CASE("conformance 11: a placement refused for its timestamp after its one retry is "
          "rejected and nothing is placed",
          "[conformance][recovery][clock]") {
  for (const auto& venue : venues()) {
    DYNAMIC_SECTION(venue.connector) { refused_twice(venue); }
  }
}

TEST_CASE("conformance 11: a placement whose retry goes unanswered stays in flight until it "
          "is found",
          "[conformance][recovery][clock]") {
  for (const auto& venue : venues()) {
    DYNAMIC_SECTION(venue.connector) { retry_unanswered(venue); }
  }
}

} // namespace tern::testing
