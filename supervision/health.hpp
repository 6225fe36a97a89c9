#pragma once

// The health model of the supervision tree: the states a supervised actor can be in, the
// update a child pushes to its supervisor, and the tree of nodes a supervisor pushes to its
// own parent. Pure and header-only: actors/message_types.hpp gives these types their wire
// form, so every actor can report health without linking the supervision library.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace tern::supervision {

/// Where a supervised actor is in its life. Listed from the most benign to the worst, except
/// `stopped`, which is benign: a child that finished as its policy allows (a transient child
/// that exited normally, anything stopped by an orderly shutdown).
enum class health_state : std::uint8_t {
  starting,   ///< spawned, not ready yet (an order book waiting for its snapshot)
  ready,      ///< doing its job
  degraded,   ///< running but impaired; the report says why
  restarting, ///< failed (or stopped with a failed sibling) and waiting to be started again
  stopped,    ///< not running and not expected to run
  failed,     ///< not running and given up on: its supervisor will not restart it
};

/// Whether a node is a plain actor or a supervisor with children of its own.
enum class child_kind : std::uint8_t { worker, supervisor };

/// The text form used in JSON, metrics labels and the terminal: "ready", "restarting", ...
[[nodiscard]] constexpr std::string_view to_string(health_state value) noexcept {
  switch (value) {
    case health_state::starting: return "starting";
    case health_state::ready: return "ready";
    case health_state::degraded: return "degraded";
    case health_state::restarting: return "restarting";
    case health_state::stopped: return "stopped";
    case health_state::failed: return "failed";
  }
  return "unknown";
}

[[nodiscard]] constexpr std::string_view to_string(child_kind value) noexcept {
  return value == child_kind::supervisor ? "supervisor" : "worker";
}

/// Every state, in declaration order (for metrics that emit one series per state).
inline constexpr health_state all_health_states[] = {
    health_state::starting, health_state::ready,   health_state::degraded,
    health_state::restarting, health_state::stopped, health_state::failed};

/// The state named by `text`, or nothing.
[[nodiscard]] constexpr std::optional<health_state> parse_health_state(
    std::string_view text) noexcept {
  for (const auto state : all_health_states)
    if (to_string(state) == text)
      return state;
  return std::nullopt;
}

/// How bad a state is when states are aggregated: failed > restarting > degraded > starting
/// > ready > stopped. A stopped child does not make its tree unhealthy.
[[nodiscard]] constexpr int severity(health_state value) noexcept {
  switch (value) {
    case health_state::stopped: return 0;
    case health_state::ready: return 1;
    case health_state::starting: return 2;
    case health_state::degraded: return 3;
    case health_state::restarting: return 4;
    case health_state::failed: return 5;
  }
  return 5;
}

/// The worse of two states by `severity`.
[[nodiscard]] constexpr health_state worst_of(health_state a, health_state b) noexcept {
  return severity(b) > severity(a) ? b : a;
}

/// What a supervised actor tells its supervisor when its state changes. The supervisor knows
/// the sender from the message, so a late report of a replaced incarnation is ignored.
struct health_update {
  health_state state = health_state::ready;
  std::string reason;             ///< why it is degraded or failed; empty otherwise
  std::int64_t mailbox_size = -1; ///< messages waiting when the report was made; -1 unknown
};

/// One node of the supervision tree as its supervisor last saw it.
struct health_node {
  std::string name;
  child_kind kind = child_kind::worker;
  health_state state = health_state::starting; ///< this node alone, not its subtree
  std::string reason;                          ///< why it is degraded / failed / restarting
  std::string restart;  ///< restart type per its child spec ("permanent"); empty for a root
  std::string strategy; ///< a supervisor's strategy ("one_for_one"); empty for workers
  std::uint64_t restarts = 0;  ///< how often its supervisor has started it again
  std::string last_failure;    ///< the exit reason of its last failure; empty if none
  timestamp last_failure_time{}; ///< when that failure was seen; zero if none
  timestamp since{};             ///< when it entered `state`
  std::int64_t mailbox_size = -1; ///< from its last report; -1 unknown
  std::vector<health_node> children; ///< in start order
};

/// The worst state anywhere in the subtree rooted at `node`.
[[nodiscard]] inline health_state overall_state(const health_node& node) noexcept {
  auto worst = node.state;
  for (const auto& child : node.children)
    worst = worst_of(worst, overall_state(child));
  return worst;
}

/// Calls `visit(node, path)` for every node, parents before children. `path` joins names
/// with '/', starting at the root's name: "node/binance/book".
template <class Visitor>
void for_each_node(const health_node& node, Visitor&& visit, const std::string& parent = {}) {
  const auto path = parent.empty() ? node.name : parent + "/" + node.name;
  visit(node, path);
  for (const auto& child : node.children)
    for_each_node(child, visit, path);
}

} // namespace tern::supervision
