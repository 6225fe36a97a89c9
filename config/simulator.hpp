#pragma once

// The "simulator" section of a topology: the simulated exchanges `tern sim` serves on the
// loopback (their dialect, markets and rules, what moves each market, user accounts), where it
// writes its CA certificate, and its control port. See docs/configuration.md.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/decimal.hpp"
#include "core/types.hpp"

namespace tern::config {

/// A seeded random walk of the mid with background liquidity around it (sim/random_walk.hpp).
struct sim_random_walk {
  std::uint64_t seed = 1;
  std::uint64_t jump_seed = 2;
  decimal initial_mid;
  double volatility_bps = 1.0;
  std::chrono::milliseconds step{100};
  int levels_per_side = 20;
  int spread_ticks = 2;
  int level_spacing_ticks = 1;
  decimal level_size;
  double size_jitter = 0.0;
  double jump_probability = 0.0;
  double jump_bps = 0.0;
  int jump_steps = 0;
  std::chrono::seconds funding_interval{0};
  decimal funding_rate;
};

/// A replay of recorded Binance frames (sim/capture_replay.hpp).
struct sim_replay {
  std::vector<std::filesystem::path> files;  ///< resolved against the config file's folder
  double speed = 1.0;
  bool replay_trades = true;
};

/// Third-party market orders arriving at random (sim/taker_flow.hpp).
struct sim_takers {
  std::uint64_t seed = 3;
  double orders_per_second = 1.0;
  decimal min_quantity;
  decimal max_quantity;
  double buy_probability = 0.5;
};

struct sim_market_config {
  std::string market;  ///< "BTC-USDT"
  decimal tick;
  decimal step;
  decimal min_quantity;
  decimal min_notional;
  decimal maker_fee;
  decimal taker_fee;
  int max_leverage = 125;
  int default_leverage = 20;
  /// OKX swaps: base units per contract (ctVal); zero elsewhere.
  decimal contract_value;
  std::optional<sim_random_walk> random_walk;
  std::optional<sim_replay> replay;
  std::optional<sim_takers> takers;
};

/// A user account: credentials by environment variable (the same names the exchange entry's
/// credentials use, so Tern and the simulator agree), and its opening balances.
struct sim_account_config {
  std::string api_key_env;
  std::string secret_env;
  std::string passphrase_env;  ///< OKX dialects: the API key's passphrase; empty elsewhere
  std::string pointer;  ///< where the config names the account, for messages at run time
  std::vector<std::pair<std::string, decimal>> balances;
};

struct sim_exchange_config {
  std::string name;
  std::string dialect;  ///< "binance", "binance_perpetual", "okx", "okx_perpetual"
  market_kind kind = market_kind::spot;
  std::uint16_t port = 0;  ///< 0: any free port
  std::map<std::string, std::int64_t> rate_limits;
  /// Dialect settings by name (OKX: "books_checksum"); the dialect checks them at start.
  std::map<std::string, std::string, std::less<>> options;
  std::vector<sim_market_config> markets;
  std::vector<sim_account_config> accounts;
};

struct simulator_config {
  std::string host = "127.0.0.1";
  std::optional<std::uint16_t> control_port = 0;  ///< nullopt: no control API; 0: any port
  std::filesystem::path ca_file;                  ///< required; resolved against the config's folder
  /// Where generated credentials go when an account's variables are unset; none: unset
  /// variables are an error.
  std::optional<std::filesystem::path> credentials_file;
  bool start_paused = false;
  std::vector<sim_exchange_config> exchanges;
};

/// A dialect the simulator speaks, and the kind of market it serves.
struct sim_dialect_info {
  std::string_view name;
  market_kind kind;
};

[[nodiscard]] std::span<const sim_dialect_info> known_sim_dialects() noexcept;

} // namespace tern::config
