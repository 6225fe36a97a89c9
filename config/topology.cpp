#include "config/topology.hpp"

#include <algorithm>

namespace tern::config {

const node_config* topology::find_node(std::string_view name) const noexcept {
  auto it = std::find_if(nodes.begin(), nodes.end(), [&](const node_config& n) { return n.name == name; });
  return it == nodes.end() ? nullptr : &*it;
}

const exchange_config* topology::find_exchange(std::string_view name) const noexcept {
  auto it = std::find_if(exchanges.begin(), exchanges.end(), [&](const exchange_config& e) { return e.name == name; });
  return it == exchanges.end() ? nullptr : &*it;
}

std::size_t topology::market_count() const noexcept {
  std::size_t count = 0;
  for (const auto& exchange : exchanges) count += exchange.markets.size();
  return count;
}

std::string_view to_string(restart_strategy value) noexcept {
  switch (value) {
    case restart_strategy::one_for_one: return "one_for_one";
    case restart_strategy::one_for_all: return "one_for_all";
    case restart_strategy::rest_for_one: return "rest_for_one";
  }
  return "unknown";
}

std::string_view to_string(log_level value) noexcept {
  switch (value) {
    case log_level::trace: return "trace";
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warn: return "warn";
    case log_level::error: return "error";
    case log_level::critical: return "critical";
    case log_level::off: return "off";
  }
  return "unknown";
}

namespace {

std::string count_of(std::size_t count, std::string_view singular, std::string_view plural) {
  return std::to_string(count) + " " + std::string{count == 1 ? singular : plural};
}

} // namespace

std::string summary(const topology& value) {
  return count_of(value.nodes.size(), "node", "nodes") + ", " +
         count_of(value.exchanges.size(), "exchange", "exchanges") + ", " +
         count_of(value.market_count(), "market", "markets") + ", " +
         count_of(value.strategies.size(), "strategy", "strategies") +
         (value.simulator ? ", " + count_of(value.simulator->exchanges.size(), "simulated exchange",
                                            "simulated exchanges")
                          : std::string{});
}

} // namespace tern::config
