#pragma once

// The directory of one node: the actor each node publishes on its host:port. It resolves
// component names to actor handles, local or remote, and keeps the node's links to its peers.
//
// Names: "<exchange>/exchange" (the connection), "<exchange>/<BASE-QUOTE>/book",
// "<exchange>/orders", "strategy/<name>". A component registers its own name with
// (register_atom, name, self) when it starts; the directory forgets it when it exits.
// (lookup_atom, name) -> caf::actor answers from the local table when the topology places
// the name on this node, and otherwise asks the hosting node's directory, within
// lookup_timeout. A name on a node that is not linked is an error naming that node, so the
// asking component can report degraded and try again.
//
// Links: of each pair of nodes, the one whose name sorts first dials the other (CAF openssl
// module with mutual TLS, or plain BASP where the config allows), at start and whenever the
// link is lost or refused, with exponential backoff; the other waits for its hello. (When
// both dialed, CAF closed one of the two connections and the link flapped.) A link is
// accepted once both sides' hello (messages.hpp) match. Peer states go to `on_peers` on every change and after each latency ping.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/actor.hpp>
#include <caf/error.hpp>
#include <caf/fwd.hpp>

#include "cluster/messages.hpp"
#include "cluster/peers.hpp"
#include "config/topology.hpp"

namespace tern::cluster {

struct peer_address {
  std::string name;
  std::string host;
  std::uint16_t port = 0;
};

struct directory_options {
  hello self;                          ///< this node's hello (self.node is its name)
  std::vector<peer_address> peers;     ///< the nodes to keep links to
  /// The node hosting a component name; empty when the topology does not say (then the
  /// name is looked up locally).
  std::function<std::string(std::string_view name)> owner;
  bool tls = true; ///< connect through the openssl module (else plain BASP)
  std::chrono::milliseconds ping_interval{1000};
  std::chrono::milliseconds reconnect_min{200};
  std::chrono::milliseconds reconnect_max{5000};
  std::chrono::milliseconds lookup_timeout{2000};
  std::chrono::milliseconds connect_timeout{5000};
  /// Called from the directory's thread with every peer's state; must not block.
  std::function<void(const std::vector<peer_status>&)> on_peers;
};

[[nodiscard]] caf::actor spawn_directory(caf::actor_system& system, directory_options options);

/// The directory options of node `node` of `topology`: every other node is a peer, names
/// are placed by the topology.
[[nodiscard]] directory_options directory_for(const config::topology& topology,
                                              std::string_view node, hello self);

/// The node hosting `name` in `topology`: the first segment names an exchange account, or
/// "strategy/<name>" a strategy. Empty when neither.
[[nodiscard]] std::string owner_of(const config::topology& topology, std::string_view name);

/// True when every node of `topology` has TLS material: links are mutual TLS. Otherwise the
/// config allowed plaintext (the loader refuses anything else with several nodes).
[[nodiscard]] bool uses_tls(const config::topology& topology);

[[nodiscard]] std::string exchange_name(std::string_view exchange);
[[nodiscard]] std::string book_name(std::string_view exchange, std::string_view market);
[[nodiscard]] std::string strategy_name(std::string_view strategy);

/// The text of an error the directory or a peer produced: its context string when it has
/// one ("node 'a' is unreachable ..."), else CAF's rendering.
[[nodiscard]] std::string error_text(caf::actor_system& system, const caf::error& error);

} // namespace tern::cluster
