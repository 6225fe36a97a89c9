#pragma once

// Binance's rate limits as the exchange enforces them (rest-api.md "LIMITS", web-socket-api.md
// "Rate limits"): request weight per IP over fixed 1-minute windows (every client here is on
// 127.0.0.1, so one counter), and unfilled-order counts per account over fixed windows. Every
// answer carries X-MBX-USED-WEIGHT-1M, successful orders X-MBX-ORDER-COUNT-*. Over a limit:
// 429 with Retry-After (-1003 weight, -1015 orders); a client that keeps sending after 429s is
// banned: 418 with Retry-After until the ban ends.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/expected.hpp"
#include "core/types.hpp"
#include "net/http_server.hpp"
#include "sim/binance/wire.hpp"
#include "sim/events.hpp"
#include "sim/rate_meter.hpp"

namespace tern::sim::binance {

/// One limit: its name in configuration ("REQUEST_WEIGHT_1M"), the header suffix ("1M"),
/// Binance's interval words and the default.
struct limit_spec {
  std::string name;
  std::string suffix;
  std::string interval;  ///< "SECOND", "MINUTE", "DAY"
  int interval_num = 1;
  std::chrono::milliseconds length{60'000};
  std::int64_t limit = 0;
};

/// The defaults of each flavour (exchanges.md §D): spot REQUEST_WEIGHT 6000/min, ORDERS
/// 100/10 s and 200,000/day; USD-M REQUEST_WEIGHT 2400/min, ORDERS 1200/min and 300/10 s.
struct limit_table {
  limit_spec request_weight;
  std::vector<limit_spec> orders;
  /// 429s answered within one weight window after which the IP is banned; 0 never bans.
  std::int64_t ban_after = 10;
  std::chrono::seconds ban_length{120};
};

[[nodiscard]] limit_table spot_limits();
[[nodiscard]] limit_table futures_limits();

class rate_limits {
 public:
  /// Applies configuration overrides by name ("REQUEST_WEIGHT_1M", "ORDERS_10S", "ORDERS_1D",
  /// "ORDERS_1M", "BAN_AFTER_429S", "BAN_SECONDS"); fails on an unknown name.
  expected<void, std::string> configure(limit_table table, const std::map<std::string, std::int64_t>& overrides);

  /// Charges `weight` to the IP, or refuses with 429 / 418 (nothing charged).
  std::optional<api_error> admit(timestamp now, std::int64_t weight, std::chrono::seconds& retry_after);
  /// Counts a new order of `account`, or refuses with 429 -1015 (nothing counted).
  std::optional<api_error> admit_order(timestamp now, account_id account, std::chrono::seconds& retry_after);

  [[nodiscard]] std::int64_t used_weight(timestamp now) const { return weight_.used(now); }
  [[nodiscard]] std::int64_t weight_limit() const noexcept { return weight_.limit(); }
  /// The account's count in the shortest order window.
  [[nodiscard]] std::int64_t order_count(timestamp now, account_id account) const;

  /// X-MBX-USED-WEIGHT-1M, plus X-MBX-ORDER-COUNT-* when `account` placed an order.
  void add_headers(net::server_response& response, timestamp now, std::optional<account_id> account) const;
  /// Binance's "rateLimits" entries (exchangeInfo, WebSocket API answers), with counts when
  /// `with_counts`.
  [[nodiscard]] std::string json_entries(timestamp now, std::optional<account_id> account, bool with_counts) const;

 private:
  limit_table table_;
  fixed_window_counter weight_;
  fixed_window_counter refusals_;  ///< 429s in the current weight window
  std::optional<timestamp> banned_until_;
  std::unordered_map<account_id, std::vector<fixed_window_counter>> orders_;
};

} // namespace tern::sim::binance
