#pragma once

// The private stream of one account ("user_stream"): opens it the way the connector's plan
// says (a listen key fetched over REST and kept alive, or a signed subscription on the
// WebSocket API, or a login), reads its frames with the connector's parser and hands the
// events to the order tracker as private_batch messages, in frame order.
//
//   connecting ──open + acknowledged──► live (ready) ──close, expiry──► down (degraded)
//        ▲                                                                   │
//        └──────────────── retry_delay, a fresh token or signature ─────────┘
//
// Every (re)connection is new: a new listen key request (Binance returns the live key,
// extended) or a newly signed subscription, so an expired key or a stale signature never
// blocks the way back. Once live it tells the tracker (streamup_atom), which reconciles with
// REST to recover whatever happened while the stream was down.

#include <caf/fwd.hpp>

#include "actors/account_context.hpp"
#include "supervision/child.hpp"

namespace tern {

[[nodiscard]] caf::actor spawn_user_stream(caf::actor_system& system, account_context_ptr context,
                                           const supervision::child_context& child);

} // namespace tern
