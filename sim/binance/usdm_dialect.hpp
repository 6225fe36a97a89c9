#pragma once

// Binance USDⓈ-M perpetual futures (derivatives docs, "USDⓈ-M Futures"): the REST API under
// /fapi (ping, time, exchangeInfo, depth, ticker/bookTicker, premiumIndex, order, openOrders,
// allOpenOrders, userTrades, leverage, positionSide/dual, income, account, balance,
// positionRisk, listenKey), market streams at /ws and /stream (depth with pu, trade, aggTrade,
// bookTicker, markPrice), and the user data stream at /ws/<listenKey>: ORDER_TRADE_UPDATE,
// ACCOUNT_UPDATE, ACCOUNT_CONFIG_UPDATE and listenKeyExpired. Listen keys live 60 minutes unless
// kept alive with PUT.

#include <chrono>
#include <deque>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sim/binance/binance_dialect.hpp"

namespace tern::sim::binance {

class usdm_dialect final : public binance_dialect {
 public:
  usdm_dialect();

  [[nodiscard]] std::string_view name() const noexcept override { return "binance_perpetual"; }
  [[nodiscard]] market_kind kind() const noexcept override { return market_kind::perpetual; }
  [[nodiscard]] std::vector<endpoint_info> endpoints(std::string_view host, std::uint16_t port) const override;

  bool open_stream(stream_session& session) override;
  void on_stream_closed(stream_session& session) override;
  std::optional<timestamp> on_tick(timestamp now) override;

  /// How long a listen key lives without a keep-alive (docs: 60 minutes).
  static constexpr std::chrono::minutes listen_key_validity{60};

 protected:
  void publish_user(const event_buffer& events) override;
  [[nodiscard]] limit_table default_limits() const override { return futures_limits(); }

 private:
  /// One income history row (GET /fapi/v1/income).
  struct income_row {
    std::string symbol;
    std::string type;  ///< REALIZED_PNL, COMMISSION, FUNDING_FEE
    decimal amount;
    std::string asset;
    std::string info;
    std::int64_t trade = 0;
    timestamp time{};
    std::int64_t id = 0;
  };
  struct listen_key {
    account_id account = 0;
    timestamp expires{};
  };

  // usdm_market.cpp: public endpoints
  void add_market_routes();
  expected<std::string, api_error> exchange_info(call& current);
  expected<std::string, api_error> depth(call& current);
  expected<std::string, api_error> book_ticker(call& current);
  expected<std::string, api_error> premium_index(call& current);
  [[nodiscard]] nlohmann::ordered_json symbol_info(const matching_engine& engine) const;
  [[nodiscard]] nlohmann::ordered_json premium_json(const matching_engine& engine, timestamp now) const;

  // usdm_trading.cpp: orders, leverage, position mode
  void add_trading_routes();
  expected<std::string, api_error> new_order(call& current);
  expected<order_request, api_error> read_order(call& current);
  expected<std::string, api_error> cancel_order(call& current);
  expected<std::string, api_error> cancel_all(call& current);
  expected<std::string, api_error> user_trades(call& current);
  expected<std::string, api_error> set_leverage(call& current);
  expected<std::string, api_error> dual_side_position(call& current, bool change);
  [[nodiscard]] nlohmann::ordered_json order_json(const order_view& order) const;

  // usdm_account.cpp: account, balance, positions, income
  void add_account_routes();
  expected<std::string, api_error> account(call& current);
  expected<std::string, api_error> balance(call& current);
  expected<std::string, api_error> position_risk(call& current);
  expected<std::string, api_error> income(call& current);
  [[nodiscard]] decimal unrealized(account_id account, std::string_view asset);

  // usdm_user.cpp: listen keys and the user data stream
  void add_listen_key_routes();
  expected<std::string, api_error> listen_key_request(call& current, std::string_view method);
  void send_user(account_id account, const std::string& event_json);
  [[nodiscard]] std::string order_update(const order_event& change) const;
  [[nodiscard]] std::string account_update(const std::string& reason,
                                           const std::vector<const balance_update*>& balances,
                                           const std::vector<const position_update*>& positions,
                                           const decimal& change) const;
  void record_income(const event_buffer& events);

  std::map<std::string, listen_key> listen_keys_;                      ///< by key
  std::unordered_map<std::uint64_t, std::string> sessions_by_key_;     ///< connection -> key
  std::unordered_map<account_id, std::deque<income_row>> income_;
  std::int64_t next_income_id_ = 1;
};

} // namespace tern::sim::binance
