#include "connectors/binance/responses.hpp"

#include <type_traits>

#include <nlohmann/json.hpp>

#include "connectors/binance/errors.hpp"
#include "connectors/binance/market_data.hpp"
#include "connectors/binance/symbols.hpp"
#include "connectors/common/json_fields.hpp"

namespace tern::binance {

namespace {

using nlohmann::json;
namespace jf = json_fields;

expected<side, std::string> side_of(const json& object, std::string_view field) {
  TERN_TRY(text, jf::string_of(object, field));
  if (*text == "BUY")
    return side::buy;
  if (*text == "SELL")
    return side::sell;
  return unexpected{"field \"" + std::string{field} + "\": unknown side \"" + *text + "\""};
}

expected<order_state, std::string> state_field(const json& object, std::string_view field) {
  TERN_TRY(text, jf::string_of(object, field));
  if (auto state = order_state_of(*text))
    return *state;
  return unexpected{"field \"" + std::string{field} + "\": unknown order status \"" + *text + "\""};
}

expected<std::string, std::string> pair_of_symbol(const json& object, const symbol_map& symbols) {
  TERN_TRY(symbol, jf::string_of(object, "symbol"));
  const trading_pair* pair = symbols.pair_of(*symbol);
  if (pair == nullptr)
    return unexpected{"symbol \"" + *symbol + "\" is not one of the connector's markets"};
  return pair->to_string();
}

// The first of the time fields an order object carries (they differ by endpoint).
timestamp order_time(const json& object) {
  for (const char* field : {"updateTime", "transactTime", "time", "workingTime"})
    if (auto value = jf::integer_of(object, field))
      return from_unix_ms(*value);
  return timestamp{};
}

// A FULL response's "fills" (rest-api.md "New order", Response - FULL).
expected<std::vector<fill>, std::string> full_fills(const json& object, const order_ack& ack,
                                                   side order_side) {
  std::vector<fill> out;
  auto list = object.find("fills");
  if (list == object.end())
    return out;
  if (!list->is_array())
    return unexpected{std::string{"field \"fills\": expected an array"}};
  for (const json& item : *list) {
    TERN_TRY(trade_id, jf::id_of(item, "tradeId"));
    TERN_TRY(price, jf::decimal_of(item, "price"));
    TERN_TRY(qty, jf::decimal_of(item, "qty"));
    TERN_TRY(commission, jf::decimal_of(item, "commission"));
    TERN_TRY(asset, jf::string_of(item, "commissionAsset"));
    fill execution;
    execution.pair = ack.pair;
    execution.trade_id = *trade_id;
    execution.client_order_id = ack.client_order_id;
    execution.exchange_order_id = ack.exchange_order_id;
    execution.order_side = order_side;
    execution.price = *price;
    execution.base_amount = *qty;
    execution.quote_amount = decimal::multiply(*price, *qty, rounding::half_even);
    execution.fee = tern::fee{*asset, *commission};
    execution.is_taker = true;  // fills in a placement response come from taking the book
    execution.fill_time = ack.exchange_time;
    out.push_back(std::move(execution));
  }
  return out;
}

expected<order_ack, std::string> read_ack(const json& object, const symbol_map& symbols) {
  order_ack ack;
  TERN_TRY(pair, pair_of_symbol(object, symbols));
  TERN_TRY(exchange_id, jf::id_of(object, "orderId"));
  TERN_TRY(client_id, jf::string_of(object, "clientOrderId"));
  ack.pair = *pair;
  ack.exchange_order_id = *exchange_id;
  ack.client_order_id = *client_id;
  ack.exchange_time = order_time(object);
  // ACK responses stop here: accepted, nothing else known yet.
  if (object.contains("status")) {
    TERN_TRY(state, state_field(object, "status"));
    TERN_TRY(executed, jf::decimal_of(object, "executedQty"));
    ack.state = *state;
    ack.executed_base = *executed;
  }
  if (object.contains("fills")) {
    TERN_TRY(order_side, side_of(object, "side"));
    TERN_TRY(fills, full_fills(object, ack, *order_side));
    ack.fills = std::move(*fills);
  }
  return ack;
}

expected<fill, std::string> read_trade(const json& item, venue api, const symbol_map& symbols) {
  fill execution;
  TERN_TRY(pair, pair_of_symbol(item, symbols));
  TERN_TRY(trade_id, jf::id_of(item, "id"));
  TERN_TRY(order_id, jf::id_of(item, "orderId"));
  TERN_TRY(price, jf::decimal_of(item, "price"));
  TERN_TRY(qty, jf::decimal_of(item, "qty"));
  TERN_TRY(quote, jf::decimal_of(item, "quoteQty"));
  TERN_TRY(commission, jf::decimal_of(item, "commission"));
  TERN_TRY(asset, jf::string_of(item, "commissionAsset"));
  TERN_TRY(time, jf::integer_of(item, "time"));
  TERN_TRY(buyer, jf::bool_of(item, api == venue::spot ? "isBuyer" : "buyer"));
  TERN_TRY(maker, jf::bool_of(item, api == venue::spot ? "isMaker" : "maker"));
  execution.pair = *pair;
  execution.trade_id = *trade_id;
  execution.exchange_order_id = *order_id;
  execution.order_side = *buyer ? side::buy : side::sell;
  execution.price = *price;
  execution.base_amount = *qty;
  execution.quote_amount = *quote;
  execution.fee = tern::fee{*asset, *commission};
  execution.is_taker = !*maker;
  execution.fill_time = from_unix_ms(*time);
  return execution;
}

// A JSON array body read item by item with `read` (json -> expected<T, std::string>); the
// first unreadable item fails the whole response.
template <class Read>
auto read_array(const net::http_response& response, request_kind kind, Read read)
    -> expected<std::vector<typename std::invoke_result_t<Read, const json&>::value_type>,
                exchange_error> {
  using item_type = typename std::invoke_result_t<Read, const json&>::value_type;
  auto body = detail::success_body(response, kind);
  if (!body)
    return unexpected{std::move(body).error()};
  if (!body->is_array())
    return unexpected{malformed_response(response, kind, "expected an array")};
  std::vector<item_type> out;
  for (const json& item : *body) {
    auto value = read(item);
    if (!value)
      return unexpected{malformed_response(response, kind, std::move(value).error())};
    out.push_back(std::move(*value));
  }
  return out;
}

} // namespace

std::optional<order_state> order_state_of(std::string_view status) noexcept {
  for (const state_entry& entry : order_states)
    if (entry.status == status)
      return entry.state;
  return std::nullopt;
}

std::optional<position_side> position_side_of(std::string_view text) noexcept {
  if (text == "BOTH")
    return position_side::both;
  if (text == "LONG")
    return position_side::long_side;
  if (text == "SHORT")
    return position_side::short_side;
  return std::nullopt;
}

namespace detail {

expected<json, exchange_error> success_body(const net::http_response& response,
                                            request_kind kind) {
  if (!is_success(response.status))
    return unexpected{read_error(response, kind)};
  auto body = jf::parse(response.body);
  if (!body)
    return unexpected{malformed_response(response, kind, body.error())};
  return std::move(body).value();
}

expected<order_report, std::string> read_order_report(const json& object, venue api,
                                                      const symbol_map& symbols) {
  order_report report;
  TERN_TRY(pair, pair_of_symbol(object, symbols));
  TERN_TRY(exchange_id, jf::id_of(object, "orderId"));
  // A spot cancel response names the cancelled order in origClientOrderId; its clientOrderId
  // is the cancel request's own id (rest-api.md "Cancel order").
  TERN_TRY(original_id, jf::optional_string_of(object, "origClientOrderId"));
  TERN_TRY(client_id, jf::string_of(object, "clientOrderId"));
  TERN_TRY(state, state_field(object, "status"));
  TERN_TRY(order_side, side_of(object, "side"));
  TERN_TRY(type, jf::string_of(object, "type"));
  TERN_TRY(price, jf::decimal_of(object, "price"));
  TERN_TRY(amount, jf::decimal_of(object, "origQty"));
  TERN_TRY(executed, jf::decimal_of(object, "executedQty"));
  TERN_TRY(quote, jf::optional_decimal_of(object, api == venue::spot ? "cummulativeQuoteQty"
                                                                     : "cumQuote"));
  report.pair = *pair;
  report.exchange_order_id = *exchange_id;
  report.client_order_id = *original_id && !(*original_id)->empty() ? **original_id : *client_id;
  report.state = *state;
  report.order_side = *order_side;
  report.type = *type;
  report.price = *price;
  report.amount = *amount;
  report.executed_base = *executed;
  // Binance sends a negative cumulative quote for old orders whose figure it no longer has.
  report.executed_quote = *quote && !(*quote)->is_negative() ? **quote : decimal{};
  report.update_time = order_time(object);
  return report;
}

} // namespace detail

expected<timestamp, exchange_error> parse_server_time(const net::http_response& response) {
  auto body = detail::success_body(response, request_kind::query);
  if (!body)
    return unexpected{std::move(body).error()};
  auto ms = jf::integer_of(*body, "serverTime");
  if (!ms)
    return unexpected{malformed_response(response, request_kind::query, ms.error())};
  return from_unix_ms(*ms);
}

expected<instrument_list, exchange_error> parse_exchange_info(const net::http_response& response,
                                                              venue api,
                                                              std::string_view account) {
  auto body = detail::success_body(response, request_kind::query);
  if (!body)
    return unexpected{std::move(body).error()};
  return or_malformed(read_exchange_info(*body, api, account), response, request_kind::query);
}

expected<book_snapshot, exchange_error> parse_depth(const net::http_response& response,
                                                    const trading_pair& pair,
                                                    timestamp received) {
  if (!is_success(response.status))
    return unexpected{read_error(response, request_kind::query)};
  // The simdjson reader of market_data.hpp: snapshots are 1000 levels a side.
  market_data_parser parser;
  book_snapshot snapshot;
  auto parsed = parser.parse_depth_snapshot(response.body,
                                            parse_context{pair.to_string(), received, {}}, snapshot);
  if (!parsed)
    return unexpected{malformed_response(response, request_kind::query, parsed.error().message())};
  return snapshot;
}

expected<order_ack, exchange_error> parse_order_ack(const net::http_response& response,
                                                    venue /*api*/, const symbol_map& symbols) {
  auto body = detail::success_body(response, request_kind::place_order);
  if (!body)
    return unexpected{std::move(body).error()};
  return or_malformed(read_ack(*body, symbols), response, request_kind::place_order);
}

expected<order_report, exchange_error> parse_order_report(const net::http_response& response,
                                                          venue api, const symbol_map& symbols,
                                                          request_kind kind) {
  auto body = detail::success_body(response, kind);
  if (!body)
    return unexpected{std::move(body).error()};
  return or_malformed(detail::read_order_report(*body, api, symbols), response, kind);
}

expected<std::vector<order_report>, exchange_error> parse_order_reports(
    const net::http_response& response, venue api, const symbol_map& symbols) {
  return read_array(response, request_kind::query, [&](const json& item) {
    return detail::read_order_report(item, api, symbols);
  });
}

expected<cancel_all_result, exchange_error> parse_cancel_all_orders(
    const net::http_response& response, venue api, const symbol_map& symbols) {
  auto body = detail::success_body(response, request_kind::cancel_order);
  cancel_all_result out;
  // Spot answers -2011 "Unknown order sent." when the market has no open order: nothing was
  // there to cancel, which is a success with none cancelled, not a failure.
  if (!body && api == venue::spot && body.error().category == error_category::order_not_found)
    return out;
  if (!body)
    return unexpected{std::move(body).error()};
  if (api == venue::usd_m)
    return out;  // {"code":200,"msg":"The operation of cancel all open order is done."}
  if (!body->is_array())
    return unexpected{malformed_response(response, request_kind::cancel_order, "expected an array")};
  for (const json& item : *body) {
    // Order lists come as one entry with their orders under "orderReports".
    const bool is_list = item.contains("orderReports");
    const json single = json::array({item});
    for (const json& order : is_list ? item["orderReports"] : single) {
      auto report = detail::read_order_report(order, api, symbols);
      if (!report)
        return unexpected{malformed_response(response, request_kind::cancel_order, report.error())};
      out.cancelled.push_back(std::move(*report));
    }
  }
  return out;
}

expected<std::vector<fill>, exchange_error> parse_account_trades(
    const net::http_response& response, venue api, const symbol_map& symbols) {
  return read_array(response, request_kind::query,
                    [&](const json& item) { return read_trade(item, api, symbols); });
}


} // namespace tern::binance
