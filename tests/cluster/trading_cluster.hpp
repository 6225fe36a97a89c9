#pragma once

// Test support: the real components of `tern node` on three processes against a `tern sim`
// process, over mutual TLS on the loopback, driven and watched from the test. The topology is
// config/examples/demo_distributed.json with test ports from a base, its files in a temporary
// folder, certificates made by `tern certs init`, and the strategies the test gives. Every
// process is killed (SIGKILL) when the cluster goes, even when a test fails.

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/decimal.hpp"
#include "sim/control_client.hpp"
#include "supervision/ops_client.hpp"
#include "tests/cluster/node_process.hpp"
#include "tests/support/shell_command.hpp"
#include "tests/support/test_topology.hpp"

namespace tern::testing {

class trading_cluster {
 public:
  using json = nlohmann::json;

  /// Writes the topology (ports from `base`; `strategies` replaces the example's; `hosts`
  /// gives nodes other addresses than 127.0.0.1, `ops_host` the ops endpoint's) and the
  /// certificates. `ok()` says whether that worked.
  trading_cluster(int base, json strategies, std::map<std::string, std::string> hosts = {},
                  std::string ops_host = "127.0.0.1") {
    json topology = example_topology("demo_distributed.json");
    const auto ports = use_test_ports(topology, base, folder_.path);
    ops_.port = ports.ops;
    control_port_ = ports.control;
    std::string cert_nodes;
    for (auto& node : topology["nodes"]) {
      const auto name = node["name"].get<std::string>();
      if (hosts.count(name) > 0)
        node["host"] = hosts[name];
      cert_nodes += (cert_nodes.empty() ? "" : ",") + name + "=" + node["host"].get<std::string>();
    }
    topology["ops"]["host"] = ops_host;
    ops_.host = ops_host;
    topology["strategies"] = std::move(strategies);
    config_ = write_topology(topology, folder_.path / "topology.json");
    const auto certs = run_shell(std::string{TERN_EXECUTABLE} + " certs init --dir "
                                 + (folder_.path / "certs").string()
                                 + " --nodes " + cert_nodes + " 2>&1");
    ok_ = certs.status == 0;
    env_.push_back("TERN_DEMO_OPS_TOKEN=" + token_);
  }
  ~trading_cluster() {
    for (auto& [name, node] : nodes_)
      node->kill_now();
    if (sim_)
      sim_->kill_now();
  }

  [[nodiscard]] bool ok() const noexcept { return ok_; }
  [[nodiscard]] const std::filesystem::path& folder() const noexcept { return folder_.path; }
  [[nodiscard]] sim::control_client control() const { return {"127.0.0.1", control_port_}; }

  /// Starts `tern sim` and reads the credentials it wrote; false if it did not get ready.
  bool start_sim() {
    sim_ = std::make_unique<node_process>(TERN_EXECUTABLE,
                                          std::vector<std::string>{"sim", "--config", config_.string()});
    if (sim_->await_line("serving;", std::chrono::seconds{30}).empty())
      return false;
    std::ifstream in{folder_.path / "credentials.env"};
    for (std::string line; std::getline(in, line);)
      if (line.rfind("export ", 0) == 0)
        env_.push_back(line.substr(7));
    return true;
  }

  /// Starts (or starts again) node `name`, with `extra` arguments, through `wrapper` (a program
  /// and its arguments that then run tern, e.g. `ip netns exec NS`); false unless it printed that
  /// it listens.
  bool start_node(const std::string& name, const std::vector<std::string>& extra = {},
                  std::vector<std::string> wrapper = {}) {
    auto& node = nodes_[name];
    if (node)
      node->kill_now();
    std::vector<std::string> args{"node", "--config", config_.string(), "--name", name};
    args.insert(args.end(), extra.begin(), extra.end());
    std::string program = TERN_EXECUTABLE;
    if (!wrapper.empty()) {
      program = wrapper.front();
      wrapper.erase(wrapper.begin());
      wrapper.push_back(TERN_EXECUTABLE);
      args.insert(args.begin(), wrapper.begin(), wrapper.end());
    }
    node = std::make_unique<node_process>(program, args, env_);
    return !node->await_line("node: " + name + " listening", std::chrono::seconds{30}).empty();
  }
  [[nodiscard]] node_process& node(const std::string& name) { return *nodes_.at(name); }

  /// A document of the ops endpoint (on node "strategy", or `at`), or null.
  [[nodiscard]] json get(const std::string& path,
                         std::optional<supervision::ops_endpoint> at = std::nullopt) const {
    auto fetched = supervision::fetch(at.value_or(ops_), "GET", path, std::chrono::seconds{2});
    if (!fetched || fetched->status != 200)
      return nullptr;
    auto parsed = json::parse(fetched->body, nullptr, false);
    return parsed.is_discarded() ? json(nullptr) : parsed;
  }
  /// The first strategy of /strategies, or null.
  [[nodiscard]] json strategy() const {
    auto all = get("/strategies");
    if (!all.is_object() || all.value("strategies", json::array()).empty())
      return nullptr;
    return all["strategies"][0];
  }
  /// The strategy node's (or the node serving `at`'s) link to `peer` in /health's "nodes"
  /// ({"state": "connected", "losses": 1, "reason": ...}), or null.
  [[nodiscard]] json link(const std::string& peer,
                          std::optional<supervision::ops_endpoint> at = std::nullopt) const {
    auto health = get("/health", at);
    if (health.is_object())
      for (const auto& item : health.value("nodes", json::array()))
        if (item.value("name", "") == peer)
          return item;
    return nullptr;
  }
  /// The state of that link ("connected", "lost", ...), or "".
  [[nodiscard]] std::string link_state(const std::string& peer,
                                       std::optional<supervision::ops_endpoint> at = std::nullopt) const {
    auto item = link(peer, at);
    return item.is_object() ? item.value("state", "") : std::string{};
  }
  /// The kill switch: the strategies stop and cancel their orders.
  bool kill_switch() const {
    auto done = supervision::fetch(ops_, "POST", "/control/kill-switch?reason=test",
                                   std::chrono::seconds{15}, "Bearer " + token_);
    return done && done->status == 200;
  }
  /// The simulator's balances of account `exchange` (the demo's keys): free + locked by asset,
  /// or with `locked_only` what resting orders hold.
  [[nodiscard]] std::map<std::string, decimal> sim_balances(const std::string& exchange,
                                                            bool locked_only = false) const {
    std::string variable = "TERN_DEMO_" + exchange + "_API_KEY=";
    for (auto& c : variable)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string key;
    for (const auto& item : env_)
      if (item.rfind(variable, 0) == 0)
        key = item.substr(variable.size());
    std::map<std::string, decimal> out;
    auto held = control().call("POST", "/balances", json{{"exchange", exchange}, {"api_key", key}});
    if (!held)
      return out;
    for (const auto& [asset, value] : held->items()) {
      auto free = decimal::parse(value.value("free", ""));
      auto locked = decimal::parse(value.value("locked", ""));
      if (free && locked)
        out[asset] = locked_only ? *locked : *free + *locked;
    }
    return out;
  }

 private:
  temp_folder folder_;
  std::filesystem::path config_;
  supervision::ops_endpoint ops_;
  std::uint16_t control_port_ = 0;
  std::string token_ = "cluster-test-token";
  std::vector<std::string> env_;
  std::unique_ptr<node_process> sim_;
  std::map<std::string, std::unique_ptr<node_process>> nodes_;
  bool ok_ = false;
};

} // namespace tern::testing
