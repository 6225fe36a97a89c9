#pragma once

// Binance spot (binance-spot-api-docs): the REST API under /api/v3 (ping, time, exchangeInfo,
// depth, ticker/bookTicker, ticker/price, order, order/test, openOrders, account, myTrades),
// market-data streams at /ws and /stream, and the WebSocket API at /ws-api/v3 for the user data
// stream (userDataStream.subscribe.signature: spot has no listen keys any more), which sends
// executionReport and outboundAccountPosition events wrapped in {"subscriptionId","event"}.

#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sim/binance/binance_dialect.hpp"

namespace tern::sim::binance {

class spot_dialect final : public binance_dialect {
 public:
  spot_dialect();

  [[nodiscard]] std::string_view name() const noexcept override { return "binance"; }
  [[nodiscard]] market_kind kind() const noexcept override { return market_kind::spot; }
  [[nodiscard]] std::vector<endpoint_info> endpoints(std::string_view host, std::uint16_t port) const override;

  bool open_stream(stream_session& session) override;
  void on_stream_message(stream_session& session, std::string_view payload) override;
  void on_stream_closed(stream_session& session) override;

 protected:
  void publish_user(const event_buffer& events) override;
  [[nodiscard]] limit_table default_limits() const override { return spot_limits(); }

 private:
  // spot_market.cpp: public endpoints
  void add_market_routes();
  expected<std::string, api_error> exchange_info(call& current);
  expected<std::string, api_error> depth(call& current);
  expected<std::string, api_error> book_ticker(call& current);
  expected<std::string, api_error> price_ticker(call& current);
  [[nodiscard]] nlohmann::ordered_json symbol_info(const matching_engine& engine) const;

  // spot_trading.cpp: orders and account
  void add_trading_routes();
  expected<std::string, api_error> new_order(call& current, bool test_only);
  expected<order_request, api_error> read_order(call& current);
  expected<std::string, api_error> cancel_order(call& current);
  expected<std::string, api_error> cancel_all(call& current);
  expected<std::string, api_error> account(call& current);
  expected<std::string, api_error> my_trades(call& current);

  // spot_user.cpp: rendering and the WebSocket API's user data stream
  [[nodiscard]] nlohmann::ordered_json order_json(const order_view& order) const;
  [[nodiscard]] nlohmann::ordered_json cancel_json(const order_view& order, const std::string& cancel_id) const;
  [[nodiscard]] std::string execution_report(const order_event& change);
  void send_user(account_id account, const std::string& event_json);

  // spot_ws_api.cpp: the WebSocket API (ping, time, user data stream subscriptions)
  struct ws_call;
  void ws_api_request(stream_session& session, std::string_view payload);
  void ws_answer(ws_call& current, unsigned status, const std::string& result, const api_error* error);
  void ws_subscribe(ws_call& current, const nlohmann::ordered_json& params);
  void ws_unsubscribe(ws_call& current, const nlohmann::ordered_json& params);

  /// Client ids of cancel requests, for the CANCELED executionReport's "c" (order id -> id).
  std::unordered_map<order_id, std::string> cancel_ids_;
  /// WebSocket API subscriptions per account: (connection id, subscriptionId).
  std::unordered_map<account_id, std::vector<std::pair<std::uint64_t, std::int64_t>>> user_streams_;
  std::int64_t next_execution_id_ = 1;
};

} // namespace tern::sim::binance
