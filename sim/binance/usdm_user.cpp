// Binance USD-M futures user data stream: listen keys (POST / PUT / DELETE /fapi/v1/listenKey,
// USER_STREAM security: the API key only), connections at /ws/<listenKey> (also
// /private/ws/<listenKey> and /private/ws?listenKey=...), and the events ORDER_TRADE_UPDATE,
// ACCOUNT_UPDATE (reason ORDER or FUNDING_FEE), ACCOUNT_CONFIG_UPDATE and listenKeyExpired.

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "sim/binance/usdm_dialect.hpp"

namespace tern::sim::binance {

namespace {

using json = nlohmann::ordered_json;

/// The listen key a user-stream path names, or "" for a market-data path.
std::string listen_key_of(std::string_view target) {
  auto [path, query] = split_target(target);
  if (path.starts_with("/private")) path.remove_prefix(8);
  if (path == "/ws" && !query.empty()) {
    auto params = form_params::parse(query);
    if (params && params->find("listenKey") != nullptr) return *params->find("listenKey");
  }
  if (!path.starts_with("/ws/")) return {};
  std::string_view rest = path.substr(4);
  if (rest.empty() || rest.find('@') != std::string_view::npos || rest.find('/') != std::string_view::npos) return {};
  return std::string{rest};
}

/// ORDER_TRADE_UPDATE "er" (Event: Order Update, "Expiry Reason"): 1 STP, 2 IOC remainder,
/// 4 a reduce-only order knocked out, 9 a market order's remainder; 0 otherwise.
std::string expiry_reason(const order_view& order) {
  if (order.status != order_status::expired) return "0";
  switch (order.reason) {
    case end_reason::self_trade_prevention: return "1";
    case end_reason::ioc_remainder: return order.type == order_type::market ? "9" : "2";
    case end_reason::fok_unfillable: return "2";
    case end_reason::reduce_only_exhausted: return "4";
    default: return "0";
  }
}

} // namespace

usdm_dialect::usdm_dialect() : binance_dialect(flavour::usdm) {
  add_market_routes();
  add_trading_routes();
  add_account_routes();
  add_listen_key_routes();
}

std::vector<endpoint_info> usdm_dialect::endpoints(std::string_view host, std::uint16_t port) const {
  std::string origin = std::string{host} + ":" + std::to_string(port);
  return {{"rest", "https://" + origin}, {"ws", "wss://" + origin + "/ws"}};
}

void usdm_dialect::add_listen_key_routes() {
  for (std::string method : {"POST", "PUT", "DELETE"})
    add_route({method, "/fapi/v1/listenKey", security::api_key, [](const form_params&) -> std::int64_t { return 1; },
               false, [this, method](call& current) { return listen_key_request(current, method); }});
}

expected<std::string, api_error> usdm_dialect::listen_key_request(call& current, std::string_view method) {
  account_id owner = current.account->account;
  auto owned = std::find_if(listen_keys_.begin(), listen_keys_.end(),
                            [&](const auto& entry) { return entry.second.account == owner; });
  if (method == "POST") {
    // An account with a live key gets the same key back, extended (futures "Start User Data Stream").
    if (owned == listen_keys_.end()) owned = listen_keys_.emplace(ids_.next(64), listen_key{owner, {}}).first;
    owned->second.expires = current.now + listen_key_validity;
    current.record.executed = true;
    return json{{"listenKey", owned->first}}.dump();
  }
  if (owned == listen_keys_.end()) return unexpected{api_error{400, -1125, "This listenKey does not exist."}};
  if (method == "PUT") {
    owned->second.expires = current.now + listen_key_validity;
    return json{{"listenKey", owned->first}}.dump();
  }
  std::string key = owned->first;
  listen_keys_.erase(owned);
  for (const auto& [connection, session_key] : sessions_by_key_)
    if (session_key == key)
      if (stream_session* session = state().streams.find(connection)) session->socket->close(1000, "listen key closed");
  return std::string{"{}"};
}

bool usdm_dialect::open_stream(stream_session& session) {
  std::string key = listen_key_of(session.target);
  if (key.empty()) return binance_dialect::open_stream(session);
  if (!listen_keys_.contains(key)) return false;
  sessions_by_key_[session.id] = key;
  return true;
}

void usdm_dialect::on_stream_closed(stream_session& session) { sessions_by_key_.erase(session.id); }

std::optional<timestamp> usdm_dialect::on_tick(timestamp now) {
  std::optional<timestamp> next = binance_dialect::on_tick(now);
  for (auto it = listen_keys_.begin(); it != listen_keys_.end();) {
    if (it->second.expires > now) {
      next = next ? std::min(*next, it->second.expires) : it->second.expires;
      ++it;
      continue;
    }
    // Event: User Data Stream Expired: the documented example sends E as a string.
    std::string expired = R"({"e":"listenKeyExpired","E":")" + std::to_string(to_unix_ms(now)) +
                          R"(","listenKey":")" + it->first + "\"}";
    for (const auto& [connection, key] : sessions_by_key_) {
      if (key != it->first) continue;
      // The connection stays up (the docs: "not related to the websocket disconnection"), but
      // no user event reaches it until the client connects with a new key.
      if (stream_session* session = state().streams.find(connection))
        state().streams.send(*session, stream_kind::user, "user", expired);
    }
    it = listen_keys_.erase(it);
  }
  return next;
}

void usdm_dialect::send_user(account_id account, const std::string& event_json) {
  for (const auto& [connection, key] : sessions_by_key_) {
    auto owner = listen_keys_.find(key);
    if (owner == listen_keys_.end() || owner->second.account != account) continue;
    if (stream_session* session = state().streams.find(connection))
      state().streams.send(*session, stream_kind::user, "user", event_json);
  }
}

std::string usdm_dialect::order_update(const order_event& change) const {
  const order_view& order = change.order;
  const market_spec& spec = state().venue.market(order.symbol)->spec();
  int price_places = places_of(spec.tick);
  int quantity_places = places_of(spec.step);
  decimal average = average_price(order);
  const fill_detail empty{};
  const fill_detail& fill = change.fill ? *change.fill : empty;
  std::string type = order.type == order_type::market ? "MARKET" : "LIMIT";
  std::string kind{execution_name(change.kind, order)};
  if (kind == "TRADE_PREVENTION") kind = "EXPIRED";  // futures report STP expiries as EXPIRED
  json o = {{"s", order.symbol}, {"c", order.client_order_id}, {"S", side_name(order.side)}, {"o", type},
            {"f", order_tif_name(order, true)},
            {"q", fixed(order.quantity, quantity_places)}, {"p", fixed(order.price, price_places)},
            {"ap", fixed(average, price_places + 5)}, {"sp", "0"}, {"x", kind}, {"X", status_name(order)},
            {"i", order.id}, {"l", fixed(fill.quantity, quantity_places)},
            {"z", fixed(order.executed_quantity, quantity_places)}, {"L", fixed(fill.price, price_places)}};
  o.update(json{{"N", change.fill ? fill.fee_asset : spec.quote}, {"n", fixed(fill.fee, 8)},
                {"T", to_unix_ms(change.time)}, {"t", fill.trade}, {"b", "0"}, {"a", "0"}, {"m", fill.is_maker},
                {"R", order.reduce_only}, {"wt", "CONTRACT_PRICE"}, {"ot", type},
                {"ps", position_side_name(order.pos_side)}, {"cp", false}, {"pP", false}, {"si", 0}, {"ss", 0},
                {"rp", fixed(fill.realized_pnl, 8)}, {"V", stp_name(order.stp)}, {"pm", "NONE"}, {"gtd", 0},
                {"er", expiry_reason(order)}});
  json event = {{"e", "ORDER_TRADE_UPDATE"}, {"E", to_unix_ms(state().now())}, {"T", to_unix_ms(change.time)},
                {"o", o}};
  return event.dump();
}

std::string usdm_dialect::account_update(const std::string& reason,
                                         const std::vector<const balance_update*>& balances,
                                         const std::vector<const position_update*>& positions,
                                         const decimal& change) const {
  json b = json::array();
  timestamp time{};
  for (const balance_update* balance : balances) {
    decimal wallet = balance->free + balance->locked;
    b.push_back({{"a", balance->asset}, {"wb", fixed(wallet, 8)}, {"cw", fixed(wallet, 8)}, {"bc", fixed(change, 8)}});
    time = std::max(time, balance->time);
  }
  json p = json::array();
  for (const position_update* position : positions) {
    const matching_engine* engine = state().venue.market(position->symbol);
    decimal pnl;
    for (const auto& view : engine->positions(position->account))
      if (view.pos_side == position->pos_side) pnl = view.unrealized_pnl;
    p.push_back({{"s", position->symbol}, {"pa", fixed(position->amount, places_of(engine->spec().step))},
                 {"ep", position->entry_price.to_string()}, {"bep", position->entry_price.to_string()},
                 {"cr", "0"}, {"up", fixed(pnl, 8)}, {"mt", "cross"}, {"iw", "0"},
                 {"ps", position_side_name(position->pos_side)}, {"ma", engine->spec().quote}});
    time = std::max(time, position->time);
  }
  json event = {{"e", "ACCOUNT_UPDATE"}, {"E", to_unix_ms(state().now())}, {"T", to_unix_ms(time)},
                {"a", {{"m", reason}, {"B", b}, {"P", p}}}};
  return event.dump();
}

void usdm_dialect::publish_user(const event_buffer& events) {
  record_income(events);
  struct pending {
    std::map<std::string, const balance_update*> balances;   ///< latest per asset
    std::map<std::pair<std::string, position_side>, const position_update*> positions;
    bool traded = false;
    bool funding = false;
    decimal funding_amount;
  };
  std::map<account_id, pending> updates;
  auto watched = [&](account_id account) {
    return std::any_of(listen_keys_.begin(), listen_keys_.end(),
                       [&](const auto& entry) { return entry.second.account == account; });
  };
  for (const auto& item : events) {
    if (const auto* change = std::get_if<order_event>(&item)) {
      if (!watched(change->order.account)) continue;
      send_user(change->order.account, order_update(*change));
      if (change->fill) updates[change->order.account].traded = true;
    } else if (const auto* balance = std::get_if<balance_update>(&item)) {
      if (watched(balance->account)) updates[balance->account].balances[balance->asset] = balance;
    } else if (const auto* position = std::get_if<position_update>(&item)) {
      if (watched(position->account))
        updates[position->account].positions[{position->symbol, position->pos_side}] = position;
    } else if (const auto* funding = std::get_if<funding_settlement>(&item)) {
      if (!watched(funding->account)) continue;
      updates[funding->account].funding = true;
      updates[funding->account].funding_amount += funding->amount;
    }
  }
  // Event: Balance and Position Update: orders placed or cancelled change no position and send
  // no ACCOUNT_UPDATE; a funding fee sends the balance only.
  for (const auto& [account, update] : updates) {
    if (!update.traded && !update.funding && update.positions.empty()) continue;
    std::vector<const balance_update*> balances;
    for (const auto& [asset, balance] : update.balances) balances.push_back(balance);
    std::vector<const position_update*> positions;
    if (!update.funding)
      for (const auto& [key, position] : update.positions) positions.push_back(position);
    send_user(account, account_update(update.funding ? "FUNDING_FEE" : "ORDER", balances, positions,
                                      update.funding ? update.funding_amount : decimal{}));
  }
}

void usdm_dialect::record_income(const event_buffer& events) {
  auto add = [&](account_id account, income_row row) {
    row.id = next_income_id_++;
    auto& list = income_[account];
    list.push_back(std::move(row));
    if (list.size() > state().max_fills) list.pop_front();
  };
  for (const auto& item : events) {
    if (const auto* change = std::get_if<order_event>(&item)) {
      if (!change->fill || !state().is_user(change->order.account)) continue;
      const fill_detail& fill = *change->fill;
      if (!fill.realized_pnl.is_zero())
        add(change->order.account, {change->order.symbol, "REALIZED_PNL", fill.realized_pnl, fill.fee_asset, "",
                                    fill.trade, change->time});
      if (fill.fee.is_positive())
        add(change->order.account, {change->order.symbol, "COMMISSION", -fill.fee, fill.fee_asset, "", fill.trade,
                                    change->time});
    } else if (const auto* funding = std::get_if<funding_settlement>(&item)) {
      if (state().is_user(funding->account))
        add(funding->account, {funding->symbol, "FUNDING_FEE", funding->amount, funding->asset, "", 0, funding->time});
    }
  }
}

} // namespace tern::sim::binance
