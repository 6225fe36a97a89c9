#pragma once

// The OKX connectors: "okx" (spot, instType SPOT) and "okx_perpetual" (perpetual swaps,
// instType SWAP), both implementing exchange_protocol over the one OKX v5 API. Everything the
// two share (signing, errors, parsing, the book stream, the login stream) lives once in this
// folder; the classes in protocol.cpp hold only what differs: the instrument type, order
// parameters (tdMode, contracts), and the perpetual calls.

#include <memory>

#include "connectors/common/exchange_protocol.hpp"
#include "connectors/okx/constants.hpp"

namespace tern::okx {

/// The default endpoints in an environment (testnet is OKX demo trading).
[[nodiscard]] endpoints default_endpoints(environment env);

/// The rate-limit table: one pool per endpoint, N requests per 2 s (constants.hpp).
[[nodiscard]] net::rate_limit_table rate_limit_table();

[[nodiscard]] std::unique_ptr<exchange_protocol> make_spot_protocol(const protocol_options& options);
[[nodiscard]] std::unique_ptr<exchange_protocol> make_swap_protocol(const protocol_options& options);

} // namespace tern::okx
