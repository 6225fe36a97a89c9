#include "net/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace tern::net {

namespace {

rate_limit_error table_error(std::string message) {
  return {rate_limit_error::kind::invalid_table, std::move(message)};
}

std::uint32_t scale_capacity(std::uint32_t capacity, double share_percent) {
  // The epsilon keeps e.g. 6000 * 33.3 % from flooring one unit low through binary rounding.
  const double scaled = std::floor(static_cast<double>(capacity) * share_percent / 100.0 + 1e-9);
  return std::max<std::uint32_t>(1U, static_cast<std::uint32_t>(scaled));
}

} // namespace

expected<rate_limiter, rate_limit_error> rate_limiter::create(const rate_limit_table& table,
                                                              double share_percent) {
  if (!(share_percent > 0.0 && share_percent <= 100.0))
    return unexpected{rate_limit_error{rate_limit_error::kind::invalid_share,
                                       "rate limit share must be in (0, 100] percent, got " +
                                           std::to_string(share_percent)}};
  rate_limiter limiter;
  auto add_pool = [&](const std::string& id, std::uint32_t capacity,
                      std::chrono::nanoseconds interval) -> expected<void, rate_limit_error> {
    if (id.empty()) return unexpected{table_error("rate limit pool with an empty id")};
    if (capacity == 0) return unexpected{table_error("rate limit '" + id + "' has capacity 0")};
    if (interval <= std::chrono::nanoseconds::zero())
      return unexpected{table_error("rate limit '" + id + "' has a non-positive interval")};
    if (limiter.pool_index_.count(id) != 0)
      return unexpected{table_error("rate limit id '" + id + "' is defined twice")};
    limiter.pool_index_.emplace(id, limiter.pools_.size());
    limiter.pools_.push_back(pool_state{scale_capacity(capacity, share_percent), interval, {}, 0});
    return {};
  };
  for (const auto& pool : table.pools)
    if (auto added = add_pool(pool.id, pool.capacity, pool.interval); !added)
      return unexpected{added.error()};
  for (const auto& endpoint : table.endpoints)
    if (endpoint.capacity != 0)
      if (auto added = add_pool(endpoint.id, endpoint.capacity, endpoint.interval); !added)
        return unexpected{added.error()};

  for (const auto& endpoint : table.endpoints) {
    if (endpoint.id.empty()) return unexpected{table_error("rate limit endpoint with an empty id")};
    if (limiter.endpoints_.count(endpoint.id) != 0)
      return unexpected{table_error("rate limit endpoint '" + endpoint.id + "' is defined twice")};
    auto costs = limiter.costs_of(endpoint);
    if (!costs) return unexpected{costs.error()};
    limiter.endpoints_.emplace(endpoint.id, std::move(costs).value());
  }
  return limiter;
}

expected<std::vector<rate_limiter::cost>, rate_limit_error> rate_limiter::costs_of(
    const rate_limit_endpoint& endpoint) const {
  std::vector<linked_weight> draws = endpoint.linked;
  if (endpoint.capacity != 0) draws.push_back({endpoint.id, endpoint.weight});
  if (draws.empty())
    return unexpected{table_error("rate limit endpoint '" + endpoint.id + "' draws on no pool")};
  std::vector<cost> costs;
  for (const auto& draw : draws) {
    const auto found = pool_index_.find(draw.pool_id);
    if (found == pool_index_.end())
      return unexpected{table_error("rate limit endpoint '" + endpoint.id +
                                    "' links unknown pool '" + draw.pool_id + "'")};
    if (draw.weight == 0)
      return unexpected{table_error("rate limit endpoint '" + endpoint.id +
                                    "' has weight 0 on pool '" + draw.pool_id + "'")};
    // The same pool named twice draws the sum of both weights.
    auto same = std::find_if(costs.begin(), costs.end(),
                             [&](const cost& c) { return c.pool == found->second; });
    if (same != costs.end()) same->weight += draw.weight;
    else costs.push_back({found->second, draw.weight});
  }
  for (const auto& c : costs)
    if (c.weight > pools_[c.pool].capacity)
      return unexpected{table_error(
          "rate limit endpoint '" + endpoint.id + "' needs weight " + std::to_string(c.weight) +
          " but its pool allows only " + std::to_string(pools_[c.pool].capacity) +
          " after the share is applied, so it could never be sent")};
  return costs;
}

void rate_limiter::expire(pool_state& pool, limiter_clock::time_point now) {
  // A grant at `at` counts in every window (t - interval, t] with t < at + interval.
  while (!pool.log.empty() && pool.log.front().at + pool.interval <= now) {
    pool.logged_weight -= pool.log.front().weight;
    pool.log.pop_front();
  }
}

std::chrono::nanoseconds rate_limiter::wait_until_fits(const pool_state& pool,
                                                       std::uint32_t weight,
                                                       limiter_clock::time_point now) {
  const std::uint64_t excess = pool.logged_weight + weight - pool.capacity;
  std::uint64_t released = 0;
  for (const auto& entry : pool.log) {
    released += entry.weight;
    if (released >= excess) return entry.at + pool.interval - now;
  }
  return pool.interval; // unreachable for a validated weight; a safe upper bound anyway
}

expected<acquire_decision, rate_limit_error> rate_limiter::try_acquire(
    std::string_view endpoint_id, limiter_clock::time_point now) {
  const auto endpoint = endpoints_.find(endpoint_id);
  if (endpoint == endpoints_.end())
    return unexpected{rate_limit_error{rate_limit_error::kind::unknown_endpoint,
                                       "no rate limit is defined for endpoint '" +
                                           std::string{endpoint_id} + "'"}};
  now = std::max(now, last_now_);
  last_now_ = now;

  std::chrono::nanoseconds wait{};
  for (const auto& c : endpoint->second) {
    auto& pool = pools_[c.pool];
    expire(pool, now);
    if (pool.logged_weight + c.weight > pool.capacity)
      wait = std::max(wait, wait_until_fits(pool, c.weight, now));
  }
  if (wait > std::chrono::nanoseconds::zero()) return acquire_decision{false, wait};

  // All or nothing: only now that every pool has room is anything recorded.
  for (const auto& c : endpoint->second) {
    auto& pool = pools_[c.pool];
    if (!pool.log.empty() && pool.log.back().at == now) pool.log.back().weight += c.weight;
    else pool.log.push_back({now, c.weight});
    pool.logged_weight += c.weight;
  }
  return acquire_decision{true, {}};
}

std::uint32_t rate_limiter::capacity(std::string_view pool_id) const {
  const auto found = pool_index_.find(pool_id);
  return found == pool_index_.end() ? 0U : pools_[found->second].capacity;
}

std::uint64_t rate_limiter::used(std::string_view pool_id, limiter_clock::time_point now) const {
  const auto found = pool_index_.find(pool_id);
  if (found == pool_index_.end()) return 0;
  const auto& pool = pools_[found->second];
  std::uint64_t total = 0;
  for (const auto& entry : pool.log)
    if (entry.at + pool.interval > now) total += entry.weight;
  return total;
}

expected<std::shared_ptr<shared_rate_limiter>, rate_limit_error> shared_rate_limiter::create(
    const rate_limit_table& table, double share_percent) {
  auto limiter = rate_limiter::create(table, share_percent);
  if (!limiter) return unexpected{limiter.error()};
  return std::make_shared<shared_rate_limiter>(std::move(limiter).value());
}

expected<acquire_decision, rate_limit_error> shared_rate_limiter::try_acquire(
    std::string_view endpoint_id, limiter_clock::time_point now) {
  std::lock_guard lock{mutex_};
  return limiter_.try_acquire(endpoint_id, now);
}

std::uint64_t shared_rate_limiter::used(std::string_view pool_id,
                                        limiter_clock::time_point now) const {
  std::lock_guard lock{mutex_};
  return limiter_.used(pool_id, now);
}

} // namespace tern::net
