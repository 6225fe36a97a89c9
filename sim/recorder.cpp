#include "sim/recorder.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace tern::sim {

nlohmann::json to_json(const request_record& record) {
  return {{"sequence", record.sequence},
          {"time_ms", to_unix_ms(record.time)},
          {"exchange", record.exchange},
          {"transport", record.transport},
          {"method", record.method},
          {"path", record.path},
          {"connection", record.connection},
          {"api_key", record.api_key},
          {"weight", record.weight},
          {"used_weight", record.used_weight},
          {"weight_limit", record.weight_limit},
          {"order_count", record.order_count},
          {"new_order", record.new_order},
          {"symbol", record.symbol},
          {"client_order_id", record.client_order_id},
          {"order_id", record.order_id},
          {"status", record.status},
          {"code", record.code},
          {"executed", record.executed},
          {"fault", record.fault}};
}

std::uint64_t recorder::add(request_record record) {
  std::lock_guard lock{mutex_};
  record.sequence = next_++;
  records_.push_back(std::move(record));
  return records_.back().sequence;
}

std::vector<request_record> recorder::since(std::uint64_t after) const {
  std::lock_guard lock{mutex_};
  auto first = std::partition_point(records_.begin(), records_.end(),
                                    [&](const request_record& r) { return r.sequence <= after; });
  return {first, records_.end()};
}

std::size_t recorder::size() const {
  std::lock_guard lock{mutex_};
  return records_.size();
}

void recorder::clear() {
  std::lock_guard lock{mutex_};
  records_.clear();
}

std::map<std::string, std::int64_t> recorder::max_used_weight() const {
  std::lock_guard lock{mutex_};
  std::map<std::string, std::int64_t> highest;
  for (const auto& r : records_) {
    auto& value = highest[r.exchange];
    value = std::max(value, r.used_weight);
  }
  return highest;
}

std::map<std::string, int> recorder::new_orders_by_client_id() const {
  std::lock_guard lock{mutex_};
  std::map<std::string, int> counts;
  for (const auto& r : records_)
    if (r.new_order && !r.client_order_id.empty()) ++counts[r.exchange + " " + r.client_order_id];
  return counts;
}

std::size_t recorder::count_status(unsigned status) const {
  std::lock_guard lock{mutex_};
  return static_cast<std::size_t>(std::count_if(records_.begin(), records_.end(),
                                                [&](const request_record& r) { return r.status == status; }));
}

} // namespace tern::sim
