// Binance spot: routes, order rendering, and the user data stream events
// (user-data-stream.md: executionReport, outboundAccountPosition).

#include "sim/binance/spot_dialect.hpp"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

namespace tern::sim::binance {

namespace {

using json = nlohmann::ordered_json;

/// user-data-stream.md "Order Expiry Reason".
std::string_view expiry_reason(const order_view& order) {
  switch (order.reason) {
    case end_reason::ioc_remainder:
      return order.type == order_type::market ? "INSUFFICIENT_LIQUIDITY" : "UNFILLED_IOC_QUANTITY_EXPIRED";
    case end_reason::fok_unfillable: return "UNFILLED_FOK_ORDER_EXPIRED";
    default: return "";
  }
}

} // namespace

spot_dialect::spot_dialect() : binance_dialect(flavour::spot) {
  add_market_routes();
  add_trading_routes();
}

std::vector<endpoint_info> spot_dialect::endpoints(std::string_view host, std::uint16_t port) const {
  std::string origin = std::string{host} + ":" + std::to_string(port);
  return {{"rest", "https://" + origin},
          {"ws", "wss://" + origin + "/ws"},
          {"ws-api", "wss://" + origin + "/ws-api/v3"}};
}

json spot_dialect::order_json(const order_view& order) const {
  std::int64_t created = to_unix_ms(order.created_time);
  return {{"symbol", order.symbol},
          {"orderId", order.id},
          {"orderListId", -1},
          {"clientOrderId", order.client_order_id},
          {"price", fixed(order.price, 8)},
          {"origQty", fixed(order.quantity, 8)},
          {"executedQty", fixed(order.executed_quantity, 8)},
          {"cummulativeQuoteQty", fixed(order.cumulative_quote, 8)},
          {"status", status_name(order)},
          {"timeInForce", order_tif_name(order, false)},
          {"type", order_type_name(order.type)},
          {"side", side_name(order.side)},
          {"stopPrice", fixed(decimal{}, 8)},
          {"icebergQty", fixed(decimal{}, 8)},
          {"time", created},
          {"updateTime", to_unix_ms(order.updated_time)},
          {"isWorking", true},
          {"workingTime", created},
          {"origQuoteOrderQty", fixed(decimal{}, 8)},
          {"selfTradePreventionMode", stp_name(order.stp)}};
}

json spot_dialect::cancel_json(const order_view& order, const std::string& cancel_id) const {
  return {{"symbol", order.symbol},
          {"origClientOrderId", order.client_order_id},
          {"orderId", order.id},
          {"orderListId", -1},
          {"clientOrderId", cancel_id},
          {"transactTime", to_unix_ms(order.updated_time)},
          {"price", fixed(order.price, 8)},
          {"origQty", fixed(order.quantity, 8)},
          {"executedQty", fixed(order.executed_quantity, 8)},
          {"origQuoteOrderQty", fixed(decimal{}, 8)},
          {"cummulativeQuoteQty", fixed(order.cumulative_quote, 8)},
          {"status", status_name(order)},
          {"timeInForce", order_tif_name(order, false)},
          {"type", order_type_name(order.type)},
          {"side", side_name(order.side)},
          {"selfTradePreventionMode", stp_name(order.stp)}};
}

std::string spot_dialect::execution_report(const order_event& change) {
  const order_view& order = change.order;
  std::string client_id = order.client_order_id;
  std::string original_id;
  if (change.kind == execution_kind::cancelled) {
    if (auto found = cancel_ids_.find(order.id); found != cancel_ids_.end()) {
      original_id = client_id;
      client_id = found->second;
      cancel_ids_.erase(found);
    }
  }
  const fill_detail empty_fill{};
  const fill_detail& fill = change.fill ? *change.fill : empty_fill;
  json report = {{"e", "executionReport"}, {"E", to_unix_ms(change.time)}, {"s", order.symbol},
                 {"c", client_id}, {"S", side_name(order.side)}, {"o", order_type_name(order.type)},
                 {"f", order_tif_name(order, false)}, {"q", fixed(order.quantity, 8)}, {"p", fixed(order.price, 8)},
                 {"P", fixed(decimal{}, 8)}, {"F", fixed(decimal{}, 8)}, {"g", -1}, {"C", original_id},
                 {"x", execution_name(change.kind, order)}, {"X", status_name(order)}, {"r", "NONE"},
                 {"i", order.id}, {"l", fixed(fill.quantity, 8)}, {"z", fixed(order.executed_quantity, 8)},
                 {"L", fixed(fill.price, 8)}, {"n", change.fill ? fixed(fill.fee, 8) : "0"},
                 {"N", change.fill ? json(fill.fee_asset) : json(nullptr)}, {"T", to_unix_ms(change.time)},
                 {"t", change.fill ? fill.trade : -1}, {"I", next_execution_id_++},
                 {"w", order.is_open() && order.type != order_type::market}, {"m", fill.is_maker},
                 {"M", false}, {"O", to_unix_ms(order.created_time)}, {"Z", fixed(order.cumulative_quote, 8)},
                 {"Y", fixed(fill.quote_quantity, 8)}, {"Q", fixed(decimal{}, 8)},
                 {"W", to_unix_ms(order.created_time)}, {"V", stp_name(order.stp)}};
  if (auto reason = expiry_reason(order); !reason.empty() && order.status == order_status::expired)
    report["eR"] = reason;
  return report.dump();
}

void spot_dialect::send_user(account_id account, const std::string& event_json) {
  auto found = user_streams_.find(account);
  if (found == user_streams_.end()) return;
  for (const auto& [connection, subscription] : found->second) {
    stream_session* session = state().streams.find(connection);
    if (session == nullptr) continue;
    state().streams.send(*session, stream_kind::user, "user",
                         R"({"subscriptionId":)" + std::to_string(subscription) + R"(,"event":)" + event_json + "}");
  }
}

void spot_dialect::publish_user(const event_buffer& events) {
  // Latest balance per account and asset, sent after the batch's execution reports.
  std::map<account_id, std::map<std::string, const balance_update*>> balances;
  timestamp last_time{};
  for (const auto& item : events) {
    if (const auto* change = std::get_if<order_event>(&item)) {
      bool watched = user_streams_.contains(change->order.account);
      if (watched || change->kind == execution_kind::cancelled) {
        std::string report = execution_report(*change);  // also retires the cancel's client id
        if (watched) send_user(change->order.account, report);
      }
    } else if (const auto* balance = std::get_if<balance_update>(&item)) {
      if (user_streams_.contains(balance->account)) balances[balance->account][balance->asset] = balance;
      last_time = std::max(last_time, balance->time);
    }
  }
  for (const auto& [account, assets] : balances) {
    json list = json::array();
    for (const auto& [asset, balance] : assets)
      list.push_back({{"a", asset}, {"f", fixed(balance->free, 8)}, {"l", fixed(balance->locked, 8)}});
    json position = {{"e", "outboundAccountPosition"}, {"E", to_unix_ms(state().now())},
                     {"u", to_unix_ms(last_time)}, {"B", list}};
    send_user(account, position.dump());
  }
}

} // namespace tern::sim::binance
