#include "net/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

namespace tern::net {

namespace {

std::string describe(std::chrono::nanoseconds value) {
  return std::to_string(value.count()) + " ns";
}

} // namespace

expected<void, backoff_error> validate(const backoff_options& options) {
  if (options.min_delay <= std::chrono::nanoseconds::zero())
    return unexpected{backoff_error{"backoff min_delay must be positive, got " +
                                    describe(options.min_delay)}};
  if (options.max_delay < options.min_delay)
    return unexpected{backoff_error{"backoff max_delay " + describe(options.max_delay) +
                                    " is below min_delay " + describe(options.min_delay)}};
  // The negated form also rejects NaN.
  if (!(options.factor >= 1.0 && options.factor <= 100.0))
    return unexpected{backoff_error{"backoff factor must be in [1, 100], got " +
                                    std::to_string(options.factor)}};
  if (!(options.jitter >= 0.0 && options.jitter <= 1.0))
    return unexpected{backoff_error{"backoff jitter must be in [0, 1], got " +
                                    std::to_string(options.jitter)}};
  return {};
}

uniform_source seeded_uniform_source(std::uint64_t seed) {
  // shared_ptr keeps the std::function copyable while the engine state stays shared.
  auto engine = std::make_shared<std::mt19937_64>(seed);
  return [engine] {
    // 53 random bits scaled into [0, 1): portable across standard libraries, unlike
    // std::uniform_real_distribution whose algorithm is unspecified.
    return static_cast<double>((*engine)() >> 11U) * 0x1.0p-53;
  };
}

expected<backoff, backoff_error> backoff::create(backoff_options options, uniform_source source) {
  if (auto valid = validate(options); !valid) return unexpected{valid.error()};
  if (!source) return unexpected{backoff_error{"backoff needs a uniform random source"}};
  return backoff{options, std::move(source)};
}

backoff::backoff(backoff_options options, uniform_source source)
    : options_(options), source_(std::move(source)) {}

std::chrono::nanoseconds backoff::peek_base_delay() const noexcept {
  const auto min = static_cast<double>(options_.min_delay.count());
  const auto max = static_cast<double>(options_.max_delay.count());
  // pow can overflow to infinity for long runs; min() then caps it at max_delay.
  const double grown = min * std::pow(options_.factor, static_cast<double>(attempt_));
  return std::chrono::nanoseconds{static_cast<std::int64_t>(std::min(grown, max))};
}

std::chrono::nanoseconds backoff::next_delay() {
  const auto base = peek_base_delay();
  ++attempt_;
  if (options_.jitter == 0.0) return base;
  const double u = std::clamp(source_(), 0.0, std::nextafter(1.0, 0.0));
  const double scaled = static_cast<double>(base.count()) * (1.0 - options_.jitter * u);
  return std::chrono::nanoseconds{static_cast<std::int64_t>(scaled)};
}

} // namespace tern::net
