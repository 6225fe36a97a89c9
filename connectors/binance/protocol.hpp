#pragma once

// The Binance connectors: "binance" (spot, api.binance.com/api/v3) and "binance_perpetual"
// (USD-M perpetuals, fapi.binance.com/fapi), both implementing exchange_protocol. Everything
// the two share (signing, errors, most parsing, book sync) lives once in this folder; the
// classes in protocol.cpp hold only what differs: paths and weights (constants.hpp), order
// parameters, the user stream (WS API signature vs listen key), and the perpetual calls.

#include <memory>

#include "connectors/binance/constants.hpp"
#include "connectors/common/exchange_protocol.hpp"

namespace tern::binance {

/// The default endpoints of a venue in an environment (constants.hpp).
[[nodiscard]] endpoints default_endpoints(venue api, environment env);

/// The rate-limit table of a venue (constants.hpp pools and endpoint weights, §A12).
[[nodiscard]] net::rate_limit_table rate_limit_table_for(venue api);

[[nodiscard]] std::unique_ptr<exchange_protocol> make_spot_protocol(const protocol_options& options);
[[nodiscard]] std::unique_ptr<exchange_protocol> make_usd_m_protocol(const protocol_options& options);

} // namespace tern::binance
