#pragma once

// Every connector Tern has, by Hummingbot's connector name. Adding an exchange is one entry in
// registry.cpp (docs/connectors/writing-a-connector.md).

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "connectors/common/exchange_protocol.hpp"
#include "core/expected.hpp"

namespace tern {

/// The connector names make_protocol knows, e.g. "binance", "binance_perpetual".
[[nodiscard]] std::span<const std::string_view> protocol_names() noexcept;

/// The protocol of connector `name`, or an error naming the known connectors.
[[nodiscard]] expected<std::unique_ptr<exchange_protocol>, std::string> make_protocol(
    std::string_view name, const protocol_options& options = {});

} // namespace tern
