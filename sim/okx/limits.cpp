#include "sim/okx/limits.hpp"

namespace tern::sim::okx {

bool rate_limits::count_in(window& slot, std::int64_t limit, std::chrono::milliseconds length, timestamp now,
                           std::int64_t& used) {
  std::int64_t start = to_unix_ms(now) / length.count() * length.count();
  if (slot.start_ms != start) {
    slot.start_ms = start;
    slot.count = 0;
  }
  if (slot.count >= limit) {
    used = slot.count;
    return false;
  }
  used = ++slot.count;
  return true;
}

bool rate_limits::admit(const std::string& endpoint, const limit_rule& rule, const std::string& scope_key,
                        timestamp now, std::int64_t& used) {
  return count_in(windows_[endpoint + '|' + scope_key], rule.count, rule.window, now, used);
}

bool rate_limits::admit_order(std::uint32_t account, timestamp now, std::int64_t& used) {
  return count_in(orders_[account], order_limit_, std::chrono::milliseconds{2000}, now, used);
}

} // namespace tern::sim::okx
