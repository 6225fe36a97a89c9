// Planning and executing one taker against the book (part of matching_engine).

#include <stdexcept>

#include "sim/matching_engine.hpp"

namespace tern::sim {

namespace {

bool crosses(side taker, decimal limit, decimal level_price) {
  return taker == side::buy ? level_price <= limit : level_price >= limit;
}

} // namespace

decimal& matching_engine::projection(account_id account, position_side side) {
  for (auto& projected : plan_.projections)
    if (projected.account == account && projected.side == side)
      return projected.size;
  plan_.projections.push_back({account, side, positions_.find(account, side).size});
  return plan_.projections.back().size;
}

// Walks the opposite side in price-time order exactly as execution will, without changing
// anything: self-trade prevention, reduce-only caps of resting orders and the limit price all
// apply here, so execution only has to follow the steps.
void matching_engine::build_plan(const live_order& taker, decimal max_quantity) {
  plan_.steps.clear();
  plan_.projections.clear();
  plan_.quantity = decimal{};
  plan_.cost = decimal{};
  plan_.taker_stopped = false;
  bool perpetual = spec_.kind == market_kind::perpetual;
  bool limited = taker.view.type != order_type::market;
  decimal remaining = max_quantity;
  for (const auto& [key, level] : book_.levels(opposite(taker.view.side))) {
    if (!remaining.is_positive() || (limited && !crosses(taker.view.side, taker.view.price, level.price)))
      return;
    for (live_order* maker = level.head; maker != nullptr && remaining.is_positive();
         maker = maker->next) {
      if (maker->view.account == taker.view.account) {
        if (taker.view.stp != stp_mode::expire_taker)
          plan_.steps.push_back({maker, decimal{}, end_reason::self_trade_prevention});
        if (taker.view.stp != stp_mode::expire_maker) {
          plan_.taker_stopped = true;
          return;
        }
        continue;
      }
      decimal quantity = min(maker->remaining, remaining);
      end_reason after = end_reason::none;
      if (perpetual) {
        decimal& projected = projection(maker->view.account, position_key(*maker));
        if (maker->closing) {
          decimal cap = maker->view.side == side::sell ? max(projected, decimal{})
                                                        : max(-projected, decimal{});
          if (cap < quantity) {
            quantity = cap;
            after = end_reason::reduce_only_exhausted;
          }
        }
        projected += maker->view.side == side::buy ? quantity : -quantity;
      }
      if (quantity.is_positive()) {
        plan_.quantity += quantity;
        plan_.cost += decimal::multiply(level.price, quantity, rounding::down);
        remaining -= quantity;
      }
      plan_.steps.push_back({maker, quantity, after});
    }
  }
}

void matching_engine::execute(live_order& taker, timestamp now, event_buffer& out) {
  for (const plan_step& step : plan_.steps) {
    live_order& maker = *step.maker;
    if (step.quantity.is_positive())
      execute_fill(taker, maker, step.quantity, now, out);
    if (maker.remaining.is_zero())
      finish(maker, order_status::filled, end_reason::filled, now, out, false);
    else if (step.expire_after != end_reason::none)
      finish(maker, order_status::expired, step.expire_after, now, out, true);
  }
}

void matching_engine::execute_fill(live_order& taker, live_order& maker, decimal quantity,
                                   timestamp now, event_buffer& out) {
  decimal price = maker.view.price;
  decimal quote = decimal::multiply(price, quantity, rounding::down);
  trade_id trade = ++last_trade_;
  last_price_ = price;
  if (quantity == maker.remaining) {
    book_.erase(maker);
    maker.remaining = decimal{};
  } else {
    book_.shrink(maker, quantity);
  }
  taker.remaining -= quantity;
  for (live_order* order : {&maker, &taker}) {
    order->view.executed_quantity += quantity;
    order->view.cumulative_quote += quote;
    order->view.updated_time = now;
    bool done = order->remaining.is_zero();
    order->view.status = done ? order_status::filled : order_status::partially_filled;
    if (done)
      order->view.reason = end_reason::filled;
  }
  fill_detail maker_fill = settle(maker, quantity, price, quote, true);
  release_excess(maker, maker.remaining.is_zero() ? decimal{} : resting_requirement(maker));
  maker_fill.trade = trade;
  fill_detail taker_fill = settle(taker, quantity, price, quote, false);
  taker_fill.trade = trade;
  emit(execution_kind::trade, maker, now, out, std::move(maker_fill));
  emit(execution_kind::trade, taker, now, out, std::move(taker_fill));
  bool taker_buys = taker.view.side == side::buy;
  out.emplace_back(public_trade{spec_.symbol, trade, price, quantity, quote, taker.view.side,
                                taker_buys ? taker.view.id : maker.view.id,
                                taker_buys ? maker.view.id : taker.view.id, now});
}

public_trade matching_engine::publish_external_trade(decimal price, decimal quantity,
                                                     side taker_side, timestamp now,
                                                     event_buffer& out) {
  last_price_ = price;
  public_trade trade{spec_.symbol, ++last_trade_, price, quantity,
                     decimal::multiply(price, quantity, rounding::down), taker_side, 0, 0, now};
  out.emplace_back(trade);
  return trade;
}

order_view matching_engine::conclude_taker(live_order& taker, end_reason leftover, timestamp now,
                                           event_buffer& out) {
  if (taker.remaining.is_zero())
    return finish(taker, order_status::filled, end_reason::filled, now, out, false);
  if (leftover != end_reason::none)
    return finish(taker, order_status::expired, leftover, now, out, true);
  book_.insert(taker);
  release_excess(taker, resting_requirement(taker));
  return taker.view;
}

} // namespace tern::sim
