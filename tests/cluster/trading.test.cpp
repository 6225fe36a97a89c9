// The arbitrage demo as three `tern node` processes against a `tern sim` process, over mutual
// TLS on the loopback (`tern demo --distributed`): the strategy runs on node "strategy", the
// Binance and OKX accounts (connector, book, tracker, exchange actor) on nodes "binance" and
// "okx", so every book update, placement and fill crosses a node link. Trades happen on both
// exchanges and the balances the strategy tracks equal the simulator's at the end.
// The shipped topology is used with test ports, its files in a temporary folder, and jumps
// three times as frequent, so that a short run sees several arbitrage windows.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/cluster/node_process.hpp"
#include "tests/support/shell_command.hpp"
#include "tests/support/test_topology.hpp"

namespace {

using json = nlohmann::json;

/// demo_distributed.json with ports from `base` up, files under `folder`, frequent jumps.
std::filesystem::path test_topology(const std::filesystem::path& folder, int base) {
  auto topology = tern::testing::example_topology("demo_distributed.json");
  tern::testing::use_test_ports(topology, base, folder);
  tern::testing::jump_often(topology);
  return tern::testing::write_topology(topology, folder / "topology.json");
}

std::uint64_t number_after(const std::string& text, const std::string& label) {
  std::smatch match;
  if (!std::regex_search(text, match, std::regex{label + " ([0-9]+)"}))
    return 0;
  return std::stoull(match[1].str());
}

} // namespace

TEST_CASE("three nodes: arbitrage across node links trades on both exchanges and balances "
          "reconcile with the simulator",
          "[cluster][trading]") {
  tern::testing::temp_folder folder;
  REQUIRE(!folder.path.empty());
  const auto config = test_topology(folder.path, 19301);
  for (const char* variable : {"TERN_DEMO_BINANCE_API_KEY", "TERN_DEMO_BINANCE_API_SECRET",
                               "TERN_DEMO_OKX_API_KEY", "TERN_DEMO_OKX_API_SECRET",
                               "TERN_DEMO_OKX_PASSPHRASE", "TERN_DEMO_OPS_TOKEN"})
    ::unsetenv(variable);
  const auto result = tern::testing::run_shell(std::string{TERN_EXECUTABLE}
                                               + " demo --distributed --quiet --config "
                                               + config.string() + " --duration 20 2>&1");
  INFO(result.output);
  CHECK(result.status == 0);
  CHECK(result.output.find("binance.log, okx.log, strategy.log") != std::string::npos);
  CHECK(result.output.find("reconciled: the balances Tern tracks equal the simulator's")
        != std::string::npos);
  CHECK(number_after(result.output, "orders placed") >= 2);
  CHECK(number_after(result.output, "recent fills on binance:") >= 1);
  CHECK(number_after(result.output, "recent fills on okx:") >= 1);
}
