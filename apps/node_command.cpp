// `tern node --config FILE --name NODE [--ops-port PORT]`: runs one node of a multi-node
// topology (cluster/node.hpp); `tern certs init`: certificates for the nodes' links.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "apps/commands.hpp"
#include "apps/node_components.hpp"
#include "cluster/certs.hpp"
#include "cluster/node.hpp"

namespace tern::apps {
namespace {

struct certs_options {
  std::string folder;
  std::vector<std::string> nodes; ///< "name" or "name=host"
  int days = 365;
  bool force = false;
};

int init_certs(const certs_options& options) {
  cluster::cert_request request;
  request.folder = options.folder;
  request.days = options.days;
  request.overwrite = options.force;
  for (const auto& item : options.nodes) {
    const auto equals = item.find('=');
    if (equals == std::string::npos)
      request.nodes.push_back({item, "127.0.0.1"});
    else
      request.nodes.push_back({item.substr(0, equals), item.substr(equals + 1)});
  }
  auto written = cluster::create_certificates(request);
  if (!written) {
    std::cerr << "tern certs init: " << written.error() << '\n';
    return exit_failure;
  }
  for (const auto& path : *written)
    std::cout << path.string() << '\n';
  return exit_ok;
}

} // namespace

void add_node_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "node", "Run one node of a topology: its components, its directory and links to the "
              "other nodes over mutual TLS");
  command->footer(
      "Prints \"node: NAME listening on HOST:PORT\" once its directory is published and\n"
      "\"ops: http://HOST:PORT\" when it serves the ops endpoint (the topology's ops node, or\n"
      "any node given --ops-port). Runs until SIGINT or SIGTERM.");
  auto options = std::make_shared<cluster::node_options>();
  command->add_option("--config", options->config_file, "topology file")->required();
  command->add_option("--name", options->node, "this process's node")->required();
  command->add_option("--ops-port", options->ops_port,
                      "serve the ops endpoint on this port (0: any free port)")
      ->check(CLI::Range(0, 65535));
  command->callback([options, &exit_code] {
    // Declared here so the accounts outlive the node's actor system.
    auto state = make_node_component_state();
    exit_code = cluster::run_node(*options, real_components(state));
  });
}

void add_certs_command(CLI::App& app, int& exit_code) {
  CLI::App* certs = app.add_subcommand("certs", "Certificates for the links between nodes");
  certs->require_subcommand(1);
  CLI::App* init = certs->add_subcommand(
      "init", "Create a CA and a key and certificate per node, signed by it");
  init->footer(
      "Writes DIR/ca.key, DIR/ca.pem and per node DIR/NODE.key (mode 0600) and DIR/NODE.pem.\n"
      "Give nodes as NAME or NAME=HOST (the host goes into the certificate's subjectAltName;\n"
      "default 127.0.0.1). Keep ca.key off the nodes.");
  auto options = std::make_shared<certs_options>();
  init->add_option("--dir", options->folder, "folder for the files")->required();
  init->add_option("--nodes", options->nodes, "nodes, comma-separated: a,b=10.0.0.2,c")
      ->required()
      ->delimiter(',');
  init->add_option("--days", options->days, "validity in days")->check(CLI::Range(1, 36500));
  init->add_flag("--force", options->force, "replace existing files");
  init->callback([options, &exit_code] { exit_code = init_certs(*options); });
}

} // namespace tern::apps
