// OKX WebSocket requests and private channels ("WebSocket" > "Login", "Subscribe"; "Trading
// Account" > "Account channel", "Positions channel"; "Trade" > "Order channel"). A private
// connection logs in (op login, sign over timestamp + "GET" + "/users/self/verify"), then
// subscribes to orders (instType), account (optional ccy) and positions (instType). Order
// changes are pushed one per engine event; balances and positions after each batch.

#include <algorithm>

#include "sim/okx/okx_dialect.hpp"

namespace tern::sim::okx {

json okx_dialect::ack(const connection& conn, const json& arg, const std::string& id, bool add) const {
  json out = json::object();
  if (!id.empty()) out["id"] = id;
  out["event"] = add ? "subscribe" : "unsubscribe";
  out["arg"] = arg;
  out["connId"] = conn.conn_id;
  return out;
}

void okx_dialect::ws_error(stream_session& session, const connection& conn, const std::string& code,
                           const std::string& msg, const std::string& id) {
  json out = json::object();
  if (!id.empty()) out["id"] = id;
  out["event"] = "error";
  out["code"] = code;
  out["msg"] = msg;
  out["connId"] = conn.conn_id;
  state_->streams.reply(session, out.dump());
}

void okx_dialect::on_json(stream_session& session, const json& message) {
  auto found = connections_.find(session.id);
  if (found == connections_.end()) return;
  connection& conn = found->second;
  std::string op = text_of(message, "op").value_or("");
  if (op == "login") return login(session, conn, message);
  if (op == "subscribe" || op == "unsubscribe") return subscribe(session, conn, message, op == "subscribe");
  ws_error(session, conn, "60012", "Invalid request: " + message.dump(), text_of(message, "id").value_or(""));
}

void okx_dialect::login(stream_session& session, connection& conn, const json& message) {
  auto args = message.find("args");
  if (args == message.end() || !args->is_array() || args->size() != 1 || !(*args)[0].is_object())
    return ws_error(session, conn, "60012", "Invalid request: " + message.dump());
  auto verified = verify_login((*args)[0], *state_, state_->now());
  if (!verified) return ws_error(session, conn, verified.error().code, verified.error().msg);
  conn.account = (*verified)->account;
  state_->streams.reply(session, json{{"event", "login"}, {"code", "0"}, {"msg", ""}, {"connId", conn.conn_id}}.dump());
}

void okx_dialect::subscribe(stream_session& session, connection& conn, const json& message, bool add) {
  std::string id = text_of(message, "id").value_or("");
  auto args = message.find("args");
  if (args == message.end() || !args->is_array() || args->empty())
    return ws_error(session, conn, "60012", "Invalid request: " + message.dump(), id);
  for (const auto& arg : *args) {
    if (!arg.is_object() || !text_of(arg, "channel")) {
      ws_error(session, conn, "60012", "Invalid request: " + message.dump(), id);
      continue;
    }
    if (conn.is_private) subscribe_private(session, conn, arg, id, add);
    else subscribe_public(session, conn, arg, id, add);
  }
}

void okx_dialect::subscribe_private(stream_session& session, connection& conn, const json& arg, const std::string& id,
                                    bool add) {
  private_subscription sub;
  sub.channel = *text_of(arg, "channel");
  sub.inst_type = text_of(arg, "instType").value_or("");
  sub.inst_id = text_of(arg, "instId").value_or("");
  sub.ccy = text_of(arg, "ccy").value_or("");
  bool typed = sub.channel == "orders" || sub.channel == "positions";
  if (!typed && sub.channel != "account")
    return ws_error(session, conn, "60018", "Wrong URL or channel:" + sub.channel + " doesn't exist.", id);
  if (!conn.account) return ws_error(session, conn, "60011", "Please log in", id);
  if (typed && sub.inst_type.empty())
    return ws_error(session, conn, "60013", "Invalid args: instType can not be empty", id);
  sub.arg = arg;
  auto same = [&](const private_subscription& other) {
    return other.channel == sub.channel && other.inst_type == sub.inst_type && other.inst_id == sub.inst_id &&
           other.ccy == sub.ccy;
  };
  std::erase_if(conn.subscriptions, same);
  state_->streams.reply(session, ack(conn, arg, id, add).dump());
  if (!add) return;
  conn.subscriptions.push_back(sub);
  send_private_snapshot(session, conn, sub);
}

std::string okx_dialect::private_frame(const private_subscription& sub, account_id account, const json& data) const {
  json arg = sub.arg;
  arg["uid"] = uid_of(account);
  return json{{"arg", arg}, {"data", data}}.dump();
}

void okx_dialect::send_private_snapshot(stream_session& session, connection& conn, const private_subscription& sub) {
  account_id account = *conn.account;
  timestamp now = state_->now();
  json data = json::array();
  if (sub.channel == "account") {
    std::vector<std::string> assets;
    for (const auto& [asset, held] : state_->venue.accounts().balances(account))
      if (!held.total().is_zero() && (sub.ccy.empty() || sub.ccy == asset)) assets.push_back(asset);
    data.push_back(balance_json(account, assets, now));
  } else if (sub.channel == "positions") {
    if (flavour_ != flavour::swap) return;
    for (const matching_engine* engine : state_->venue.markets()) {
      if (!sub.inst_id.empty() && sub.inst_id != engine->spec().symbol) continue;
      for (const auto& position : engine->positions(account))
        data.push_back(position_json(account, *engine, position, now));
    }
  } else {
    return;  // the orders channel pushes changes only
  }
  state_->streams.send(session, stream_kind::user, "user", private_frame(sub, account, data));
}

void okx_dialect::push_private(account_id account, std::string_view channel, std::string_view inst_id,
                               const json& data) {
  for (auto& [id, conn] : connections_) {
    if (conn.account != account) continue;
    stream_session* session = state_->streams.find(id);
    if (session == nullptr) continue;
    for (const auto& sub : conn.subscriptions) {
      if (sub.channel != channel) continue;
      if (!sub.inst_type.empty() && sub.inst_type != "ANY" && sub.inst_type != inst_type()) continue;
      if (!sub.inst_id.empty() && sub.inst_id != inst_id) continue;
      json shown = data;
      if (channel == "account" && !sub.ccy.empty()) {
        json details = json::array();
        for (const auto& detail : data[0]["details"])
          if (detail["ccy"] == sub.ccy) details.push_back(detail);
        if (details.empty()) continue;
        shown[0]["details"] = details;
      }
      state_->streams.send(*session, stream_kind::user, "user", private_frame(sub, account, shown));
    }
  }
}

void okx_dialect::publish_private(const event_buffer& events) {
  std::map<account_id, std::set<std::string>> balances;
  std::map<std::tuple<account_id, std::string, position_side>, const position_update*> positions;
  for (const auto& entry : events) {
    if (const auto* change = std::get_if<order_event>(&entry)) {
      track_fill(*change);
      if (!state_->is_user(change->order.account)) continue;
      const fill_detail* fill = change->fill ? &*change->fill : nullptr;
      push_private(change->order.account, "orders", change->order.symbol,
                   json::array({order_json(change->order, fill, true)}));
    } else if (const auto* balance = std::get_if<balance_update>(&entry)) {
      if (state_->is_user(balance->account)) balances[balance->account].insert(balance->asset);
    } else if (const auto* position = std::get_if<position_update>(&entry)) {
      if (state_->is_user(position->account))
        positions[{position->account, position->symbol, position->pos_side}] = position;
    }
  }
  timestamp now = state_->now();
  for (const auto& [account, assets] : balances)
    push_private(account, "account", "",
                 json::array({balance_json(account, std::vector<std::string>{assets.begin(), assets.end()}, now)}));
  for (const auto& [key, position] : positions)
    push_private(position->account, "positions", position->symbol, json::array({position_json(*position)}));
}

} // namespace tern::sim::okx
