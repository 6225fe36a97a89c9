#pragma once

// The exchange accounts a node runs, as account_settings built from the topology: the
// connector, markets and credentials of each exchange entry on the node, and, in a paper
// config (one with a "simulator" section), the simulator's endpoints and CA instead of the
// exchange's own. `tern run` adds each to an account_runtime and hands its components to the
// node's tree.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "actors/account_components.hpp"
#include "actors/account_context.hpp"
#include "config/secret_sources.hpp"
#include "config/topology.hpp"
#include "core/expected.hpp"

namespace tern::apps {

/// The settings of every exchange account on `node`; each account with credentials journals
/// its orders where the config says (`"journal"`, by default journal/<account>.sqlite beside
/// the config). Fails naming the account whose
/// simulator entry is missing or has no fixed port (Tern must know where to connect).
[[nodiscard]] expected<std::vector<account_settings>, std::string> accounts_on_node(
    const config::topology& topology, const std::string& node,
    const config::resolved_secrets& secrets);

/// A fresh account_runtime holding every account of `node` (accounts_on_node): what `tern run`
/// and `tern node` both start their exchange components from.
[[nodiscard]] expected<std::unique_ptr<account_runtime>, std::string> start_accounts(
    const config::topology& topology, const std::string& node,
    const config::resolved_secrets& secrets);

/// The endpoints of the simulated exchange `exchange` serves for `connector`, on `host:port`.
[[nodiscard]] endpoints simulator_endpoints(const std::string& connector, const std::string& host,
                                            std::uint16_t port);

} // namespace tern::apps
