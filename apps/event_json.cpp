#include "apps/event_json.hpp"

namespace tern::apps {

namespace {

using json = nlohmann::ordered_json;

json levels(const std::vector<price_level>& side) {
  json out = json::array();
  for (const price_level& level : side)
    out.push_back(json::array({level.price.to_string(), level.size.to_string()}));
  return out;
}

json event_of(const char* name) {
  json out;
  out["event"] = name;
  return out;
}

json render(const order_update& update) {
  json out = event_of("order_update");
  out["pair"] = update.pair;
  out["client_order_id"] = update.client_order_id;
  out["exchange_order_id"] = update.exchange_order_id;
  out["state"] = std::string{to_string(update.new_state)};
  out["time_ms"] = to_unix_ms(update.update_time);
  if (!update.error_code.empty())
    out["error_code"] = update.error_code;
  if (!update.error_message.empty())
    out["error_message"] = update.error_message;
  return out;
}

json render(const fill& execution) {
  json out = event_of("fill");
  out["pair"] = execution.pair;
  out["trade_id"] = execution.trade_id;
  out["client_order_id"] = execution.client_order_id;
  out["exchange_order_id"] = execution.exchange_order_id;
  out["side"] = std::string{to_string(execution.order_side)};
  out["price"] = execution.price.to_string();
  out["base_amount"] = execution.base_amount.to_string();
  out["quote_amount"] = execution.quote_amount.to_string();
  out["fee_asset"] = execution.fee.asset;
  out["fee_amount"] = execution.fee.amount.to_string();
  out["taker"] = execution.is_taker;
  out["time_ms"] = to_unix_ms(execution.fill_time);
  return out;
}

json render(const balance& value) {
  json out = event_of("balance");
  out["asset"] = value.asset;
  out["total"] = value.total.to_string();
  out["available"] = value.available.to_string();
  return out;
}

json render(const balance_delta& value) {
  json out = event_of("balance_delta");
  out["asset"] = value.asset;
  out["delta"] = value.delta.to_string();
  out["time_ms"] = to_unix_ms(value.time);
  return out;
}

json render(const position& value) {
  json out = event_of("position");
  out["pair"] = value.pair;
  out["side"] = std::string{to_string(value.side)};
  out["amount"] = value.amount.to_string();
  out["entry_price"] = value.entry_price.to_string();
  out["unrealized_pnl"] = value.unrealized_pnl.to_string();
  out["leverage"] = value.leverage.to_string();
  return out;
}

json render(const stream_control& value) {
  json out = event_of("stream_control");
  out["kind"] = std::string{to_string(value.kind)};
  if (!value.request_id.empty())
    out["request_id"] = value.request_id;
  if (!value.detail.empty())
    out["detail"] = value.detail;
  if (value.error)
    out["error"] = value.error->describe();
  return out;
}

json render(const book_delta& delta) {
  json out = event_of("book_delta");
  out["pair"] = delta.pair;
  out["first"] = delta.first_sequence;
  out["last"] = delta.last_sequence;
  out["previous"] = delta.previous_sequence;
  out["time_ms"] = to_unix_ms(delta.exchange_time);
  out["bids"] = levels(delta.bids);
  out["asks"] = levels(delta.asks);
  return out;
}

json render(const book_snapshot& snapshot) {
  json out = event_of("book_snapshot");
  out["pair"] = snapshot.pair;
  out["sequence"] = snapshot.sequence;
  out["bids"] = levels(snapshot.bids);
  out["asks"] = levels(snapshot.asks);
  return out;
}

json render(const top_of_book& top) {
  json out = event_of("top_of_book");
  out["pair"] = top.pair;
  out["sequence"] = top.sequence;
  out["bid"] = top.bid.price.to_string();
  out["bid_qty"] = top.bid.size.to_string();
  out["ask"] = top.ask.price.to_string();
  out["ask_qty"] = top.ask.size.to_string();
  out["time_ms"] = to_unix_ms(top.exchange_time);
  return out;
}

json render(const trade& value) {
  json out = event_of("trade");
  out["pair"] = value.pair;
  out["trade_id"] = value.trade_id;
  out["price"] = value.price.to_string();
  out["size"] = value.size.to_string();
  out["taker_side"] = std::string{to_string(value.taker_side)};
  out["time_ms"] = to_unix_ms(value.exchange_time);
  return out;
}

json render(const funding_info& value) {
  json out = event_of("funding_info");
  out["pair"] = value.pair;
  out["mark_price"] = value.mark_price.to_string();
  out["index_price"] = value.index_price.to_string();
  out["rate"] = value.rate.to_string();
  out["next_funding_ms"] = to_unix_ms(value.next_funding_time);
  return out;
}

} // namespace

nlohmann::ordered_json to_json(const private_event& event) {
  return std::visit([](const auto& value) { return render(value); }, event);
}

nlohmann::ordered_json to_json(public_event_kind kind, const public_frame& frame) {
  switch (kind) {
    case public_event_kind::book_delta: return render(frame.depth);
    case public_event_kind::book_snapshot: return render(frame.snapshot);
    case public_event_kind::top_of_book: return render(frame.ticker);
    case public_event_kind::trade: return render(frame.trade_event);
    case public_event_kind::funding_info: return render(frame.funding);
    case public_event_kind::control: return render(frame.control);
  }
  return json::object();
}

} // namespace tern::apps
