#pragma once

// The order tracker of one account ("orders"): a thin actor around core/order_tracker and the
// order journal. Every tracker result is written to the journal BEFORE its notices go out or
// its polls are sent, so a crash after any step leaves the journal ahead of the world.
//
// On every start it opens the journal, restores the account's open orders from it, loads the
// balances (and positions) and reconciles with the exchange: open orders per market (unknown
// ones adopted, missing ones counted not-found, §A6) and the trades since the oldest open
// order. While running it polls the orders core/order_tracker asks about (unknown placement
// outcomes, overdue acks and cancels, lost orders) every status_poll, and reconciles again
// every quiet_poll while the user stream is quiet and live_poll while it is live (§A2).
//
// Messages (local to the account; see actors/account_messages.hpp):
// - (record_atom, order_record_request) -> std::string: checks the budget (§A16) and records
//   the intent in the journal; the answer is empty when the order may be sent, else why not.
// - place_outcome, cancel_outcome: what the exchange actor learnt.
// - (cancelling_atom, client id) -> std::string: marks a cancel as sent; answers the order's
//   pair, or "" when the order is unknown or already final (nothing to send).
// - private_batch: events of the user stream. (streamup_atom): the stream (re)connected —
//   reconcile, to recover what was missed while it was down.
// - (reconcile_atom): reconcile now (its after_restart hook sends this).
// - (balances_atom) -> std::vector<balance>, (positions_atom) -> std::vector<position>,
//   (orders_atom) -> std::vector<order_notice>: the account as the tracker knows it.

#include <caf/fwd.hpp>

#include "actors/account_context.hpp"
#include "supervision/child.hpp"

namespace tern {

[[nodiscard]] caf::actor spawn_order_tracker(caf::actor_system& system,
                                             account_context_ptr context,
                                             const supervision::child_context& child);

} // namespace tern
