#include "cluster/node.hpp"

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>
#include <spdlog/spdlog.h>

#include "actors/runtime.hpp"
#include "actors/signal_watch.hpp"
#include "cluster/directory.hpp"
#include "cluster/messages.hpp"
#include "cluster/peers.hpp"
#include "config/loader.hpp"
#include "config/logging.hpp"
#include "config/secret_sources.hpp"
#include "supervision/clock.hpp"
#include "supervision/health_board.hpp"
#include "supervision/ops_server.hpp"
#include "supervision/supervisor.hpp"

namespace tern::cluster {
namespace {

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;

struct running_node {
  supervision::health_board board;
  supervision::metrics_registry metrics;
  /// Declared before the actors: strategies publish into it until the actor system is gone.
  supervision::strategy_board strategies;
  std::unique_ptr<runtime> actors;
  caf::actor directory;
  caf::actor root;
  std::unique_ptr<supervision::ops_server> ops;
};

runtime_options runtime_for(const config::topology& topology, const config::node_config& node) {
  runtime_options options;
  options.enable_network = true;
  options.heartbeat_interval = topology.cluster.heartbeat;
  options.connection_timeout = topology.cluster.connection_timeout;
  const bool tls = uses_tls(topology);
  options.customize = [tls, files = node.tls](caf::actor_system_config& cfg) {
    register_cluster_types(cfg);
    if (!tls || !files)
      return;
    cfg.load<caf::openssl::manager>();
    // With a CA file set CAF verifies the peer's certificate on both ends: mutual TLS.
    cfg.set("openssl.certificate", files->cert.string());
    cfg.set("openssl.key", files->key.string());
    cfg.set("openssl.cafile", files->ca.string());
  };
  return options;
}

expected<std::uint16_t, std::string> publish_directory(running_node& running,
                                                       const config::node_config& node, bool tls) {
  const auto host = node.host;
  auto published = tls ? caf::openssl::publish(running.directory, node.port, host.c_str(), true)
                       : running.actors->system().middleman().publish(running.directory,
                                                                      node.port, host.c_str(),
                                                                      true);
  if (!published)
    return unexpected{"cannot listen on " + host + ":" + std::to_string(node.port) + ": "
                      + running.actors->system().render(published.error())};
  return *published;
}

/// The directory's peer states go to the health board as node links: the one source of
/// /health's "nodes", the tern_node_link_* metrics, the dashboard and `tern status`.
void watch_peers(running_node& running, directory_options& options) {
  auto* board = &running.board;
  options.on_peers = [board](const std::vector<peer_status>& peers) {
    board->publish_nodes(to_node_links(peers));
  };
}

bool start_ops(const config::topology& topology, const config::resolved_secrets& secrets,
               const node_options& options, running_node& running) {
  supervision::ops_server_options ops;
  // The topology's ops host is an address of the ops node; any other node given --ops-port
  // serves on the loopback.
  ops.host = topology.ops.node == options.node ? topology.ops.host : std::string{"127.0.0.1"};
  ops.port = options.ops_port >= 0 ? static_cast<std::uint16_t>(options.ops_port)
                                   : topology.ops.port;
  ops.settings.control_enabled = topology.ops.control_enabled;
  if (secrets.ops_control_token)
    ops.settings.control_token = *secrets.ops_control_token;
  ops.strategies = &running.strategies;
  running.ops = std::make_unique<supervision::ops_server>(
      running.actors->system(), running.root, running.board, running.metrics, std::move(ops));
  if (auto started = running.ops->start(); !started) {
    std::cerr << "tern node: " << started.error() << '\n';
    running.ops.reset();
    return false;
  }
  std::cout << "ops: " << running.ops->url() << std::endl;
  return true;
}

void start_tree(const config::topology& topology, const std::string& node,
                const component_source& components, running_node& running) {
  auto plan = supervision::plan_node_tree(topology, node);
  node_services services{topology, node, running.directory, running.metrics, running.strategies};
  auto built = supervision::build_tree(*plan, components ? components(services)
                                                         : supervision::component_registry{});
  for (const auto& path : built.unavailable)
    spdlog::warn("node: {} is planned but not in this build; its supervisor reports degraded",
                 path);
  supervision::tree_options tree;
  tree.clock = supervision::make_system_clock();
  tree.publish = running.board.publisher();
  tree.refresh_interval = std::chrono::seconds{1};
  running.root = supervision::spawn_supervision_tree(running.actors->system(),
                                                     std::move(built.root), std::move(tree));
  running.actors->add(node, running.root);
}

int serve(const config::topology& topology, const config::node_config& node,
          const config::resolved_secrets& secrets, const node_options& options,
          const component_source& components) {
  signal_watch signals;
  running_node running;
  running.actors = std::make_unique<runtime>(runtime_for(topology, node));
  auto directory = directory_for(topology, node.name, local_hello(node.name, options.schema_salt));
  watch_peers(running, directory);
  running.directory = spawn_directory(running.actors->system(), std::move(directory));
  // Added first, so it stops last: components may still look names up while stopping.
  running.actors->add("directory", running.directory);
  const bool tls = uses_tls(topology);
  auto port = publish_directory(running, node, tls);
  if (!port) {
    std::cerr << "tern node: " << port.error() << '\n';
    running.directory = nullptr;
    running.actors->shutdown();
    return exit_failure;
  }
  std::cout << "node: " << node.name << " listening on " << node.host << ":" << *port
            << (tls ? " (mutual TLS)" : " (PLAINTEXT: local development only)") << std::endl;
  start_tree(topology, node.name, components, running);
  const bool serves_ops = options.ops_port >= 0
                          || (topology.ops.enabled && topology.ops.node == node.name);
  if (serves_ops && !start_ops(topology, secrets, options, running)) {
    running.root = running.directory = nullptr;
    running.actors->shutdown();
    return exit_failure;
  }
  const int signal = signals.wait();
  spdlog::info("node: {}; stopping", signal == 0 ? "stop requested" : "signal received");
  running.ops.reset();
  running.strategies.kill().arm({});
  running.root = running.directory = nullptr;
  shutdown_summary summary;
  summary.actors = running.actors->shutdown();
  return summary.clean() ? exit_ok : exit_failure;
}

} // namespace

expected<void, std::string> check_node_files(const config::topology& topology,
                                             std::string_view name) {
  const auto* node = topology.find_node(name);
  if (node == nullptr)
    return unexpected{"no node named '" + std::string{name} + "' in the topology"};
  if (!node->tls)
    return {};
  for (const auto* file : {&node->tls->ca, &node->tls->cert, &node->tls->key}) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*file, ec))
      return unexpected{"node '" + node->name + "': TLS file " + file->string()
                        + " does not exist (create certificates with `tern certs init`)"};
  }
  return {};
}

int run_node(const node_options& options, const component_source& components) {
  auto loaded = config::load_topology_file(options.config_file);
  for (const auto& d : loaded.diagnostics)
    std::cerr << options.config_file << ": " << d.to_string() << '\n';
  if (!loaded.value)
    return exit_failure;
  const auto& topology = *loaded.value;
  if (auto files = check_node_files(topology, options.node); !files) {
    std::cerr << "tern node: " << files.error() << '\n';
    return exit_failure;
  }
  auto secrets = config::resolve_secrets(topology, config::process_environment());
  if (!secrets) {
    for (const auto& d : secrets.error())
      std::cerr << options.config_file << ": " << d.to_string() << '\n';
    return exit_failure;
  }
  if (auto logging = config::setup_logging(topology.logging); !logging) {
    std::cerr << "tern node: " << logging.error() << '\n';
    return exit_failure;
  }
  return serve(topology, *topology.find_node(options.node), *secrets, options, components);
}

} // namespace tern::cluster
