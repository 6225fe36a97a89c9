#pragma once

// The supervision tree of one node, planned from the topology and then built from the
// components this build has.
//
//   <node>                         supervisor, the top-level `supervision` policy
//   ├── <exchange>                 supervisor per exchange account on the node, its policy
//   │   ├── connection             the exchange connection (market data and, with keys, trading)
//   │   ├── book.<BASE-QUOTE>      one order book per market
//   │   └── orders                 the order tracker (accounts with credentials only)
//   └── strategies                 supervisor, the top-level policy (when the node has any)
//       └── <strategy>             supervisor per strategy, its policy
//           └── <kind>             the strategy itself ("arbitrage")
//
// Children start in that order, so with rest_for_one a failed connection restarts the books
// and the tracker after it, while a failed book restarts only the books after it and the
// tracker.
//
// Planning is pure. Building looks each worker's component up in a registry: components
// register as they are written (the connection, book and tracker actors arrive with the
// connector issues). A planned worker whose component this build lacks is not started; its
// supervisor reports `degraded`, naming what is missing, so /health shows the gap.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/topology.hpp"
#include "core/expected.hpp"
#include "supervision/child.hpp"
#include "supervision/restart_logic.hpp"
#include "supervision/supervisor.hpp"

namespace tern::supervision {

/// One node of the planned tree: a worker (with a component) or a supervisor (with
/// children).
struct tree_plan {
  std::string name;
  std::string component; ///< what to start; empty for a supervisor
  /// What the component needs to know: "exchange", "market", "strategy".
  std::map<std::string, std::string> settings;
  restart_type restart = restart_type::permanent;
  supervisor_policy policy; ///< for supervisors
  std::vector<tree_plan> children;

  [[nodiscard]] bool is_supervisor() const noexcept { return component.empty(); }
};

/// The supervision policy a config section describes.
[[nodiscard]] supervisor_policy to_policy(const config::supervision_policy& policy);

/// Plans the tree of `node` (a node name of `topology`). The error names the unknown node
/// and lists the known ones.
[[nodiscard]] expected<tree_plan, std::string> plan_node_tree(const config::topology& topology,
                                                              std::string_view node);

/// Makes the child spec for a planned worker of its component.
using component_factory = std::function<child_spec(const tree_plan& worker)>;

/// Components by name ("connection", "order_book", "order_tracker", a strategy kind).
using component_registry = std::map<std::string, component_factory, std::less<>>;

/// A built tree and what the plan asked for that this build cannot start.
struct built_tree {
  supervisor_spec root;
  std::vector<std::string> unavailable; ///< paths of planned workers not started
};

/// Builds the supervisor specs of `plan` from `components`.
[[nodiscard]] built_tree build_tree(const tree_plan& plan, const component_registry& components);

} // namespace tern::supervision
