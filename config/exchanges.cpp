// Reader for "exchanges": accounts, their markets and how their credentials are given.

#include <algorithm>
#include <array>
#include <cctype>

#include "config/connectors.hpp"
#include "config/reading.hpp"

namespace tern::config::detail {

namespace {
constexpr std::array<choice<bool>, 2> journal_syncs = {{{"normal", false}, {"full", true}}};
} // namespace

namespace {

bool is_symbol_part(std::string_view part) {
  return !part.empty() && part.size() <= 20 && std::all_of(part.begin(), part.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

// What the user probably meant: capitals, and '-' in place of '/', '_' or ' '.
std::string normalised_market(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '/' || c == '_' || c == ' ') c = '-';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::optional<env_secret> read_env_secret(object_reader& object, std::string_view key, bool required) {
  std::optional<std::string> variable =
      required ? object.required(key, env_name_field{}) : object.optional(key, env_name_field{});
  if (!variable) return std::nullopt;
  return env_secret{*variable, object.pointer_to(key)};
}

credentials_source read_credentials(const value_at& at, const connector_info* connector,
                                                   const read_state& state) {
  object_reader object{at, "a credentials object"};
  if (!object.is_object()) return env_credentials{};  // reported; present all the same
  bool env_form = object.has("api_key_env") || object.has("secret_env") || object.has("passphrase_env");
  if (auto file = object.optional("secrets_file", string_field{})) {
    for (std::string_view key : {"api_key_env", "secret_env", "passphrase_env"}) (void)object.optional_field(key);
    object.finish();
    if (env_form) at.error("give either \"secrets_file\" or the \"*_env\" keys, not both");
    return file_credentials{resolve_path(state, file.value_or("")), object.pointer_to("secrets_file")};
  }
  env_credentials env;
  auto api_key = read_env_secret(object, "api_key_env", true);
  auto api_secret = read_env_secret(object, "secret_env", true);
  bool needs_passphrase = connector != nullptr && connector->needs_passphrase;
  env.passphrase = read_env_secret(object, "passphrase_env", needs_passphrase);
  object.finish();
  if (connector != nullptr && !needs_passphrase && object.has("passphrase_env"))
    at.context.error(object.pointer_to("passphrase_env"),
                     quote(connector->name) + " API keys have no passphrase; remove \"passphrase_env\"");
  // Returned even when incomplete (the errors are reported), so that strategies do not also
  // report the exchange as having no credentials.
  if (api_key) env.api_key = std::move(*api_key);
  if (api_secret) env.api_secret = std::move(*api_secret);
  return env;
}

void read_markets(object_reader& object, exchange_config& exchange, read_state& state) {
  auto at = object.required_field("markets", "an array of markets written BASE-QUOTE");
  if (!at) {
    state.exchanges_with_unread_markets.insert(exchange.name);
    return;
  }
  unique_names markets{"market"};
  bool complete = at->value.is_array();
  for_each_element(*at, "markets", 1, [&](const value_at& element) {
    auto market = market_field{}(element);
    if (!market) complete = false;
    else if (markets.insert(element.context, *market, element.pointer)) exchange.markets.push_back(*market);
  });
  if (!complete) state.exchanges_with_unread_markets.insert(exchange.name);
}

} // namespace

std::optional<std::string> market_field::operator()(const value_at& at) const {
  if (!at.value.is_string()) {
    at.error("expected " + describe() + ", got " + describe_json_value(at.value));
    return std::nullopt;
  }
  const auto& text = at.value.get_ref<const std::string&>();
  auto dash = text.find('-');
  if (dash != std::string::npos && is_symbol_part(std::string_view{text}.substr(0, dash)) &&
      is_symbol_part(std::string_view{text}.substr(dash + 1)))
    return text;
  std::string message = "expected " + describe() + ", got " + quote(text);
  std::string guess = normalised_market(text);
  auto guess_dash = guess.find('-');
  if (guess != text && guess_dash != std::string::npos && is_symbol_part(std::string_view{guess}.substr(0, guess_dash)) &&
      is_symbol_part(std::string_view{guess}.substr(guess_dash + 1)))
    message += " (did you mean " + quote(guess) + "?)";
  at.error(std::move(message));
  return std::nullopt;
}

void read_exchanges(object_reader& root, read_state& state) {
  auto exchanges = root.required_field("exchanges", "an array of exchange accounts");
  if (!exchanges || !exchanges->value.is_array()) state.exchange_names_complete = false;
  if (!exchanges) return;
  unique_names names{"exchange name"};
  for_each_element(*exchanges, "exchange accounts", 1, [&](const value_at& at) {
    object_reader object{at, "an exchange object"};
    exchange_config exchange;
    auto connector = object.required("connector", table_field<connector_info>{known_connectors(), "connector"});
    const connector_info* info = connector.value_or(nullptr);
    auto name = object.optional("name", name_field{});
    if (!name && !object.has("name") && info != nullptr) name = std::string{info->name};
    if (!name) state.exchange_names_complete = false;
    exchange.name = name.value_or("");
    if (info != nullptr) {
      exchange.connector = info->name;
      exchange.kind = info->kind;
    }
    exchange.node = read_node_reference(object, state);
    read_markets(object, exchange, state);
    if (auto credentials = object.optional_field("credentials"))
      exchange.credentials = read_credentials(*credentials, info, state);
    exchange.supervision = read_supervision(object, state.result.supervision);
    auto journal = object.optional("journal", string_field{});
    exchange.journal = resolve_path(state, journal.value_or("journal/" + exchange.name + ".sqlite"));
    exchange.journal_full_sync =
        object.optional("journal_sync", choice_field<bool>{journal_syncs, "journal sync mode"})
            .value_or(false);
    object.finish();
    // Kept even when invalid (the topology is only returned without errors), so references to
    // it are not reported as undefined on top of its own errors.
    if (name && names.insert(at.context, *name, object.pointer_to(object.has("name") ? "name" : "connector")))
      state.result.exchanges.push_back(std::move(exchange));
  });
}

} // namespace tern::config::detail
