#include "sim/binance/limits.hpp"

#include <limits>

namespace tern::sim::binance {

namespace {

using std::chrono::milliseconds;

limit_spec spec(std::string name, std::string suffix, std::string interval, int num, milliseconds length,
                std::int64_t limit) {
  return {std::move(name), std::move(suffix), std::move(interval), num, length, limit};
}

std::chrono::seconds round_up(milliseconds wait) {
  return std::chrono::seconds{(wait.count() + 999) / 1000};
}

std::string interval_text(const limit_spec& limit) {
  return std::to_string(limit.interval_num) + " " + limit.interval;
}

} // namespace

limit_table spot_limits() {
  limit_table table;
  table.request_weight = spec("REQUEST_WEIGHT_1M", "1M", "MINUTE", 1, milliseconds{60'000}, 6000);
  table.orders = {spec("ORDERS_10S", "10S", "SECOND", 10, milliseconds{10'000}, 100),
                  spec("ORDERS_1D", "1D", "DAY", 1, milliseconds{86'400'000}, 200'000)};
  return table;
}

limit_table futures_limits() {
  limit_table table;
  table.request_weight = spec("REQUEST_WEIGHT_1M", "1M", "MINUTE", 1, milliseconds{60'000}, 2400);
  table.orders = {spec("ORDERS_10S", "10S", "SECOND", 10, milliseconds{10'000}, 300),
                  spec("ORDERS_1M", "1M", "MINUTE", 1, milliseconds{60'000}, 1200)};
  return table;
}

expected<void, std::string> rate_limits::configure(limit_table table,
                                                   const std::map<std::string, std::int64_t>& overrides) {
  for (const auto& [name, value] : overrides) {
    if (value < 0) return unexpected{"rate limit " + name + " must not be negative"};
    bool known = false;
    if (name == table.request_weight.name) {
      table.request_weight.limit = value;
      known = true;
    }
    for (auto& order : table.orders)
      if (name == order.name) {
        order.limit = value;
        known = true;
      }
    if (name == "BAN_AFTER_429S") {
      table.ban_after = value;
      known = true;
    }
    if (name == "BAN_SECONDS") {
      table.ban_length = std::chrono::seconds{value};
      known = true;
    }
    if (!known) {
      std::string names = table.request_weight.name;
      for (const auto& order : table.orders) names += ", " + order.name;
      return unexpected{"unknown rate limit " + name + " (known: " + names + ", BAN_AFTER_429S, BAN_SECONDS)"};
    }
  }
  table_ = std::move(table);
  weight_ = fixed_window_counter{table_.request_weight.length, table_.request_weight.limit};
  refusals_ = fixed_window_counter{table_.request_weight.length, std::numeric_limits<std::int64_t>::max()};
  return {};
}

std::optional<api_error> rate_limits::admit(timestamp now, std::int64_t weight, std::chrono::seconds& retry_after) {
  if (banned_until_ && now < *banned_until_) {
    retry_after = round_up(std::chrono::duration_cast<milliseconds>(*banned_until_ - now));
    return api_error{418, -1003,
                     "Way too much request weight used; IP banned until " + std::to_string(to_unix_ms(*banned_until_)) +
                         ". Please use WebSocket Streams for live updates to avoid bans."};
  }
  if (weight_.fits(now, weight)) {
    weight_.add(now, weight);
    return std::nullopt;
  }
  refusals_.add(now, 1);
  retry_after = round_up(weight_.until_reset(now));
  if (table_.ban_after > 0 && refusals_.used(now) > table_.ban_after) {
    banned_until_ = now + table_.ban_length;
    retry_after = table_.ban_length;
    return api_error{418, -1003,
                     "Way too much request weight used; IP banned until " + std::to_string(to_unix_ms(*banned_until_)) +
                         ". Please use WebSocket Streams for live updates to avoid bans."};
  }
  return api_error{429, -1003,
                   "Too much request weight used; current limit is " + std::to_string(weight_.limit()) +
                       " request weight per " + interval_text(table_.request_weight) +
                       ". Please use WebSocket Streams for live updates to avoid polling the API."};
}

std::optional<api_error> rate_limits::admit_order(timestamp now, account_id account,
                                                  std::chrono::seconds& retry_after) {
  auto& counters = orders_[account];
  if (counters.empty())
    for (const auto& order : table_.orders) counters.emplace_back(order.length, order.limit);
  for (std::size_t i = 0; i < counters.size(); ++i) {
    if (!counters[i].fits(now, 1)) {
      retry_after = round_up(counters[i].until_reset(now));
      return api_error{429, -1015,
                       "Too many new orders; current limit is " + std::to_string(table_.orders[i].limit) +
                           " orders per " + interval_text(table_.orders[i]) + "."};
    }
  }
  for (auto& counter : counters) counter.add(now, 1);
  return std::nullopt;
}

std::int64_t rate_limits::order_count(timestamp now, account_id account) const {
  auto found = orders_.find(account);
  if (found == orders_.end() || found->second.empty()) return 0;
  return found->second.front().used(now);
}

void rate_limits::add_headers(net::server_response& response, timestamp now, std::optional<account_id> account) const {
  response.headers.emplace_back("X-MBX-USED-WEIGHT-" + table_.request_weight.suffix,
                                std::to_string(weight_.used(now)));
  if (!account) return;
  auto found = orders_.find(*account);
  for (std::size_t i = 0; i < table_.orders.size(); ++i) {
    std::int64_t count = found == orders_.end() || found->second.size() <= i ? 0 : found->second[i].used(now);
    response.headers.emplace_back("X-MBX-ORDER-COUNT-" + table_.orders[i].suffix, std::to_string(count));
  }
}

std::string rate_limits::json_entries(timestamp now, std::optional<account_id> account, bool with_counts) const {
  auto entry = [&](const char* type, const limit_spec& limit, std::int64_t count) {
    std::string text = R"({"rateLimitType":")" + std::string{type} + R"(","interval":")" + limit.interval +
                       R"(","intervalNum":)" + std::to_string(limit.interval_num) +
                       R"(,"limit":)" + std::to_string(limit.limit);
    if (with_counts) text += R"(,"count":)" + std::to_string(count);
    return text + "}";
  };
  std::string out = "[" + entry("REQUEST_WEIGHT", table_.request_weight, weight_.used(now));
  auto found = account ? orders_.find(*account) : orders_.end();
  for (std::size_t i = 0; i < table_.orders.size(); ++i) {
    std::int64_t count = found == orders_.end() || found->second.size() <= i ? 0 : found->second[i].used(now);
    out += "," + entry("ORDERS", table_.orders[i], count);
  }
  return out + "]";
}

} // namespace tern::sim::binance
