#include "sim/okx/okx_dialect.hpp"

#include <algorithm>
#include <cstdio>

namespace tern::sim::okx {

namespace {

constexpr std::string_view public_path = "/ws/v5/public";
constexpr std::string_view private_path = "/ws/v5/private";

} // namespace

okx_dialect::okx_dialect(flavour kind) : flavour_(kind) {
  add_public_routes();
  add_trading_routes();
  add_account_routes();
}

std::string_view okx_dialect::name() const noexcept { return flavour_ == flavour::spot ? "okx" : "okx_perpetual"; }

market_kind okx_dialect::kind() const noexcept {
  return flavour_ == flavour::spot ? market_kind::spot : market_kind::perpetual;
}

std::string okx_dialect::symbol_for(std::string_view base, std::string_view quote) const {
  std::string id = std::string{base} + "-" + std::string{quote};
  return flavour_ == flavour::spot ? id : id + "-SWAP";
}

void okx_dialect::check_options(std::vector<std::string>& problems) {
  for (const auto& [key, value] : state_->options) {
    if (key != "books_checksum") {
      problems.push_back("unknown option \"" + key + "\" (known: books_checksum)");
    } else if (value == "crc32" || value == "zero") {
      crc32_checksums_ = value == "crc32";
    } else {
      problems.push_back("books_checksum must be \"crc32\" (the default) or \"zero\", got \"" + value + "\"");
    }
  }
  for (const auto& [key, value] : state_->rate_limits) {
    bool known = key == sub_account_orders_limit;
    for (const auto& entry : routes_) known = known || key == entry.method + " " + entry.path;
    if (!known) problems.push_back("unknown rate limit \"" + key + "\" (give \"METHOD /api/v5/...\" or ORDERS_2S)");
    else if (key == sub_account_orders_limit) limits_.set_order_limit(value);
  }
}

expected<void, std::string> okx_dialect::attach(exchange_state& state) {
  state_ = &state;
  std::vector<std::string> problems;
  check_options(problems);
  for (auto& entry : routes_)
    if (auto found = state.rate_limits.find(entry.method + " " + entry.path); found != state.rate_limits.end())
      entry.limit.count = found->second;
  int number = 0;
  for (const matching_engine* engine : state.venue.markets()) {
    const market_spec& spec = engine->spec();
    market_numbers_[spec.symbol] = ++number;
    bool has_value = state.contract_values.contains(spec.symbol);
    if (flavour_ == flavour::spot && has_value)
      problems.push_back("market " + spec.symbol + ": spot sizes are in the base asset; remove contract_value");
    if (flavour_ == flavour::swap && !has_value)
      problems.push_back("market " + spec.symbol + ": okx_perpetual needs contract_value (ctVal, base per contract)");
    if (has_value && decimal::multiply(contract_value(spec.symbol), to_venue_size(spec.symbol, spec.step), rounding::down) != spec.step)
      problems.push_back("market " + spec.symbol + ": step " + spec.step.to_string() +
                         " is not a whole number of lots of contract_value " +
                         state.contract_values.at(spec.symbol).to_string());
  }
  if (number > 999) problems.push_back("at most 999 markets per OKX exchange (order ids carry the market)");
  if (problems.empty()) return {};
  std::string joined;
  for (const auto& problem : problems) joined += (joined.empty() ? "" : "; ") + problem;
  return unexpected{joined};
}

const okx_dialect::route* okx_dialect::find_route(const std::string& method, const std::string& path,
                                                   bool& known) const {
  known = false;
  for (const auto& entry : routes_) {
    if (entry.path != path) continue;
    known = true;
    if (entry.method == method) return &entry;
  }
  return nullptr;
}

rest_outcome okx_dialect::refuse(const api_error& error, request_record record) {
  rest_outcome outcome;
  outcome.response = error_response(error);
  std::string code = error.code;
  // An order item's own failure is more telling than the envelope's "1".
  if (code == "1" && !error.data.empty()) code = text_of(error.data.front(), "sCode").value_or(code);
  record.code = std::strtoll(code.c_str(), nullptr, 10);
  outcome.record = std::move(record);
  return outcome;
}

std::string okx_dialect::scope_key(const route& entry, const request& req, const account_credentials* account) const {
  std::string user = account != nullptr ? std::to_string(account->account) : "ip";
  std::string instrument = param(req, "instId").value_or("");
  switch (entry.limit.scope) {
    case limit_scope::ip: return "ip";
    case limit_scope::ip_instrument: return "ip|" + instrument;
    case limit_scope::user: return user;
    case limit_scope::user_instrument: return user + "|" + instrument;
  }
  return "ip";
}

rest_outcome okx_dialect::handle_rest(const net::server_request& raw) {
  timestamp now = state_->now();
  request_record record;
  auto parsed = parse_request(raw);
  if (!parsed) return refuse(parsed.error(), std::move(record));
  const request& req = *parsed;
  record.api_key = req.api_key;
  record.symbol = param(req, "instId").value_or("");
  bool known = false;
  const route* entry = find_route(req.method, req.path, known);
  if (entry == nullptr)
    return refuse(known ? api_error{405, "50115", "Invalid request method."}
                        : api_error{404, "50005", "API endpoint is inactive or unavailable."},
                  std::move(record));
  record.new_order = entry->new_order;
  const account_credentials* account = nullptr;
  if (entry->is_private) {
    auto checked = authenticate(req, *state_, now);
    if (!checked) return refuse(checked.error(), std::move(record));
    account = *checked;
  }
  std::int64_t used = 0;
  record.weight = 1;
  record.weight_limit = entry->limit.count;
  if (!limits_.admit(entry->method + " " + entry->path, entry->limit, scope_key(*entry, req, account), now, used)) {
    record.weight = 0;  // refused before it was counted
    record.used_weight = used;
    return refuse({429, "50011", "Too Many Requests"}, std::move(record));
  }
  record.used_weight = used;
  if (req.body_error) return refuse(*req.body_error, std::move(record));
  if (entry->new_order && account != nullptr) {
    if (!limits_.admit_order(account->account, now, record.order_count))
      return refuse({200, "50061", "You've reached the maximum order rate limit for this account."}, std::move(record));
  }
  call current{req, account, record, now};
  auto result = entry->handle(current);
  if (!result) return refuse(result.error(), std::move(record));
  json extra = json::object();
  if (result->gateway_times) extra = {{"inTime", micros(now)}, {"outTime", micros(state_->now())}};
  rest_outcome outcome;
  outcome.response = envelope(200, result->code, result->msg, result->data, extra);
  outcome.record = std::move(record);
  return outcome;
}

net::server_response okx_dialect::fault_response(const fault& applied) {
  switch (applied.kind) {
    case fault_kind::reject:
      return error_response({applied.status, std::to_string(applied.code),
                             applied.message.empty() ? "Rejected by the simulator's fault plan." : applied.message});
    case fault_kind::rate_limit:
      // OKX documents no Retry-After; a client backs off on 50011 by itself.
      return error_response({applied.status, "50011", "Too Many Requests"});
    default:
      if (applied.status == 503)
        return error_response({503, "50001", "Service temporarily unavailable. Please try again later."});
      if (applied.status == 504)
        return error_response({504, "50004",
                               "API endpoint request timeout. (does not mean that the request was successful or "
                               "failed, please check the request result)."});
      return error_response({applied.status, "50026", "System error. Try again later"});
  }
}

bool okx_dialect::open_stream(stream_session& session) {
  auto path = split_target(session.target).first;
  if (path != public_path && path != private_path) return false;
  connection& conn = connections_[session.id];
  conn.is_private = path == private_path;
  std::array<char, 16> id{};
  std::snprintf(id.data(), id.size(), "%08llx",
                static_cast<unsigned long long>((session.id * 0x9e3779b97f4a7c15ULL) >> 32U));
  conn.conn_id = id.data();
  return true;
}

void okx_dialect::on_stream_message(stream_session& session, std::string_view payload) {
  // "ping" keeps an idle connection alive ("WebSocket" "Connect"); everything else is JSON.
  if (payload == "ping") return state_->streams.reply(session, "pong");
  auto message = json::parse(payload, nullptr, false);
  if (message.is_discarded() || !message.is_object()) {
    auto found = connections_.find(session.id);
    if (found != connections_.end())
      ws_error(session, found->second, "60012", "Invalid request: " + std::string{payload});
    return;
  }
  on_json(session, message);
}

void okx_dialect::on_stream_closed(stream_session& session) { connections_.erase(session.id); }

void okx_dialect::publish(const event_buffer& events) {
  record_bills(events);
  publish_market(events);
  publish_private(events);
}

std::optional<timestamp> okx_dialect::on_tick(timestamp now) { return tick_market(now); }

std::vector<endpoint_info> okx_dialect::endpoints(std::string_view host, std::uint16_t port) const {
  std::string origin = std::string{host} + ":" + std::to_string(port);
  return {{"rest", "https://" + origin},
          {"ws-public", "wss://" + origin + std::string{public_path}},
          {"ws-private", "wss://" + origin + std::string{private_path}}};
}

} // namespace tern::sim::okx
