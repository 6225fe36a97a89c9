#pragma once

// OKX instruments -> Tern instruments, trading rules and the symbol map (§A3), from
// GET /api/v5/public/instruments (#public-data-rest-api-get-instruments).
//
// Spot: instId "BTC-USDT", pair baseCcy-quoteCcy; tickSz, lotSz, minSz and maxLmtSz are prices
// and base amounts as they are.
// Swap: instId "BTC-USDT-SWAP"; only linear contracts (ctType "linear", margined and settled in
// the quote asset) are Tern markets, the pair being ctValCcy-settleCcy. Sizes are in contracts
// of ctVal base each, so the rules in base amounts are lotSz x ctVal (step), minSz x ctVal and
// maxLmtSz x ctVal, and the symbol map records ctVal as the symbol's contract size: every swap
// amount the connector sends or reads goes through it.
// A market is kept when its state is "live" (every order type) or "post_only" (swaps: post-only
// orders only); "suspend", "preopen", "test", "rebase" markets and inverse contracts are left out
// silently. An entry that cannot be read is skipped with a reason, never fatal.

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "connectors/common/protocol_types.hpp"
#include "connectors/okx/constants.hpp"
#include "core/expected.hpp"
#include "core/trading_pair.hpp"

namespace tern::okx {

/// Reads the "data" array of an instruments response. Fails only when it is not an array.
[[nodiscard]] expected<instrument_list, std::string> read_instruments(const nlohmann::json& data,
                                                                      venue api,
                                                                      std::string_view account);

/// OKX's symbol for a pair: "BTC-USDT" (spot), "BTC-USDT-SWAP" (swap).
[[nodiscard]] std::string symbol_for(const trading_pair& pair, venue api);

} // namespace tern::okx
