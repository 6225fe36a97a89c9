#pragma once

// Exponential backoff with jitter. Pure: no clock, no I/O, randomness injected, so the
// WebSocket reconnect path and the supervision layer's restart delays share one tested curve.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "core/expected.hpp"

namespace tern::net {

/// The shape of a backoff curve. Delay n (counting from 0) before jitter is
/// `min(max_delay, min_delay * factor^n)`.
struct backoff_options {
  std::chrono::nanoseconds min_delay = std::chrono::milliseconds{500};
  std::chrono::nanoseconds max_delay = std::chrono::seconds{30};
  /// Growth per attempt, in [1, 100]. 1 gives a constant delay.
  double factor = 2.0;
  /// Fraction in [0, 1] of each delay that is randomised away: the delay drawn is
  /// `base * (1 - jitter * u)` with u uniform in [0, 1), so it never exceeds the curve or
  /// `max_delay` and never drops below `base * (1 - jitter)`.
  double jitter = 0.2;
};

/// Why a `backoff_options` is unusable; `message` names the field and quotes its value.
struct backoff_error {
  std::string message;
};

/// Checks the ranges documented on `backoff_options`.
[[nodiscard]] expected<void, backoff_error> validate(const backoff_options& options);

/// A source of uniform numbers in [0, 1). Tests inject fixed sequences.
using uniform_source = std::function<double()>;

/// A uniform source drawing from a seeded 64-bit Mersenne twister: same seed, same delays.
[[nodiscard]] uniform_source seeded_uniform_source(std::uint64_t seed);

/// Produces the delays of successive retries. Not thread-safe: one instance per retry loop.
class backoff {
 public:
  /// Validates `options`; the source must return values in [0, 1) (values outside are clamped).
  static expected<backoff, backoff_error> create(backoff_options options, uniform_source source);

  /// The delay to wait before the next attempt; advances the curve by one step.
  [[nodiscard]] std::chrono::nanoseconds next_delay();

  /// The un-jittered delay `next_delay()` would start from, without advancing.
  [[nodiscard]] std::chrono::nanoseconds peek_base_delay() const noexcept;

  /// Back to the first step (called after a connection proved healthy).
  void reset() noexcept { attempt_ = 0; }

  /// How many delays were handed out since construction or the last reset.
  [[nodiscard]] std::size_t attempt() const noexcept { return attempt_; }
  [[nodiscard]] const backoff_options& options() const noexcept { return options_; }

 private:
  backoff(backoff_options options, uniform_source source);

  backoff_options options_;
  uniform_source source_;
  std::size_t attempt_ = 0;
};

} // namespace tern::net
