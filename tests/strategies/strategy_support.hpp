#pragma once

// Helpers for driving strategies in tests: markets, books and order events built from short
// literals, and filters over returned actions.

#include <string>
#include <vector>

#include "strategies/strategy.hpp"

namespace tern::strategies::testing {

inline market_id market(const std::string& account, const std::string& pair = "BTC-USDT") {
  return market_id{account, trading_pair::from_string(pair)};
}

/// A market with the given tick, step and taker fee; maker fee is half the taker fee.
inline market_info info(const std::string& account, decimal tick = decimal::from_string("0.01"),
                        decimal step = decimal::from_string("0.001"), decimal taker_fee = decimal::from_string("0.001")) {
  trading_rules rules;
  rules.tick_size = tick;
  rules.step_size = step;
  rules.min_order_size = step;
  return market_info{market(account), rules,
                     decimal::divide(taker_fee, decimal::from_integer(2), rounding::half_even), taker_fee};
}

inline book_input book(const market_id& id, std::vector<price_level> bids, std::vector<price_level> asks) {
  return book_input{id, std::move(bids), std::move(asks)};
}

inline timestamp at_seconds(long seconds) { return timestamp{std::chrono::seconds{seconds}}; }

template <class T>
std::vector<T> only(const actions& list) {
  std::vector<T> out;
  for (const auto& a : list)
    if (const T* x = std::get_if<T>(&a)) out.push_back(*x);
  return out;
}

inline order_event filled(const place_order& order, decimal price, decimal amount, decimal fee_amount,
                          order_state state = order_state::filled) {
  return order_event{order.client_id, state,
                     fill_input{price, amount, tern::fee{std::string{order.market.pair.quote()}, fee_amount}}, {}};
}

inline order_event rejected(const place_order& order, std::string reason = "insufficient balance") {
  return order_event{order.client_id, order_state::failed, std::nullopt, std::move(reason)};
}

inline order_event state_only(const place_order& order, order_state state) {
  return order_event{order.client_id, state, std::nullopt, {}};
}

} // namespace tern::strategies::testing
