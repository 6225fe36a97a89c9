#pragma once

// Test support: an example topology (config/examples) rewritten for a test run, so tests on one
// machine do not take the ports a user's demo uses and keep the simulator's files in the test's
// own folder.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace tern::testing {

struct test_ports {
  std::uint16_t ops = 0;
  std::uint16_t control = 0;  ///< the simulator's control API
};

/// Reads config/examples/`example`.
inline nlohmann::json example_topology(const std::string& example) {
  std::ifstream in{std::string{TERN_SOURCE_DIR} + "/config/examples/" + example};
  return nlohmann::json::parse(in);
}

/// Gives the nodes, the ops endpoint, the simulator's control API and its exchanges
/// consecutive ports from `base`, in that order, and puts the simulator's CA (`ca_name`) and
/// credentials under `folder`.
inline test_ports use_test_ports(nlohmann::json& topology, int base,
                                 const std::filesystem::path& folder,
                                 const std::string& ca_name = "sim-ca.pem") {
  int port = base;
  for (auto& node : topology["nodes"])
    node["port"] = port++;
  test_ports out;
  out.ops = static_cast<std::uint16_t>(port);
  topology["ops"]["port"] = port++;
  auto& simulator = topology["simulator"];
  out.control = static_cast<std::uint16_t>(port);
  simulator["control_port"] = port++;
  simulator["ca_file"] = (folder / ca_name).string();
  simulator["credentials_file"] = (folder / "credentials.env").string();
  for (auto& exchange : simulator["exchanges"])
    exchange["port"] = port++;
  return out;
}

/// Prices jump more often than in the demo, so a short run sees opportunities.
inline void jump_often(nlohmann::json& topology) {
  for (auto& exchange : topology["simulator"]["exchanges"])
    for (auto& market : exchange["markets"])
      market["random_walk"]["jump_probability"] = "0.025";
}

/// Writes `topology` to `path` and returns the path.
inline std::filesystem::path write_topology(const nlohmann::json& topology,
                                            const std::filesystem::path& path) {
  std::ofstream{path} << topology.dump(2);
  return path;
}

} // namespace tern::testing
