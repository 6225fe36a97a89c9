// Money movements of the matching engine: what an order locks, how a fill settles on spot
// and perpetual markets, and funding. Rounding is chosen so that locks always cover what the
// fills later take (see docs/simulator.md, "Locks and rounding"): locks round up, each fill's
// charges round down.

#include <stdexcept>

#include "sim/matching_engine.hpp"

namespace tern::sim {

namespace {

void take_from_lock(live_order& order, decimal amount) {
  if (order.locked < amount)
    throw std::logic_error{"matching_engine: order " + std::to_string(order.view.id)
                           + " holds " + order.locked.to_string() + " but its fill needs "
                           + amount.to_string()};
  order.locked -= amount;
}

} // namespace

asset_id matching_engine::lock_asset_of(const live_order& order) const {
  if (spec_.kind == market_kind::spot && order.view.side == side::sell)
    return base_;
  return quote_;
}

decimal matching_engine::lock_for(const live_order& order, decimal cost, decimal quantity) const {
  if (spec_.kind == market_kind::spot) {
    if (order.view.side == side::sell)
      return quantity;
    if (spec_.fee_rule == fee_asset_rule::quote_asset)
      return cost + fee_reserve_for(spec_, cost);
    return cost;
  }
  if (order.closing)
    return {};
  decimal margin = decimal::divide(cost, decimal::from_integer(order.view.leverage), rounding::up);
  return margin + fee_reserve_for(spec_, cost);
}

decimal matching_engine::resting_requirement(const live_order& order) const {
  decimal cost = decimal::multiply(order.view.price, order.remaining, rounding::up);
  return lock_for(order, cost, order.remaining);
}

void matching_engine::release_excess(live_order& order, decimal keep) {
  if (order.locked < keep)
    throw std::logic_error{"matching_engine: order " + std::to_string(order.view.id) + " holds "
                           + order.locked.to_string() + ", less than the "
                           + keep.to_string() + " it still needs"};
  ledger_.unlock(order.view.account, order.lock_asset, order.locked - keep);
  order.locked = keep;
}

fill_detail matching_engine::settle(live_order& order, decimal quantity, decimal price,
                                    decimal quote, bool is_maker) {
  decimal rate = is_maker ? spec_.maker_fee_rate : spec_.taker_fee_rate;
  fill_detail detail = spec_.kind == market_kind::spot
                           ? settle_spot(order, quantity, quote, rate)
                           : settle_perpetual(order, quantity, price, quote, rate);
  detail.price = price;
  detail.quantity = quantity;
  detail.quote_quantity = quote;
  detail.is_maker = is_maker;
  return detail;
}

fill_detail matching_engine::settle_spot(live_order& order, decimal quantity, decimal quote,
                                         decimal rate) {
  account_id account = order.view.account;
  fill_detail detail;
  if (order.view.side == side::sell) {
    take_from_lock(order, quantity);
    ledger_.spend_locked(account, base_, quantity);
    detail.fee = fee_for(spec_, quote, rate);
    detail.fee_asset = spec_.quote;
    ledger_.credit(account, quote_, quote - detail.fee);
    ledger_.add_fee(quote_, detail.fee);
    return detail;
  }
  if (spec_.fee_rule == fee_asset_rule::received_asset) {
    detail.fee = fee_for(spec_, quantity, rate);
    detail.fee_asset = spec_.base;
    take_from_lock(order, quote);
    ledger_.spend_locked(account, quote_, quote);
    ledger_.credit(account, base_, quantity - detail.fee);
    ledger_.add_fee(base_, detail.fee);
    return detail;
  }
  detail.fee = fee_for(spec_, quote, rate);
  detail.fee_asset = spec_.quote;
  take_from_lock(order, quote + detail.fee);
  ledger_.spend_locked(account, quote_, quote + detail.fee);
  ledger_.credit(account, base_, quantity);
  ledger_.add_fee(quote_, detail.fee);
  return detail;
}

position_side matching_engine::position_key(const live_order& order) const {
  return ledger_.mode(order.view.account) == position_mode::hedge ? order.view.pos_side
                                                                   : position_side::both;
}

decimal matching_engine::closable(account_id account, side order_side, position_side key) const {
  decimal size = positions_.find(account, key).size;
  if (order_side == side::sell)
    return max(size, decimal{});
  return max(-size, decimal{});
}

// Closes `quantity` of `position` at total `value`: releases the matching share of margin
// and cost basis and settles the realised PnL. A loss the account cannot pay from its free
// balance is absorbed by the insurance fund (there is no liquidation).
decimal matching_engine::close_position(live_order& order, position_state& position,
                                        decimal quantity, decimal value) {
  account_id account = order.view.account;
  decimal size = position.size.abs();
  bool full = quantity == size;
  decimal cost_part = full ? position.cost
                           : decimal::divide(decimal::multiply(position.cost, quantity, rounding::down),
                                             size, rounding::down);
  decimal margin_part = full ? position.margin
                             : decimal::divide(decimal::multiply(position.margin, quantity, rounding::down),
                                               size, rounding::down);
  bool was_long = position.size.is_positive();
  decimal pnl = was_long ? value - cost_part : cost_part - value;
  position.size += was_long ? -quantity : quantity;
  position.cost -= cost_part;
  position.margin -= margin_part;
  ledger_.unlock(account, quote_, margin_part);
  if (!pnl.is_negative()) {
    ledger_.credit(account, quote_, pnl);
  } else {
    decimal paid = ledger_.spend_free_up_to(account, quote_, -pnl);
    decimal shortfall = -pnl - paid;
    if (shortfall.is_positive())
      ledger_.adjust_insurance(quote_, -shortfall);
  }
  return pnl;
}

fill_detail matching_engine::settle_perpetual(live_order& order, decimal quantity, decimal price,
                                              decimal quote, decimal rate) {
  account_id account = order.view.account;
  position_side key = position_key(order);
  position_state& position = positions_.at(account, key);
  bool buys = order.view.side == side::buy;
  bool reduces = buys ? position.size.is_negative() : position.size.is_positive();
  decimal close_quantity = reduces ? min(quantity, position.size.abs()) : decimal{};
  decimal open_quantity = quantity - close_quantity;
  // Both parts share the fill's one quote quantity, so each side's value adds up exactly.
  decimal close_value = close_quantity == quantity
                            ? quote
                            : decimal::multiply(price, close_quantity, rounding::down);
  decimal open_value = quote - close_value;
  fill_detail detail;
  if (close_quantity.is_positive())
    detail.realized_pnl = close_position(order, position, close_quantity, close_value);
  if (open_quantity.is_positive()) {
    decimal margin = decimal::divide(open_value, decimal::from_integer(order.view.leverage),
                                     rounding::down);
    take_from_lock(order, margin);  // stays locked in the ledger, now as position margin
    position.margin += margin;
    position.cost += open_value;
    position.size += buys ? open_quantity : -open_quantity;
  }
  detail.fee_asset = spec_.quote;
  detail.fee = fee_for(spec_, quote, rate);
  if (order.closing) {
    // A closing order locks nothing: its fee comes from what the close released.
    detail.fee = ledger_.spend_free_up_to(account, quote_, detail.fee);
  } else {
    take_from_lock(order, detail.fee);
    ledger_.spend_locked(account, quote_, detail.fee);
  }
  ledger_.add_fee(quote_, detail.fee);
  positions_.touch(account, key);
  return detail;
}

expected<void, error> matching_engine::settle_funding(decimal rate, decimal mark, timestamp now,
                                                      event_buffer& out) {
  if (spec_.kind != market_kind::perpetual)
    return unexpected{error{error_code::not_perpetual, spec_.symbol + " has no funding"}};
  mark_price_ = mark;
  for (auto& [key, position] : positions_.all()) {
    if (position.size.is_zero())
      continue;
    decimal notional = decimal::multiply(position.size.abs(), mark, rounding::down);
    decimal due = fee_for(spec_, notional, rate.abs());
    if (due.is_zero())
      continue;
    auto [account, side] = key;
    decimal amount;
    if (position.size.is_positive() == rate.is_positive()) {
      // Paid from the free balance first, then from this position's margin; what the
      // account cannot pay is forgiven (no liquidation).
      decimal paid = ledger_.spend_free_up_to(account, quote_, due);
      decimal from_margin = ledger_.spend_locked_up_to(account, quote_,
                                                       min(due - paid, position.margin));
      position.margin -= from_margin;
      paid += from_margin;
      ledger_.adjust_insurance(quote_, paid);
      amount = -paid;
    } else {
      ledger_.credit(account, quote_, due);
      ledger_.adjust_insurance(quote_, -due);
      amount = due;
    }
    out.emplace_back(funding_settlement{account, spec_.symbol, spec_.quote, side, amount, rate,
                                        mark, now});
    positions_.touch(account, side);
  }
  flush(now, out);
  return {};
}

} // namespace tern::sim
