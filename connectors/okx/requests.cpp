#include "connectors/okx/requests.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "connectors/okx/signer.hpp"

namespace tern::okx {

namespace {

using ordered_json = nlohmann::ordered_json;

std::string limit_id(std::string_view method, std::string_view path) {
  return std::string{method} + " " + std::string{path};
}

prepared_request make_request(const rest_site& site, std::string_view method,
                              std::string_view path, const query_params& query,
                              request_kind kind) {
  prepared_request out;
  out.http.method = std::string{method};
  out.http.target = std::string{path};
  if (!query.empty())
    out.http.target += "?" + encode_query(query);
  out.base_url = site.origin;
  out.limit_id = limit_id(method, path);
  out.kind = kind;
  if (site.demo)
    out.http.headers.emplace_back(std::string{demo_header}, "1");
  return out;
}

// A private request: signed over the target (path and query) and the body, as sent.
expected<prepared_request, request_error> signed_request(const rest_site& site,
                                                         std::string_view method,
                                                         std::string_view path,
                                                         const query_params& query,
                                                         std::string body,
                                                         const signing_context& signing,
                                                         request_kind kind) {
  if (signing.keys.empty() || signing.keys.reveal_passphrase().empty())
    return unexpected{request_error{"signed request " + limit_id(method, path)
                                    + " needs an API key, secret and passphrase"}};
  prepared_request out = make_request(site, method, path, query, kind);
  net::header_list auth =
      auth_headers(signing.keys, signing.timestamp_ms, method, out.http.target, body);
  out.http.headers.insert(out.http.headers.end(), auth.begin(), auth.end());
  if (!body.empty())
    out.http.headers.emplace_back("Content-Type", "application/json");
  out.http.body = std::move(body);
  return out;
}

std::string_view order_type_text(const order_request& order) {
  switch (order.type) {
    case order_type::market: return "market";
    case order_type::limit_maker: return "post_only";
    case order_type::limit: break;
  }
  switch (order.tif) {
    case time_in_force::ioc: return "ioc";
    case time_in_force::fok: return "fok";
    case time_in_force::gtc: break;
  }
  return "limit";
}

// sz: the base amount on spot, contracts on swaps. Contracts may be fractional (OKX swaps trade
// in lots of 0.01 or 0.1 contracts); the lot grid is validate_order's job (step = lotSz x
// ctVal). Here the amount only has to be an exact number of contracts.
expected<std::string, request_error> size_text(venue api, const order_request& order) {
  if (api == venue::spot)
    return order.amount.to_string();
  if (!order.contract_size || !order.contract_size->is_positive())
    return unexpected{request_error{
        "swap orders are sized in contracts: the order needs the market's contract size "
        "(symbol_map::contract_size; --param contract_size=... in tern request)"}};
  decimal contracts = decimal::divide(order.amount, *order.contract_size, rounding::floor);
  // Both floored: an inexact quotient then always multiplies back to less than the amount.
  if (decimal::multiply(contracts, *order.contract_size, rounding::floor) != order.amount)
    return unexpected{request_error{"amount " + order.amount.to_string()
                                    + " is not an exact number of contracts of "
                                    + order.contract_size->to_string()}};
  return contracts.to_string();
}

} // namespace

expected<std::string, request_error> order_body(venue api, std::string_view symbol,
                                                const order_request& order) {
  market_kind kind = api == venue::spot ? market_kind::spot : market_kind::perpetual;
  if (auto valid = check_order(order, kind); !valid)
    return unexpected{valid.error()};
  auto size = size_text(api, order);
  if (!size)
    return unexpected{size.error()};
  ordered_json body;
  body["instId"] = std::string{symbol};
  body["tdMode"] = api == venue::spot ? "cash" : "cross";
  if (!order.client_order_id.empty())
    body["clOrdId"] = order.client_order_id;
  body["side"] = order.order_side == side::buy ? "buy" : "sell";
  if (api == venue::swap && order.mode == position_mode::hedge) {
    bool long_side = (order.order_side == side::buy) == (order.action == position_action::open);
    body["posSide"] = long_side ? "long" : "short";
  }
  body["ordType"] = std::string{order_type_text(order)};
  if (order.type != order_type::market)
    body["px"] = order.price.to_string();
  body["sz"] = *size;
  if (api == venue::spot && order.type == order_type::market)
    body["tgtCcy"] = "base_ccy";
  if (api == venue::swap && order.mode == position_mode::one_way
      && order.action == position_action::close)
    body["reduceOnly"] = true;
  for (const query_param& extra : order.extra) {
    if (body.contains(extra.name))
      return unexpected{request_error{"parameter \"" + extra.name
                                      + "\" is set by the connector and cannot be passed again"}};
    body[extra.name] = extra.value;
  }
  return body.dump();
}

prepared_request server_time_request(const rest_site& site) {
  return make_request(site, "GET", paths::time, {}, request_kind::query);
}

prepared_request instruments_request(const rest_site& site) {
  return make_request(site, "GET", paths::instruments,
                      {{"instType", std::string{inst_type(site.api)}}}, request_kind::query);
}

prepared_request books_request(const rest_site& site, std::string_view symbol, int depth) {
  int size = std::clamp(depth, 1, max_rest_depth);
  return make_request(site, "GET", paths::books,
                      {{"instId", std::string{symbol}}, {"sz", std::to_string(size)}},
                      request_kind::query);
}

expected<prepared_request, request_error> place_order_request(const rest_site& site,
                                                              std::string_view symbol,
                                                              const order_request& order,
                                                              const signing_context& signing) {
  auto body = order_body(site.api, symbol, order);
  if (!body)
    return unexpected{body.error()};
  return signed_request(site, "POST", paths::order, {}, std::move(*body), signing,
                        request_kind::place_order);
}

expected<prepared_request, request_error> cancel_order_request(const rest_site& site,
                                                               std::string_view symbol,
                                                               std::string_view client_order_id,
                                                               const signing_context& signing) {
  if (client_order_id.empty())
    return unexpected{request_error{"cancel needs a client order id"}};
  ordered_json body;
  body["instId"] = std::string{symbol};
  body["clOrdId"] = std::string{client_order_id};
  return signed_request(site, "POST", paths::cancel_order, {}, body.dump(), signing,
                        request_kind::cancel_order);
}

expected<prepared_request, request_error> order_status_request(const rest_site& site,
                                                               std::string_view symbol,
                                                               std::string_view client_order_id,
                                                               const signing_context& signing) {
  if (client_order_id.empty())
    return unexpected{request_error{"order status needs a client order id"}};
  return signed_request(site, "GET", paths::order,
                        {{"instId", std::string{symbol}},
                         {"clOrdId", std::string{client_order_id}}},
                        {}, signing, request_kind::query);
}

expected<prepared_request, request_error> open_orders_request(const rest_site& site,
                                                              std::string_view symbol,
                                                              const signing_context& signing) {
  return signed_request(site, "GET", paths::orders_pending,
                        {{"instType", std::string{inst_type(site.api)}},
                         {"instId", std::string{symbol}}},
                        {}, signing, request_kind::query);
}

expected<prepared_request, request_error> fills_request(const rest_site& site,
                                                        std::string_view symbol,
                                                        timestamp since,
                                                        const signing_context& signing) {
  return signed_request(site, "GET", paths::fills_history,
                        {{"instType", std::string{inst_type(site.api)}},
                         {"instId", std::string{symbol}},
                         {"begin", std::to_string(to_unix_ms(since))},
                         {"limit", std::to_string(page_limit)}},
                        {}, signing, request_kind::query);
}

expected<prepared_request, request_error> balances_request(const rest_site& site,
                                                           const signing_context& signing) {
  return signed_request(site, "GET", paths::balance, {}, {}, signing, request_kind::query);
}

expected<prepared_request, request_error> positions_request(const rest_site& site,
                                                            const signing_context& signing) {
  return signed_request(site, "GET", paths::positions,
                        {{"instType", std::string{inst_type(site.api)}}}, {}, signing,
                        request_kind::query);
}

expected<prepared_request, request_error> leverage_request(const rest_site& site,
                                                           std::string_view symbol, int leverage,
                                                           const signing_context& signing) {
  // #trading-account-rest-api-set-leverage, scenario "SWAP under cross-margin at contract
  // level"; OKX caps leverage at 125 (lever "from 0.01 to 125").
  if (leverage < 1 || leverage > 125)
    return unexpected{request_error{"leverage must be 1 to 125, got " + std::to_string(leverage)}};
  ordered_json body;
  body["instId"] = std::string{symbol};
  body["lever"] = std::to_string(leverage);
  body["mgnMode"] = "cross";
  return signed_request(site, "POST", paths::set_leverage, {}, body.dump(), signing,
                        request_kind::account_change);
}

expected<prepared_request, request_error> position_mode_request(const rest_site& site,
                                                                 const signing_context& signing) {
  return signed_request(site, "GET", paths::config, {}, {}, signing, request_kind::query);
}

expected<prepared_request, request_error> set_position_mode_request(
    const rest_site& site, position_mode mode, const signing_context& signing) {
  ordered_json body;
  body["posMode"] = mode == position_mode::hedge ? "long_short_mode" : "net_mode";
  return signed_request(site, "POST", paths::set_position_mode, {}, body.dump(), signing,
                        request_kind::account_change);
}

prepared_request funding_rate_request(const rest_site& site, std::string_view symbol) {
  return make_request(site, "GET", paths::funding_rate, {{"instId", std::string{symbol}}},
                      request_kind::query);
}

expected<prepared_request, request_error> funding_payments_request(
    const rest_site& site, std::string_view symbol, timestamp since,
    const signing_context& signing) {
  // Bill type 8 is "funding fee" (#trading-account-rest-api-get-bill-types; subType 173
  // expense, 174 income).
  return signed_request(site, "GET", paths::bills_archive,
                        {{"instType", std::string{inst_type(site.api)}},
                         {"instId", std::string{symbol}},
                         {"type", "8"},
                         {"begin", std::to_string(to_unix_ms(since))},
                         {"limit", std::to_string(page_limit)}},
                        {}, signing, request_kind::query);
}

} // namespace tern::okx
