// `tern run --config FILE [--node NAME] [--ops-port PORT]`: starts this node's supervision
// tree from the topology, serves its ops endpoint, and runs until SIGINT/SIGTERM (or until
// the root supervisor gives up).

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <spdlog/spdlog.h>

#include "actors/account_components.hpp"
#include "actors/runtime.hpp"
#include "actors/signal_watch.hpp"
#include "apps/account_setup.hpp"
#include "apps/commands.hpp"
#include "config/loader.hpp"
#include "config/logging.hpp"
#include "config/secret_sources.hpp"
#include "strategies/actors/strategy_components.hpp"
#include "supervision/clock.hpp"
#include "supervision/health_board.hpp"
#include "supervision/metrics.hpp"
#include "supervision/node_tree.hpp"
#include "supervision/ops_server.hpp"
#include "supervision/strategy_board.hpp"
#include "supervision/supervisor.hpp"

namespace tern::apps {
namespace {

struct run_options {
  std::string config_file;
  std::string node;
  int ops_port = -1; ///< -1: from the topology
};

/// The components this build can start, by name: the exchange-account actors of `accounts`
/// and the strategy kinds, whose actors publish to `board` and are listed in `roster`.
supervision::component_registry available_components(
    account_runtime& accounts, const config::topology& topology,
    supervision::strategy_board& board, std::shared_ptr<strategy_actors::strategy_roster> roster) {
  auto registry = accounts.components();
  strategy_actors::strategy_component_options strategies;
  strategies.lookup = strategy_actors::account_lookup(accounts);
  strategies.board = &board;
  strategies.roster = std::move(roster);
  strategy_actors::add_strategy_components(registry, topology, std::move(strategies));
  return registry;
}

std::optional<config::topology> load(const std::string& file) {
  auto loaded = config::load_topology_file(file);
  for (const auto& d : loaded.diagnostics)
    std::cerr << file << ": " << d.to_string() << '\n';
  return std::move(loaded.value);
}

/// This process's node: --node, else the only one.
std::optional<std::string> choose_node(const config::topology& topology, const std::string& asked) {
  if (!asked.empty())
    return asked;
  if (topology.nodes.size() == 1)
    return topology.nodes.front().name;
  std::string names;
  for (const auto& node : topology.nodes)
    names += (names.empty() ? "'" : ", '") + node.name + "'";
  std::cerr << "tern run: the topology has several nodes (" << names
            << "); say which one this is with --node\n";
  return std::nullopt;
}

/// Everything a running node holds, destroyed in reverse order: the ops server before the
/// actor system, the board and metrics after both.
struct running_node {
  supervision::health_board board;
  supervision::metrics_registry metrics;
  /// Where this node's strategies publish; the strategy layer arms its kill switch. Declared
  /// before the actors so that it outlives them.
  supervision::strategy_board strategies;
  /// The accounts' shared state and io threads: outlive the actors that use them.
  std::unique_ptr<account_runtime> accounts;
  std::unique_ptr<runtime> actors;
  caf::actor root;
  std::unique_ptr<supervision::ops_server> ops;
  std::mutex mutex;
  std::optional<std::string> root_failure;
};

/// Serves the ops endpoint and prints where; false (and why on stderr) if it cannot listen.
bool start_ops(const config::topology& topology, const config::resolved_secrets& secrets,
               const run_options& options, running_node& running) {
  supervision::ops_server_options ops;
  ops.host = topology.ops.host;
  ops.port = options.ops_port >= 0 ? static_cast<std::uint16_t>(options.ops_port)
                                   : topology.ops.port;
  ops.settings.control_enabled = topology.ops.control_enabled;
  if (secrets.ops_control_token)
    ops.settings.control_token = *secrets.ops_control_token;
  ops.strategies = &running.strategies;
  running.ops = std::make_unique<supervision::ops_server>(
      running.actors->system(), running.root, running.board, running.metrics, std::move(ops));
  if (auto started = running.ops->start(); !started) {
    std::cerr << "tern run: " << started.error() << '\n';
    running.ops.reset();
    return false;
  }
  std::cout << "ops: " << running.ops->url() << std::endl; // flushed: scripts wait for it
  return true;
}

int serve(const config::topology& topology, const std::string& node,
          const config::resolved_secrets& secrets, const run_options& options) {
  auto plan = supervision::plan_node_tree(topology, node);
  if (!plan) {
    std::cerr << "tern run: " << plan.error() << '\n';
    return exit_failure;
  }
  signal_watch signals;
  running_node running;
  auto accounts = start_accounts(topology, node, secrets);
  if (!accounts) {
    std::cerr << "tern run: " << accounts.error() << '\n';
    return exit_failure;
  }
  running.accounts = std::move(*accounts);
  auto roster = std::make_shared<strategy_actors::strategy_roster>();
  auto built = supervision::build_tree(
      *plan, available_components(*running.accounts, topology, running.strategies, roster));
  for (const auto& path : built.unavailable)
    spdlog::warn("run: {} is planned but not in this build; its supervisor reports degraded", path);
  running.actors = std::make_unique<runtime>(runtime_options{});
  supervision::tree_options tree;
  tree.clock = supervision::make_system_clock();
  tree.publish = running.board.publisher();
  tree.refresh_interval = std::chrono::seconds{1};
  running.root = supervision::spawn_supervision_tree(running.actors->system(),
                                                     std::move(built.root), std::move(tree));
  running.actors->add(node, running.root);
  // Armed only where strategies run: a node without any reports the switch unarmed.
  const bool runs_strategies = std::any_of(topology.strategies.begin(), topology.strategies.end(),
                                           [&node](const auto& s) { return s.node == node; });
  if (runs_strategies)
    running.strategies.kill().arm(
        strategy_actors::kill_action(running.actors->system(), roster, std::chrono::seconds{10}));
  running.root->attach_functor([&running, &signals](const caf::error& reason) {
    if (supervision::classify_exit(reason) == supervision::exit_kind::failure) {
      std::lock_guard lock{running.mutex};
      running.root_failure = running.actors->system().render(reason);
    }
    signals.notify();
  });

  const bool serves_ops = topology.ops.enabled && topology.ops.node == node;
  if (serves_ops && !start_ops(topology, secrets, options, running)) {
    running.actors->shutdown();
    return exit_failure;
  }
  spdlog::info("run: node '{}' started ({})", node, config::summary(topology));
  const int signal = signals.wait();
  spdlog::info("run: {}; stopping", signal == 0 ? "the root supervisor ended" : "signal received");
  // The endpoint goes first: no control request may reach a tree that is stopping, and the
  // server's handles on the root are released before the actor system waits for its actors.
  running.ops.reset();
  running.strategies.kill().arm({});
  running.root = nullptr;
  shutdown_summary summary;
  summary.actors = running.actors->shutdown();
  std::lock_guard lock{running.mutex};
  if (running.root_failure) {
    spdlog::critical("run: the root supervisor gave up: {}", *running.root_failure);
    return exit_failure;
  }
  return summary.clean() ? exit_ok : exit_failure;
}

int run_node(const run_options& options) {
  const auto topology = load(options.config_file);
  if (!topology) {
    std::cerr << "tern run: " << options.config_file << " is not a valid topology\n";
    return exit_failure;
  }
  const auto node = choose_node(*topology, options.node);
  if (!node)
    return exit_usage;
  auto secrets = config::resolve_secrets(*topology, config::process_environment());
  if (!secrets) {
    for (const auto& d : secrets.error())
      std::cerr << options.config_file << ": " << d.to_string() << '\n';
    return exit_failure;
  }
  if (auto logging = config::setup_logging(topology->logging); !logging) {
    std::cerr << "tern run: " << logging.error() << '\n';
    return exit_failure;
  }
  return serve(*topology, *node, *secrets, options);
}

} // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "run", "Run this node's supervision tree from a topology file, with its ops endpoint");
  command->footer(
      "Prints \"ops: http://HOST:PORT\" once the ops endpoint listens (when this node serves\n"
      "it), then runs until SIGINT or SIGTERM, stopping every actor in order. Exits 1 when the\n"
      "root supervisor gives up or the topology, its secrets or the endpoint cannot be had.");
  auto options = std::make_shared<run_options>();
  command->add_option("--config", options->config_file, "topology file")->required();
  command->add_option("--node", options->node, "this process's node (needed with several)");
  command->add_option("--ops-port", options->ops_port,
                      "serve the ops endpoint on this port instead (0: any free port)")
      ->check(CLI::Range(0, 65535));
  command->callback([options, &exit_code] { exit_code = run_node(*options); });
}

} // namespace tern::apps
