#include "sim/rate_meter.hpp"

namespace tern::sim {

std::int64_t fixed_window_counter::window_of(timestamp now) const {
  std::int64_t ms = to_unix_ms(now);
  std::int64_t length = interval_.count();
  // Floor division: times before the epoch (tests with a fixed clock) still land in a window.
  return ms >= 0 ? ms / length : -((-ms + length - 1) / length);
}

std::int64_t fixed_window_counter::used(timestamp now) const {
  return window_of(now) <= window_ ? used_ : 0;
}

bool fixed_window_counter::fits(timestamp now, std::int64_t amount) const {
  return used(now) + amount <= limit_;
}

void fixed_window_counter::add(timestamp now, std::int64_t amount) {
  std::int64_t window = window_of(now);
  if (window != window_) {
    // A clock that steps back into an older window does not reopen it: keep counting here.
    if (window < window_)
      window = window_;
    else
      used_ = 0;
    window_ = window;
  }
  used_ += amount;
}

std::chrono::milliseconds fixed_window_counter::until_reset(timestamp now) const {
  std::int64_t window = window_of(now);
  std::int64_t end = (window + 1) * interval_.count();
  return std::chrono::milliseconds{end - to_unix_ms(now)};
}

} // namespace tern::sim
