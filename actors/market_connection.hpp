#pragma once

// The public connection of an account ("connection"): the WebSocket connections the connector's
// plan asks for (exchange_protocol::public_streams: one, or two where the exchange splits its
// streams), their subscriptions, and the routing of parsed frames to the book actor of each
// pair. Parsing happens here, once per frame, with the connector's public_stream_parser.
//
//   waiting_for_rules ──markets loaded──► connecting ──every subscription acknowledged──► live
//          live ──a socket closed──► connecting (degraded: "public stream down"; books told)
//
// Messages it handles:
// - (subscribe_atom, pair) from a book actor: route that pair's frames to the sender; it is
//   told at once whether the stream is up (stream_status).
// - (resync_atom, pair): for books the stream itself snapshots (OKX), resubscribe the pair.
// - socket_event: its own connections.

#include <caf/fwd.hpp>

#include "actors/account_context.hpp"
#include "supervision/child.hpp"

namespace tern {

[[nodiscard]] caf::actor spawn_market_connection(caf::actor_system& system,
                                                 account_context_ptr context,
                                                 const supervision::child_context& child);

} // namespace tern
