#include "sim/market_driver.hpp"

namespace tern::sim {

std::optional<timestamp> driver_set::next_event_time() const {
  std::optional<timestamp> earliest;
  for (const auto& driver : drivers_)
    if (auto due = driver->next_event_time(); due && (!earliest || *due < *earliest))
      earliest = due;
  return earliest;
}

void driver_set::advance_to(timestamp now, event_buffer& out) {
  // Advance the earliest driver to its own due time each round, so that actions of different
  // drivers happen in time order even when `now` is far ahead.
  while (true) {
    market_driver* earliest = nullptr;
    timestamp due{};
    for (const auto& driver : drivers_) {
      auto next = driver->next_event_time();
      if (next && *next <= now && (earliest == nullptr || *next < due)) {
        earliest = driver.get();
        due = *next;
      }
    }
    if (earliest == nullptr)
      return;
    earliest->advance_to(due, out);
  }
}

} // namespace tern::sim
