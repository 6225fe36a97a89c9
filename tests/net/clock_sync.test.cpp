#include <catch2/catch.hpp>

#include "net/clock_sync.hpp"

using namespace tern;
using namespace tern::net;
using namespace std::chrono_literals;

namespace {

/// A sample whose offset (server - midpoint) is `offset_ms`, with a 40 ms round trip.
void add_offset(clock_sync& sync, std::int64_t start_ms, std::int64_t offset_ms) {
  const auto before = from_unix_ms(start_ms);
  const auto after = from_unix_ms(start_ms + 40);
  REQUIRE(sync.add_sample(before, from_unix_ms(start_ms + 20 + offset_ms), after).has_value());
}

} // namespace

TEST_CASE("no offset before the first sample") {
  clock_sync sync;
  CHECK_FALSE(sync.offset().has_value());
  CHECK(sync.server_now(from_unix_ms(1000)) == from_unix_ms(1000));
}

TEST_CASE("one sample: offset is server time minus the round trip's midpoint") {
  clock_sync sync;
  REQUIRE(sync.add_sample(from_unix_ms(1000), from_unix_ms(1600), from_unix_ms(1200)).has_value());
  REQUIRE(sync.offset().has_value());
  CHECK(*sync.offset() == 500ms);
  CHECK(sync.server_now(from_unix_ms(5000)) == from_unix_ms(5500));
}

TEST_CASE("offset is the mean of the median and the recency-weighted average") {
  clock_sync sync;
  // Offsets 10, 20, 30, 40, then an outlier of 1000 ms as the newest sample.
  add_offset(sync, 0, 10);
  add_offset(sync, 100, 20);
  add_offset(sync, 200, 30);
  add_offset(sync, 300, 40);
  add_offset(sync, 400, 1000);
  // median 30; weighted (1*10 + 2*20 + 3*30 + 4*40 + 5*1000) / 15 = 5300 / 15 ms;
  // estimate (30 + 5300/15) / 2 = 191.666... ms, rounded to the nanosecond.
  CHECK(*sync.offset() == 191'666'667ns);
}

TEST_CASE("an even number of samples takes the middle pair's mean as median") {
  clock_sync sync;
  add_offset(sync, 0, 100);
  add_offset(sync, 100, 300);
  // median 200; weighted (100 + 2*300) / 3 = 233.33...; mean 216.666... ms.
  CHECK(*sync.offset() == 216'666'667ns);
}

TEST_CASE("only the last five samples count") {
  clock_sync sync;
  add_offset(sync, 0, -50'000); // evicted by the sixth sample
  for (int i = 1; i <= 5; ++i) add_offset(sync, i * 100, 7);
  CHECK(sync.sample_count() == 5);
  CHECK(*sync.offset() == 7ms);
}

TEST_CASE("negative offsets: a server clock behind ours") {
  clock_sync sync;
  REQUIRE(sync.add_sample(from_unix_ms(10'000), from_unix_ms(9'000), from_unix_ms(10'100)).has_value());
  CHECK(*sync.offset() == -1050ms);
}

TEST_CASE("a sample that ends before it starts is refused and not kept") {
  clock_sync sync;
  auto refused = sync.add_sample(from_unix_ms(2000), from_unix_ms(2000), from_unix_ms(1999));
  REQUIRE_FALSE(refused.has_value());
  CHECK_THAT(refused.error().message, Catch::Contains("2000000000"));
  CHECK(sync.sample_count() == 0);
}
