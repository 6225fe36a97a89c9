// Account-side REST responses: balances, positions, leverage, position mode, funding
// (responses.hpp declares them; responses.cpp has the order-side ones).

#include "connectors/okx/responses.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "connectors/common/json_fields.hpp"

namespace tern::okx {

namespace {

using nlohmann::json;
namespace jf = json_fields;

template <class T>
expected<T, exchange_error> malformed(const net::http_response& response, request_kind kind,
                                      std::string detail) {
  return unexpected{malformed_response(response, kind, std::move(detail))};
}

// data[0] of a successful answer, or the error.
expected<json, exchange_error> first_object(const net::http_response& response,
                                            request_kind kind) {
  auto data = detail::success_data(response, kind);
  if (!data)
    return unexpected{std::move(data).error()};
  if (data->empty() || !data->front().is_object())
    return malformed<json>(response, kind, "field \"data\": expected at least one object");
  return std::move(data->front());
}

expected<position_side, std::string> position_side_of(const json& object) {
  auto text = jf::string_of(object, "posSide");
  if (!text)
    return unexpected{text.error()};
  if (*text == "long")
    return position_side::long_side;
  if (*text == "short")
    return position_side::short_side;
  if (*text == "net")
    return position_side::both;
  return unexpected{"field \"posSide\": unknown position side \"" + *text + "\""};
}

} // namespace

namespace detail {

expected<std::vector<balance>, std::string> read_balance_details(const json& account) {
  auto details = account.find("details");
  if (details == account.end() || !details->is_array())
    return unexpected{std::string{"field \"details\": missing or not an array"}};
  std::vector<balance> out;
  for (const json& item : *details) {
    auto asset = jf::string_of(item, "ccy");
    auto equity = jf::decimal_of(item, "eq");
    auto available = jf::optional_decimal_or_empty_of(item, "availBal");
    auto available_equity = jf::optional_decimal_or_empty_of(item, "availEq");
    for (const std::string* problem :
         {asset ? nullptr : &asset.error(), equity ? nullptr : &equity.error(),
          available ? nullptr : &available.error(),
          available_equity ? nullptr : &available_equity.error()})
      if (problem != nullptr)
        return unexpected{*problem};
    // availBal is the spot-mode figure; the margin modes fill availEq instead.
    std::optional<decimal> free = *available ? *available : *available_equity;
    if (!free)
      return unexpected{"\"" + *asset + "\": neither \"availBal\" nor \"availEq\" is set"};
    out.push_back(balance{*asset, *equity, *free});
  }
  return out;
}

expected<std::optional<position>, std::string> read_position(const json& object,
                                                             const symbol_map& symbols,
                                                             bool keep_zero) {
  auto symbol = jf::string_of(object, "instId");
  if (!symbol)
    return unexpected{symbol.error()};
  const trading_pair* pair = symbols.pair_of(*symbol);
  if (pair == nullptr)
    return std::optional<position>{};  // another product or an unmapped market
  auto side = position_side_of(object);
  auto size = jf::optional_decimal_or_empty_of(object, "pos");
  auto entry = jf::optional_decimal_or_empty_of(object, "avgPx");
  auto pnl = jf::optional_decimal_or_empty_of(object, "upl");
  auto leverage = jf::optional_decimal_or_empty_of(object, "lever");
  for (const std::string* problem :
       {side ? nullptr : &side.error(), size ? nullptr : &size.error(),
        entry ? nullptr : &entry.error(), pnl ? nullptr : &pnl.error(),
        leverage ? nullptr : &leverage.error()})
    if (problem != nullptr)
      return unexpected{*problem};
  auto amount = to_base(symbols, *symbol, size->value_or(decimal{}));
  if (!amount)
    return unexpected{amount.error()};
  if (amount->is_zero() && !keep_zero)
    return std::optional<position>{};
  // long/short positions report a positive pos; net ones carry the sign. Tern's is signed.
  decimal signed_amount = *side == position_side::short_side   ? -amount->abs()
                          : *side == position_side::long_side ? amount->abs()
                                                               : *amount;
  return std::optional<position>{position{pair->to_string(), *side, signed_amount,
                                          entry->value_or(decimal{}), pnl->value_or(decimal{}),
                                          leverage->value_or(decimal{})}};
}

} // namespace detail

expected<std::vector<balance>, exchange_error> parse_balances(const net::http_response& response) {
  auto account = first_object(response, request_kind::query);
  if (!account)
    return unexpected{std::move(account).error()};
  auto balances = detail::read_balance_details(*account);
  if (!balances)
    return malformed<std::vector<balance>>(response, request_kind::query, balances.error());
  return std::move(*balances);
}

expected<std::vector<position>, exchange_error> parse_positions(
    const net::http_response& response, const symbol_map& symbols) {
  auto data = detail::success_data(response, request_kind::query);
  if (!data)
    return unexpected{std::move(data).error()};
  std::vector<position> out;
  for (const json& item : *data) {
    auto read = detail::read_position(item, symbols, false);
    if (!read)
      return malformed<std::vector<position>>(response, request_kind::query, read.error());
    if (*read)
      out.push_back(std::move(**read));
  }
  return out;
}

expected<int, exchange_error> parse_leverage(const net::http_response& response) {
  auto item = first_object(response, request_kind::account_change);
  if (!item)
    return unexpected{std::move(item).error()};
  auto text = jf::string_of(*item, "lever");
  int leverage = 0;
  if (text) {
    auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), leverage);
    if (error == std::errc{} && end == text->data() + text->size() && leverage > 0)
      return leverage;
  }
  return malformed<int>(response, request_kind::account_change,
                        "field \"lever\": expected a whole leverage, got "
                            + (text ? "\"" + *text + "\"" : text.error()));
}

expected<position_mode, exchange_error> parse_account_config(const net::http_response& response) {
  auto item = first_object(response, request_kind::query);
  if (!item)
    return unexpected{std::move(item).error()};
  auto mode = jf::string_of(*item, "posMode");
  if (mode && *mode == "long_short_mode")
    return position_mode::hedge;
  if (mode && *mode == "net_mode")
    return position_mode::one_way;
  return malformed<position_mode>(response, request_kind::query,
                                  mode ? "field \"posMode\": unknown mode \"" + *mode + "\""
                                       : mode.error());
}

expected<void, exchange_error> parse_set_position_mode(const net::http_response& response) {
  auto data = detail::success_data(response, request_kind::account_change);
  if (!data)
    return unexpected{std::move(data).error()};
  return {};
}

expected<funding_info, exchange_error> parse_funding_rate(const net::http_response& response,
                                                          const trading_pair& pair) {
  auto item = first_object(response, request_kind::query);
  if (!item)
    return unexpected{std::move(item).error()};
  auto rate = jf::decimal_of(*item, "fundingRate");
  auto time = jf::integer_of(*item, "fundingTime");
  if (!rate || !time)
    return malformed<funding_info>(response, request_kind::query,
                                   !rate ? rate.error() : time.error());
  funding_info out;
  out.pair = pair.to_string();
  out.rate = *rate;
  out.next_funding_time = from_unix_ms(*time);
  return out;
}

expected<std::vector<funding_payment>, exchange_error> parse_funding_bills(
    const net::http_response& response, const symbol_map& symbols) {
  auto data = detail::success_data(response, request_kind::query);
  if (!data)
    return unexpected{std::move(data).error()};
  std::vector<funding_payment> out;
  for (const json& item : *data) {
    auto symbol = jf::string_of(item, "instId");
    auto asset = jf::string_of(item, "ccy");
    auto amount = jf::optional_decimal_or_empty_of(item, "pnl");
    auto change = jf::optional_decimal_or_empty_of(item, "balChg");
    auto time = jf::integer_of(item, "ts");
    for (const std::string* problem :
         {symbol ? nullptr : &symbol.error(), asset ? nullptr : &asset.error(),
          amount ? nullptr : &amount.error(), change ? nullptr : &change.error(),
          time ? nullptr : &time.error()})
      if (problem != nullptr)
        return malformed<std::vector<funding_payment>>(response, request_kind::query, *problem);
    const trading_pair* pair = symbols.pair_of(*symbol);
    if (pair == nullptr || item.value("type", std::string{}) != "8")
      continue;  // another market, or not a funding bill
    // #trading-account-rest-api-get-bills-details-last-3-months: a funding fee's amount is its
    // pnl; balChg is the same change seen from the balance.
    decimal paid = amount->value_or(change->value_or(decimal{}));
    out.push_back(funding_payment{pair->to_string(), *asset, paid, decimal{}, from_unix_ms(*time)});
  }
  return out;
}

} // namespace tern::okx
