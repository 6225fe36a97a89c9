#include "strategies/xemm.hpp"

namespace tern::strategies {

namespace {

const decimal one = decimal::from_integer(1);

decimal mul(decimal a, decimal b, rounding mode = rounding::half_even) { return decimal::multiply(a, b, mode); }

} // namespace

xemm::xemm(common_params common, xemm_params params, market_info maker, market_info taker)
    : strategy(std::move(common), "xemm", {maker, taker}), params_(params), maker_(std::move(maker)),
      taker_(std::move(taker)) {}

std::optional<maker_quote> xemm::quote(side order_side, std::optional<decimal> wanted) const {
  const order_book* maker_book = book(maker_.id);
  const order_book* taker_book = book(taker_.id);
  if (maker_book == nullptr || taker_book == nullptr) return std::nullopt;
  const bool bid = order_side == side::buy;
  decimal amount = wanted.value_or(params_.order_amount);
  // Budgets: the maker order's funds on the maker account, the hedge's on the taker account.
  const decimal top = bid ? maker_book->best_bid()->price : maker_book->best_ask()->price;
  // A resting order's own funds are locked on the maker account already: only a new order is
  // sized by what is available there.
  const bool new_order = !wanted.has_value();
  if (bid) {
    if (new_order)
      amount = min(amount, decimal::divide(available(maker_.id.account, pair().quote()),
                                           mul(top, one + maker_.maker_fee, rounding::up), rounding::down));
    amount = min(amount, available(taker_.id.account, pair().base()));
  } else {
    if (new_order) amount = min(amount, available(maker_.id.account, pair().base()));
    const decimal taker_ask = taker_book->best_ask()->price;
    amount = min(amount, decimal::divide(available(taker_.id.account, pair().quote()),
                                         mul(taker_ask, one + taker_.taker_fee, rounding::up), rounding::down));
  }
  const auto hedge = bid ? taker_book->cost_to_sell(amount, rounding::down) : taker_book->cost_to_buy(amount, rounding::up);
  amount = hedge.filled.floor_to(maker_.rules.step_size).floor_to(taker_.rules.step_size);
  if (!amount.is_positive() || !amount.is_multiple_of(maker_.rules.step_size)) return std::nullopt;
  const auto sized = bid ? taker_book->cost_to_sell(amount, rounding::down) : taker_book->cost_to_buy(amount, rounding::up);
  maker_quote q{order_side, {}, {}, amount, sized.vwap};
  const decimal margin = one + params_.min_profitability;
  if (bid) {  // buy here at P, sell there: vwap(1 - taker fee) >= P(1 + maker fee)(1 + margin)
    q.limit = decimal::divide(mul(sized.vwap, one - taker_.taker_fee),
                              mul(one + maker_.maker_fee, margin, rounding::up), rounding::down)
                  .floor_to(maker_.rules.tick_size);
    q.price = min(q.limit, maker_book->best_ask()->price - maker_.rules.tick_size);  // stay a maker
  } else {    // sell here at P, buy there: P(1 - maker fee) >= vwap(1 + taker fee)(1 + margin)
    q.limit = decimal::divide(mul(mul(sized.vwap, one + taker_.taker_fee, rounding::up), margin, rounding::up),
                              one - maker_.maker_fee, rounding::up)
                  .ceil_to(maker_.rules.tick_size);
    q.price = max(q.limit, maker_book->best_bid()->price + maker_.rules.tick_size);
  }
  const order_type type = maker_.rules.supports_limit_maker ? order_type::limit_maker : order_type::limit;
  if (!validate_order(maker_.rules, pair(), {order_side, type, q.price, amount}) ||
      !validate_order(taker_.rules, pair(), {opposite(order_side), order_type::market, sized.vwap, amount}))
    return std::nullopt;
  return q;
}

void xemm::book_changed(const market_id& /*market*/, timestamp now, actions& out) { step(now, out); }

void xemm::tick(timestamp now, actions& out) { step(now, out); }

void xemm::step(timestamp now, actions& out) {
  manage(side::buy, now, out);
  manage(side::sell, now, out);
}

void xemm::manage(side order_side, timestamp now, actions& out) {
  auto it = resting_.find(order_side);
  if (it != resting_.end()) {
    const tracked_order& order = open_orders().at(it->second.client_id);
    if (order.state == order_state::pending_cancel) return;
    auto now_quote = quote(order_side, order.remaining());
    const bool bid = order_side == side::buy;
    // Still profitable if hedging its remaining size now clears the threshold at its price.
    const bool profitable = now_quote && (bid ? order.order.price <= now_quote->limit : order.order.price >= now_quote->limit);
    const bool better = now_quote && now_quote->price != order.order.price && params_.adjust_order_enabled &&
                        now >= it->second.placed + params_.anti_hysteresis;
    if (!profitable || better) {
      ++reprices_;
      cancel(out, it->second.client_id);
    }
    return;  // the replacement goes out once the cancel is confirmed
  }
  auto wanted = quote(order_side);
  if (!wanted) return;
  count_opportunity();
  const order_type type = maker_.rules.supports_limit_maker ? order_type::limit_maker : order_type::limit;
  auto id = place(out, {maker_.id, {}, order_side, type, time_in_force::gtc, wanted->price, wanted->amount,
                        order_side == side::buy ? "maker bid" : "maker ask"});
  if (!id.empty()) resting_[order_side] = resting{id, now};
}

void xemm::order_changed(const tracked_order& order, const order_event& event, timestamp /*now*/, actions& out) {
  if (hedges_.contains(order.order.client_id)) return hedge_changed(order, event, out);
  auto it = resting_.find(order.order.order_side);
  if (it == resting_.end() || it->second.client_id != order.order.client_id) return;
  if (event.fill && event.fill->amount.is_positive())
    hedge(order.order.order_side, event.fill->amount, event.fill->price, out);
  if (is_final(order.state)) resting_.erase(it);
}

void xemm::hedge(side maker_side, decimal amount, decimal maker_price, actions& out) {
  decimal& pending = unhedged_[maker_side];
  pending += amount;
  const decimal size = pending.floor_to(taker_.rules.step_size);
  if (!size.is_positive() || size < taker_.rules.min_order_size) return;  // wait for more fills
  pending -= size;
  const order_book* b = book(taker_.id);
  const side hedge_side = opposite(maker_side);
  // The reference price only sizes the notional check; without a taker book the maker price does.
  const decimal reference = b == nullptr ? maker_price : maker_side == side::buy ? b->best_bid()->price : b->best_ask()->price;
  auto id = place(out, {taker_.id, {}, hedge_side, order_type::market, time_in_force::ioc, reference, size, "hedge"});
  if (!id.empty()) {
    hedges_[id] = 1;
    ++hedge_count_;
  }
}

void xemm::hedge_changed(const tracked_order& order, const order_event& event, actions& out) {
  if (!is_final(order.state)) return;
  const int attempt = hedges_[order.order.client_id];
  hedges_.erase(order.order.client_id);
  const decimal missing = order.remaining();
  if (!missing.is_positive()) return;
  if (attempt > params_.max_hedge_retries) {
    auto halt = stop("hedge " + order.order.client_id + " failed " + std::to_string(attempt) + " times (" +
                     event.reason + "); exposure " + missing.to_string() + " " + std::string{pair().base()});
    out.insert(out.end(), halt.begin(), halt.end());
    return;
  }
  auto id = place(out, {taker_.id, {}, order.order.order_side, order_type::market, time_in_force::ioc,
                        order.order.price, missing, "hedge retry " + std::to_string(attempt)});
  if (!id.empty()) hedges_[id] = attempt + 1;
}

void xemm::add_status(strategy_status& status) const {
  status.counters["hedges"] = hedge_count_;
  status.counters["reprices"] = reprices_;
}

} // namespace tern::strategies
