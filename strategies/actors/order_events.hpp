#pragma once

// How an exchange account's order notices (actors/trading_messages.hpp) read to a strategy
// (strategies/types.hpp). Pure: no CAF, tested on its own.

#include <string>
#include <vector>

#include "actors/trading_messages.hpp"
#include "strategies/strategy.hpp"
#include "strategies/types.hpp"

namespace tern::strategy_actors {

/// True for the notices after which the tracker sends nothing more about the order.
[[nodiscard]] bool ends_order(order_notice_kind kind) noexcept;

/// The strategy's events for one notice about its order `id`. A notice carries the order's
/// state after the tracker's whole batch (an IOC order's `created` may already say `filled`),
/// so each kind gives the state its own event means: `created` → open, each fill of `filled`
/// → partially filled or (once the fills cover the amount) filled, `completed` → filled,
/// `cancelled` / `failed` as they say; a `state` or `recovered` notice passes a state that is
/// not final; `adopted` gives nothing.
[[nodiscard]] std::vector<strategies::order_event> events_of(const order_notice& notice,
                                                             const std::string& id);

/// True when `notice` can be about the order `intent` asked for: same pair, side and amount,
/// and for a limit order the same price. Finds an order whose placement went unanswered (the
/// intent is quantized by the strategy already, so the exchange actor keeps its numbers).
[[nodiscard]] bool same_order(const order_intent& intent, const order_notice& notice);

/// The strategy's view of an order on `account` that a former incarnation placed, from the
/// tracker's notice, under the strategy id `id`. The notice's pair must parse.
[[nodiscard]] strategies::tracked_order adopted_order(const std::string& account,
                                                      const order_notice& notice,
                                                      const std::string& id);

} // namespace tern::strategy_actors
