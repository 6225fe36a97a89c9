#include <catch2/catch.hpp>

#include <cmath>
#include <deque>
#include <limits>

#include "net/backoff.hpp"

using namespace tern::net;
using namespace std::chrono_literals;
using std::chrono::nanoseconds;

namespace {

/// Hands out a fixed list of uniforms, so jittered delays are exact.
uniform_source fixed_sequence(std::deque<double> values) {
  return [values = std::move(values)]() mutable {
    const double next = values.front();
    values.pop_front();
    return next;
  };
}

backoff make(backoff_options options, uniform_source source) {
  auto made = backoff::create(options, std::move(source));
  REQUIRE(made.has_value());
  return std::move(made).value();
}

} // namespace

TEST_CASE("backoff without jitter doubles from min and caps at max") {
  auto b = make({100ms, 1s, 2.0, 0.0}, seeded_uniform_source(1));
  CHECK(b.next_delay() == 100ms);
  CHECK(b.next_delay() == 200ms);
  CHECK(b.next_delay() == 400ms);
  CHECK(b.next_delay() == 800ms);
  CHECK(b.next_delay() == 1s);
  CHECK(b.next_delay() == 1s);
  CHECK(b.attempt() == 6);
}

TEST_CASE("backoff reset starts the curve again") {
  auto b = make({50ms, 10s, 3.0, 0.0}, seeded_uniform_source(1));
  CHECK(b.next_delay() == 50ms);
  CHECK(b.next_delay() == 150ms);
  CHECK(b.peek_base_delay() == 450ms);
  b.reset();
  CHECK(b.attempt() == 0);
  CHECK(b.next_delay() == 50ms);
}

TEST_CASE("backoff with factor 1 is constant") {
  auto b = make({250ms, 250ms, 1.0, 0.0}, seeded_uniform_source(1));
  for (int i = 0; i < 20; ++i) CHECK(b.next_delay() == 250ms);
}

TEST_CASE("jitter removes jitter * u of each delay, from the injected source") {
  // jitter 0.5 and dyadic u keep every product exact in binary floating point.
  auto b = make({100ms, 10s, 2.0, 0.5}, fixed_sequence({0.0, 0.5, 0.25, 0.75}));
  CHECK(b.next_delay() == 100ms);           // 100 * (1 - 0)
  CHECK(b.next_delay() == 150ms);           // 200 * (1 - 0.25)
  CHECK(b.next_delay() == 350ms);           // 400 * (1 - 0.125)
  CHECK(b.next_delay() == 500ms);           // 800 * (1 - 0.375)
}

TEST_CASE("seeded jitter stays within bounds and is reproducible") {
  const backoff_options options{10ms, 5s, 1.7, 0.3};
  auto first = make(options, seeded_uniform_source(42));
  auto again = make(options, seeded_uniform_source(42));
  auto other = make(options, seeded_uniform_source(43));
  auto curve = make({options.min_delay, options.max_delay, options.factor, 0.0}, seeded_uniform_source(0));
  bool differs = false;
  for (int i = 0; i < 200; ++i) {
    const nanoseconds base = curve.next_delay();
    const nanoseconds delay = first.next_delay();
    CHECK(delay <= base);
    CHECK(delay <= options.max_delay);
    CHECK(static_cast<double>(delay.count()) >= std::floor(static_cast<double>(base.count()) * 0.7));
    CHECK(again.next_delay() == delay);
    differs = differs || other.next_delay() != delay;
  }
  CHECK(differs);
}

TEST_CASE("a long run of attempts saturates at max without overflow") {
  auto b = make({1ms, 1h, 100.0, 0.0}, seeded_uniform_source(1));
  nanoseconds last{};
  for (int i = 0; i < 5000; ++i) last = b.next_delay();
  CHECK(last == 1h);
}

TEST_CASE("backoff options are validated with a message naming the field") {
  auto rejected = [](backoff_options options) {
    auto made = backoff::create(options, seeded_uniform_source(1));
    REQUIRE_FALSE(made.has_value());
    return made.error().message;
  };
  CHECK_THAT(rejected({1s, 10s, 0.5, 0.0}), Catch::Contains("factor"));
  CHECK_THAT(rejected({1s, 10s, 101.0, 0.0}), Catch::Contains("factor"));
  CHECK_THAT(rejected({1s, 10s, std::numeric_limits<double>::quiet_NaN(), 0.0}), Catch::Contains("factor"));
  CHECK_THAT(rejected({2s, 1s, 2.0, 0.0}), Catch::Contains("max_delay"));
  CHECK_THAT(rejected({0s, 1s, 2.0, 0.0}), Catch::Contains("min_delay"));
  CHECK_THAT(rejected({1s, 2s, 2.0, 1.5}), Catch::Contains("jitter"));
  CHECK_THAT(rejected({1s, 2s, 2.0, -0.1}), Catch::Contains("jitter"));
  CHECK(validate({1s, 1s, 1.0, 1.0}).has_value());
  CHECK(validate({1s, 2s, 100.0, 0.0}).has_value());
  auto no_source = backoff::create({}, uniform_source{});
  CHECK_FALSE(no_source.has_value());
}
