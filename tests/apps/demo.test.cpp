// `tern demo` in a short mode, as a new user runs it (a separate `tern sim` and `tern run`,
// TLS on the loopback): arbitrage trades happen on both exchanges and the final balances Tern
// tracks reconcile with the simulator's. The demo topology is used as shipped except for its
// ports (so a user's demo may run beside the test), its files' folder, and jumps three times as
// frequent, so that a 20 s run sees several arbitrage windows whatever the seeds.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "tests/support/shell_command.hpp"
#include "tests/support/test_topology.hpp"

namespace {

using json = nlohmann::json;

/// The demo topology with test ports, files under `folder` and more frequent jumps.
std::filesystem::path test_topology(const std::filesystem::path& folder) {
  auto topology = tern::testing::example_topology("demo.json");
  tern::testing::use_test_ports(topology, 19279, folder, "ca.pem");  // ops on 19280
  tern::testing::jump_often(topology);
  return tern::testing::write_topology(topology, folder / "demo.json");
}

std::uint64_t number_after(const std::string& text, const std::string& label) {
  std::smatch match;
  if (!std::regex_search(text, match, std::regex{label + " ([0-9]+)"}))
    return 0;
  return std::stoull(match[1].str());
}

} // namespace

TEST_CASE("tern demo: arbitrage trades on both exchanges and balances reconcile with the simulator",
          "[demo]") {
  char pattern[] = "/tmp/tern_demo_test_XXXXXX";
  REQUIRE(::mkdtemp(pattern) != nullptr);
  const std::filesystem::path folder{pattern};
  const auto config = test_topology(folder);
  // Keys come from the simulator's generated credentials, not from the caller's environment.
  for (const char* variable : {"TERN_DEMO_BINANCE_API_KEY", "TERN_DEMO_BINANCE_API_SECRET",
                               "TERN_DEMO_OKX_API_KEY", "TERN_DEMO_OKX_API_SECRET",
                               "TERN_DEMO_OKX_PASSPHRASE", "TERN_DEMO_OPS_TOKEN"})
    ::unsetenv(variable);
  const auto result = tern::testing::run_shell(std::string{TERN_EXECUTABLE} + " demo --config " +
                                               config.string() + " --duration 20 2>&1");
  INFO(result.output);
  CHECK(result.status == 0);
  CHECK(result.output.find("ops: http://127.0.0.1:19280") != std::string::npos);
  CHECK(result.output.find("reconciled: the balances Tern tracks equal the simulator's") !=
        std::string::npos);
  CHECK(number_after(result.output, "orders placed") >= 2);
  CHECK(number_after(result.output, "recent fills on binance:") >= 1);
  CHECK(number_after(result.output, "recent fills on okx:") >= 1);
  std::error_code ignored;
  std::filesystem::remove_all(folder, ignored);
}
