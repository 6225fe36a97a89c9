#pragma once

// Shared helpers of the simulator tests: markets, funded accounts, event filters.

#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "core/decimal.hpp"
#include "sim/events.hpp"
#include "sim/market.hpp"
#include "sim/venue.hpp"

namespace tern::sim::testing {

using namespace tern::literals;

/// Binance spot BTCUSDT's trading rules (exchangeInfo: PRICE_FILTER tickSize 0.01, LOT_SIZE
/// stepSize 0.00001, NOTIONAL minNotional 5) with the standard 0.1 % fee.
inline market_spec binance_btcusdt_spot() {
  market_spec spec;
  spec.symbol = "BTCUSDT";
  spec.base = "BTC";
  spec.quote = "USDT";
  spec.kind = market_kind::spot;
  spec.tick = "0.01"_d;
  spec.step = "0.00001"_d;
  spec.min_quantity = "0.00001"_d;
  spec.min_notional = "5"_d;
  spec.maker_fee_rate = "0.001"_d;
  spec.taker_fee_rate = "0.001"_d;
  return spec;
}

/// A small spot market for order-flow tests: tick 0.01, step 0.001, no minimums.
inline market_spec simple_spot(decimal maker_fee = "0.001"_d, decimal taker_fee = "0.002"_d) {
  market_spec spec;
  spec.symbol = "TESTUSD";
  spec.base = "TEST";
  spec.quote = "USD";
  spec.tick = "0.01"_d;
  spec.step = "0.001"_d;
  spec.maker_fee_rate = maker_fee;
  spec.taker_fee_rate = taker_fee;
  return spec;
}

/// A USD-M style perpetual: tick 0.1, step 0.001, maker 0.02 %, taker 0.05 %.
inline market_spec simple_perpetual() {
  market_spec spec;
  spec.symbol = "BTCUSDT";
  spec.base = "BTC";
  spec.quote = "USDT";
  spec.kind = market_kind::perpetual;
  spec.tick = "0.1"_d;
  spec.step = "0.001"_d;
  spec.maker_fee_rate = "0.0002"_d;
  spec.taker_fee_rate = "0.0005"_d;
  spec.fee_rule = fee_asset_rule::quote_asset;
  return spec;
}

inline account_id funded_account(venue& exchange, const std::string& key,
                                 std::vector<std::pair<std::string, decimal>> funds) {
  account_id account = exchange.accounts().open_account(key).value();
  for (auto& [asset, amount] : funds)
    if (!exchange.accounts().deposit(account, asset, amount))
      throw std::runtime_error{"deposit failed"};
  return account;
}

/// "prefix<n>", built without `const char* + std::string`, which trips g++ 12's -Wrestrict.
inline std::string numbered(std::string prefix, int number) {
  return prefix.append(std::to_string(number));
}

/// Cancels one of the account's open orders chosen by `pick` (any number), if it has any.
inline void cancel_one_open_order(matching_engine& engine, account_id account,
                                  std::uint64_t pick, timestamp now, event_buffer& events) {
  auto open = engine.open_orders(account);
  if (open.empty())
    return;
  auto cancelled = engine.cancel(account, open[pick % open.size()].id, now, events);
  if (!cancelled)
    throw std::logic_error{"cancelling an open order failed: " + cancelled.error().message};
}

/// Events of type T in `events`, in order.
template <class T>
std::vector<T> events_of(const event_buffer& events) {
  std::vector<T> found;
  for (const auto& item : events)
    if (const T* typed = std::get_if<T>(&item))
      found.push_back(*typed);
  return found;
}

inline order_request limit(account_id account, side s, decimal price, decimal quantity,
                           std::string client_id = {}) {
  order_request request;
  request.account = account;
  request.side = s;
  request.type = order_type::limit;
  request.price = price;
  request.quantity = quantity;
  request.client_order_id = std::move(client_id);
  return request;
}

inline order_request market_order(account_id account, side s, decimal quantity) {
  order_request request;
  request.account = account;
  request.side = s;
  request.type = order_type::market;
  request.quantity = quantity;
  return request;
}

} // namespace tern::sim::testing
