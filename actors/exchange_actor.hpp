#pragma once

// The exchange API of one account ("exchange"): what strategies talk to, locally or from
// another node, with the types of actors/trading_messages.hpp.
//
// - (place_atom, order_intent) -> place_reply: validated and quantized against the market's
//   rules, named (client order id), budget-checked and journalled by the tracker, and only
//   then sent. The reply comes once the intent is on disk, before the exchange answers; what
//   the exchange says arrives as order notices. A refusal names why and nothing is sent.
// - (cancel_atom, client id) -> command_reply: after the exchange's answer; an order the
//   tracker does not know (or already final) is refused without a request.
// - (cancel_all_atom, pair) -> command_reply: every open order of the market.
// - (subscribe_atom) -> command_reply: the sender gets every order_notice of the account;
//   (unsubscribe_atom) stops them.
// - (balances_atom) -> std::vector<balance>, (positions_atom) -> std::vector<position>,
//   (orders_atom) -> std::vector<order_notice>: from the tracker.
// - (rules_atom, pair) -> instrument; (leverage_atom, pair, int32) and
//   (posmode_atom, position_mode) -> command_reply (perpetuals); position_mode is also read
//   from the exchange at start, and perpetual orders wait for it (hedge mode names the side).
// - (funding_atom, pair) -> funding_info; (fundpaid_atom, pair, since unix ms) ->
//   std::vector<funding_payment>, oldest first (perpetuals; REST each time).
//
// An ambiguous placement (timeout, 5xx, disconnect, 429 after sending) is reported to the
// tracker as unknown: the order stays in flight until the stream or a status poll settles it.
// Nothing is ever resent.

#include <caf/fwd.hpp>

#include "actors/account_context.hpp"
#include "supervision/child.hpp"

namespace tern {

[[nodiscard]] caf::actor spawn_exchange(caf::actor_system& system, account_context_ptr context,
                                        const supervision::child_context& child);

} // namespace tern
