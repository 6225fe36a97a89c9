#pragma once

// Weighted rate limits with linked pools (hummingbot's RateLimit table, see
// reference/exchanges.md §A12), written as pure logic: the caller passes the time in.
//
// Algorithm: an exact sliding log per pool. A request at time t is granted only if, for every
// pool it draws on, the weight granted in (t - interval, t] plus its own weight fits the
// capacity. Because grants are checked in time order, this guarantees the property exchanges
// meter: within ANY window of length `interval`, the granted weight never exceeds the
// capacity. A GCRA or token bucket with burst = capacity does not: it lets a full burst
// through, then refills continuously, so one window can see almost twice the capacity.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/expected.hpp"

namespace tern::net {

/// The limiter's clock domain: monotonic, so a wall-clock step never frees capacity early.
using limiter_clock = std::chrono::steady_clock;

/// A named pool: at most `capacity` weight in any window of `interval`.
struct rate_limit_pool {
  std::string id;
  std::uint32_t capacity = 0;
  std::chrono::nanoseconds interval{};
};

/// Weight an endpoint draws from another pool (e.g. 20 from "REQUEST_WEIGHT").
struct linked_weight {
  std::string pool_id;
  std::uint32_t weight = 1;
};

/// A request kind callers name in `try_acquire`. It may have its own limit (a pool with the
/// endpoint's id, drawn from with `weight`) and draws from each linked pool.
struct rate_limit_endpoint {
  std::string id;
  std::uint32_t capacity = 0; ///< own limit; 0 means the endpoint has no pool of its own
  std::chrono::nanoseconds interval{};
  std::uint32_t weight = 1; ///< drawn from the own pool
  std::vector<linked_weight> linked;
};

/// An exchange's declared limits: pools plus the endpoints that draw on them.
struct rate_limit_table {
  std::vector<rate_limit_pool> pools;
  std::vector<rate_limit_endpoint> endpoints;
};

/// Why a table or a request is unusable; `message` names the id at fault.
struct rate_limit_error {
  enum class kind : std::uint8_t { invalid_table, invalid_share, unknown_endpoint };
  kind what;
  std::string message;
};

/// The answer to `try_acquire`: either granted now, or how long until it would fit.
struct acquire_decision {
  bool granted = false;
  /// Zero when granted. Otherwise the earliest wait after which every pool has room, if no
  /// other request is granted in between (so callers retry then, never earlier).
  std::chrono::nanoseconds wait{};
};

/// A sliding-log limiter over one table. Not thread-safe; see `shared_rate_limiter`.
class rate_limiter {
 public:
  /// Validates the table (unique ids, positive capacities and intervals, known linked pools,
  /// every weight fits its pool after scaling) and scales every capacity to
  /// `max(1, floor(capacity * share_percent / 100))` so several bots can share an account.
  static expected<rate_limiter, rate_limit_error> create(const rate_limit_table& table,
                                                         double share_percent = 100.0);

  /// Grants `endpoint_id` at `now` and records its weight in every pool it draws on, or
  /// consumes nothing and says how long to wait. `now` earlier than a previous call is
  /// treated as that call's time, so a misbehaving clock cannot reopen a window.
  expected<acquire_decision, rate_limit_error> try_acquire(std::string_view endpoint_id,
                                                           limiter_clock::time_point now);

  /// The scaled capacity of a pool or endpoint's own pool, 0 if unknown.
  [[nodiscard]] std::uint32_t capacity(std::string_view pool_id) const;
  /// Weight granted in (now - interval, now] for a pool, 0 if unknown. Does not mutate.
  [[nodiscard]] std::uint64_t used(std::string_view pool_id, limiter_clock::time_point now) const;

 private:
  struct grant {
    limiter_clock::time_point at;
    std::uint32_t weight;
  };
  struct pool_state {
    std::uint32_t capacity;
    std::chrono::nanoseconds interval;
    std::deque<grant> log; ///< oldest first
    std::uint64_t logged_weight = 0;
  };
  struct cost {
    std::size_t pool;
    std::uint32_t weight;
  };

  /// Lets the maps be searched with a string_view without building a std::string.
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };
  template <class T>
  using string_map = std::unordered_map<std::string, T, string_hash, std::equal_to<>>;

  rate_limiter() = default;
  /// Resolves an endpoint's own and linked pools into indices, validating weights.
  [[nodiscard]] expected<std::vector<cost>, rate_limit_error> costs_of(
      const rate_limit_endpoint& endpoint) const;
  static void expire(pool_state& pool, limiter_clock::time_point now);
  static std::chrono::nanoseconds wait_until_fits(const pool_state& pool, std::uint32_t weight,
                                                  limiter_clock::time_point now);

  std::vector<pool_state> pools_;
  string_map<std::size_t> pool_index_;
  string_map<std::vector<cost>> endpoints_;
  limiter_clock::time_point last_now_{};
};

/// A limiter shared by every client of one scope (an IP, an account): a mutex around
/// `rate_limiter`. Hold it through `std::shared_ptr`; all members are thread-safe.
class shared_rate_limiter {
 public:
  static expected<std::shared_ptr<shared_rate_limiter>, rate_limit_error> create(
      const rate_limit_table& table, double share_percent = 100.0);

  expected<acquire_decision, rate_limit_error> try_acquire(std::string_view endpoint_id,
                                                           limiter_clock::time_point now);
  [[nodiscard]] std::uint64_t used(std::string_view pool_id, limiter_clock::time_point now) const;

  explicit shared_rate_limiter(rate_limiter limiter) : limiter_(std::move(limiter)) {}

 private:
  mutable std::mutex mutex_;
  rate_limiter limiter_;
};

} // namespace tern::net
