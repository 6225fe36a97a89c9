#pragma once

// The exchange connectors a config may name, and what the config needs to know about each.
// A new connector is one line in connectors.cpp.

#include <optional>
#include <span>
#include <string_view>

#include "core/types.hpp"

namespace tern::config {

struct connector_info {
  std::string_view name;   ///< Hummingbot's connector name, e.g. "binance_perpetual"
  market_kind kind;        ///< the name decides spot or perpetual
  bool needs_passphrase;   ///< OKX API keys come with a passphrase
};

[[nodiscard]] std::span<const connector_info> known_connectors() noexcept;
[[nodiscard]] const connector_info* find_connector(std::string_view name) noexcept;

} // namespace tern::config
