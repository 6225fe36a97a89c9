#include "connectors/okx/responses.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "connectors/common/json_fields.hpp"
#include "connectors/okx/errors.hpp"
#include "connectors/okx/symbols.hpp"

namespace tern::okx {

namespace {

using nlohmann::json;
namespace jf = json_fields;

expected<side, std::string> side_of(const json& object) {
  TERN_TRY(text, jf::string_of(object, "side"));
  if (*text == "buy")
    return side::buy;
  if (*text == "sell")
    return side::sell;
  return unexpected{"field \"side\": unknown side \"" + *text + "\""};
}

expected<std::string, std::string> pair_of_symbol(const json& object, const symbol_map& symbols) {
  TERN_TRY(symbol, jf::string_of(object, "instId"));
  const trading_pair* pair = symbols.pair_of(*symbol);
  if (pair == nullptr)
    return unexpected{"instrument \"" + *symbol + "\" is not one of the connector's markets"};
  return pair->to_string();
}

// A time field in milliseconds; "" (nothing happened yet) reads as zero.
expected<timestamp, std::string> time_of(const json& object, std::string_view field) {
  auto value = object.find(field);
  if (value != object.end() && value->is_string() && value->get_ref<const std::string&>().empty())
    return timestamp{};
  TERN_TRY(ms, jf::integer_of(object, field));
  return from_unix_ms(*ms);
}

// The first element of `data`, which must be an object.
expected<const json*, std::string> first_item(const json& data) {
  if (data.empty() || !data.front().is_object())
    return unexpected{std::string{"field \"data\": expected at least one object"}};
  return &data.front();
}

// data[] read item by item with `read`; the first unreadable item fails the response.
template <class T, class Read>
expected<std::vector<T>, exchange_error> read_items(const net::http_response& response,
                                                    request_kind kind, Read read) {
  auto data = detail::success_data(response, kind);
  if (!data)
    return unexpected{std::move(data).error()};
  std::vector<T> out;
  for (const json& item : *data) {
    auto value = read(item);
    if (!value)
      return unexpected{malformed_response(response, kind, std::move(value).error())};
    out.push_back(std::move(*value));
  }
  return out;
}

// Both order answers (place, cancel) carry {ordId, clOrdId, sCode} per item; success_data has
// already turned a failed item into an error.
struct order_ids {
  std::string exchange_order_id;
  std::string client_order_id;
  timestamp time{};
};

expected<order_ids, std::string> read_ids(const json& data) {
  TERN_TRY(item, first_item(data));
  TERN_TRY(order_id, jf::string_of(**item, "ordId"));
  TERN_TRY(client_id, jf::string_of(**item, "clOrdId"));
  order_ids out{*order_id, *client_id, {}};
  if ((*item)->contains("ts")) {
    TERN_TRY(time, time_of(**item, "ts"));
    out.time = *time;
  }
  return out;
}

expected<std::vector<price_level>, std::string> read_levels(const json& book,
                                                            std::string_view field,
                                                            std::optional<decimal> contract_size) {
  auto list = book.find(field);
  if (list == book.end() || !list->is_array())
    return unexpected{"field \"" + std::string{field} + "\": expected an array"};
  std::vector<price_level> out;
  out.reserve(list->size());
  for (const json& level : *list) {
    if (!level.is_array() || level.size() < 2 || !level[0].is_string() || !level[1].is_string())
      return unexpected{"field \"" + std::string{field} + "\": expected [price, size, ...], got "
                        + jf::excerpt(level)};
    auto price = decimal::parse(level[0].get_ref<const std::string&>());
    auto size = decimal::parse(level[1].get_ref<const std::string&>());
    if (!price || !size)
      return unexpected{"field \"" + std::string{field} + "\": "
                        + (price ? size.error().message() : price.error().message())};
    decimal base = contract_size ? decimal::multiply(*size, *contract_size, rounding::half_even)
                                 : *size;
    out.push_back(price_level{*price, base});
  }
  return out;
}

} // namespace

std::optional<order_state> order_state_of(std::string_view state) noexcept {
  for (const state_entry& entry : order_states)
    if (entry.state == state)
      return entry.tern_state;
  return std::nullopt;
}

namespace detail {

expected<json, exchange_error> success_data(const net::http_response& response,
                                            request_kind kind) {
  if (!is_success(response.status))
    return unexpected{read_error(response, kind)};
  auto body = jf::parse(response.body);
  if (!body || !body->is_object())
    return unexpected{malformed_response(response, kind,
                                         body ? "expected a JSON object" : body.error())};
  auto code = jf::id_of(*body, "code");
  if (!code)
    return unexpected{malformed_response(response, kind, code.error())};
  if (*code != "0")
    return unexpected{read_error(response, kind)};
  auto data = body->find("data");
  if (data == body->end() || !data->is_array())
    return unexpected{malformed_response(response, kind, "field \"data\": expected an array")};
  return std::move(*data);
}

expected<decimal, std::string> to_base(const symbol_map& symbols, std::string_view symbol,
                                       decimal units) {
  if (auto size = symbols.contract_size(symbol))
    return decimal::multiply(units, *size, rounding::half_even);
  constexpr std::string_view swap_suffix = "-SWAP";
  if (symbol.size() >= swap_suffix.size()
      && symbol.substr(symbol.size() - swap_suffix.size()) == swap_suffix)
    return unexpected{"no contract size known for \"" + std::string{symbol}
                      + "\" (read the instruments first)"};
  return units;
}

expected<order_report, std::string> read_order(const json& object, const symbol_map& symbols) {
  order_report report;
  TERN_TRY(pair, pair_of_symbol(object, symbols));
  TERN_TRY(symbol, jf::string_of(object, "instId"));
  TERN_TRY(exchange_id, jf::string_of(object, "ordId"));
  TERN_TRY(client_id, jf::string_of(object, "clOrdId"));
  TERN_TRY(state_text, jf::string_of(object, "state"));
  TERN_TRY(order_side, side_of(object));
  TERN_TRY(type, jf::string_of(object, "ordType"));
  TERN_TRY(price, jf::optional_decimal_or_empty_of(object, "px"));
  TERN_TRY(size, jf::decimal_of(object, "sz"));
  TERN_TRY(filled, jf::decimal_of(object, "accFillSz"));
  TERN_TRY(average, jf::optional_decimal_or_empty_of(object, "avgPx"));
  TERN_TRY(time, time_of(object, "uTime"));
  TERN_TRY(cancel_source, jf::optional_string_of(object, "cancelSource"));
  TERN_TRY(cancel_detail, jf::optional_string_of(object, "cancelSourceReason"));
  auto state = order_state_of(*state_text);
  if (!state)
    return unexpected{"field \"state\": unknown order state \"" + *state_text + "\""};
  TERN_TRY(amount, to_base(symbols, *symbol, *size));
  TERN_TRY(executed, to_base(symbols, *symbol, *filled));
  report.pair = *pair;
  report.client_order_id = *client_id;
  report.exchange_order_id = *exchange_id;
  report.state = *state;
  report.order_side = *order_side;
  report.type = *type;
  report.price = price->value_or(decimal{});
  // A spot market order sized in quote (tgtCcy quote_ccy, OKX's default for market buys; Tern
  // always sends base_ccy) has no base amount to report.
  report.amount = object.value("tgtCcy", std::string{}) == "quote_ccy" ? decimal{} : *amount;
  report.executed_base = *executed;
  report.executed_quote =
      decimal::multiply(*executed, average->value_or(decimal{}), rounding::half_even);
  report.update_time = *time;
  if (report.state == order_state::cancelled && cancel_source->has_value()) {
    report.end_reason = cancel_source_reason(**cancel_source, cancel_detail->value_or(""));
    if (!report.end_reason.empty())
      report.end_code = "cancelSource " + **cancel_source;
  }
  return report;
}

expected<fill, std::string> read_execution(const json& object, const symbol_map& symbols,
                                           std::string_view fee_field,
                                           std::string_view fee_asset_field) {
  fill execution;
  TERN_TRY(pair, pair_of_symbol(object, symbols));
  TERN_TRY(symbol, jf::string_of(object, "instId"));
  TERN_TRY(trade_id, jf::string_of(object, "tradeId"));
  TERN_TRY(order_id, jf::string_of(object, "ordId"));
  TERN_TRY(client_id, jf::string_of(object, "clOrdId"));
  TERN_TRY(order_side, side_of(object));
  TERN_TRY(price, jf::decimal_of(object, "fillPx"));
  TERN_TRY(size, jf::decimal_of(object, "fillSz"));
  TERN_TRY(fee, jf::optional_decimal_or_empty_of(object, fee_field));
  TERN_TRY(fee_asset, jf::string_of(object, fee_asset_field));
  TERN_TRY(liquidity, jf::string_of(object, "execType"));
  TERN_TRY(time, time_of(object, "fillTime"));
  TERN_TRY(base, to_base(symbols, *symbol, *size));
  execution.pair = *pair;
  execution.trade_id = *trade_id;
  execution.client_order_id = *client_id;
  execution.exchange_order_id = *order_id;
  execution.order_side = *order_side;
  execution.price = *price;
  execution.base_amount = *base;
  execution.quote_amount = decimal::multiply(*price, *base, rounding::half_even);
  // OKX: negative is a fee charged, positive a rebate. Tern: the amount paid.
  execution.fee = tern::fee{*fee_asset, -fee->value_or(decimal{})};
  execution.is_taker = *liquidity == "T";
  execution.fill_time = *time;
  return execution;
}

} // namespace detail

expected<timestamp, exchange_error> parse_server_time(const net::http_response& response) {
  auto data = detail::success_data(response, request_kind::query);
  if (!data)
    return unexpected{std::move(data).error()};
  auto read = [&]() -> expected<timestamp, std::string> {
    TERN_TRY(item, first_item(*data));
    return time_of(**item, "ts");
  };
  return or_malformed(read(), response, request_kind::query);
}

expected<instrument_list, exchange_error> parse_instruments(const net::http_response& response,
                                                            venue api, std::string_view account) {
  auto data = detail::success_data(response, request_kind::query);
  if (!data)
    return unexpected{std::move(data).error()};
  return or_malformed(read_instruments(*data, api, account), response, request_kind::query);
}

expected<book_snapshot, exchange_error> parse_books(const net::http_response& response,
                                                    const trading_pair& pair, timestamp received,
                                                    std::optional<decimal> contract_size) {
  auto data = detail::success_data(response, request_kind::query);
  if (!data)
    return unexpected{std::move(data).error()};
  auto read = [&]() -> expected<book_snapshot, std::string> {
    TERN_TRY(item, first_item(*data));
    TERN_TRY(bids, read_levels(**item, "bids", contract_size));
    TERN_TRY(asks, read_levels(**item, "asks", contract_size));
    TERN_TRY(time, time_of(**item, "ts"));
    return book_snapshot{pair.to_string(), std::move(*bids), std::move(*asks), 0, *time,
                         received};
  };
  return or_malformed(read(), response, request_kind::query);
}

expected<order_ack, exchange_error> parse_order_ack(const net::http_response& response) {
  auto data = detail::success_data(response, request_kind::place_order);
  if (!data)
    return unexpected{std::move(data).error()};
  auto ids = or_malformed(read_ids(*data), response, request_kind::place_order);
  if (!ids)
    return unexpected{std::move(ids).error()};
  order_ack ack;
  ack.client_order_id = ids->client_order_id;
  ack.exchange_order_id = ids->exchange_order_id;
  ack.exchange_time = ids->time;
  return ack;
}

expected<order_report, exchange_error> parse_cancel(const net::http_response& response) {
  auto data = detail::success_data(response, request_kind::cancel_order);
  if (!data)
    return unexpected{std::move(data).error()};
  auto ids = or_malformed(read_ids(*data), response, request_kind::cancel_order);
  if (!ids)
    return unexpected{std::move(ids).error()};
  order_report report;
  report.client_order_id = ids->client_order_id;
  report.exchange_order_id = ids->exchange_order_id;
  report.state = order_state::pending_cancel;
  report.update_time = ids->time;
  return report;
}

expected<order_report, exchange_error> parse_order_details(const net::http_response& response,
                                                           const symbol_map& symbols) {
  auto data = detail::success_data(response, request_kind::query);
  if (!data)
    return unexpected{std::move(data).error()};
  auto read = [&]() -> expected<order_report, std::string> {
    TERN_TRY(item, first_item(*data));
    return detail::read_order(**item, symbols);
  };
  return or_malformed(read(), response, request_kind::query);
}

expected<std::vector<order_report>, exchange_error> parse_pending_orders(
    const net::http_response& response, const symbol_map& symbols) {
  return read_items<order_report>(response, request_kind::query, [&](const json& item) {
    return detail::read_order(item, symbols);
  });
}

expected<std::vector<fill>, exchange_error> parse_fills(const net::http_response& response,
                                                        const symbol_map& symbols) {
  auto fills = read_items<fill>(response, request_kind::query, [&](const json& item) {
    return detail::read_execution(item, symbols, "fee", "feeCcy");
  });
  if (fills)
    std::reverse(fills->begin(), fills->end());
  return fills;
}


} // namespace tern::okx
