// Account-side REST responses: balances, positions, leverage, position mode, funding, listen
// keys (responses.hpp declares them; responses.cpp has the order-side ones).

#include "connectors/binance/responses.hpp"

#include <nlohmann/json.hpp>

#include "connectors/binance/errors.hpp"
#include "connectors/common/json_fields.hpp"

namespace tern::binance {

namespace {

using nlohmann::json;
namespace jf = json_fields;

template <class T>
expected<T, exchange_error> malformed(const net::http_response& response, request_kind kind,
                                      std::string detail) {
  return unexpected{malformed_response(response, kind, std::move(detail))};
}

// rest-api.md "Account information": balances[] {asset, free, locked}.
expected<balance, std::string> spot_balance(const json& item) {
  auto asset = jf::string_of(item, "asset");
  auto free = jf::decimal_of(item, "free");
  auto locked = jf::decimal_of(item, "locked");
  if (!asset || !free || !locked)
    return unexpected{!asset ? asset.error() : !free ? free.error() : locked.error()};
  return balance{*asset, *free + *locked, *free};
}

// USD-M "Account Information V2": assets[] {asset, walletBalance, availableBalance}.
expected<balance, std::string> usd_m_balance(const json& item) {
  auto asset = jf::string_of(item, "asset");
  auto wallet = jf::decimal_of(item, "walletBalance");
  auto available = jf::decimal_of(item, "availableBalance");
  if (!asset || !wallet || !available)
    return unexpected{!asset ? asset.error() : !wallet ? wallet.error() : available.error()};
  return balance{*asset, *wallet, *available};
}

// "Position Information V2": symbol, positionSide, positionAmt, entryPrice,
// unRealizedProfit, leverage. Nothing for positions on markets the connector does not map.
expected<std::optional<position>, std::string> read_position(const json& item,
                                                             const symbol_map& symbols) {
  auto symbol = jf::string_of(item, "symbol");
  if (!symbol)
    return unexpected{symbol.error()};
  const trading_pair* pair = symbols.pair_of(*symbol);
  if (pair == nullptr)
    return std::optional<position>{};
  auto side = detail::position_side_field(item, "positionSide");
  auto amount = jf::decimal_of(item, "positionAmt");
  auto entry = jf::decimal_of(item, "entryPrice");
  auto pnl = jf::decimal_of(item, "unRealizedProfit");
  auto leverage = jf::optional_decimal_of(item, "leverage");
  if (!side || !amount || !entry || !pnl || !leverage)
    return unexpected{!side       ? side.error()
                      : !amount   ? amount.error()
                      : !entry    ? entry.error()
                      : !pnl      ? pnl.error()
                                  : leverage.error()};
  return std::optional<position>{
      position{pair->to_string(), *side, *amount, *entry, *pnl, leverage->value_or(decimal{})}};
}

} // namespace

namespace detail {

expected<position_side, std::string> position_side_field(const json& object,
                                                         std::string_view field) {
  auto text = jf::string_of(object, field);
  if (!text)
    return unexpected{text.error()};
  if (auto side = position_side_of(*text))
    return *side;
  return unexpected{"field \"" + std::string{field} + "\": unknown position side \"" + *text + "\""};
}

} // namespace detail

expected<std::vector<balance>, exchange_error> parse_account_balances(
    const net::http_response& response, venue api) {
  auto body = detail::success_body(response, request_kind::query);
  if (!body)
    return unexpected{std::move(body).error()};
  const char* list_name = api == venue::spot ? "balances" : "assets";
  auto list = body->find(list_name);
  if (!body->is_object() || list == body->end() || !list->is_array())
    return malformed<std::vector<balance>>(response, request_kind::query,
                                           std::string{"no \""} + list_name + "\" array");
  std::vector<balance> out;
  for (const json& item : *list) {
    auto entry = api == venue::spot ? spot_balance(item) : usd_m_balance(item);
    if (!entry)
      return malformed<std::vector<balance>>(response, request_kind::query, entry.error());
    out.push_back(std::move(*entry));
  }
  return out;
}

expected<std::vector<position>, exchange_error> parse_position_risk(
    const net::http_response& response, const symbol_map& symbols) {
  auto body = detail::success_body(response, request_kind::query);
  if (!body)
    return unexpected{std::move(body).error()};
  if (!body->is_array())
    return malformed<std::vector<position>>(response, request_kind::query, "expected an array");
  std::vector<position> out;
  for (const json& item : *body) {
    auto entry = read_position(item, symbols);
    if (!entry)
      return malformed<std::vector<position>>(response, request_kind::query, entry.error());
    if (*entry && !(*entry)->amount.is_zero())
      out.push_back(std::move(**entry));
  }
  return out;
}

expected<int, exchange_error> parse_leverage(const net::http_response& response) {
  auto body = detail::success_body(response, request_kind::account_change);
  if (!body)
    return unexpected{std::move(body).error()};
  auto leverage = jf::integer_of(*body, "leverage");
  if (!leverage)
    return malformed<int>(response, request_kind::account_change, leverage.error());
  return static_cast<int>(*leverage);
}

expected<position_mode, exchange_error> parse_dual_side(const net::http_response& response) {
  auto body = detail::success_body(response, request_kind::query);
  if (!body)
    return unexpected{std::move(body).error()};
  auto dual = jf::bool_of(*body, "dualSidePosition");
  if (!dual)
    return malformed<position_mode>(response, request_kind::query, dual.error());
  return *dual ? position_mode::hedge : position_mode::one_way;
}

expected<void, exchange_error> parse_set_dual_side(const net::http_response& response) {
  auto body = detail::success_body(response, request_kind::account_change);
  if (body)
    return {};
  exchange_error error = std::move(body).error();
  // -4059 NO_NEED_TO_CHANGE_POSITION_SIDE: the account is already in the asked mode.
  if (error.code == "-4059")
    return {};
  return unexpected{std::move(error)};
}

expected<funding_info, exchange_error> parse_premium_index(const net::http_response& response,
                                                           const trading_pair& pair) {
  auto body = detail::success_body(response, request_kind::query);
  if (!body)
    return unexpected{std::move(body).error()};
  auto mark = jf::decimal_of(*body, "markPrice");
  auto index = jf::decimal_of(*body, "indexPrice");
  auto rate = jf::decimal_of(*body, "lastFundingRate");
  auto next = jf::integer_of(*body, "nextFundingTime");
  if (!mark || !index || !rate || !next)
    return malformed<funding_info>(response, request_kind::query,
                                   !mark    ? mark.error()
                                   : !index ? index.error()
                                   : !rate  ? rate.error()
                                            : next.error());
  return funding_info{pair.to_string(), *index, *mark, *rate, from_unix_ms(*next)};
}

expected<std::vector<funding_payment>, exchange_error> parse_income(
    const net::http_response& response, const symbol_map& symbols) {
  auto body = detail::success_body(response, request_kind::query);
  if (!body)
    return unexpected{std::move(body).error()};
  if (!body->is_array())
    return malformed<std::vector<funding_payment>>(response, request_kind::query,
                                                   "expected an array");
  std::vector<funding_payment> out;
  for (const json& item : *body) {
    auto type = jf::string_of(item, "incomeType");
    auto symbol = jf::string_of(item, "symbol");
    auto amount = jf::decimal_of(item, "income");
    auto asset = jf::string_of(item, "asset");
    auto time = jf::integer_of(item, "time");
    if (!type || !symbol || !amount || !asset || !time)
      return malformed<std::vector<funding_payment>>(
          response, request_kind::query,
          !type ? type.error() : !symbol ? symbol.error() : !amount ? amount.error()
                                         : !asset ? asset.error() : time.error());
    const trading_pair* pair = symbols.pair_of(*symbol);
    if (*type != "FUNDING_FEE" || pair == nullptr)
      continue;
    out.push_back(funding_payment{pair->to_string(), *asset, *amount, decimal{}, from_unix_ms(*time)});
  }
  return out;
}

expected<std::string, exchange_error> parse_listen_key(const net::http_response& response) {
  auto body = detail::success_body(response, request_kind::account_change);
  if (!body)
    return unexpected{std::move(body).error()};
  auto key = jf::string_of(*body, "listenKey");
  if (!key || key->empty())
    return malformed<std::string>(response, request_kind::account_change,
                                  key ? std::string{"empty listenKey"} : key.error());
  return *key;
}

} // namespace tern::binance
