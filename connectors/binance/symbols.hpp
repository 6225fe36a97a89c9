#pragma once

// Binance exchangeInfo -> instruments, trading rules and the symbol map (§A3).
//
// Spot (rest-api.md "Exchange information", filters.md): a market is kept when its status is
// TRADING and spot trading is allowed (isSpotTradingAllowed, or SPOT in permissionSets).
// USD-M ("Exchange Information"): status TRADING and contractType PERPETUAL.
// Rules: PRICE_FILTER tickSize; LOT_SIZE minQty, maxQty, stepSize; minimum notional from
// NOTIONAL or MIN_NOTIONAL (spot "minNotional", USD-M "notional"); order types from
// orderTypes (post-only: spot LIMIT_MAKER, USD-M timeInForce GTX). A market whose entry cannot
// be read is skipped with a reason, never fatal.

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "connectors/binance/constants.hpp"
#include "connectors/common/protocol_types.hpp"
#include "core/expected.hpp"
#include "core/trading_pair.hpp"

namespace tern::binance {

/// Reads an exchangeInfo document. Fails only when the document itself is unusable (no
/// "symbols" array); single markets that cannot be read land in `skipped`.
[[nodiscard]] expected<instrument_list, std::string> read_exchange_info(
    const nlohmann::json& document, venue api, std::string_view account);

/// Binance's symbol for a pair: base and quote run together, "BTC-USDT" -> "BTCUSDT".
[[nodiscard]] std::string symbol_for(const trading_pair& pair);

} // namespace tern::binance
