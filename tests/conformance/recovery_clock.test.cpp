// NOT REGISTERED in tests/conformance/CMakeLists.txt: fails today for all four connectors
// (the retry after a clock resync is refused again); see the comment there.
// Conformance item 11, clock skew, for every connector: the exchange's clock jumps ahead by
// more than any receive window, so signed requests are refused with the exchange's timestamp
// error (Binance -1021, OKX 50102); the connector resyncs its clock from the exchange's time
// and retries once, signed again, and the retry succeeds. Nothing is placed twice.

#include "tests/conformance/recovery_support.hpp"

namespace tern::testing {

namespace {

bool is_time_query(const sim::request_record& record) {
  return record.path == "/api/v3/time" || record.path == "/fapi/v1/time"
         || record.path == "/api/v5/public/time";
}

void skewed_clock(const venue_case& venue) {
  venue_fixture fixture{venue};
  const auto before = fixture.records().size();
  // Past Binance's largest recvWindow (60 s) and OKX's 30 s.
  fixture.account.simulator->set_clock_skew(90s);

  const auto placed = fixture.place_resting();
  REQUIRE(placed.accepted());
  const auto created = fixture.await_notice(placed.client_order_id, order_notice_kind::created, 15s);
  INFO([&] {
    std::string seen;
    for (const auto& record : fixture.records())
      seen += std::to_string(record.sequence) + " " + record.method + " " + record.path + " "
              + std::to_string(record.status) + " " + std::to_string(record.code) + "\n";
    return seen;
  }());
  REQUIRE(created.has_value());
  CHECK_FALSE(fixture.await_notice(placed.client_order_id, order_notice_kind::failed, 0ms));
  CHECK(fixture.open_at_exchange() == 1);

  const auto records = fixture.records();
  REQUIRE(records.size() > before);
  // Every refusal for the timestamp is followed by a time query and then by the same request
  // again, which is not refused for the timestamp a second time: one resync, one retry.
  std::size_t skew_errors = 0;
  for (std::size_t i = before; i < records.size(); ++i) {
    const auto& refused = records[i];
    if (refused.code != venue.skew_code)
      continue;
    ++skew_errors;
    INFO(refused.method << " " << refused.path << " refused at #" << refused.sequence);
    bool resynced = false;
    bool retried = false;
    for (std::size_t j = i + 1; j < records.size() && !retried; ++j) {
      resynced = resynced || is_time_query(records[j]);
      if (resynced && records[j].path == refused.path && records[j].method == refused.method
          && records[j].client_order_id == refused.client_order_id) {
        retried = true;
        CHECK(records[j].code != venue.skew_code);
      }
    }
    CHECK(resynced);
    CHECK(retried);
  }
  CHECK(skew_errors >= 1);
  // The placement executed exactly once.
  int executed = 0;
  for (const auto& record : records)
    executed += record.new_order && record.executed
                        && record.client_order_id == placed.client_order_id
                    ? 1
                    : 0;
  CHECK(executed == 1);
}

} // namespace

TEST_CASE("conformance 11: a timestamp refusal resyncs the clock and the retry succeeds",
          "[conformance][recovery][clock]") {
  for (const auto& venue : venues()) {
    DYNAMIC_SECTION(venue.connector) { skewed_clock(venue); }
  }
}

} // namespace tern::testing
