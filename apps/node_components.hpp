#pragma once

// The real components of `tern node`: the exchange accounts the topology places on the node
// (as `tern run` starts them) and its strategies, wired to the node's cluster directory:
// - every account's exchange and book actors are registered in the directory under their
//   cluster names ("<exchange>/exchange", "<exchange>/<BASE-QUOTE>/book"), and registered
//   again whenever a restart replaced them, so lookups return the current incarnation;
// - a strategy finds an actor of a local account in the account's own directory, and one of a
//   remote account through the cluster directory. Remote answers are cached and refreshed on
//   every lookup (the strategy looks up on each tick); while a remote node is unreachable the
//   answer is a null handle, so the strategy reports degraded and places nothing there.

#include <memory>

#include "cluster/node.hpp"

namespace tern::apps {

struct node_component_state;

/// What the node's component source needs kept alive until the node's actor system is gone.
[[nodiscard]] std::shared_ptr<node_component_state> make_node_component_state();

/// The component source of `tern node`; `state` must outlive cluster::run_node.
[[nodiscard]] cluster::component_source real_components(
    std::shared_ptr<node_component_state> state);

} // namespace tern::apps
