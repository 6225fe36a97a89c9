#pragma once

// What Binance spot and USD-M futures share: a table of REST routes, each with its security
// type, request weight and handler; the order of checks on every request (parse, weight,
// authentication, order count, handler), the rate-limit headers, the fault answers, and the
// market-data streams. The spot and futures dialects add their routes and user streams.

#include <functional>
#include <optional>

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/binance/auth.hpp"
#include "sim/binance/limits.hpp"
#include "sim/binance/market_streams.hpp"
#include "sim/binance/wire.hpp"
#include "sim/dialect.hpp"

namespace tern::sim::binance {

class binance_dialect : public dialect {
 public:
  explicit binance_dialect(flavour kind) : flavour_(kind), market_(kind) {}

  [[nodiscard]] std::string symbol_for(std::string_view base, std::string_view quote) const override {
    return std::string{base} + std::string{quote};
  }
  expected<void, std::string> attach(exchange_state& state) override;
  rest_outcome handle_rest(const net::server_request& request) override;
  net::server_response fault_response(const fault& applied) override;
  bool open_stream(stream_session& session) override { return market_.open(session); }
  void on_stream_message(stream_session& session, std::string_view payload) override {
    market_.on_message(session, payload);
  }
  void on_stream_closed(stream_session& /*session*/) override {}
  void publish(const event_buffer& events) override;
  std::optional<timestamp> on_tick(timestamp now) override { return market_.on_tick(now); }

 protected:
  /// One request being served.
  struct call {
    const request& req;
    const account_credentials* account;  ///< null for public endpoints
    request_record& record;
    timestamp now;
  };
  using handler = std::function<expected<std::string, api_error>(call&)>;
  struct route {
    std::string method;
    std::string path;
    security level = security::none;
    std::function<std::int64_t(const form_params&)> weight;
    bool new_order = false;  ///< counts against the order limits
    handler handle;
  };

  void add_route(route entry);
  /// A weight that does not depend on the parameters.
  [[nodiscard]] static std::function<std::int64_t(const form_params&)> weight(std::int64_t value) {
    return [value](const form_params&) { return value; };
  }
  /// Renders the events of user accounts on their user streams.
  virtual void publish_user(const event_buffer& events) = 0;
  /// The flavour's limits before configuration overrides.
  [[nodiscard]] virtual limit_table default_limits() const = 0;

  [[nodiscard]] exchange_state& state() const { return *state_; }
  /// The market named by the `symbol` parameter: -1102 when absent, -1121 when unknown.
  [[nodiscard]] expected<matching_engine*, api_error> market_of(const request& req) const;
  /// A required parameter, or -1102.
  [[nodiscard]] expected<std::string, api_error> required(const request& req, std::string_view name) const;
  /// A decimal parameter: -1102 when absent, -1100 when not a number.
  [[nodiscard]] expected<decimal, api_error> required_decimal(const request& req, std::string_view name) const;
  /// An optional integer parameter; -1100 when present but not an integer.
  [[nodiscard]] expected<std::optional<std::int64_t>, api_error> optional_integer(const request& req,
                                                                                  std::string_view name) const;
  /// The market named by `symbol`, or every market when it is absent.
  [[nodiscard]] expected<std::vector<matching_engine*>, api_error> markets_of(const request& req) const;
  /// `render` of the named market, or an array of every market's when no symbol is given.
  [[nodiscard]] expected<std::string, api_error> per_market(
      const request& req, const std::function<nlohmann::ordered_json(const matching_engine&)>& render) const;

  using order_renderer = std::function<nlohmann::ordered_json(const order_view&)>;
  /// Side, quantity, price (not for market orders), self-trade prevention and client order id
  /// (generated when absent), once the order's type is read.
  expected<void, api_error> read_order_fields(const request& req, order_request& order);
  /// The caller's order named by orderId or origClientOrderId: -1102 when neither is sent,
  /// -2013 when there is no such order (both sent: the id's order must carry that client id).
  expected<order_view, api_error> find_order(call& current, const matching_engine& engine) const;
  /// GET order: the order rendered.
  expected<std::string, api_error> query_order(call& current, const order_renderer& render) const;
  /// GET openOrders: the caller's open orders in one market or all.
  expected<std::string, api_error> open_orders(call& current, const order_renderer& render) const;

  flavour flavour_;
  market_streams market_;
  rate_limits limits_;
  id_generator ids_;

 private:
  const route* find_route(const std::string& method, const std::string& path, bool& path_known) const;
  rest_outcome refuse(const api_error& error, request_record record, timestamp now,
                      std::optional<std::chrono::seconds> retry_after = std::nullopt);

  exchange_state* state_ = nullptr;
  std::vector<route> routes_;
};

} // namespace tern::sim::binance
