#pragma once

// Strategies as components of a node's supervision tree: `tern run` (and `tern demo`) add them
// to the component registry so the planned "<strategy>/<kind>" workers start, register their
// actors in a roster, and arm the node's kill switch with an action that stops every strategy
// and cancels their orders.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "config/topology.hpp"
#include "strategies/actors/strategy_actor.hpp"
#include "supervision/kill_switch.hpp"
#include "supervision/node_tree.hpp"

namespace tern {
class account_runtime;
} // namespace tern

namespace tern::strategy_actors {

/// The running incarnation of each strategy actor on this node, by strategy name. Thread-safe.
class strategy_roster {
 public:
  void put(const std::string& name, const caf::actor& actor);
  [[nodiscard]] std::vector<std::pair<std::string, caf::actor>> all() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, caf::actor> actors_;
};

/// Finds account actors in the directories of `accounts` (this node's accounts).
[[nodiscard]] actor_lookup account_lookup(account_runtime& accounts);

/// What every strategy component of a node shares.
struct strategy_component_options {
  actor_lookup lookup;
  supervision::strategy_board* board = nullptr;
  std::shared_ptr<strategy_roster> roster = std::make_shared<strategy_roster>();
  std::chrono::milliseconds tick{1000};
  std::chrono::milliseconds request_timeout{5000};
};

/// Adds a component for each strategy kind ("arbitrage", "pure_market_making", "xemm") to
/// `registry`; each planned worker starts the strategy its "strategy" setting names.
void add_strategy_components(supervision::component_registry& registry,
                             const config::topology& topology, strategy_component_options options);

/// The kill switch's work: asks every strategy in `roster` to stop and cancel all (each with
/// `timeout`), and reports once all answered.
[[nodiscard]] supervision::kill_switch_action kill_action(caf::actor_system& system,
                                                          std::shared_ptr<strategy_roster> roster,
                                                          std::chrono::milliseconds timeout);

} // namespace tern::strategy_actors
