#pragma once

// One node of a topology as a process (`tern node`): its supervision tree (the components
// the topology places on it), its directory published on the node's host:port over mutual
// TLS (or plaintext where the config allows it), links to the other nodes, and the ops
// endpoint with the peers as the health board's node links (/health "nodes", /metrics
// tern_node_link_*, the dashboard, `tern status`).
//
// Prints, flushed, for scripts and tests to wait on:
//   node: NAME listening on HOST:PORT (mutual TLS)
//   ops: http://HOST:PORT

#include <cstdint>
#include <functional>
#include <string>

#include <caf/actor.hpp>

#include "config/topology.hpp"
#include "core/expected.hpp"
#include "supervision/metrics.hpp"
#include "supervision/node_tree.hpp"
#include "supervision/strategy_board.hpp"

namespace tern::cluster {

struct node_options {
  std::string config_file;
  std::string node;
  /// -1: serve the ops endpoint only when the topology's ops node is this one, on its port;
  /// otherwise serve it here on this port (0: any free port).
  int ops_port = -1;
  /// Added to this node's message-schema hash: only test builds set it, to fake a node of
  /// another build.
  std::uint64_t schema_salt = 0;
};

/// What component factories of a node may use.
struct node_services {
  const config::topology& topology;
  std::string node;
  caf::actor directory;
  supervision::metrics_registry& metrics;
  /// Where the node's strategies publish (served as /strategies); the components arm its kill
  /// switch where strategies run, and the node disarms it before stopping.
  supervision::strategy_board& strategies;
};

/// The components this build can start on a node.
using component_source = std::function<supervision::component_registry(const node_services&)>;

/// Runs the node until SIGINT/SIGTERM; the process exit code.
int run_node(const node_options& options, const component_source& components);

/// Why `topology` cannot run as node `node` (TLS files missing or unreadable), or nothing.
[[nodiscard]] expected<void, std::string> check_node_files(const config::topology& topology,
                                                           std::string_view node);

} // namespace tern::cluster
