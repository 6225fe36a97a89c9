#pragma once

// The typed topology a Tern deployment runs: nodes, exchange accounts and their markets,
// strategies, supervision policies, the ops endpoint and logging. Built only by the loader
// (config/loader.hpp), so a `topology` value is always valid: names are unique and every
// reference (node, exchange, market) points at something defined.
//
// To add a key: add the field here with its default, read it in the section's reader
// (sections.cpp or strategies.cpp), and describe it in docs/configuration.md.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/simulator.hpp"
#include "config/strategies.hpp"
#include "core/decimal.hpp"
#include "core/types.hpp"

namespace tern::config {

/// A node's link certificates (PEM files, resolved against the config file's folder): the
/// topology's CA, which every peer's certificate must be signed by, and this node's own.
struct tls_config {
  std::filesystem::path ca;
  std::filesystem::path cert;
  std::filesystem::path key;
};

/// A process of the deployment, reachable by the others at host:port.
struct node_config {
  std::string name;
  std::string host;
  std::uint16_t port = 0;
  std::optional<tls_config> tls;  ///< required with several nodes unless plaintext is allowed
};

/// How nodes link to each other.
struct cluster_config {
  /// Plaintext links between nodes without certificates: for local development only.
  bool allow_plaintext = false;
  /// BASP heartbeat period and how long a silent link stays up: a hung peer is noticed
  /// within about heartbeat + timeout.
  std::chrono::milliseconds heartbeat{250};
  std::chrono::milliseconds connection_timeout{1000};
  /// Link latency probe period.
  std::chrono::milliseconds ping_interval{1000};
  /// Reconnect delays after a lost or refused link: min x 2^n, capped at max.
  std::chrono::milliseconds reconnect_min{200};
  std::chrono::milliseconds reconnect_max{5000};
  /// How long a directory lookup of a remote name may take.
  std::chrono::milliseconds lookup_timeout{2000};
};

/// A secret held in an environment variable. `pointer` is where the config names it, for
/// messages at run time.
struct env_secret {
  std::string variable;
  std::string pointer;
};

/// Credentials as environment-variable names.
struct env_credentials {
  env_secret api_key;
  env_secret api_secret;
  std::optional<env_secret> passphrase;  ///< present exactly when the connector needs one
};

/// Credentials in a JSON file of their own, readable by its owner only.
struct file_credentials {
  std::filesystem::path path;  ///< resolved against the config file's folder
  std::string pointer;
};

using credentials_source = std::variant<env_credentials, file_credentials>;

enum class restart_strategy { one_for_one, one_for_all, rest_for_one };

/// Delay before a restart: min x factor^n, capped at max, spread by +/- jitter (a fraction).
struct backoff_policy {
  std::chrono::milliseconds min{500};
  std::chrono::milliseconds max{30'000};
  decimal factor = decimal::from_integer(2);
  decimal jitter = decimal::from_scaled(2, 1);  // 0.2
};

/// How a supervisor treats failing children. More than `max_restarts` restarts within
/// `within` makes the supervisor give up and fail to its own supervisor.
struct supervision_policy {
  restart_strategy strategy = restart_strategy::one_for_one;
  int max_restarts = 5;
  std::chrono::seconds within{60};
  backoff_policy backoff;
};

/// One exchange account: a connector, the markets it trades, where its actors run.
struct exchange_config {
  std::string name;       ///< unique; defaults to the connector name
  std::string connector;  ///< "binance", "binance_perpetual", "okx", "okx_perpetual"
  market_kind kind = market_kind::spot;
  std::string node;
  std::vector<std::string> markets;  ///< "BASE-QUOTE", e.g. "BTC-USDT"
  std::optional<credentials_source> credentials;  ///< none: market data only
  supervision_policy supervision;
  /// The account's order journal (SQLite): `"journal"` resolved against the config file's
  /// folder, by default journal/<name>.sqlite beside the config.
  std::filesystem::path journal;
  /// `"journal_sync"`: "normal" (the default) commits without an fsync: a process crash loses
  /// nothing written, a machine crash may lose the last commits, and the orders they named are
  /// then adopted from the exchange at the next start. "full" fsyncs every commit (~6 ms on a
  /// VM disk, paid before each order is sent).
  bool journal_full_sync = false;
};

/// What a strategy does with its orders when a node hosting one of its books or exchange actors
/// is lost (`"on_node_loss"`). Either way it opens no new positions until the node is back.
enum class node_loss_action : std::uint8_t {
  cancel, ///< cancel its open orders on the exchanges it still reaches
  leave,  ///< leave them resting
};

struct strategy_config {
  std::string name;
  std::string kind;  ///< "arbitrage", ...
  std::string node;
  strategy_params params;
  supervision_policy supervision;
  /// Stop the strategy and cancel its orders when its P&L (in the pair's quote asset) falls
  /// to minus this. Its own "kill_switch_loss", else the top-level one, else none.
  std::optional<decimal> kill_switch_loss;
  node_loss_action on_node_loss = node_loss_action::cancel;
};

/// The HTTP endpoint for health, metrics and (when enabled) control.
struct ops_config {
  bool enabled = true;
  std::string node;
  std::string host = "127.0.0.1";
  std::uint16_t port = 9180;
  bool control_enabled = false;
  std::optional<env_secret> control_token;  ///< required when control is enabled
};

enum class log_level { trace, debug, info, warn, error, critical, off };

struct logging_config {
  log_level level = log_level::info;
  bool console = true;
  std::optional<std::filesystem::path> file;  ///< resolved against the config file's folder
};

struct topology {
  std::vector<node_config> nodes;
  std::vector<exchange_config> exchanges;
  std::vector<strategy_config> strategies;
  supervision_policy supervision;  ///< default for exchanges and strategies
  ops_config ops;
  logging_config logging;
  cluster_config cluster;
  /// The simulated exchanges `tern sim` serves; absent in topologies for real exchanges.
  std::optional<simulator_config> simulator;

  [[nodiscard]] const node_config* find_node(std::string_view name) const noexcept;
  [[nodiscard]] const exchange_config* find_exchange(std::string_view name) const noexcept;
  [[nodiscard]] std::size_t market_count() const noexcept;
};

[[nodiscard]] std::string_view to_string(restart_strategy value) noexcept;
[[nodiscard]] std::string_view to_string(log_level value) noexcept;

/// "2 nodes, 3 exchanges, 5 markets, 1 strategy".
[[nodiscard]] std::string summary(const topology& value);

} // namespace tern::config
