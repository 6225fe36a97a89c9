// `tern demo [--config FILE] [--duration S] [--quiet]`: the first thing a new user runs. Starts
// the topology's simulator (`tern sim`) and node (`tern run`) as child processes, prints the
// dashboard's address and a live summary of the strategies, and after `--duration` seconds (or
// Ctrl-C) pauses the market, checks that the balances Tern tracks equal the simulator's, stops
// both children in order and prints a final report. Exit 1 when the balances differ or a child
// could not be started.

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "actors/signal_watch.hpp"
#include "apps/child_process.hpp"
#include "apps/commands.hpp"
#include "apps/demo_nodes.hpp"
#include "apps/demo_report.hpp"
#include "config/loader.hpp"
#include "sim/control_client.hpp"
#include "supervision/ops_client.hpp"

namespace tern::apps {
namespace {

using json = nlohmann::json;

struct demo_options {
  std::string config_file;  ///< empty: config/examples/demo.json or demo_distributed.json
  int duration = 60;
  bool quiet = false;
  bool distributed = false;  ///< one `tern node` per node of the topology instead of `tern run`
};

/// Exports the `export NAME=value` lines of the simulator's credentials file that are not set
/// already, so `tern run` (started next) and the reconciliation see the same keys.
void export_credentials(const std::filesystem::path& file) {
  std::ifstream in{file};
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("export ", 0) != 0)
      continue;
    const auto equals = line.find('=');
    if (equals == std::string::npos)
      continue;
    ::setenv(line.substr(7, equals - 7).c_str(), line.substr(equals + 1).c_str(), 0);
  }
}

/// A fresh random token for the ops control endpoint, unless the user set one.
void ensure_token(const config::topology& topology) {
  if (!topology.ops.control_enabled || !topology.ops.control_token)
    return;
  std::random_device random;
  std::string token;
  for (int i = 0; i < 32; ++i)
    token += "0123456789abcdef"[random() % 16];
  ::setenv(topology.ops.control_token->variable.c_str(), token.c_str(), 0);
}

std::optional<json> strategies_of(const supervision::ops_endpoint& ops) {
  auto fetched = supervision::fetch(ops, "GET", "/strategies", std::chrono::seconds{3});
  if (!fetched || fetched->status != 200)
    return std::nullopt;
  auto parsed = json::parse(fetched->body, nullptr, false);
  if (parsed.is_discarded())
    return std::nullopt;
  return parsed;
}

/// Stops the strategies with the kill switch (they cancel all their orders), so that nothing
/// trades while balances are compared; says how it went. Without the control endpoint the
/// strategies keep running and the comparison may catch a round in flight.
std::string stop_strategies(const config::topology& topology, const supervision::ops_endpoint& ops) {
  const char* token = topology.ops.control_enabled && topology.ops.control_token
                          ? std::getenv(topology.ops.control_token->variable.c_str())
                          : nullptr;
  if (token == nullptr)
    return "strategies left running (the ops control endpoint is off)";
  auto done = supervision::fetch(ops, "POST", "/control/kill-switch?reason=demo%20finished",
                                 std::chrono::seconds{15}, std::string{"Bearer "} + token);
  if (!done)
    return "kill switch: " + done.error();
  return done->status == 200 ? "strategies stopped and their orders cancelled (kill switch)"
                             : "kill switch answered " + std::to_string(done->status);
}

/// Stops the strategies and pauses the market, then compares until the figures agree (the
/// last fills settle within a moment) or ten tries have passed.
reconciliation settle_and_reconcile(const config::topology& topology,
                                    const supervision::ops_endpoint& ops,
                                    const sim::control_client& control, json& last) {
  std::cout << stop_strategies(topology, ops) << std::endl;
  (void)control.call("POST", "/market/pause", json::object());
  reconciliation outcome;
  for (int attempt = 0; attempt < 10; ++attempt) {
    if (auto now = strategies_of(ops))
      last = std::move(*now);
    outcome = reconcile(topology, last, control);
    if (outcome.agrees)
      break;
    std::this_thread::sleep_for(std::chrono::seconds{1});  // let in-flight fills land
  }
  return outcome;
}

struct demo_run {
  const demo_options& options;
  config::topology topology;
  std::filesystem::path config_path;
  std::filesystem::path directory;
  signal_watch& signals;
};

int run_demo(demo_run& run) {
  auto started_sim = start_ready_child("sim", run.config_path, run.directory, "sim", {}, "serving;",
                                      std::chrono::seconds{60}, run.signals);
  if (!started_sim) {
    std::cerr << "tern demo: " << started_sim.error() << '\n';
    return exit_failure;
  }
  auto* simulator = &started_sim->process;
  const auto& sim_config = *run.topology.simulator;
  auto control_line = simulator->wait_for_line("control: ", std::chrono::seconds{1}, run.signals);
  auto control_at = supervision::parse_endpoint(control_line.value_or(""));
  if (!control_at) {
    std::cerr << "tern demo: the simulator serves no control API (its \"control_port\" is null); "
                 "the demo needs it to reconcile balances\n";
    return exit_failure;
  }
  if (sim_config.credentials_file)
    export_credentials(*sim_config.credentials_file);
  ensure_token(run.topology);
  // The copy, so that relative paths (the nodes' certificates) resolve in the run folder.
  auto copy = config::load_topology_file(run.config_path);
  if (!copy.value) {
    std::cerr << "tern demo: cannot read " << run.config_path.string() << '\n';
    return exit_failure;
  }
  auto nodes = demo_nodes::start(*copy.value, run.config_path, run.options.distributed, run.signals);
  if (!nodes) {
    std::cerr << "tern demo: " << nodes.error() << '\n';
    return exit_failure;
  }
  const std::string url = nodes->ops_url();
  std::cout << "ops: " << url << "   (dashboard; logs in " << run.directory.string() << ": sim.log, "
            << nodes->log_names() << ")" << std::endl;
  auto ops = supervision::parse_endpoint(url);
  if (!ops) {
    std::cerr << "tern demo: " << ops.error() << '\n';
    return exit_failure;
  }
  sim::control_client control{control_at->host, control_at->port};
  const auto started = std::chrono::steady_clock::now();
  const auto until = started + std::chrono::seconds{run.options.duration};
  json last = json::object();
  std::string ended = "duration reached";
  while (std::chrono::steady_clock::now() < until) {
    if (run.signals.wait_for(std::chrono::seconds{3})) {
      ended = "interrupted";
      break;
    }
    if (auto gone = nodes->which_ended(); !gone.empty() || !simulator->running()) {
      ended = gone.empty() ? "the simulator ended" : gone;
      break;
    }
    if (auto now = strategies_of(*ops)) {
      last = std::move(*now);
      if (!run.options.quiet)
        std::cout << summary_line(last, std::chrono::steady_clock::now() - started) << std::endl;
    }
  }
  const auto gone = nodes->which_ended();
  auto outcome = gone.empty() ? settle_and_reconcile(run.topology, *ops, control, last)
                              : reconciliation{false, {gone}};
  nodes->stop();
  simulator->stop();
  std::cout << final_report(last, outcome, ended, std::chrono::steady_clock::now() - started);
  return outcome.agrees ? exit_ok : exit_failure;
}

int demo(demo_options options) {
  if (options.config_file.empty())
    options.config_file = options.distributed ? "config/examples/demo_distributed.json"
                                              : "config/examples/demo.json";
  auto loaded = config::load_topology_file(options.config_file);
  for (const auto& d : loaded.diagnostics)
    std::cerr << options.config_file << ": " << d.to_string() << '\n';
  if (!loaded.value)
    return exit_failure;
  if (!loaded.value->simulator) {
    std::cerr << "tern demo: " << options.config_file
              << " has no \"simulator\" section; the demo runs against the simulator\n";
    return exit_failure;
  }
  signal_watch signals;  // before any child starts, so an early Ctrl-C is not lost
  std::string pattern = (std::filesystem::temp_directory_path() / "tern-demo-run-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "tern demo: cannot make a working directory under /tmp\n";
    return exit_failure;
  }
  // The children read a copy in the run folder: `tern run` keeps its order journals beside its
  // topology file, and a fresh simulator must meet fresh journals.
  const std::filesystem::path copy = std::filesystem::path{pattern} / "topology.json";
  std::error_code failed;
  std::filesystem::copy_file(options.config_file, copy, failed);
  if (failed) {
    std::cerr << "tern demo: cannot copy " << options.config_file << ": " << failed.message() << '\n';
    return exit_failure;
  }
  demo_run run{options, std::move(*loaded.value), copy, pattern, signals};
  return run_demo(run);
}

} // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "demo", "Run the paper-trading demo: simulator, node and strategies, with a live summary");
  command->footer(
      "Copies the config into a fresh /tmp/tern-demo-run-* folder (so the order journals, kept\n"
      "beside it, start empty; relative paths in it resolve from there), starts `tern sim` and\n"
      "`tern run` on the copy (with --distributed, one `tern node` per node of the topology,\n"
      "certificates made in the copy's folder when missing; logs go to the same folder), prints the\n"
      "dashboard URL and a summary line every 3 s, and stops after --duration seconds or on\n"
      "Ctrl-C. The final report checks that the balances Tern tracks equal the simulator's and\n"
      "exits 1 when they differ.");
  auto options = std::make_shared<demo_options>();
  command->add_option("--config", options->config_file,
                      "paper topology with a simulator section (default "
                      "config/examples/demo.json, with --distributed demo_distributed.json)");
  command->add_option("--duration", options->duration, "seconds to run")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  command->add_flag("--quiet", options->quiet, "no live summary lines, only the final report");
  command->add_flag("--distributed", options->distributed,
                    "run each node of the topology as its own `tern node` process, linked over "
                    "mutual TLS (certificates made in the run folder when the config's are missing)");
  command->callback([options, &exit_code] { exit_code = demo(*options); });
}

} // namespace tern::apps
