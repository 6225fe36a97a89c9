#include "connectors/binance/requests.hpp"

#include <algorithm>

#include "connectors/binance/signer.hpp"

namespace tern::binance {

namespace {

std::string limit_id(std::string_view method, std::string_view path) {
  return std::string{method} + " " + std::string{path};
}

prepared_request make_request(const rest_site& site, std::string_view method,
                              std::string_view path, const std::string& query,
                              request_kind kind) {
  prepared_request out;
  out.http.method = std::string{method};
  out.http.target = std::string{path};
  if (!query.empty())
    out.http.target += "?" + query;
  out.base_url = site.origin;
  out.limit_id = limit_id(method, path);
  out.kind = kind;
  return out;
}

expected<prepared_request, request_error> signed_request(const rest_site& site,
                                                         std::string_view method,
                                                         std::string_view path,
                                                         query_params params,
                                                         const signing_context& signing,
                                                         request_kind kind) {
  if (signing.keys.empty())
    return unexpected{request_error{"signed request " + limit_id(method, path)
                                    + " needs an API key and secret"}};
  prepared_request out =
      make_request(site, method, path, signed_query(std::move(params), signing), kind);
  out.http.headers.emplace_back(std::string{api_key_header}, signing.keys.api_key());
  return out;
}

std::string_view side_text(side value) { return value == side::buy ? "BUY" : "SELL"; }

std::string_view tif_text(time_in_force value) {
  switch (value) {
    case time_in_force::gtc: return "GTC";
    case time_in_force::ioc: return "IOC";
    case time_in_force::fok: return "FOK";
  }
  return "GTC";
}

query_params spot_order_params(std::string_view symbol, const order_request& order) {
  query_params params{{"symbol", std::string{symbol}}, {"side", std::string{side_text(order.order_side)}}};
  switch (order.type) {
    case order_type::limit:
      params.push_back({"type", "LIMIT"});
      params.push_back({"timeInForce", std::string{tif_text(order.tif)}});
      params.push_back({"quantity", order.amount.to_string()});
      params.push_back({"price", order.price.to_string()});
      break;
    case order_type::limit_maker:
      params.push_back({"type", "LIMIT_MAKER"});
      params.push_back({"quantity", order.amount.to_string()});
      params.push_back({"price", order.price.to_string()});
      break;
    case order_type::market:
      params.push_back({"type", "MARKET"});
      params.push_back({"quantity", order.amount.to_string()});
      break;
  }
  return params;
}

// USD-M ("New Order(TRADE)"): hedge mode names the position side (buy-open and sell-close
// are the long one); one-way mode closes with reduceOnly. Post-only is a LIMIT with time in
// force GTX ("Good Till Crossing").
query_params usd_m_order_params(std::string_view symbol, const order_request& order) {
  query_params params{{"symbol", std::string{symbol}}, {"side", std::string{side_text(order.order_side)}}};
  if (order.mode == position_mode::hedge) {
    bool long_side = (order.order_side == side::buy) == (order.action == position_action::open);
    params.push_back({"positionSide", long_side ? "LONG" : "SHORT"});
  }
  params.push_back({"type", order.type == order_type::market ? "MARKET" : "LIMIT"});
  params.push_back({"quantity", order.amount.to_string()});
  if (order.type != order_type::market) {
    params.push_back({"price", order.price.to_string()});
    params.push_back({"timeInForce", order.type == order_type::limit_maker
                                         ? std::string{"GTX"}
                                         : std::string{tif_text(order.tif)}});
  }
  if (order.mode == position_mode::one_way && order.action == position_action::close)
    params.push_back({"reduceOnly", "true"});
  return params;
}

} // namespace

expected<query_params, request_error> order_params(venue api, std::string_view symbol,
                                                   const order_request& order) {
  market_kind kind = api == venue::spot ? market_kind::spot : market_kind::perpetual;
  if (auto valid = check_order(order, kind); !valid)
    return unexpected{valid.error()};
  query_params params =
      api == venue::spot ? spot_order_params(symbol, order) : usd_m_order_params(symbol, order);
  if (!order.client_order_id.empty())
    params.push_back({"newClientOrderId", order.client_order_id});
  for (const query_param& extra : order.extra) {
    if (extra.name == "recvWindow" || extra.name == "timestamp" || extra.name == "signature"
        || find_param(params, extra.name) != nullptr)
      return unexpected{request_error{"parameter \"" + extra.name
                                      + "\" is set by the connector and cannot be passed again"}};
    params.push_back(extra);
  }
  return params;
}

prepared_request server_time_request(const rest_site& site) {
  return make_request(site, "GET", paths(site.api).server_time, {}, request_kind::query);
}

prepared_request exchange_info_request(const rest_site& site) {
  return make_request(site, "GET", paths(site.api).exchange_info, {}, request_kind::query);
}

prepared_request depth_request(const rest_site& site, std::string_view symbol, int depth) {
  const auto& depths = site.api == venue::spot ? spot_depths : usd_m_depths;
  auto found = std::find_if(depths.begin(), depths.end(), [depth](int d) { return d >= depth; });
  int limit = found == depths.end() ? depths.back() : *found;
  std::string_view path = paths(site.api).depth;
  query_params params{{"symbol", std::string{symbol}}, {"limit", std::to_string(limit)}};
  prepared_request out = make_request(site, "GET", path, encode_query(params), request_kind::query);
  out.limit_id = limit_id("GET", path) + " limit=" + std::to_string(limit);
  return out;
}

expected<prepared_request, request_error> place_order_request(const rest_site& site,
                                                              std::string_view symbol,
                                                              const order_request& order,
                                                              const signing_context& signing) {
  auto params = order_params(site.api, symbol, order);
  if (!params)
    return unexpected{params.error()};
  return signed_request(site, "POST", paths(site.api).order, std::move(*params), signing,
                        request_kind::place_order);
}

expected<prepared_request, request_error> cancel_order_request(const rest_site& site,
                                                               std::string_view symbol,
                                                               std::string_view client_order_id,
                                                               const signing_context& signing) {
  if (client_order_id.empty())
    return unexpected{request_error{"cancel needs a client order id"}};
  query_params params{{"symbol", std::string{symbol}},
                      {"origClientOrderId", std::string{client_order_id}}};
  return signed_request(site, "DELETE", paths(site.api).order, std::move(params), signing,
                        request_kind::cancel_order);
}

expected<prepared_request, request_error> cancel_all_request(const rest_site& site,
                                                             std::string_view symbol,
                                                             const signing_context& signing) {
  return signed_request(site, "DELETE", paths(site.api).cancel_all,
                        {{"symbol", std::string{symbol}}}, signing, request_kind::cancel_order);
}

expected<prepared_request, request_error> order_status_request(const rest_site& site,
                                                               std::string_view symbol,
                                                               std::string_view client_order_id,
                                                               const signing_context& signing) {
  if (client_order_id.empty())
    return unexpected{request_error{"order status needs a client order id"}};
  query_params params{{"symbol", std::string{symbol}},
                      {"origClientOrderId", std::string{client_order_id}}};
  return signed_request(site, "GET", paths(site.api).order, std::move(params), signing,
                        request_kind::query);
}

expected<prepared_request, request_error> open_orders_request(const rest_site& site,
                                                              std::string_view symbol,
                                                              const signing_context& signing) {
  return signed_request(site, "GET", paths(site.api).open_orders,
                        {{"symbol", std::string{symbol}}}, signing, request_kind::query);
}

expected<prepared_request, request_error> fills_request(const rest_site& site,
                                                        std::string_view symbol,
                                                        timestamp since,
                                                        const signing_context& signing) {
  query_params params{{"symbol", std::string{symbol}},
                      {"startTime", std::to_string(to_unix_ms(since))},
                      {"limit", "1000"}};
  return signed_request(site, "GET", paths(site.api).fills, std::move(params), signing,
                        request_kind::query);
}

expected<prepared_request, request_error> balances_request(const rest_site& site,
                                                           const signing_context& signing) {
  // Spot: leave zero balances out (rest-api.md "Account information", omitZeroBalances).
  query_params params;
  if (site.api == venue::spot)
    params.push_back({"omitZeroBalances", "true"});
  return signed_request(site, "GET", paths(site.api).account, std::move(params), signing,
                        request_kind::query);
}

expected<prepared_request, request_error> positions_request(const rest_site& site,
                                                            const signing_context& signing) {
  return signed_request(site, "GET", paths(site.api).positions, {}, signing, request_kind::query);
}

expected<prepared_request, request_error> leverage_request(const rest_site& site,
                                                           std::string_view symbol, int leverage,
                                                           const signing_context& signing) {
  // "Change Initial Leverage": an integer from 1 to 125.
  if (leverage < 1 || leverage > 125)
    return unexpected{request_error{"leverage must be 1 to 125, got " + std::to_string(leverage)}};
  query_params params{{"symbol", std::string{symbol}}, {"leverage", std::to_string(leverage)}};
  return signed_request(site, "POST", paths(site.api).leverage, std::move(params), signing,
                        request_kind::account_change);
}

expected<prepared_request, request_error> position_mode_request(const rest_site& site,
                                                                 const signing_context& signing) {
  return signed_request(site, "GET", paths(site.api).position_mode, {}, signing,
                        request_kind::query);
}

expected<prepared_request, request_error> set_position_mode_request(
    const rest_site& site, position_mode mode, const signing_context& signing) {
  query_params params{{"dualSidePosition", mode == position_mode::hedge ? "true" : "false"}};
  return signed_request(site, "POST", paths(site.api).position_mode, std::move(params), signing,
                        request_kind::account_change);
}

prepared_request premium_index_request(const rest_site& site, std::string_view symbol) {
  return make_request(site, "GET", paths(site.api).premium_index,
                      encode_query({{"symbol", std::string{symbol}}}), request_kind::query);
}

expected<prepared_request, request_error> funding_payments_request(
    const rest_site& site, std::string_view symbol, timestamp since,
    const signing_context& signing) {
  query_params params{{"symbol", std::string{symbol}},
                      {"incomeType", "FUNDING_FEE"},
                      {"startTime", std::to_string(to_unix_ms(since))},
                      {"limit", "1000"}};
  return signed_request(site, "GET", paths(site.api).income, std::move(params), signing,
                        request_kind::query);
}

expected<prepared_request, request_error> listen_key_request(const rest_site& site,
                                                             std::string_view method,
                                                             const credentials& keys) {
  if (keys.api_key().empty())
    return unexpected{request_error{"listen key requests need an API key"}};
  prepared_request out =
      make_request(site, method, paths(site.api).listen_key, {}, request_kind::account_change);
  out.http.headers.emplace_back(std::string{api_key_header}, keys.api_key());
  return out;
}

} // namespace tern::binance
