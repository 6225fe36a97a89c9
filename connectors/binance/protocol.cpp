#include "connectors/binance/protocol.hpp"

#include <algorithm>

#include "connectors/binance/errors.hpp"
#include "connectors/binance/market_data.hpp"
#include "connectors/binance/requests.hpp"
#include "connectors/binance/responses.hpp"
#include "connectors/binance/symbols.hpp"
#include "connectors/binance/user_stream.hpp"

namespace tern::binance {

namespace {

constexpr capabilities spot_caps{
    .limit = true, .limit_maker = true, .market = true, .ioc = true, .fok = true,
    .cancel_all = true, .cancel_is_synchronous = true, .one_way_mode = false,
    .hedge_mode = false, .set_leverage = false, .funding = false, .balance_push = true,
    .book_sync = book_sync_kind::rest_snapshot_sequenced_diffs,
    .user_stream = user_stream_kind::ws_api_signature};

constexpr capabilities usd_m_caps{
    .limit = true, .limit_maker = true, .market = true, .ioc = true, .fok = true,
    .cancel_all = true, .cancel_is_synchronous = true, .one_way_mode = true,
    .hedge_mode = true, .set_leverage = true, .funding = true, .balance_push = true,
    .book_sync = book_sync_kind::rest_snapshot_sequenced_diffs,
    .user_stream = user_stream_kind::listen_key};

const connector_info spot_info{"binance", "binance", market_kind::spot, spot_caps};
const connector_info usd_m_info{"binance_perpetual", "binance", market_kind::perpetual, usd_m_caps};

endpoints to_endpoints(const default_urls& urls) {
  return endpoints{std::string{urls.rest}, std::string{urls.public_ws},
                   std::string{urls.market_ws}, std::string{urls.private_ws}};
}

// What both venues share; the two final classes below add their deltas.
class binance_protocol : public exchange_protocol {
 public:
  binance_protocol(venue api, const connector_info& about, const protocol_options& options)
      : api_(api),
        info_(about),
        urls_(options.urls ? *options.urls : default_endpoints(api, options.env)),
        site_{api, urls_.rest},
        prefix_(options.client_order_id_prefix.value_or(
            std::string{default_client_order_id_prefix})) {}

  const connector_info& info() const noexcept override { return info_; }
  const endpoints& urls() const noexcept override { return urls_; }
  net::rate_limit_table rate_limits() const override { return rate_limit_table_for(api_); }

  book_sync_spec book_sync() const override {
    // Spot diffs carry consecutive U..u; USD-M diffs chain with pu (web-socket-streams.md
    // "How to manage a local order book correctly"; USD-M "How to manage a local order book").
    book_sync_policy policy{api_ == venue::spot ? sequence_rule::consecutive : sequence_rule::chained,
                            10'000};
    return book_sync_spec{book_sync_kind::rest_snapshot_sequenced_diffs, policy, 1000, {}};
  }

  client_order_id_format client_order_ids() const override {
    return client_order_id_format{prefix_, client_order_id_max_length,
                                  character_set::alphanumeric_and("-_")};
  }

  std::string default_symbol(const trading_pair& pair) const override { return symbol_for(pair); }

  prepared_request server_time() const override { return server_time_request(site_); }
  prepared_request trading_rules() const override { return exchange_info_request(site_); }
  prepared_request depth_snapshot(std::string_view symbol, int depth) const override {
    return depth_request(site_, symbol, depth);
  }

  expected<prepared_request, request_error> place_order(
      std::string_view symbol, const order_request& order,
      const signing_context& signing) const override {
    return place_order_request(site_, symbol, order, signing);
  }
  expected<prepared_request, request_error> cancel_order(
      std::string_view symbol, std::string_view client_order_id,
      const signing_context& signing) const override {
    return cancel_order_request(site_, symbol, client_order_id, signing);
  }
  expected<prepared_request, request_error> cancel_all(
      std::string_view symbol, const signing_context& signing) const override {
    return cancel_all_request(site_, symbol, signing);
  }
  expected<prepared_request, request_error> order_status(
      std::string_view symbol, std::string_view client_order_id,
      const signing_context& signing) const override {
    return order_status_request(site_, symbol, client_order_id, signing);
  }
  expected<prepared_request, request_error> open_orders(
      std::string_view symbol, const signing_context& signing) const override {
    return open_orders_request(site_, symbol, signing);
  }
  expected<prepared_request, request_error> fills_since(
      std::string_view symbol, timestamp since, const signing_context& signing) const override {
    return fills_request(site_, symbol, since, signing);
  }
  expected<prepared_request, request_error> balances(
      const signing_context& signing) const override {
    return balances_request(site_, signing);
  }

  expected<timestamp, exchange_error> parse_server_time(
      const net::http_response& response) const override {
    return binance::parse_server_time(response);
  }
  expected<instrument_list, exchange_error> parse_trading_rules(
      const net::http_response& response, std::string_view account) const override {
    return parse_exchange_info(response, api_, account);
  }
  expected<book_snapshot, exchange_error> parse_depth_snapshot(
      const net::http_response& response, const trading_pair& pair,
      timestamp received) const override {
    return parse_depth(response, pair, received);
  }
  expected<order_ack, exchange_error> parse_place_order(
      const net::http_response& response, const symbol_map& symbols) const override {
    return parse_order_ack(response, api_, symbols);
  }
  expected<order_report, exchange_error> parse_cancel_order(
      const net::http_response& response, const symbol_map& symbols) const override {
    return parse_order_report(response, api_, symbols, request_kind::cancel_order);
  }
  expected<cancel_all_result, exchange_error> parse_cancel_all(
      const net::http_response& response, const symbol_map& symbols) const override {
    return parse_cancel_all_orders(response, api_, symbols);
  }
  expected<order_report, exchange_error> parse_order_status(
      const net::http_response& response, const symbol_map& symbols) const override {
    return parse_order_report(response, api_, symbols, request_kind::query);
  }
  expected<std::vector<order_report>, exchange_error> parse_open_orders(
      const net::http_response& response, const symbol_map& symbols) const override {
    return parse_order_reports(response, api_, symbols);
  }
  expected<std::vector<fill>, exchange_error> parse_fills(
      const net::http_response& response, const symbol_map& symbols) const override {
    return parse_account_trades(response, api_, symbols);
  }
  expected<std::vector<balance>, exchange_error> parse_balances(
      const net::http_response& response) const override {
    return parse_account_balances(response, api_);
  }

  exchange_error classify_error(const net::http_response& response,
                                request_kind kind) const override {
    return read_error(response, kind);
  }

  std::vector<ws_connection_plan> public_streams(const std::vector<std::string>& symbols,
                                                 std::int64_t first_request_id) const override {
    return market_subscriptions(api_, urls_, symbols, first_request_id);
  }
  std::unique_ptr<public_stream_parser> make_public_parser(symbol_map markets) const override {
    return make_market_stream_parser(std::move(markets));
  }

  expected<std::vector<private_event>, frame_problem> parse_private_frame(
      std::string_view frame, const symbol_map& symbols, timestamp) const override {
    return parse_user_frame(frame, symbols);
  }

 protected:
  venue api_;
  const connector_info& info_;
  endpoints urls_;
  rest_site site_;
  std::string prefix_;
};

// Spot: the user stream is a signed subscription on the WebSocket API.
class spot_protocol final : public binance_protocol {
 public:
  explicit spot_protocol(const protocol_options& options)
      : binance_protocol(venue::spot, spot_info, options) {}

  user_stream_plan user_stream() const override {
    return user_stream_plan{user_stream_kind::ws_api_signature, std::chrono::seconds{0}};
  }

  expected<ws_connection_plan, request_error> private_stream(
      const signing_context& signing, std::string_view, std::string_view request_id) const override {
    if (signing.keys.empty())
      return unexpected{request_error{"the user stream needs an API key and secret"}};
    return ws_connection_plan{urls_.private_ws, {user_data_subscription(signing, request_id)}, {},
                              {}};
  }
};

// USD-M: positions, leverage, position mode, funding, and a listen-key user stream.
class usd_m_protocol final : public binance_protocol {
 public:
  explicit usd_m_protocol(const protocol_options& options)
      : binance_protocol(venue::usd_m, usd_m_info, options) {}

  expected<prepared_request, request_error> positions(
      const signing_context& signing) const override {
    return positions_request(site_, signing);
  }
  expected<prepared_request, request_error> set_leverage(
      std::string_view symbol, int leverage, const signing_context& signing) const override {
    return leverage_request(site_, symbol, leverage, signing);
  }
  expected<prepared_request, request_error> position_mode(
      const signing_context& signing) const override {
    return position_mode_request(site_, signing);
  }
  expected<prepared_request, request_error> set_position_mode(
      tern::position_mode mode, const signing_context& signing) const override {
    return set_position_mode_request(site_, mode, signing);
  }
  expected<prepared_request, request_error> funding_info(std::string_view symbol) const override {
    return premium_index_request(site_, symbol);
  }
  expected<prepared_request, request_error> funding_payments(
      std::string_view symbol, timestamp since, const signing_context& signing) const override {
    return funding_payments_request(site_, symbol, since, signing);
  }

  expected<std::vector<position>, exchange_error> parse_positions(
      const net::http_response& response, const symbol_map& symbols) const override {
    return parse_position_risk(response, symbols);
  }
  expected<int, exchange_error> parse_set_leverage(
      const net::http_response& response) const override {
    return parse_leverage(response);
  }
  expected<tern::position_mode, exchange_error> parse_position_mode(
      const net::http_response& response) const override {
    return parse_dual_side(response);
  }
  expected<void, exchange_error> parse_set_position_mode(
      const net::http_response& response) const override {
    return parse_set_dual_side(response);
  }
  expected<tern::funding_info, exchange_error> parse_funding_info(
      const net::http_response& response, const trading_pair& pair) const override {
    return parse_premium_index(response, pair);
  }
  expected<std::vector<funding_payment>, exchange_error> parse_funding_payments(
      const net::http_response& response, const symbol_map& symbols) const override {
    return parse_income(response, symbols);
  }

  user_stream_plan user_stream() const override {
    return user_stream_plan{user_stream_kind::listen_key,
                            std::chrono::duration_cast<std::chrono::seconds>(listen_key_keepalive)};
  }
  expected<prepared_request, request_error> user_stream_token(
      const credentials& keys) const override {
    return listen_key_request(site_, "POST", keys);
  }
  expected<prepared_request, request_error> user_stream_keepalive(
      const credentials& keys, std::string_view) const override {
    return listen_key_request(site_, "PUT", keys);
  }
  expected<prepared_request, request_error> user_stream_close(
      const credentials& keys, std::string_view) const override {
    return listen_key_request(site_, "DELETE", keys);
  }
  expected<std::string, exchange_error> parse_user_stream_token(
      const net::http_response& response) const override {
    return parse_listen_key(response);
  }
  expected<ws_connection_plan, request_error> private_stream(
      const signing_context&, std::string_view token, std::string_view) const override {
    if (token.empty())
      return unexpected{request_error{"the USD-M user stream needs a listen key"}};
    return ws_connection_plan{listen_key_stream_url(urls_.private_ws, token), {}, {}, {}};
  }
};

} // namespace

endpoints default_endpoints(venue api, environment env) {
  if (api == venue::spot)
    return to_endpoints(env == environment::live ? spot_live : spot_testnet);
  return to_endpoints(env == environment::live ? usd_m_live : usd_m_testnet);
}

net::rate_limit_table rate_limit_table_for(venue api) {
  net::rate_limit_table table;
  auto add_pools = [&](const auto& pools) {
    for (const pool_spec& pool : pools)
      table.pools.push_back({std::string{pool.id}, pool.capacity, pool.interval});
  };
  auto add_endpoints = [&](const auto& endpoints) {
    for (const endpoint_spec& spec : endpoints) {
      net::rate_limit_endpoint endpoint;
      endpoint.id = std::string{spec.id};
      if (spec.weight > 0)
        endpoint.linked.push_back({std::string{request_weight_pool}, spec.weight});
      // Spot RAW_REQUESTS counts every REST request (not WebSocket API requests).
      if (api == venue::spot && spec.id.substr(0, 3) != "WS ")
        endpoint.linked.push_back({std::string{raw_requests_pool}, 1});
      if (spec.is_order)
        for (const net::rate_limit_pool& pool : table.pools)
          if (pool.id.rfind("ORDERS", 0) == 0)
            endpoint.linked.push_back({pool.id, 1});
      table.endpoints.push_back(std::move(endpoint));
    }
  };
  if (api == venue::spot) {
    add_pools(spot_pools);
    add_endpoints(spot_endpoints);
  } else {
    add_pools(usd_m_pools);
    add_endpoints(usd_m_endpoints);
  }
  return table;
}

std::unique_ptr<exchange_protocol> make_spot_protocol(const protocol_options& options) {
  return std::make_unique<spot_protocol>(options);
}

std::unique_ptr<exchange_protocol> make_usd_m_protocol(const protocol_options& options) {
  return std::make_unique<usd_m_protocol>(options);
}

} // namespace tern::binance
