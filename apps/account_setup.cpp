#include "apps/account_setup.hpp"

#include <utility>

namespace tern::apps {
namespace {

/// The simulator's exchange for an account: the one with its name, else the only one speaking
/// its connector's dialect.
const config::sim_exchange_config* simulated(const config::simulator_config& simulator,
                                             const config::exchange_config& exchange) {
  const config::sim_exchange_config* by_dialect = nullptr;
  int dialect_matches = 0;
  for (const auto& candidate : simulator.exchanges) {
    if (candidate.name == exchange.name)
      return &candidate;
    if (candidate.dialect == exchange.connector) {
      by_dialect = &candidate;
      ++dialect_matches;
    }
  }
  return dialect_matches == 1 ? by_dialect : nullptr;
}

} // namespace

endpoints simulator_endpoints(const std::string& connector, const std::string& host,
                              std::uint16_t port) {
  const auto origin = host + ":" + std::to_string(port);
  endpoints urls;
  urls.rest = "https://" + origin;
  if (connector.rfind("okx", 0) == 0) {  // okx, okx_perpetual: OKX v5's public and private paths
    urls.public_ws = "wss://" + origin + "/ws/v5/public";
    urls.private_ws = "wss://" + origin + "/ws/v5/private";
    return urls;
  }
  urls.public_ws = "wss://" + origin + "/stream";
  // Binance spot's user stream is a subscription on the WebSocket API; USD-M's a listen key
  // in the stream path (the simulator serves both as the exchanges document them).
  urls.private_ws = connector == "binance" ? "wss://" + origin + "/ws-api/v3"
                                           : "wss://" + origin + "/ws/{listenKey}";
  return urls;
}

expected<std::vector<account_settings>, std::string> accounts_on_node(
    const config::topology& topology, const std::string& node,
    const config::resolved_secrets& secrets) {
  std::vector<account_settings> accounts;
  for (const auto& exchange : topology.exchanges) {
    if (exchange.node != node)
      continue;
    account_settings settings;
    settings.name = exchange.name;
    settings.connector = exchange.connector;
    settings.markets = exchange.markets;
    if (auto keys = secrets.exchanges.find(exchange.name); keys != secrets.exchanges.end()) {
      const auto& found = keys->second;
      settings.keys = credentials{std::string{found.api_key.reveal()},
                                  std::string{found.api_secret.reveal()},
                                  found.passphrase ? std::string{found.passphrase->reveal()}
                                                   : std::string{}};
    }
    settings.journal = exchange.journal;
    settings.journal_full_sync = exchange.journal_full_sync;
    if (topology.simulator) {
      const auto* sim = simulated(*topology.simulator, exchange);
      if (sim == nullptr)
        return unexpected{"exchange " + exchange.name + ": the simulator section serves no "
                          "exchange of that name (nor exactly one with dialect "
                          + exchange.connector + ")"};
      if (sim->port == 0)
        return unexpected{"exchange " + exchange.name + ": its simulated exchange " + sim->name
                          + " has no fixed port; give it one so Tern knows where to connect"};
      settings.protocol.urls = simulator_endpoints(exchange.connector, topology.simulator->host,
                                                   sim->port);
      settings.trust.trust = net::trust_source::ca_file;
      settings.trust.ca_file = topology.simulator->ca_file.string();
    }
    accounts.push_back(std::move(settings));
  }
  return accounts;
}

expected<std::unique_ptr<account_runtime>, std::string> start_accounts(
    const config::topology& topology, const std::string& node,
    const config::resolved_secrets& secrets) {
  auto settings = accounts_on_node(topology, node, secrets);
  if (!settings)
    return unexpected(settings.error());
  auto accounts = std::make_unique<account_runtime>(1);
  for (auto& account : *settings)
    if (auto added = accounts->add(std::move(account)); !added)
      return unexpected(added.error());
  return accounts;
}

} // namespace tern::apps
