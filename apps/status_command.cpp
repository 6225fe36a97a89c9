// `tern status [--endpoint host:port | --config FILE]`: the supervision tree of a running node,
// read from its ops endpoint's /health and printed as a coloured tree.

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include <unistd.h>

#include "apps/commands.hpp"
#include "config/loader.hpp"
#include "supervision/health_json.hpp"
#include "supervision/ops_client.hpp"
#include "supervision/status_text.hpp"
#include "supervision/strategy_json.hpp"

namespace tern::apps {
namespace {

struct status_options {
  std::string endpoint;
  std::string config_file;
  std::string colour = "auto";
  int timeout_ms = 5000;
};

bool use_colour(const std::string& mode) {
  if (mode == "always")
    return true;
  if (mode == "never")
    return false;
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr && term != nullptr
         && std::string{term} != "dumb";
}

/// The endpoint to ask: --endpoint, else the topology's ops section, else the default.
expected<supervision::ops_endpoint, std::string> choose_endpoint(const status_options& options) {
  if (!options.endpoint.empty())
    return supervision::parse_endpoint(options.endpoint);
  if (options.config_file.empty())
    return supervision::ops_endpoint{};
  auto loaded = config::load_topology_file(options.config_file);
  if (!loaded.value)
    return unexpected{"cannot read the ops endpoint from '" + options.config_file
                      + "': it is not a valid topology (run tern validate)"};
  return supervision::ops_endpoint{loaded.value->ops.host, loaded.value->ops.port};
}

/// The strategies section, when the node has any. A node without a strategy board (or of an
/// older build: 404) prints nothing; a /strategies that cannot be read is reported on stderr
/// without changing the exit status, which is about the tree.
void print_strategies(const supervision::ops_endpoint& endpoint, const status_options& options,
                      const supervision::status_style& style) {
  const auto response = supervision::fetch(endpoint, "GET", "/strategies",
                                           std::chrono::milliseconds{options.timeout_ms});
  if (response && response->status == 404)
    return;
  if (!response || response->status != 200) {
    std::cerr << "tern status: cannot read /strategies: "
              << (response ? "HTTP " + std::to_string(response->status) : response.error()) << '\n';
    return;
  }
  const auto strategies = supervision::parse_strategies_json(response->body);
  if (!strategies) {
    std::cerr << "tern status: /strategies: " << strategies.error() << '\n';
    return;
  }
  std::cout << supervision::render_strategies_text(*strategies, style);
}

int run_status(const status_options& options) {
  const auto endpoint = choose_endpoint(options);
  if (!endpoint) {
    std::cerr << "tern status: " << endpoint.error() << '\n';
    return exit_unreachable;
  }
  const auto url = "http://" + endpoint->host + ":" + std::to_string(endpoint->port) + "/health";
  const auto response = supervision::fetch(*endpoint, "GET", "/health",
                                           std::chrono::milliseconds{options.timeout_ms});
  if (!response) {
    std::cerr << "tern status: cannot read " << url << ": " << response.error() << '\n';
    return exit_unreachable;
  }
  if (response->status != 200) {
    std::cerr << "tern status: " << url << " answered HTTP " << response->status << '\n';
    return exit_unreachable;
  }
  const auto document = supervision::parse_health_json(response->body);
  if (!document) {
    std::cerr << "tern status: " << url << ": " << document.error() << '\n';
    return exit_unreachable;
  }
  supervision::status_style style;
  style.colour = use_colour(options.colour);
  style.now = document->generated_at;
  style.updated_at = document->updated_at;
  std::cout << supervision::render_status_text(document->tree, style);
  if (document->nodes)
    std::cout << supervision::render_nodes_text(*document->nodes, style);
  print_strategies(*endpoint, options, style);
  std::cout.flush();
  return supervision::status_exit_code(document->tree);
}

} // namespace

void add_status_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "status", "Print the supervision tree of a running node, read from its ops endpoint");
  command->footer(
      "Exits 0 when nothing in the tree has failed, 1 when something has, and 3 when the\n"
      "endpoint cannot be read. The endpoint defaults to 127.0.0.1:9180, or to the ops section\n"
      "of the topology given with --config.");
  auto options = std::make_shared<status_options>();
  command->add_option("--endpoint", options->endpoint, "host:port of the ops endpoint");
  command->add_option("--config", options->config_file,
                      "topology file whose ops section names the endpoint");
  command->add_option("--color", options->colour, "auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  command->add_option("--timeout-ms", options->timeout_ms, "how long to wait for the endpoint")
      ->check(CLI::Range(1, 600'000));
  command->callback([options, &exit_code] { exit_code = run_status(*options); });
}

} // namespace tern::apps
