#pragma once

// The order book of one market ("book.<PAIR>"): keeps an L2 book in step with the exchange by
// the connector's book-sync rule and pushes changes to subscribers.
//
//   waiting_for_snapshot ──snapshot + bridging diff──► synced
//          ▲                                              │ gap, bad checksum, broken book,
//          └──────── resyncing (degraded, reason) ◄───────┘ stream down
//
// rest_snapshot_sequenced_diffs (Binance): diffs are buffered from the stream, a REST snapshot
// is fetched once the first one is in, and sequenced_book_sync bridges them; any gap fetches a
// new snapshot. ws_snapshot_then_deltas (OKX): the stream's own snapshot starts the book; a
// gap or checksum mismatch asks the connection to resubscribe the pair, which sends a fresh one.
// Until it is back in sync the market is reported degraded, naming the reason.
// The book monitors the connection it registered with: when that connection ends (restarted
// alone, or together with the book, when the directory may still name the dead incarnation)
// the book counts its stream as down and registers again with the next incarnation.
//
// Messages it handles:
// - (subscribe_atom, pair): the sender gets top_of_book on every change of the best levels,
//   and trades and funding info of the pair; (subscribe_atom, pair, levels) also a
//   book_snapshot of the best `levels` a side (at most the account's depth_levels) on every
//   change. (unsubscribe_atom, pair) stops both. Subscriptions survive a restart of the book.
// - (snapshot_atom, pair) -> book_snapshot: the book now (an error while not in sync).
// - (resync_atom): drop the book and synchronise afresh (its after_restart hook sends this).
// - book_feed, stream_status, top_of_book, trade, funding_info: from the connection.

#include <string>

#include <caf/fwd.hpp>

#include "actors/account_context.hpp"
#include "supervision/child.hpp"

namespace tern {

[[nodiscard]] caf::actor spawn_book(caf::actor_system& system, account_context_ptr context,
                                    std::string pair, const supervision::child_context& child);

/// The subscriber list key of depth subscribers of `pair` (the plain pair holds top-of-book
/// subscribers).
[[nodiscard]] std::string depth_subscribers_key(const std::string& pair);

} // namespace tern
