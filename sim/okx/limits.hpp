#pragma once

// OKX's rate limits ("Overview" "Rate Limits" and each endpoint's "Rate Limit"): a number of
// requests per window (mostly 2 s) per endpoint, counted per IP for public endpoints and per
// user (and instrument, for order endpoints) for private ones; over the limit the answer is
// HTTP 429 with code 50011. New orders also count against the sub-account limit of 1000 per
// 2 s (50061). Windows are fixed and aligned to the clock, as the Binance dialect's are.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

#include "core/expected.hpp"
#include "core/types.hpp"

namespace tern::sim::okx {

/// What a limit is counted per.
enum class limit_scope : std::uint8_t { ip, ip_instrument, user, user_instrument };

/// One endpoint's limit.
struct limit_rule {
  std::int64_t count = 20;
  std::chrono::milliseconds window{2000};
  limit_scope scope = limit_scope::ip;
};

/// The name of the sub-account order limit in configuration overrides.
inline constexpr std::string_view sub_account_orders_limit = "ORDERS_2S";

class rate_limits {
 public:
  /// A request to `endpoint` ("GET /api/v5/market/books") counted under `scope_key`; false
  /// (and nothing counted) when the window is full. `used` is the window's count afterwards.
  bool admit(const std::string& endpoint, const limit_rule& rule, const std::string& scope_key, timestamp now,
             std::int64_t& used);
  /// A new order of `account`: false when the sub-account limit is reached.
  bool admit_order(std::uint32_t account, timestamp now, std::int64_t& used);
  void set_order_limit(std::int64_t per_two_seconds) { order_limit_ = per_two_seconds; }

 private:
  struct window {
    std::int64_t start_ms = -1;
    std::int64_t count = 0;
  };
  bool count_in(window& slot, std::int64_t limit, std::chrono::milliseconds length, timestamp now, std::int64_t& used);

  std::unordered_map<std::string, window> windows_;
  std::unordered_map<std::uint32_t, window> orders_;
  std::int64_t order_limit_ = 1000;
};

} // namespace tern::sim::okx
