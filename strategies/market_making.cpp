#include "strategies/market_making.hpp"

namespace tern::strategies {

namespace {

const decimal one = decimal::from_integer(1);

decimal fraction_of(decimal value, decimal fraction) { return decimal::multiply(value, fraction, rounding::half_even); }

/// |price - mid| / mid.
decimal distance(decimal price, decimal mid) { return decimal::divide((price - mid).abs(), mid, rounding::down); }

} // namespace

market_making::market_making(common_params common, market_making_params params, market_info market)
    : strategy(std::move(common), "pure_market_making", {market}), params_(params), market_(std::move(market)) {}

std::pair<decimal, decimal> market_making::inventory_ratios(decimal mid) const {
  if (!params_.inventory_skew_enabled) return {one, one};
  const ledger& l = books_ledger();
  const decimal base = l.total(market_.id.account, std::string{pair().base()});
  const decimal quote = l.total(market_.id.account, std::string{pair().quote()});
  const decimal value = fraction_of(base, mid) + quote;
  const decimal target_base =
      decimal::divide(fraction_of(value, params_.inventory_target_base_pct), mid, rounding::half_even);
  decimal side_amount;
  for (int i = 0; i < params_.order_levels; ++i) side_amount += params_.order_amount + params_.order_level_amount * i;
  const decimal range = fraction_of(side_amount, params_.inventory_range_multiplier);
  if (!range.is_positive()) return {one, one};
  // -1: all the range short of the target (buy more), +1: all the range above it (sell more).
  decimal deviation = decimal::divide(base - target_base, range, rounding::half_even);
  deviation = max(-one, min(one, deviation));
  return {one - deviation, one + deviation};
}

std::vector<quote_proposal> market_making::proposal(decimal mid, bool budgeted) const {
  const auto [bid_ratio, ask_ratio] = inventory_ratios(mid);
  const trading_rules& rules = market_.rules;
  const order_type type = rules.supports_limit_maker ? order_type::limit_maker : order_type::limit;
  decimal quote_left = available(market_.id.account, pair().quote());
  decimal base_left = available(market_.id.account, pair().base());
  std::vector<quote_proposal> out;
  for (int i = 0; i < params_.order_levels; ++i) {
    const decimal level_spread = params_.order_level_spread * i;
    const decimal amount = params_.order_amount + params_.order_level_amount * i;
    const decimal bid = fraction_of(mid, one - params_.bid_spread - level_spread).floor_to(rules.tick_size);
    const decimal ask = fraction_of(mid, one + params_.ask_spread + level_spread).ceil_to(rules.tick_size);
    decimal bid_amount = fraction_of(amount, bid_ratio);
    decimal ask_amount = fraction_of(amount, ask_ratio);
    // Budget: what is left after the nearer levels, fee included for the bids.
    const decimal bid_unit_cost = fraction_of(bid, one + market_.maker_fee);
    if (budgeted && bid_unit_cost.is_positive())
      bid_amount = min(bid_amount, decimal::divide(quote_left, bid_unit_cost, rounding::down));
    if (budgeted) ask_amount = min(ask_amount, base_left);
    auto bid_ok = validate_order(rules, pair(), {side::buy, type, bid, bid_amount});
    if (bid_ok) {
      out.push_back({side::buy, i, bid_ok->price, bid_ok->amount});
      if (budgeted) quote_left -= fraction_of(bid_ok->notional, one + market_.maker_fee);
    }
    auto ask_ok = validate_order(rules, pair(), {side::sell, type, ask, ask_amount});
    if (ask_ok) {
      out.push_back({side::sell, i, ask_ok->price, ask_ok->amount});
      if (budgeted) base_left -= ask_ok->amount;
    }
  }
  return out;
}

void market_making::book_changed(const market_id& /*market*/, timestamp now, actions& out) { step(now, out); }

void market_making::tick(timestamp now, actions& out) { step(now, out); }

bool market_making::has_active() const {
  for (const auto& [id, q] : quoted_)
    if (!q.hanging) return true;
  return false;
}

void market_making::step(timestamp now, actions& out) {
  const order_book* b = book(market_.id);
  if (b == nullptr) return;
  const decimal mid = *mid_price(*b);
  cancel_stale(mid, out);
  if (!has_active()) {
    if (now >= next_create_) create(proposal(mid), now, out);
    return;
  }
  if (now < next_refresh_) return;
  if (within_tolerance(proposal(mid, false))) {
    next_refresh_ = now + params_.order_refresh_time;
    return;
  }
  ++refreshes_;
  for (const auto& [id, q] : quoted_)
    if (!q.hanging) cancel(out, id);
  // New orders go out once every cancel is confirmed, so funds are free and no level doubles.
}

void market_making::cancel_stale(decimal mid, actions& out) {
  for (const auto& [id, q] : quoted_) {
    const decimal price = open_orders().at(id).order.price;
    const decimal away = distance(price, mid);
    if (q.hanging ? away > params_.hanging_orders_cancel_pct
                  : params_.minimum_spread && away < *params_.minimum_spread)
      cancel(out, id);
  }
}

bool market_making::within_tolerance(const std::vector<quote_proposal>& wanted) const {
  std::size_t active = 0;
  for (const auto& [id, q] : quoted_) {
    if (q.hanging) continue;
    ++active;
    const place_order& o = open_orders().at(id).order;
    bool matched = false;
    for (const auto& w : wanted)
      if (w.order_side == o.order_side && w.level == q.level)
        matched = distance(w.price, o.price) <= params_.order_refresh_tolerance;  // relative to the old price
    if (!matched) return false;
  }
  return active == wanted.size();
}

void market_making::create(const std::vector<quote_proposal>& wanted, timestamp now, actions& out) {
  const order_type type = market_.rules.supports_limit_maker ? order_type::limit_maker : order_type::limit;
  for (const auto& w : wanted) {
    std::string purpose = "level " + std::to_string(w.level) + (w.order_side == side::buy ? " bid" : " ask");
    auto id = place(out, {market_.id, {}, w.order_side, type, time_in_force::gtc, w.price, w.amount, purpose});
    if (!id.empty()) quoted_[id] = quoted{w.level, false};
  }
  if (!wanted.empty()) count_opportunity();
  next_refresh_ = now + params_.order_refresh_time;
}

void market_making::order_changed(const tracked_order& order, const order_event& event, timestamp now,
                                  actions& /*out*/) {
  auto it = quoted_.find(order.order.client_id);
  if (it == quoted_.end()) return;
  if (event.fill && order.state == order_state::filled) {
    next_create_ = now + params_.filled_order_delay;
    // With hanging orders the opposite side stays where it is when one side fills, so a
    // round trip can complete; refresh no longer touches it.
    if (params_.hanging_orders_enabled)
      for (auto& [id, q] : quoted_)
        if (open_orders().at(id).order.order_side != order.order.order_side) q.hanging = true;
  }
  if (is_final(order.state)) quoted_.erase(it);
}

void market_making::add_status(strategy_status& status) const {
  status.counters["refreshes"] = refreshes_;
  std::uint64_t hanging = 0;
  for (const auto& [id, q] : quoted_) hanging += q.hanging ? 1 : 0;
  status.counters["hanging_orders"] = hanging;
}

} // namespace tern::strategies
