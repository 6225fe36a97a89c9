#include "sim/binance/binance_dialect.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

namespace tern::sim::binance {

expected<void, std::string> binance_dialect::attach(exchange_state& state) {
  state_ = &state;
  market_.attach(state);
  // Binance has no dialect options, passphrases or contract sizes: refuse them rather than
  // ignore a setting meant for another exchange.
  if (!state.options.empty()) return unexpected{"unknown option \"" + state.options.begin()->first + "\" (Binance has none)"};
  if (!state.contract_values.empty())
    return unexpected{"market " + state.contract_values.begin()->first + ": Binance sizes are in the base asset; remove contract_value"};
  return limits_.configure(default_limits(), state.rate_limits);
}

void binance_dialect::add_route(route entry) { routes_.push_back(std::move(entry)); }

const binance_dialect::route* binance_dialect::find_route(const std::string& method, const std::string& path,
                                                          bool& path_known) const {
  path_known = false;
  for (const auto& entry : routes_) {
    if (entry.path != path) continue;
    path_known = true;
    if (entry.method == method) return &entry;
  }
  return nullptr;
}

rest_outcome binance_dialect::refuse(const api_error& error, request_record record, timestamp now,
                                     std::optional<std::chrono::seconds> retry_after) {
  rest_outcome outcome;
  outcome.response = error_response(error);
  if (retry_after) outcome.response.headers.emplace_back("Retry-After", std::to_string(retry_after->count()));
  limits_.add_headers(outcome.response, now, std::nullopt);
  record.code = error.code;
  record.used_weight = limits_.used_weight(now);
  record.weight_limit = limits_.weight_limit();
  outcome.record = std::move(record);
  return outcome;
}

rest_outcome binance_dialect::handle_rest(const net::server_request& raw) {
  timestamp now = state_->now();
  request_record record;
  auto parsed = parse_request(raw);
  if (!parsed) return refuse(parsed.error(), std::move(record), now);
  const request& req = *parsed;
  record.api_key = req.api_key;
  if (const std::string* symbol = req.params.find("symbol")) record.symbol = *symbol;
  bool path_known = false;
  const route* entry = find_route(req.method, req.path, path_known);
  if (entry == nullptr) {
    api_error error{path_known ? 405U : 404U, -1020, "This operation is not supported."};
    return refuse(error, std::move(record), now);
  }
  record.new_order = entry->new_order;
  record.weight = entry->weight ? entry->weight(req.params) : 1;
  std::chrono::seconds retry_after{0};
  if (auto refused = limits_.admit(now, record.weight, retry_after)) {
    record.weight = 0;  // refused before it was charged
    return refuse(*refused, std::move(record), now, retry_after);
  }
  auto account = authenticate(req, entry->level, *state_, now);
  if (!account) return refuse(account.error(), std::move(record), now);
  if (entry->new_order) {
    if (auto refused = limits_.admit_order(now, (*account)->account, retry_after))
      return refuse(*refused, std::move(record), now, retry_after);
  }
  call current{req, *account, record, now};
  auto body = entry->handle(current);
  if (!body) return refuse(body.error(), std::move(record), now);
  rest_outcome outcome;
  outcome.response = json_response(200, std::move(*body));
  std::optional<account_id> counted;
  if (entry->new_order && *account != nullptr) {
    counted = (*account)->account;
    record.order_count = limits_.order_count(now, *counted);
  }
  limits_.add_headers(outcome.response, now, counted);
  record.used_weight = limits_.used_weight(now);
  record.weight_limit = limits_.weight_limit();
  outcome.record = std::move(record);
  return outcome;
}

net::server_response binance_dialect::fault_response(const fault& applied) {
  switch (applied.kind) {
    case fault_kind::reject:
      return error_response({applied.status, applied.code,
                             applied.message.empty() ? "Rejected by the simulator's fault plan." : applied.message});
    case fault_kind::rate_limit: {
      bool ban = applied.status == 418;
      std::string until = std::to_string(to_unix_ms(state_->now() + std::chrono::seconds{applied.retry_after_s}));
      auto response = error_response(
          {applied.status, -1003,
           ban ? "Way too much request weight used; IP banned until " + until +
                     ". Please use WebSocket Streams for live updates to avoid bans."
               : "Too much request weight used; current limit is " + std::to_string(limits_.weight_limit()) +
                     " request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."});
      response.headers.emplace_back("Retry-After", std::to_string(applied.retry_after_s));
      return response;
    }
    default:  // server_error: Binance's "execution status unknown" answers
      if (applied.status == 504)
        return error_response({504, -1007,
                               "Timeout waiting for response from backend server. Send status unknown; execution status unknown."});
      return error_response({applied.status, -1001, "Internal error; unable to process your request. Please try again."});
  }
}

void binance_dialect::publish(const event_buffer& events) {
  market_.publish(events);
  publish_user(events);
}

expected<matching_engine*, api_error> binance_dialect::market_of(const request& req) const {
  const std::string* symbol = req.params.find("symbol");
  if (symbol == nullptr || symbol->empty()) return unexpected{missing_parameter("symbol")};
  matching_engine* engine = state_->venue.market(*symbol);
  if (engine == nullptr) return unexpected{api_error{400, -1121, "Invalid symbol."}};
  return engine;
}

expected<std::string, api_error> binance_dialect::required(const request& req, std::string_view name) const {
  const std::string* value = req.params.find(name);
  if (value == nullptr || value->empty()) return unexpected{missing_parameter(name)};
  return *value;
}

expected<decimal, api_error> binance_dialect::required_decimal(const request& req, std::string_view name) const {
  auto text = required(req, name);
  if (!text) return unexpected{text.error()};
  auto value = decimal::parse(*text);
  if (!value) return unexpected{illegal_characters(name)};
  return *value;
}

expected<std::optional<std::int64_t>, api_error> binance_dialect::optional_integer(const request& req,
                                                                                   std::string_view name) const {
  const std::string* text = req.params.find(name);
  if (text == nullptr || text->empty()) return std::optional<std::int64_t>{};
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size()) return unexpected{illegal_characters(name)};
  return std::optional<std::int64_t>{value};
}

expected<std::vector<matching_engine*>, api_error> binance_dialect::markets_of(const request& req) const {
  if (!req.params.has("symbol")) return state_->venue.markets();
  auto engine = market_of(req);
  if (!engine) return unexpected{engine.error()};
  return std::vector<matching_engine*>{*engine};
}

expected<std::string, api_error> binance_dialect::per_market(
    const request& req, const std::function<nlohmann::ordered_json(const matching_engine&)>& render) const {
  auto engines = markets_of(req);
  if (!engines) return unexpected{engines.error()};
  if (req.params.has("symbol")) return render(*engines->front()).dump();
  auto all = nlohmann::ordered_json::array();
  for (const matching_engine* engine : *engines) all.push_back(render(*engine));
  return all.dump();
}

expected<void, api_error> binance_dialect::read_order_fields(const request& req, order_request& order) {
  const std::string* side_text = sent(req, "side");
  if (side_text == nullptr) return unexpected{missing_parameter("side")};
  if (*side_text != "BUY" && *side_text != "SELL") return unexpected{api_error{400, -1117, "Invalid side."}};
  order.side = *side_text == "BUY" ? side::buy : side::sell;
  auto quantity = required_decimal(req, "quantity");
  if (!quantity) return unexpected{quantity.error()};
  order.quantity = *quantity;
  if (order.type != order_type::market) {
    auto price = required_decimal(req, "price");
    if (!price) return unexpected{price.error()};
    order.price = *price;
  }
  // Both flavours default to EXPIRE_MAKER; NONE is refused because the engine never self-trades.
  order.stp = stp_mode::expire_maker;
  if (const std::string* mode = sent(req, "selfTradePreventionMode")) {
    if (*mode == "EXPIRE_TAKER") order.stp = stp_mode::expire_taker;
    else if (*mode == "EXPIRE_BOTH") order.stp = stp_mode::expire_both;
    else if (*mode != "EXPIRE_MAKER")
      return unexpected{api_error{400, -1130, "Data sent for parameter 'selfTradePreventionMode' is not valid."}};
  }
  if (const std::string* id = sent(req, "newClientOrderId")) {
    if (!valid_client_order_id(*id)) return unexpected{illegal_characters("newClientOrderId")};
    order.client_order_id = *id;
  } else {
    order.client_order_id = ids_.next();
  }
  return {};
}

expected<order_view, api_error> binance_dialect::find_order(call& current, const matching_engine& engine) const {
  auto order_id_value = optional_integer(current.req, "orderId");
  if (!order_id_value) return unexpected{order_id_value.error()};
  const std::string* client_id = sent(current.req, "origClientOrderId");
  if (!*order_id_value && client_id == nullptr)
    return unexpected{api_error{400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!"}};
  account_id owner = current.account->account;
  auto found = *order_id_value ? engine.find_order(owner, **order_id_value)
                               : engine.find_order_by_client_id(owner, *client_id);
  if (!found || (client_id != nullptr && found->client_order_id != *client_id))
    return unexpected{api_error{400, -2013, "Order does not exist."}};
  current.record.order_id = found->id;
  current.record.client_order_id = found->client_order_id;
  return *found;
}

expected<std::string, api_error> binance_dialect::query_order(call& current, const order_renderer& render) const {
  auto engine = market_of(current.req);
  if (!engine) return unexpected{engine.error()};
  auto found = find_order(current, **engine);
  if (!found) return unexpected{found.error()};
  return render(*found).dump();
}

expected<std::string, api_error> binance_dialect::open_orders(call& current, const order_renderer& render) const {
  auto engines = markets_of(current.req);
  if (!engines) return unexpected{engines.error()};
  auto all = nlohmann::ordered_json::array();
  for (const matching_engine* engine : *engines)
    for (const auto& order : engine->open_orders(current.account->account)) all.push_back(render(order));
  return all.dump();
}

} // namespace tern::sim::binance
