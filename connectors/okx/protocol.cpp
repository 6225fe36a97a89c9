#include "connectors/okx/protocol.hpp"

#include "connectors/okx/errors.hpp"
#include "connectors/okx/market_data.hpp"
#include "connectors/okx/requests.hpp"
#include "connectors/okx/responses.hpp"
#include "connectors/okx/symbols.hpp"
#include "connectors/okx/user_stream.hpp"

namespace tern::okx {

namespace {

// OKX cancels asynchronously (#order-book-trading-trade-post-cancel-order: sCode 0 "only means
// that your cancellation request has been accepted"), and offers no cancel-all for spot or swaps
// (mass-cancel is for options; cancel-batch-orders needs the ids).
constexpr capabilities spot_caps{
    .limit = true, .limit_maker = true, .market = true, .ioc = true, .fok = true,
    .cancel_all = false, .cancel_is_synchronous = false, .one_way_mode = false,
    .hedge_mode = false, .set_leverage = false, .funding = false, .balance_push = true,
    .book_sync = book_sync_kind::ws_snapshot_then_deltas,
    .user_stream = user_stream_kind::ws_login};

constexpr capabilities swap_caps{
    .limit = true, .limit_maker = true, .market = true, .ioc = true, .fok = true,
    .cancel_all = false, .cancel_is_synchronous = false, .one_way_mode = true,
    .hedge_mode = true, .set_leverage = true, .funding = true, .balance_push = true,
    .book_sync = book_sync_kind::ws_snapshot_then_deltas,
    .user_stream = user_stream_kind::ws_login};

const connector_info spot_info{"okx", "okx", market_kind::spot, spot_caps};
const connector_info swap_info{"okx_perpetual", "okx", market_kind::perpetual, swap_caps};

// What both products share; the two final classes below add their deltas.
class okx_protocol : public exchange_protocol {
 public:
  okx_protocol(venue api, const connector_info& about, const protocol_options& options)
      : api_(api),
        info_(about),
        urls_(options.urls ? *options.urls : default_endpoints(options.env)),
        site_{api, urls_.rest, options.env == environment::testnet},
        prefix_(options.client_order_id_prefix.value_or(
            std::string{default_client_order_id_prefix})) {}

  const connector_info& info() const noexcept override { return info_; }
  const endpoints& urls() const noexcept override { return urls_; }
  net::rate_limit_table rate_limits() const override { return rate_limit_table(); }

  book_sync_spec book_sync() const override {
    return book_sync_spec{book_sync_kind::ws_snapshot_then_deltas, {}, max_rest_depth,
                          book_policy()};
  }

  client_order_id_format client_order_ids() const override {
    return client_order_id_format{prefix_, client_order_id_max_length, character_set::alphanumeric()};
  }

  std::string default_symbol(const trading_pair& pair) const override {
    return symbol_for(pair, api_);
  }

  prepared_request server_time() const override { return server_time_request(site_); }
  prepared_request trading_rules() const override { return instruments_request(site_); }
  prepared_request depth_snapshot(std::string_view symbol, int depth) const override {
    return books_request(site_, symbol, depth);
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
  expected<prepared_request, request_error> cancel_all(std::string_view,
                                                       const signing_context&) const override {
    return unexpected{unsupported_request("cancel_all")};
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
    return okx::parse_server_time(response);
  }
  expected<instrument_list, exchange_error> parse_trading_rules(
      const net::http_response& response, std::string_view account) const override {
    return parse_instruments(response, api_, account);
  }
  expected<order_ack, exchange_error> parse_place_order(
      const net::http_response& response, const symbol_map&) const override {
    return parse_order_ack(response);
  }
  expected<order_report, exchange_error> parse_cancel_order(
      const net::http_response& response, const symbol_map&) const override {
    return parse_cancel(response);
  }
  expected<cancel_all_result, exchange_error> parse_cancel_all(
      const net::http_response&, const symbol_map&) const override {
    return unexpected{unsupported_response("cancel_all")};
  }
  expected<order_report, exchange_error> parse_order_status(
      const net::http_response& response, const symbol_map& symbols) const override {
    return parse_order_details(response, symbols);
  }
  expected<std::vector<order_report>, exchange_error> parse_open_orders(
      const net::http_response& response, const symbol_map& symbols) const override {
    return parse_pending_orders(response, symbols);
  }
  expected<std::vector<fill>, exchange_error> parse_fills(
      const net::http_response& response, const symbol_map& symbols) const override {
    return okx::parse_fills(response, symbols);
  }
  expected<std::vector<balance>, exchange_error> parse_balances(
      const net::http_response& response) const override {
    return okx::parse_balances(response);
  }

  exchange_error classify_error(const net::http_response& response,
                                request_kind kind) const override {
    return read_error(response, kind);
  }

  std::vector<ws_connection_plan> public_streams(const std::vector<std::string>& symbols,
                                                 std::int64_t first_request_id) const override {
    return market_subscriptions(api_, urls_.public_ws, symbols, first_request_id);
  }
  std::unique_ptr<public_stream_parser> make_public_parser(symbol_map markets) const override {
    return make_market_stream_parser(std::move(markets));
  }
  std::vector<std::string> book_resubscription(std::string_view symbol,
                                               std::int64_t request_id) const override {
    return okx::book_resubscription(symbol, request_id);
  }

  user_stream_plan user_stream() const override {
    return user_stream_plan{user_stream_kind::ws_login, std::chrono::seconds{0}};
  }
  expected<ws_connection_plan, request_error> private_stream(
      const signing_context& signing, std::string_view,
      std::string_view request_id) const override {
    if (signing.keys.empty() || signing.keys.reveal_passphrase().empty())
      return unexpected{request_error{"the OKX private stream needs an API key, secret and passphrase"}};
    return ws_connection_plan{urls_.private_ws,
                              {login_message(signing), private_subscription(api_, request_id)},
                              std::string{ping_message}, ping_after_idle};
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

class spot_protocol final : public okx_protocol {
 public:
  explicit spot_protocol(const protocol_options& options)
      : okx_protocol(venue::spot, spot_info, options) {}

  expected<book_snapshot, exchange_error> parse_depth_snapshot(
      const net::http_response& response, const trading_pair& pair,
      timestamp received) const override {
    return parse_books(response, pair, received, std::nullopt);
  }
};

// Swaps: positions, leverage, position mode, funding; sizes in contracts.
class swap_protocol final : public okx_protocol {
 public:
  explicit swap_protocol(const protocol_options& options)
      : okx_protocol(venue::swap, swap_info, options) {}

  // The REST book gives swap sizes in contracts and this call knows no contract size: the
  // book comes from the books channel, whose parser does.
  expected<book_snapshot, exchange_error> parse_depth_snapshot(
      const net::http_response&, const trading_pair&, timestamp) const override {
    return unexpected{make_exchange_error(
        error_category::unsupported, request_kind::query, 0, {},
        "okx_perpetual REST books are in contracts: use the books channel (book_sync)")};
  }

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
    return funding_rate_request(site_, symbol);
  }
  expected<prepared_request, request_error> funding_payments(
      std::string_view symbol, timestamp since, const signing_context& signing) const override {
    return funding_payments_request(site_, symbol, since, signing);
  }

  expected<std::vector<position>, exchange_error> parse_positions(
      const net::http_response& response, const symbol_map& symbols) const override {
    return okx::parse_positions(response, symbols);
  }
  expected<int, exchange_error> parse_set_leverage(
      const net::http_response& response) const override {
    return parse_leverage(response);
  }
  expected<tern::position_mode, exchange_error> parse_position_mode(
      const net::http_response& response) const override {
    return parse_account_config(response);
  }
  expected<void, exchange_error> parse_set_position_mode(
      const net::http_response& response) const override {
    return okx::parse_set_position_mode(response);
  }
  expected<tern::funding_info, exchange_error> parse_funding_info(
      const net::http_response& response, const trading_pair& pair) const override {
    return parse_funding_rate(response, pair);
  }
  expected<std::vector<funding_payment>, exchange_error> parse_funding_payments(
      const net::http_response& response, const symbol_map& symbols) const override {
    return parse_funding_bills(response, symbols);
  }
};

} // namespace

endpoints default_endpoints(environment env) {
  const default_urls& urls = env == environment::live ? live_urls : demo_urls;
  return endpoints{std::string{urls.rest}, std::string{urls.public_ws}, "",
                   std::string{urls.private_ws}};
}

net::rate_limit_table rate_limit_table() {
  net::rate_limit_table table;
  for (const endpoint_limit& limit : endpoint_limits) {
    net::rate_limit_endpoint endpoint;
    endpoint.id = std::string{limit.id};
    endpoint.capacity = limit.requests;
    endpoint.interval = limit_window;
    table.endpoints.push_back(std::move(endpoint));
  }
  return table;
}

std::unique_ptr<exchange_protocol> make_spot_protocol(const protocol_options& options) {
  return std::make_unique<spot_protocol>(options);
}

std::unique_ptr<exchange_protocol> make_swap_protocol(const protocol_options& options) {
  return std::make_unique<swap_protocol>(options);
}

} // namespace tern::okx
