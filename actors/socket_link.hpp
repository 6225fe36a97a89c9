#pragma once

// Connects a WebSocket client to the actor that owns it: every open, frame and close becomes a
// socket_event message to the actor (callbacks run on io threads and touch nothing else). The
// callbacks hold the actor weakly, so a client outliving its actor for a moment sends nowhere.

#include <cstddef>
#include <cstdint>
#include <memory>

#include <caf/fwd.hpp>

#include "actors/account_context.hpp"
#include "net/websocket_client.hpp"

namespace tern {

/// A started client for `url` with the account's TLS trust, reporting to `self` as socket
/// `socket`, incarnation `generation`. `options` may set heartbeats and timeouts; its url and
/// tls are filled here.
[[nodiscard]] std::unique_ptr<net::websocket_client> open_socket(
    caf::event_based_actor* self, const account_context& context,
    net::websocket_client_options options, std::size_t socket, std::uint64_t generation);

} // namespace tern
