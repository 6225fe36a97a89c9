// Reader for "simulator": the exchanges `tern sim` serves, their markets, drivers and accounts.

#include "config/simulator.hpp"

#include <array>
#include <set>

#include "config/reading.hpp"

namespace tern::config {

namespace {

using detail::read_state;
using detail::unique_names;

constexpr std::array<sim_dialect_info, 4> dialects = {{
    {"binance", market_kind::spot},
    {"binance_perpetual", market_kind::perpetual},
    {"okx", market_kind::spot},
    {"okx_perpetual", market_kind::perpetual},
}};

bool is_okx(std::string_view dialect) { return dialect.starts_with("okx"); }

const decimal_field positive{"0"_d, std::nullopt, true};
const decimal_field non_negative{"0"_d, std::nullopt};
const decimal_field fee_rate{"0"_d, "1"_d, false, true};

double read_double(object_reader& object, std::string_view key, decimal_field bounds, double fallback) {
  auto value = object.optional(key, bounds);
  return value ? value->to_double() : fallback;
}

std::uint64_t read_seed(object_reader& object, std::string_view key, std::uint64_t fallback) {
  return static_cast<std::uint64_t>(
      object.optional(key, integer_field{0, std::numeric_limits<std::int64_t>::max()},
                      static_cast<std::int64_t>(fallback)));
}

sim_random_walk read_walk(const value_at& at) {
  object_reader object{at, "a random_walk object"};
  sim_random_walk walk;
  walk.seed = read_seed(object, "seed", walk.seed);
  walk.jump_seed = read_seed(object, "jump_seed", walk.jump_seed);
  walk.initial_mid = object.required("initial_mid", positive).value_or(decimal{});
  walk.volatility_bps = read_double(object, "volatility_bps", non_negative, walk.volatility_bps);
  walk.step = std::chrono::milliseconds{object.optional("step_ms", integer_field{1, 3'600'000}, std::int64_t{100})};
  walk.levels_per_side = static_cast<int>(object.optional("levels_per_side", integer_field{1, 5000}, std::int64_t{20}));
  walk.spread_ticks = static_cast<int>(object.optional("spread_ticks", integer_field{1, 1'000'000}, std::int64_t{2}));
  walk.level_spacing_ticks =
      static_cast<int>(object.optional("level_spacing_ticks", integer_field{1, 1'000'000}, std::int64_t{1}));
  walk.level_size = object.required("level_size", positive).value_or(decimal{});
  walk.size_jitter = read_double(object, "size_jitter", decimal_field{"0"_d, "1"_d, false, true}, 0.0);
  walk.jump_probability = read_double(object, "jump_probability", decimal_field{"0"_d, "1"_d}, 0.0);
  walk.jump_bps = read_double(object, "jump_bps", non_negative, 0.0);
  walk.jump_steps = static_cast<int>(object.optional("jump_steps", integer_field{0, 1'000'000}, std::int64_t{0}));
  walk.funding_interval =
      std::chrono::seconds{object.optional("funding_interval_s", integer_field{0, 31'536'000}, std::int64_t{0})};
  walk.funding_rate = object.optional("funding_rate", decimal_field{"-1"_d, "1"_d}, decimal{});
  object.finish();
  return walk;
}

sim_replay read_replay(const value_at& at, const read_state& state) {
  object_reader object{at, "a replay object"};
  sim_replay replay;
  if (auto files = object.required_field("files", "an array of capture files")) {
    for_each_element(*files, "capture files", 1, [&](const value_at& element) {
      if (auto file = string_field{}(element)) replay.files.push_back(detail::resolve_path(state, *file));
    });
  }
  replay.speed = read_double(object, "speed", positive, 1.0);
  replay.replay_trades = object.optional("replay_trades", bool_field{}, true);
  object.finish();
  return replay;
}

sim_takers read_takers(const value_at& at) {
  object_reader object{at, "a takers object"};
  sim_takers takers;
  takers.seed = read_seed(object, "seed", takers.seed);
  takers.orders_per_second = read_double(object, "orders_per_second", positive, 1.0);
  takers.min_quantity = object.required("min_quantity", positive).value_or(decimal{});
  takers.max_quantity = object.required("max_quantity", positive).value_or(decimal{});
  takers.buy_probability = read_double(object, "buy_probability", decimal_field{"0"_d, "1"_d}, 0.5);
  object.finish();
  if (takers.max_quantity < takers.min_quantity)
    at.context.error(object.pointer_to("max_quantity"), "max_quantity is less than min_quantity");
  return takers;
}

sim_market_config read_market(const value_at& at, const read_state& state, bool perpetual, bool contracts) {
  object_reader object{at, "a simulated market object"};
  sim_market_config market;
  market.market = object.required("market", detail::market_field{}).value_or("");
  market.tick = object.required("tick", positive).value_or(decimal{});
  market.step = object.required("step", positive).value_or(decimal{});
  market.min_quantity = object.optional("min_quantity", non_negative, decimal{});
  market.min_notional = object.optional("min_notional", non_negative, decimal{});
  market.maker_fee = object.optional("maker_fee", fee_rate, decimal{});
  market.taker_fee = object.optional("taker_fee", fee_rate, decimal{});
  if (perpetual) {
    market.max_leverage = static_cast<int>(object.optional("max_leverage", integer_field{1, 1000}, std::int64_t{125}));
    market.default_leverage =
        static_cast<int>(object.optional("default_leverage", integer_field{1, 1000}, std::int64_t{20}));
  }
  // OKX swaps count sizes in contracts of ctVal base units each.
  if (contracts) market.contract_value = object.required("contract_value", positive).value_or(decimal{});
  if (auto walk = object.optional_field("random_walk")) market.random_walk = read_walk(*walk);
  if (auto replay = object.optional_field("replay")) market.replay = read_replay(*replay, state);
  if (auto takers = object.optional_field("takers")) market.takers = read_takers(*takers);
  object.finish();
  if (market.random_walk && market.replay)
    at.error("give either \"random_walk\" or \"replay\", not both: each shows the market's whole book");
  if (market.random_walk && market.tick.is_positive() &&
      !market.random_walk->initial_mid.is_multiple_of(market.tick))
    at.context.error(object.pointer_to("random_walk"), "initial_mid must be a multiple of tick");
  return market;
}

sim_account_config read_account(const value_at& at, bool passphrase) {
  object_reader object{at, "a simulated account object"};
  sim_account_config account;
  account.pointer = at.pointer;
  account.api_key_env = object.required("api_key_env", env_name_field{}).value_or("");
  account.secret_env = object.required("secret_env", env_name_field{}).value_or("");
  if (passphrase) account.passphrase_env = object.required("passphrase_env", env_name_field{}).value_or("");
  if (auto balances = object.optional_field("balances")) {
    if (!balances->value.is_object()) {
      balances->error("expected an object of asset: amount, got " + describe_json_value(balances->value));
    } else {
      for (const auto& item : balances->value.items()) {
        value_at amount{at.context, item.value(), pointer_append(balances->pointer, item.key())};
        if (auto value = positive(amount)) account.balances.emplace_back(item.key(), *value);
      }
    }
  }
  object.finish();
  return account;
}

std::map<std::string, std::int64_t> read_limits(object_reader& object) {
  std::map<std::string, std::int64_t> limits;
  auto at = object.optional_field("rate_limits");
  if (!at) return limits;
  if (!at->value.is_object()) {
    at->error("expected an object of limit name: number, got " + describe_json_value(at->value));
    return limits;
  }
  for (const auto& item : at->value.items()) {
    value_at value{at->context, item.value(), pointer_append(at->pointer, item.key())};
    if (auto number = integer_field{0, std::numeric_limits<std::int64_t>::max()}(value)) limits[item.key()] = *number;
  }
  return limits;
}

void read_exchange(const value_at& at, read_state& state, unique_names& names, unique_names& ports) {
  object_reader object{at, "a simulated exchange object"};
  sim_exchange_config exchange;
  auto dialect = object.required("dialect", table_field<sim_dialect_info>{dialects, "simulator dialect"});
  if (dialect) {
    exchange.dialect = std::string{(*dialect)->name};
    exchange.kind = (*dialect)->kind;
  }
  exchange.name = object.optional("name", name_field{}, exchange.dialect);
  exchange.port = static_cast<std::uint16_t>(object.optional("port", integer_field{0, 65535}, std::int64_t{0}));
  exchange.rate_limits = read_limits(object);
  if (auto options = object.optional_field("options")) {
    if (!options->value.is_object()) options->error("expected an object of option name: text, got " + describe_json_value(options->value));
    else
      for (const auto& item : options->value.items()) {
        value_at value{options->context, item.value(), pointer_append(options->pointer, item.key())};
        if (auto text = string_field{}(value)) exchange.options[item.key()] = *text;
      }
  }
  bool perpetual = exchange.kind == market_kind::perpetual;
  bool okx = is_okx(exchange.dialect);
  if (auto markets = object.required_field("markets", "an array of simulated markets")) {
    unique_names market_names{"market"};
    for_each_element(*markets, "markets", 1, [&](const value_at& element) {
      auto market = read_market(element, state, perpetual, okx && perpetual);
      if (!market.market.empty() && market_names.insert(element.context, market.market, element.pointer))
        exchange.markets.push_back(std::move(market));
    });
  }
  if (auto accounts = object.optional_field("accounts"))
    for_each_element(*accounts, "accounts", 0, [&](const value_at& element) {
      exchange.accounts.push_back(read_account(element, okx));
    });
  object.finish();
  if (!exchange.name.empty()) names.insert(at.context, exchange.name, object.pointer_to(object.has("name") ? "name" : "dialect"));
  if (exchange.port != 0) ports.insert(at.context, std::to_string(exchange.port), object.pointer_to("port"));
  state.result.simulator->exchanges.push_back(std::move(exchange));
}

} // namespace

std::span<const sim_dialect_info> known_sim_dialects() noexcept { return dialects; }

namespace detail {

void read_simulator(object_reader& root, read_state& state) {
  auto at = root.optional_field("simulator");
  if (!at) return;
  object_reader object{*at, "a simulator object"};
  simulator_config& sim = state.result.simulator.emplace();
  sim.host = object.optional("host", string_field{}, sim.host);
  if (object.has("control_port") && object.optional_field("control_port")->value.is_null())
    sim.control_port.reset();
  else
    sim.control_port = static_cast<std::uint16_t>(object.optional("control_port", integer_field{0, 65535}, std::int64_t{0}));
  if (auto ca = object.required("ca_file", string_field{})) sim.ca_file = resolve_path(state, *ca);
  if (auto file = object.optional("credentials_file", string_field{})) sim.credentials_file = resolve_path(state, *file);
  sim.start_paused = object.optional("start_paused", bool_field{}, false);
  unique_names names{"simulated exchange name"};
  unique_names ports{"simulated exchange port"};
  if (auto exchanges = object.required_field("exchanges", "an array of simulated exchanges"))
    for_each_element(*exchanges, "simulated exchanges", 1, [&](const value_at& element) {
      read_exchange(element, state, names, ports);
    });
  object.finish();
  if (sim.control_port && *sim.control_port != 0)
    ports.insert(root.context(), std::to_string(*sim.control_port), object.pointer_to("control_port"));
}

} // namespace detail

} // namespace tern::config
