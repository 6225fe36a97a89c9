#pragma once

// Builders shared by the in-flight order tests: one BTC-USDT limit buy and the reports a
// connector would hand the tracker for it.

#include <string>

#include "core/decimal.hpp"
#include "core/events.hpp"
#include "core/in_flight_order.hpp"

namespace tern::test {

inline const timestamp t0 = from_unix_ms(1'700'000'000'000);
inline const std::string client_id = "x-MG43PCSNBBCUT60a24181e400076fd";
inline const std::string exchange_id = "8886774";

inline order_spec buy_spec(decimal amount = decimal::from_integer(1)) {
  order_spec spec;
  spec.client_order_id = client_id;
  spec.pair = trading_pair::from_string("BTC-USDT");
  spec.order_side = side::buy;
  spec.type = order_type::limit;
  spec.price = decimal::from_integer(30000);
  spec.amount = amount;
  spec.creation_time = t0;
  return spec;
}

/// A state report `ms` milliseconds after t0, matched by client id only unless an exchange id
/// is given.
inline order_update report(order_state state, int ms = 1, std::string exchange_order_id = {}) {
  order_update update;
  update.pair = "BTC-USDT";
  update.client_order_id = client_id;
  update.exchange_order_id = std::move(exchange_order_id);
  update.new_state = state;
  update.update_time = t0 + std::chrono::milliseconds{ms};
  return update;
}

/// An execution of `base` BTC at 30000 USDT, fee in `fee_asset`.
inline fill execution(std::string trade_id, decimal base, int ms = 1,
                      std::string fee_asset = "BNB",
                      decimal fee_amount = decimal::from_scaled(1, 4)) {
  fill f;
  f.pair = "BTC-USDT";
  f.trade_id = std::move(trade_id);
  f.client_order_id = client_id;
  f.order_side = side::buy;
  f.price = decimal::from_integer(30000);
  f.base_amount = base;
  f.quote_amount = decimal::multiply(base, f.price, rounding::half_even);
  f.fee = fee{std::move(fee_asset), fee_amount};
  f.fill_time = t0 + std::chrono::milliseconds{ms};
  return f;
}

/// A fresh order brought to `state` through the shortest ordinary path, with no fills except
/// for filled, which is reached by one fill of the whole amount.
inline in_flight_order order_in(order_state state) {
  in_flight_order order{buy_spec()};
  switch (state) {
    case order_state::pending_create: break;
    case order_state::open: (void)order.apply_update(report(order_state::open)); break;
    case order_state::partially_filled:
      (void)order.apply_update(report(order_state::partially_filled));
      break;
    case order_state::pending_cancel:
      (void)order.apply_update(report(order_state::open));
      (void)order.apply_update(report(order_state::pending_cancel, 2));
      break;
    case order_state::cancelled:
      (void)order.apply_update(report(order_state::open));
      (void)order.apply_update(report(order_state::cancelled, 2));
      break;
    case order_state::filled:
      (void)order.apply_fill(execution("t-full", decimal::from_integer(1)));
      break;
    case order_state::failed: (void)order.apply_update(report(order_state::failed)); break;
  }
  return order;
}

inline const order_state all_states[] = {
    order_state::pending_create, order_state::open,   order_state::partially_filled,
    order_state::pending_cancel, order_state::cancelled, order_state::filled,
    order_state::failed};

} // namespace tern::test
