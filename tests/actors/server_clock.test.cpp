// The account's server clock after timestamp refusals: one resync at a time per account,
// requests refused meanwhile wait for it, a request signed before a finished resync just
// retries, and a resync replaces the estimate instead of blending into stale samples.

#include <catch2/catch.hpp>

#include <chrono>

#include "actors/account_context.hpp"

namespace tern::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto stale_after = std::chrono::seconds{10};

timestamp at_ms(std::int64_t ms) {
  return timestamp{std::chrono::milliseconds{ms}};
}

/// A round trip of 2 ms whose midpoint is `local_ms`, the server `offset_ms` ahead.
clock_sample sample(std::int64_t local_ms, std::int64_t offset_ms) {
  return clock_sample{at_ms(local_ms - 1), at_ms(local_ms + offset_ms), at_ms(local_ms + 1)};
}

TEST_CASE("refusals at once: the first resyncs, the others wait and are woken when it ends",
          "[actors][clock]") {
  server_clock clock;
  const auto now = std::chrono::steady_clock::now();
  const auto signed_at = clock.generation();
  int woken = 0;
  std::uint64_t ticket = 0;
  CHECK(clock.join_resync(signed_at, [&] { ++woken; }, now, stale_after, &ticket)
        == resync_role::run);
  CHECK(clock.join_resync(signed_at, [&] { ++woken; }, now, stale_after) == resync_role::wait);
  CHECK(clock.join_resync(signed_at, [&] { ++woken; }, now, stale_after) == resync_role::wait);
  CHECK(woken == 0);
  clock.end_resync(ticket, sample(1'000'000, 90'000));
  CHECK(woken == 2);
  CHECK(clock.generation() == signed_at + 1);
}

TEST_CASE("a request signed before a finished resync retries at once, with no resync of its own",
          "[actors][clock]") {
  server_clock clock;
  const auto now = std::chrono::steady_clock::now();
  const auto signed_at = clock.generation();
  std::uint64_t ticket = 0;
  REQUIRE(clock.join_resync(signed_at, {}, now, stale_after, &ticket) == resync_role::run);
  clock.end_resync(ticket, sample(1'000'000, 90'000));
  int woken = 0;
  CHECK(clock.join_resync(signed_at, [&] { ++woken; }, now, stale_after)
        == resync_role::retry_now);
  CHECK(woken == 0);
  // Signed with the new generation and refused again: the clock moved once more.
  CHECK(clock.join_resync(clock.generation(), {}, now, stale_after) == resync_role::run);
}

TEST_CASE("a failed resync wakes the waiters and leaves the generation alone", "[actors][clock]") {
  server_clock clock;
  const auto now = std::chrono::steady_clock::now();
  const auto signed_at = clock.generation();
  int woken = 0;
  std::uint64_t ticket = 0;
  REQUIRE(clock.join_resync(signed_at, {}, now, stale_after, &ticket) == resync_role::run);
  REQUIRE(clock.join_resync(signed_at, [&] { ++woken; }, now, stale_after) == resync_role::wait);
  clock.end_resync(ticket, std::nullopt);
  CHECK(woken == 1);
  CHECK(clock.generation() == signed_at);
  CHECK_FALSE(clock.synced());
}

TEST_CASE("a resync running too long (its actor may have died) is taken over", "[actors][clock]") {
  server_clock clock;
  const auto start = std::chrono::steady_clock::now();
  const auto signed_at = clock.generation();
  std::uint64_t first = 0;
  std::uint64_t second = 0;
  int woken = 0;
  REQUIRE(clock.join_resync(signed_at, {}, start, stale_after, &first) == resync_role::run);
  CHECK(clock.join_resync(signed_at, [&] { ++woken; }, start + stale_after - 1ms, stale_after)
        == resync_role::wait);
  CHECK(clock.join_resync(signed_at, {}, start + stale_after, stale_after, &second)
        == resync_role::run);
  // The first one ends after all: its sample counts, but the second still runs the wait.
  clock.end_resync(first, sample(1'000'000, 90'000));
  CHECK(clock.generation() == signed_at + 1);
  CHECK(woken == 0);
  clock.end_resync(second, std::nullopt);
  CHECK(woken == 1);
}

TEST_CASE("a resync replaces the estimate: older samples no longer pull it back",
          "[actors][clock]") {
  server_clock clock;
  // Five periodic samples with the clocks in step fill net::clock_sync's window ...
  for (std::int64_t i = 0; i < 5; ++i) {
    const auto s = sample(1'000'000 + i * 1'000, 0);
    clock.add_sample(s.before, s.server, s.after);
  }
  REQUIRE(clock.synced());
  // ... then the exchange's clock jumps 90 s ahead. Blended in, one sample would move the
  // estimate only part of the way (the median of five stays at 0), and the retry would be
  // refused again. The resync starts over from it.
  std::uint64_t ticket = 0;
  REQUIRE(clock.join_resync(clock.generation(), {}, std::chrono::steady_clock::now(),
                            stale_after, &ticket)
          == resync_role::run);
  clock.end_resync(ticket, sample(2'000'000, 90'000));
  const auto local = std::chrono::time_point_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now());
  const auto ahead = clock.now() - timestamp{local.time_since_epoch()};
  CHECK(ahead > 89s);
  CHECK(ahead < 91s);
}

} // namespace
} // namespace tern::testing
