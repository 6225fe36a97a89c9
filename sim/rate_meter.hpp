#pragma once

// Exchange-side rate metering: counters over fixed windows aligned to the clock (a 1-minute
// window starts at every whole minute, a 10-second one at :00, :10, ...), the way Binance
// documents its limits. Single-threaded: it lives on an exchange's thread.

#include <chrono>
#include <cstdint>
#include <limits>

#include "core/types.hpp"

namespace tern::sim {

class fixed_window_counter {
 public:
  fixed_window_counter() = default;
  fixed_window_counter(std::chrono::milliseconds interval, std::int64_t limit)
      : interval_(interval), limit_(limit) {}

  /// What was counted in the window that contains `now`.
  [[nodiscard]] std::int64_t used(timestamp now) const;
  /// Whether `amount` more fits under the limit in `now`'s window.
  [[nodiscard]] bool fits(timestamp now, std::int64_t amount) const;
  /// Counts `amount` in `now`'s window.
  void add(timestamp now, std::int64_t amount);
  /// Time until `now`'s window ends.
  [[nodiscard]] std::chrono::milliseconds until_reset(timestamp now) const;

  [[nodiscard]] std::chrono::milliseconds interval() const noexcept { return interval_; }
  [[nodiscard]] std::int64_t limit() const noexcept { return limit_; }

 private:
  [[nodiscard]] std::int64_t window_of(timestamp now) const;

  std::chrono::milliseconds interval_{60'000};
  std::int64_t limit_ = 0;
  std::int64_t window_ = std::numeric_limits<std::int64_t>::min();
  std::int64_t used_ = 0;
};

} // namespace tern::sim
