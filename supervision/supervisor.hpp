#pragma once

// The supervisor actor: starts its children from child specs, links to them, and carries out
// the decisions of its restart_logic when one exits (stop siblings newest first, wait the
// backoff, start again in order, or give up). A supervisor is itself a child: nested
// supervisors form the tree, and a supervisor that gives up quits with a failure its parent
// sees like any other.
//
// Messages it handles:
// - exit_msg from a child (it links to every child): the child ended; from anyone else: stop
//   every child newest first, then quit with the same reason (an orderly shutdown).
// - health_update from a child, health_node from a child supervisor: state changes, pushed
//   upward as this supervisor's whole subtree.
// - (health_atom) -> health_node: its subtree now.
// - (restart_atom, path) -> bool: an operator restart of a descendant ("book" or
//   "binance/book"); the child is killed and comes back per its policy.
// - (timer_atom, id): its own timers (backoff, stop timeouts).

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/error.hpp>
#include <caf/fwd.hpp>

#include "supervision/child.hpp"
#include "supervision/clock.hpp"
#include "supervision/health.hpp"
#include "supervision/restart_delay.hpp"
#include "supervision/restart_logic.hpp"

namespace tern::supervision {

/// A supervisor: its name, its policy and its children in start order.
struct supervisor_spec {
  std::string name;
  supervisor_policy policy;
  std::vector<child_spec> children;
  /// Why this supervisor runs impaired from its start (planned children this build cannot
  /// start); it then reports `degraded` with this reason. Empty: none.
  std::string impaired_reason{};
};

/// Where the root supervisor of a tree gets its time and sends its health.
struct tree_options {
  clock_ptr clock; ///< null: the system clock
  /// Called (on the root's thread) with the whole tree each time anything in it changes.
  std::function<void(const health_node&)> publish;
  /// Jitter for every restart delay in the tree; null: a randomly seeded source. Called from
  /// several supervisors; the tree serialises the calls.
  uniform_source jitter;
  /// Supervisors republish their subtree this often, with fresh mailbox sizes; zero: only on
  /// change.
  std::chrono::nanoseconds refresh_interval{};
};

/// Spawns the root supervisor of a tree. Throws std::invalid_argument if a policy is invalid
/// or two siblings share a name.
[[nodiscard]] caf::actor spawn_supervision_tree(caf::actor_system& system, supervisor_spec root,
                                                tree_options options);

/// A child spec that starts `spec` as a nested supervisor. Supervisors get a long shutdown
/// timeout by default: they stop their own children, one by one, first.
[[nodiscard]] child_spec supervisor_child(supervisor_spec spec,
                                          restart_type restart = restart_type::permanent,
                                          std::chrono::nanoseconds shutdown_timeout =
                                              std::chrono::seconds{60});

/// The exit reason a supervisor that gave up quits with (its parent sees it as a failure).
[[nodiscard]] caf::error gave_up_error(std::string why);

/// An exit reason as the supervision tree shows it: the text of gave_up_error and of
/// exception_reason, CAF's rendering for everything else.
[[nodiscard]] std::string describe_exit_reason(caf::actor_system& system,
                                               const caf::error& reason);

/// An exception handler for supervised actors (set_exception_handler): the actor fails with
/// a reason that carries the exception's message, instead of CAF's bare runtime_error.
[[nodiscard]] caf::error exception_reason(std::exception_ptr& error);

/// How a CAF exit reason counts for restart decisions.
[[nodiscard]] exit_kind classify_exit(const caf::error& reason) noexcept;

} // namespace tern::supervision
