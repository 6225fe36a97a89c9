#include "config/connectors.hpp"

#include <array>

namespace tern::config {

namespace {

constexpr std::array<connector_info, 4> connectors = {{
    {"binance", market_kind::spot, false},
    {"binance_perpetual", market_kind::perpetual, false},
    {"okx", market_kind::spot, true},
    {"okx_perpetual", market_kind::perpetual, true},
}};

} // namespace

std::span<const connector_info> known_connectors() noexcept { return connectors; }

const connector_info* find_connector(std::string_view name) noexcept {
  for (const auto& info : connectors)
    if (info.name == name) return &info;
  return nullptr;
}

} // namespace tern::config
