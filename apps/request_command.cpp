// `tern request EXCHANGE CALL --param k=v ... --key K --secret S --timestamp T --dry-run`:
// prints, as JSON, the exact HTTP request the connector would send for CALL, signed with the
// given credentials at the given time. Sending is not available yet, so --dry-run is required.

#include <charconv>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/commands.hpp"
#include "connectors/registry.hpp"

namespace tern::apps {

namespace {

constexpr std::string_view known_calls =
    "place-order, cancel-order, order-status, balances, open-orders, positions, position-mode, "
    "funding-info, funding-payments";

/// A problem with the command line: printed, exit 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct request_options {
  std::string exchange;
  std::string call;
  std::vector<std::string> params;
  std::string key;
  std::string secret;
  std::string passphrase;
  std::int64_t timestamp = 0;
  std::int64_t recv_window = 5000;
  bool dry_run = false;
};

query_params split_params(const std::vector<std::string>& texts) {
  query_params out;
  for (const std::string& text : texts) {
    auto equals = text.find('=');
    if (equals == std::string::npos || equals == 0)
      throw usage_error{"--param expects name=value, got \"" + text + "\""};
    std::string name = text.substr(0, equals);
    if (find_param(out, name) != nullptr)
      throw usage_error{"--param " + name + " given twice"};
    out.push_back({name, text.substr(equals + 1)});
  }
  return out;
}

// Removes and returns parameter `name`.
std::optional<std::string> take(query_params& params, std::string_view name) {
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (it->name == name) {
      std::string value = std::move(it->value);
      params.erase(it);
      return value;
    }
  }
  return std::nullopt;
}

std::string require(query_params& params, std::string_view name, std::string_view call) {
  auto value = take(params, name);
  if (!value || value->empty())
    throw usage_error{std::string{call} + " needs --param " + std::string{name} + "=..."};
  return *value;
}

template <class T>
T choose(const std::string& value, std::string_view name,
         std::initializer_list<std::pair<std::string_view, T>> choices) {
  std::string known;
  for (const auto& [text, result] : choices) {
    if (value == text)
      return result;
    known += (known.empty() ? "" : ", ") + std::string{text};
  }
  throw usage_error{std::string{name} + " must be one of " + known + ", got \"" + value + "\""};
}

decimal decimal_param(query_params& params, std::string_view name, std::string_view call) {
  std::string text = require(params, name, call);
  auto value = decimal::parse(text);
  if (!value)
    throw usage_error{std::string{name} + ": " + value.error().message()};
  return *value;
}

order_request order_from(query_params& params, const exchange_protocol& protocol) {
  order_request order;
  order.order_side = choose<side>(require(params, "side", "place-order"), "side",
                                  {{"buy", side::buy}, {"sell", side::sell}});
  order.type = choose<order_type>(take(params, "type").value_or("limit"), "type",
                                  {{"limit", order_type::limit},
                                   {"limit_maker", order_type::limit_maker},
                                   {"market", order_type::market}});
  if (order.type != order_type::market)
    order.price = decimal_param(params, "price", "a limit order");
  order.amount = decimal_param(params, "amount", "place-order");
  order.tif = choose<time_in_force>(take(params, "tif").value_or("gtc"), "tif",
                                    {{"gtc", time_in_force::gtc}, {"ioc", time_in_force::ioc},
                                     {"fok", time_in_force::fok}});
  order.client_order_id = take(params, "client_id").value_or("");
  if (auto size = take(params, "contract_size")) {
    auto value = decimal::parse(*size);
    if (!value || !value->is_positive())
      throw usage_error{"contract_size must be a positive decimal, got \"" + *size + "\""};
    order.contract_size = *value;
  }
  auto action = take(params, "action");
  auto mode = take(params, "position_mode");
  if (protocol.info().kind == market_kind::perpetual) {
    order.action = choose<position_action>(action.value_or("open"), "action",
                                           {{"open", position_action::open},
                                            {"close", position_action::close}});
    order.mode = choose<position_mode>(mode.value_or("one_way"), "position_mode",
                                       {{"one_way", position_mode::one_way},
                                        {"hedge", position_mode::hedge}});
  } else if (action || mode) {
    throw usage_error{"action and position_mode apply to perpetual connectors only"};
  }
  order.extra = std::move(params);  // exchange-specific parameters pass through
  params.clear();
  return order;
}

std::string symbol_from(query_params& params, const exchange_protocol& protocol,
                        std::string_view call) {
  auto pair = trading_pair::parse(require(params, "market", call));
  if (!pair)
    throw usage_error{"market: " + pair.error().message()};
  return protocol.default_symbol(*pair);
}

expected<prepared_request, request_error> build(const request_options& options,
                                                const exchange_protocol& protocol,
                                                const signing_context& signing) {
  query_params params = split_params(options.params);
  const std::string& call = options.call;
  auto no_more = [&](expected<prepared_request, request_error> built) {
    if (!params.empty())
      throw usage_error{"--param " + params.front().name + " is not used by " + call};
    return built;
  };
  if (call == "place-order") {
    std::string symbol = symbol_from(params, protocol, call);
    order_request order = order_from(params, protocol);
    return protocol.place_order(symbol, order, signing);
  }
  if (call == "cancel-order" || call == "order-status") {
    std::string symbol = symbol_from(params, protocol, call);
    std::string client_id = require(params, "client_id", call);
    return no_more(call == "cancel-order" ? protocol.cancel_order(symbol, client_id, signing)
                                          : protocol.order_status(symbol, client_id, signing));
  }
  if (call == "open-orders")
    return no_more(protocol.open_orders(symbol_from(params, protocol, call), signing));
  if (call == "balances")
    return no_more(protocol.balances(signing));
  // Perpetuals only: the connector answers `unsupported` for spot.
  if (call == "positions")
    return no_more(protocol.positions(signing));
  if (call == "position-mode")
    return no_more(protocol.position_mode(signing));
  if (call == "funding-info")
    return no_more(protocol.funding_info(symbol_from(params, protocol, call)));
  if (call == "funding-payments") {
    std::string symbol = symbol_from(params, protocol, call);
    std::string text = require(params, "since", call);  // unix milliseconds
    std::int64_t since = -1;
    auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), since);
    if (problem != std::errc{} || end != text.data() + text.size() || since < 0)
      throw usage_error{"since must be unix milliseconds, got \"" + text + "\""};
    return no_more(protocol.funding_payments(symbol, from_unix_ms(since), signing));
  }
  throw usage_error{"unknown call \"" + call + "\" (known: " + std::string{known_calls} + ")"};
}

// The passphrase (OKX) travels in a header; the printout shows that header masked.
nlohmann::ordered_json describe(const prepared_request& request, std::string_view passphrase) {
  nlohmann::ordered_json out;
  out["method"] = request.http.method;
  out["url"] = request.url();
  nlohmann::ordered_json headers = nlohmann::ordered_json::object();
  for (const auto& [name, value] : request.http.headers)
    headers[name] = !passphrase.empty() && value == passphrase ? std::string{"***"} : value;
  out["headers"] = headers;
  out["body"] = request.http.body;
  out["rate_limit"] = request.limit_id;
  out["kind"] = std::string{to_string(request.kind)};
  return out;
}

int run(const request_options& options) {
  if (!options.dry_run)
    throw usage_error{"sending is not available yet: pass --dry-run to print the request"};
  auto protocol = make_protocol(options.exchange);
  if (!protocol)
    throw usage_error{protocol.error()};
  credentials keys{options.key, options.secret, options.passphrase};
  std::optional<std::int64_t> window;
  if (options.recv_window > 0)
    window = options.recv_window;
  auto request = build(options, **protocol, signing_context{keys, options.timestamp, window});
  if (!request)
    throw usage_error{request.error().message};
  std::string text = describe(*request, options.passphrase).dump(2);
  // The secret signs the request and must never be printed; a parameter that repeats it would.
  if (!options.secret.empty() && text.find(options.secret) != std::string::npos) {
    std::cerr << "tern request: refusing to print a request that contains the secret\n";
    return exit_failure;
  }
  std::cout << text << '\n';
  return exit_ok;
}

} // namespace

void add_request_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "request", "Print the signed HTTP request a connector would send (dry run only for now)");
  command->footer(
      "CALL: place-order, cancel-order, order-status, balances, open-orders; perpetuals also\n"
      "positions, position-mode, funding-info (market) and funding-payments (market, since: unix\n"
      "milliseconds).\n"
      "Parameters (--param name=value): market (BASE-QUOTE), side (buy|sell), type (limit,\n"
      "limit_maker, market; default limit), price, amount, tif (gtc|ioc|fok), client_id; for\n"
      "perpetuals action (open|close; default open), position_mode (one_way|hedge) and, where the\n"
      "exchange sizes orders in contracts (okx_perpetual), contract_size (base per contract). Any\n"
      "other parameter is passed to the exchange as given (place-order only).\n"
      "OKX keys need --passphrase; the output shows it masked.\n"
      "--timestamp fixes every time-derived field, so the output is reproducible. The output\n"
      "shows the API key header and the signature, never the secret.\n"
      "Sending is not available yet: --dry-run is required, and the command prints the request.");
  auto options = std::make_shared<request_options>();
  command->add_option("EXCHANGE", options->exchange,
                      "Connector: binance, binance_perpetual, okx, okx_perpetual")
      ->required();
  command->add_option("CALL", options->call, "What to request")->required();
  command->add_option("--param", options->params, "name=value, repeatable");
  command->add_option("--key", options->key, "API key")->required();
  command->add_option("--secret", options->secret, "API secret (used to sign, never printed)")->required();
  command->add_option("--passphrase", options->passphrase, "API passphrase (OKX)");
  command->add_option("--timestamp", options->timestamp, "Request time, Unix milliseconds")->required();
  command->add_option("--recv-window", options->recv_window,
                      "recvWindow in milliseconds (default 5000; 0 leaves it out)");
  command->add_flag("--dry-run", options->dry_run, "Print the request instead of sending it (required)")
      ->required();
  command->callback([options, &exit_code] {
    try {
      exit_code = run(*options);
    } catch (const usage_error& error) {
      std::cerr << "tern request: " << error.what() << '\n';
      exit_code = exit_usage;
    }
  });
}

} // namespace tern::apps
