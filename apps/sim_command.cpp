// `tern sim --config FILE`: serves the topology's simulated exchanges on the loopback (TLS, each
// exchange's wire protocol), prints one line per endpoint, and runs until SIGINT or SIGTERM.

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#include "actors/signal_watch.hpp"
#include "apps/commands.hpp"
#include "config/loader.hpp"
#include "sim/server.hpp"

namespace tern::apps {

namespace {

struct sim_flags {
  std::string config;
  std::string ca_file;
  std::string credentials_file;
  bool paused = false;
};

sim::random_walk_config walk_of(const config::sim_random_walk& in) {
  sim::random_walk_config out;
  out.seed = in.seed;
  out.jump_seed = in.jump_seed;
  out.initial_mid = in.initial_mid;
  out.volatility_bps = in.volatility_bps;
  out.step_interval = in.step;
  out.levels_per_side = in.levels_per_side;
  out.spread_ticks = in.spread_ticks;
  out.level_spacing_ticks = in.level_spacing_ticks;
  out.level_size = in.level_size;
  out.size_jitter = in.size_jitter;
  out.jump_probability = in.jump_probability;
  out.jump_bps = in.jump_bps;
  out.jump_steps = in.jump_steps;
  out.funding_interval = in.funding_interval;
  out.funding_rate = in.funding_rate;
  return out;
}

sim::market_setup market_of(const config::sim_market_config& in) {
  sim::market_setup out;
  auto dash = in.market.find('-');
  out.spec.base = in.market.substr(0, dash);
  out.spec.quote = in.market.substr(dash + 1);
  out.spec.tick = in.tick;
  out.spec.step = in.step;
  out.spec.min_quantity = in.min_quantity;
  out.spec.min_notional = in.min_notional;
  out.spec.maker_fee_rate = in.maker_fee;
  out.spec.taker_fee_rate = in.taker_fee;
  out.spec.max_leverage = in.max_leverage;
  out.spec.default_leverage = in.default_leverage;
  out.contract_value = in.contract_value;
  if (in.random_walk) out.random_walk = walk_of(*in.random_walk);
  if (in.replay) {
    sim::capture_replay_config replay;
    for (const auto& file : in.replay->files) replay.files.push_back(file.string());
    replay.speed = in.replay->speed;
    replay.replay_trades = in.replay->replay_trades;
    out.replay = replay;
  }
  if (in.takers) {
    sim::taker_flow_config takers;
    takers.seed = in.takers->seed;
    takers.orders_per_second = in.takers->orders_per_second;
    takers.min_quantity = in.takers->min_quantity;
    takers.max_quantity = in.takers->max_quantity;
    takers.buy_probability = in.takers->buy_probability;
    out.takers = takers;
  }
  return out;
}

/// 64 letters and digits: the length and alphabet of Binance API keys and secrets.
std::string random_credential() {
  static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device source;
  std::uniform_int_distribution<std::size_t> pick{0, alphabet.size() - 1};
  std::string out;
  for (int i = 0; i < 64; ++i) out += alphabet[pick(source)];
  return out;
}

/// The value of `variable`, or a generated one recorded in `generated` when it is unset and
/// generating is allowed; nullopt (and a message) when it is unset and not allowed.
std::optional<std::string> credential(const std::string& variable, const std::string& pointer, bool may_generate,
                                      std::string& generated) {
  if (const char* value = std::getenv(variable.c_str()); value != nullptr && *value != '\0') return std::string{value};
  if (!may_generate) {
    std::cerr << "tern sim: " << pointer << ": environment variable " << variable
              << " is not set (set it, or give the simulator a \"credentials_file\" to generate keys into)\n";
    return std::nullopt;
  }
  std::string value = random_credential();
  generated += "export " + variable + "=" + value + "\n";
  return value;
}

bool write_private_file(const std::filesystem::path& path, const std::string& text) {
  std::error_code ignored;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ignored);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    std::cerr << "tern sim: cannot write " << path.string() << ": " << std::strerror(errno) << '\n';
    return false;
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

/// The server options from the topology's simulator section; nullopt after printing why not.
std::optional<sim::server_options> options_of(const config::simulator_config& in, const sim_flags& flags) {
  sim::server_options out;
  out.host = in.host;
  out.control_port = in.control_port;
  out.ca_file = flags.ca_file.empty() ? in.ca_file.string() : flags.ca_file;
  out.start_paused = in.start_paused || flags.paused;
  std::filesystem::path credentials_file = in.credentials_file.value_or(std::filesystem::path{});
  if (!flags.credentials_file.empty()) credentials_file = flags.credentials_file;
  std::string generated;
  for (const auto& exchange : in.exchanges) {
    sim::exchange_setup setup;
    setup.name = exchange.name;
    setup.dialect = exchange.dialect;
    setup.port = exchange.port;
    setup.rate_limits = exchange.rate_limits;
    setup.options = exchange.options;
    for (const auto& market : exchange.markets) setup.markets.push_back(market_of(market));
    for (const auto& account : exchange.accounts) {
      auto key = credential(account.api_key_env, account.pointer, !credentials_file.empty(), generated);
      auto secret = credential(account.secret_env, account.pointer, !credentials_file.empty(), generated);
      if (!key || !secret) return std::nullopt;
      std::optional<std::string> passphrase = std::string{};
      if (!account.passphrase_env.empty())
        passphrase = credential(account.passphrase_env, account.pointer, !credentials_file.empty(), generated);
      if (!passphrase) return std::nullopt;
      setup.accounts.push_back({*key, *secret, account.balances, *passphrase});
    }
    out.exchanges.push_back(std::move(setup));
  }
  if (!generated.empty()) {
    if (!write_private_file(credentials_file, generated)) return std::nullopt;
    std::cout << "credentials: " << credentials_file.string() << " (generated; source it before starting Tern)\n";
  }
  if (std::filesystem::path ca{out.ca_file}; ca.has_parent_path()) {
    std::error_code ignored;
    std::filesystem::create_directories(ca.parent_path(), ignored);
  }
  return out;
}

int run_simulator(const sim_flags& flags) {
  config::load_result loaded = config::load_topology_file(flags.config);
  for (const auto& d : loaded.diagnostics) std::cerr << flags.config << ": " << d.to_string() << '\n';
  if (!loaded.value) return exit_failure;
  if (!loaded.value->simulator) {
    std::cerr << flags.config << ": has no \"simulator\" section: nothing to serve\n";
    return exit_failure;
  }
  auto options = options_of(*loaded.value->simulator, flags);
  if (!options) return exit_failure;
  signal_watch signals;  // installed before serving, so a signal during start-up is not lost
  auto started = sim::server::start(std::move(*options));
  if (!started) {
    std::cerr << "tern sim: " << started.error() << '\n';
    return exit_failure;
  }
  for (const auto& line : (*started)->endpoint_lines()) std::cout << line << '\n';
  std::cout << "serving; stop with Ctrl-C" << std::endl;
  int signal = signals.wait();
  (*started)->stop();
  std::cout << "stopped (signal " << signal << ")" << std::endl;
  return exit_ok;
}

} // namespace

void add_sim_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "sim", "Serve the topology's simulated exchanges (REST and WebSocket over TLS on the loopback)");
  command->footer(
      "Prints one line per endpoint (\"binance rest: https://127.0.0.1:PORT\", \"... ws: wss://...\",\n"
      "\"control: http://...\", \"ca: PATH\") and serves until SIGINT or SIGTERM. Clients trust the CA file\n"
      "written at start. See docs/simulator.md.");
  auto flags = std::make_shared<sim_flags>();
  command->add_option("--config", flags->config, "Topology file with a \"simulator\" section")->required();
  command->add_option("--ca-file", flags->ca_file, "Write the CA certificate here instead of the configured path");
  command->add_option("--credentials-file", flags->credentials_file,
                      "Write generated credentials here instead of the configured path");
  command->add_flag("--paused", flags->paused, "Start with the market drivers paused (step them via the control API)");
  command->callback([flags, &exit_code] { exit_code = run_simulator(*flags); });
}

} // namespace tern::apps
