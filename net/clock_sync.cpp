#include "net/clock_sync.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace tern::net {

clock_sync::clock_sync(std::size_t capacity) : capacity_(std::max<std::size_t>(1, capacity)) {}

expected<void, clock_sample_error> clock_sync::add_sample(timestamp local_before,
                                                          timestamp server_time,
                                                          timestamp local_after) {
  if (local_after < local_before)
    return unexpected{clock_sample_error{
        "clock sample ends before it starts: local_before " +
        std::to_string(to_unix_ns(local_before)) + " ns, local_after " +
        std::to_string(to_unix_ns(local_after)) + " ns"}};
  // before + half the round trip: no overflow, unlike (before + after) / 2.
  const timestamp midpoint = local_before + (local_after - local_before) / 2;
  offsets_.push_back(server_time - midpoint);
  while (offsets_.size() > capacity_) offsets_.pop_front();
  return {};
}

std::optional<std::chrono::nanoseconds> clock_sync::offset() const {
  if (offsets_.empty()) return std::nullopt;
  // long double keeps every nanosecond exact for offsets far beyond any real clock skew.
  std::vector<long double> sorted;
  for (auto value : offsets_) sorted.push_back(static_cast<long double>(value.count()));
  std::sort(sorted.begin(), sorted.end());
  const std::size_t n = sorted.size();
  const long double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;

  long double weighted_sum = 0;
  long double weight_total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto weight = static_cast<long double>(i + 1); // the newest sample weighs most
    weighted_sum += weight * static_cast<long double>(offsets_[i].count());
    weight_total += weight;
  }
  const long double estimate = (median + weighted_sum / weight_total) / 2;
  return std::chrono::nanoseconds{std::llround(estimate)};
}

timestamp clock_sync::server_now(timestamp local_now) const {
  return local_now + offset().value_or(std::chrono::nanoseconds::zero());
}

} // namespace tern::net
