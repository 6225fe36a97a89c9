#pragma once

// Estimates the offset between an exchange's clock and ours (reference/exchanges.md §A13), so
// signed requests carry a timestamp the exchange accepts. Pure: callers pass the three
// instants of each sample; nothing here reads a clock.

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>

#include "core/expected.hpp"
#include "core/types.hpp"

namespace tern::net {

/// A sample that cannot be used; `message` quotes the instants.
struct clock_sample_error {
  std::string message;
};

/// Keeps the last `capacity` samples of `server - midpoint(local_before, local_after)` and
/// estimates the offset as the mean of their median and of their linearly weighted average
/// (weights 1..n, oldest to newest): the median resists one delayed round trip, the weighted
/// average follows a drifting clock. Not thread-safe.
class clock_sync {
 public:
  static constexpr std::size_t default_capacity = 5;

  explicit clock_sync(std::size_t capacity = default_capacity);

  /// Records one round trip: our time just before the request, the server's reported time,
  /// our time just after the response. Rejects `local_after < local_before`.
  expected<void, clock_sample_error> add_sample(timestamp local_before, timestamp server_time,
                                                timestamp local_after);

  /// server time - local time, or nothing before the first sample.
  [[nodiscard]] std::optional<std::chrono::nanoseconds> offset() const;

  /// `local_now` moved onto the server's clock (unchanged before the first sample).
  [[nodiscard]] timestamp server_now(timestamp local_now) const;

  [[nodiscard]] std::size_t sample_count() const noexcept { return offsets_.size(); }
  void clear() noexcept { offsets_.clear(); }

 private:
  std::size_t capacity_;
  std::deque<std::chrono::nanoseconds> offsets_; ///< oldest first
};

} // namespace tern::net
