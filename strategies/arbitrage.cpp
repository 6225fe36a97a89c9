#include "strategies/arbitrage.hpp"

#include <vector>

namespace tern::strategies {

std::string_view to_string(leg_failure_policy policy) noexcept {
  switch (policy) {
    case leg_failure_policy::hedge: return "hedge";
    case leg_failure_policy::unwind: return "unwind";
    case leg_failure_policy::retry: return "retry";
  }
  return "unknown";
}

namespace {

/// `amount` floored to a multiple of both steps; 0 when a few rounds of flooring do not agree
/// (steps like 0.3 and 0.7 whose common multiples are far apart: refusing beats guessing).
decimal floor_to_both(decimal amount, const trading_rules& a, const trading_rules& b) {
  decimal x = amount;
  for (int i = 0; i < 8; ++i) {
    x = x.floor_to(a.step_size).floor_to(b.step_size);
    if (x.is_multiple_of(a.step_size)) return x;
  }
  return decimal{};
}

/// The worst price touched taking `amount` from one side (buy: the bids), or nothing when the
/// book is too thin for it.
std::optional<decimal> worst_price(const order_book& book, side book_side, decimal amount) {
  std::vector<price_level> levels;
  for (std::size_t wanted = 16;; wanted *= 4) {
    book.depth(book_side, wanted, levels);
    decimal taken;
    for (const auto& level : levels) {
      taken += level.size;
      if (taken >= amount) return level.price;
    }
    if (levels.size() < wanted) return std::nullopt;
  }
}

decimal fee_on(decimal quote, decimal rate) { return decimal::multiply(quote, rate, rounding::up); }

bool passes_rules(const market_info& market, side order_side, order_type type, decimal price, decimal amount) {
  return validate_order(market.rules, market.id.pair, order_proposal{order_side, type, price, amount}).has_value();
}

} // namespace

std::optional<arbitrage_opportunity> evaluate_arbitrage(const market_info& buy, const order_book& buy_book,
                                                        const market_info& sell, const order_book& sell_book,
                                                        decimal order_amount, const arbitrage_budget& budget) {
  decimal amount = min(order_amount, budget.sell_base);
  amount = min(amount, buy_book.cost_to_buy(amount, rounding::up).filled);
  amount = min(amount, sell_book.cost_to_sell(amount, rounding::down).filled);
  if (!amount.is_positive()) return std::nullopt;
  const decimal first_cost = [&] {
    decimal quote = buy_book.cost_to_buy(amount, rounding::up).quote;
    return quote + fee_on(quote, buy.taker_fee);
  }();
  if (first_cost > budget.buy_quote)  // scale down; a smaller amount never walks to a worse price
    amount = decimal::divide(decimal::multiply(amount, budget.buy_quote, rounding::down), first_cost, rounding::down);
  amount = floor_to_both(amount, buy.rules, sell.rules);
  arbitrage_opportunity o;
  for (; amount.is_positive(); amount -= max(buy.rules.step_size, sell.rules.step_size)) {
    auto bought = buy_book.cost_to_buy(amount, rounding::up);
    o.cost = bought.quote + fee_on(bought.quote, buy.taker_fee);
    if (o.cost <= budget.buy_quote) break;  // per-level rounding may leave a step too many
  }
  amount = floor_to_both(amount, buy.rules, sell.rules);
  if (!amount.is_positive()) return std::nullopt;
  const auto bought = buy_book.cost_to_buy(amount, rounding::up);
  const auto sold = sell_book.cost_to_sell(amount, rounding::down);
  o.buy_market = buy.id;
  o.sell_market = sell.id;
  o.amount = amount;
  o.buy_vwap = bought.vwap;
  o.sell_vwap = sold.vwap;
  o.buy_limit = worst_price(buy_book, side::sell, amount).value_or(bought.vwap).ceil_to(buy.rules.tick_size);
  o.sell_limit = worst_price(sell_book, side::buy, amount).value_or(sold.vwap).floor_to(sell.rules.tick_size);
  o.cost = bought.quote + fee_on(bought.quote, buy.taker_fee);
  o.proceeds = sold.quote - fee_on(sold.quote, sell.taker_fee);
  o.profit = o.proceeds - o.cost;
  o.profitability = decimal::divide(o.profit, o.cost, rounding::floor);
  // Both orders must be ones the exchanges accept; checked at the limit prices, which are what
  // the notional minimum is measured against for a limit order.
  if (!passes_rules(buy, side::buy, order_type::limit, o.buy_limit, amount) ||
      !passes_rules(sell, side::sell, order_type::limit, o.sell_limit, amount))
    return std::nullopt;
  return o;
}

arbitrage::arbitrage(common_params common, arbitrage_params params, std::vector<market_info> markets)
    : strategy(std::move(common), "arbitrage", std::move(markets)), params_(params) {}

std::optional<arbitrage_opportunity> arbitrage::best_opportunity() const {
  std::optional<arbitrage_opportunity> best;
  for (const auto& buy : markets()) {
    for (const auto& sell : markets()) {
      if (buy.id == sell.id) continue;
      const order_book* buy_book = book(buy.id);
      const order_book* sell_book = book(sell.id);
      if (buy_book == nullptr || sell_book == nullptr) continue;
      arbitrage_budget budget{available(buy.id.account, pair().quote()), available(sell.id.account, pair().base())};
      auto chance = evaluate_arbitrage(buy, *buy_book, sell, *sell_book, params_.order_amount, budget);
      if (chance && (!best || chance->profitability > best->profitability)) best = chance;
    }
  }
  return best;
}

void arbitrage::book_changed(const market_id& /*market*/, timestamp now, actions& out) { evaluate(now, out); }

void arbitrage::tick(timestamp now, actions& out) { evaluate(now, out); }

void arbitrage::evaluate(timestamp now, actions& out) {
  auto chance = best_opportunity();
  const bool profitable = chance && chance->profitability >= params_.min_profitability;
  if (profitable && !was_profitable_) count_opportunity();  // one opportunity per appearance
  was_profitable_ = profitable;
  if (!profitable || round_ || now < next_fire_) return;
  fire(*chance, now, out);
}

void arbitrage::fire(const arbitrage_opportunity& chance, timestamp /*now*/, actions& out) {
  round_.emplace();
  round_->number = ++rounds_;
  round_->fired = chance;
  const bool limit = params_.leg_type == order_type::limit;
  const std::string tag = "arbitrage round " + std::to_string(round_->number);
  // Both legs go out in the same batch: neither waits for the other's acknowledgement.
  round_->outstanding.insert(place(out, {chance.buy_market, {}, side::buy, params_.leg_type, time_in_force::ioc,
                                         limit ? chance.buy_limit : chance.buy_vwap, chance.amount, tag + " buy leg"}));
  round_->outstanding.insert(place(out, {chance.sell_market, {}, side::sell, params_.leg_type, time_in_force::ioc,
                                         limit ? chance.sell_limit : chance.sell_vwap, chance.amount,
                                         tag + " sell leg"}));
  out.push_back(notice{notice_level::info,
                       tag + ": buy " + chance.amount.to_string() + " on " + chance.buy_market.to_string() + " at " +
                           chance.buy_vwap.to_string() + ", sell on " + chance.sell_market.to_string() + " at " +
                           chance.sell_vwap.to_string() + ", expected profit " + chance.profit.to_string() + " " +
                           std::string{pair().quote()}});
}

void arbitrage::order_changed(const tracked_order& order, const order_event& event, timestamp now, actions& out) {
  if (!round_ || !round_->outstanding.contains(order.order.client_id)) return;
  if (event.fill) (order.order.order_side == side::buy ? round_->bought : round_->sold) += event.fill->amount;
  if (!is_final(order.state)) return;
  round_->outstanding.erase(order.order.client_id);
  if (order.state == order_state::failed)
    out.push_back(notice{notice_level::warning, order.order.purpose + " (" + order.order.client_id + ") failed: " +
                                                    (event.reason.empty() ? "no reason given" : event.reason)});
  if (round_->outstanding.empty()) settle(now, out);
}

void arbitrage::settle(timestamp now, actions& out) {
  const decimal imbalance = round_->bought - round_->sold;
  if (imbalance.is_zero()) {
    if (round_->bought.is_positive()) ++(round_->corrections == 0 ? completed_rounds_ : corrected_rounds_);
    round_.reset();
    next_fire_ = now + params_.cooldown;
    return;
  }
  correct(imbalance, out);
  if (round_ && round_->outstanding.empty()) {  // nothing could be sent: the rest is exposure
    out.push_back(notice{notice_level::warning, "arbitrage round " + std::to_string(round_->number) + " left " +
                                                    imbalance.to_string() + " " + std::string{pair().base()} +
                                                    " unbalanced, below the minimum order; see exposure"});
    round_.reset();
    next_fire_ = now + params_.cooldown;
  }
}

void arbitrage::correct(decimal imbalance, actions& out) {
  round& r = *round_;
  if (!running()) {  // stopped mid-round: nothing may be placed, so say what is left open
    out.push_back(notice{notice_level::error, "arbitrage round " + std::to_string(r.number) + " ended by the stop with " +
                                                  imbalance.to_string() + " " + std::string{pair().base()} +
                                                  " unbalanced; see exposure"});
    round_.reset();
    return;
  }
  const bool retrying = params_.on_leg_failure == leg_failure_policy::retry && !r.unwinding;
  const int allowed = retrying ? params_.max_retries : params_.max_retries + 1;
  if (retrying && r.corrections >= allowed) {
    r.unwinding = true;  // the missing leg would not fill: take back the one that did
    r.corrections = 0;
    return correct(imbalance, out);
  }
  if (r.corrections >= allowed) {
    auto halt = stop("arbitrage round " + std::to_string(r.number) + " could not be balanced after " +
                     std::to_string(r.corrections) + " correction orders; exposure " + imbalance.to_string() + " " +
                     std::string{pair().base()});
    out.insert(out.end(), halt.begin(), halt.end());
    round_.reset();
    return;
  }
  ++r.corrections;
  const bool excess_bought = imbalance.is_positive();
  const decimal amount = imbalance.abs();
  const bool unwind = r.unwinding || params_.on_leg_failure == leg_failure_policy::unwind;
  // Unwind trades back on the market whose leg filled; hedge and retry complete the missing
  // leg on the market where it fell short.
  const market_id& filled_market = excess_bought ? r.fired.buy_market : r.fired.sell_market;
  const market_id& short_market = excess_bought ? r.fired.sell_market : r.fired.buy_market;
  const side order_side = excess_bought ? side::sell : side::buy;
  const order_type type = retrying ? params_.leg_type : order_type::market;
  send_correction(unwind ? filled_market : short_market, order_side, amount, type, out);
}

bool arbitrage::send_correction(const market_id& market, side order_side, decimal wanted, order_type type,
                                actions& out) {
  const market_info& m = info(market);
  const decimal amount = wanted.floor_to(m.rules.step_size);
  const order_book* b = book(market);
  decimal price = order_side == side::buy ? round_->fired.buy_vwap : round_->fired.sell_vwap;
  if (b != nullptr) {
    price = order_side == side::buy ? b->best_ask()->price : b->best_bid()->price;
    auto worst = worst_price(*b, order_side == side::buy ? side::sell : side::buy, amount);
    if (type == order_type::limit && worst)
      price = order_side == side::buy ? worst->ceil_to(m.rules.tick_size) : worst->floor_to(m.rules.tick_size);
    else type = order_type::market;  // too thin to price a limit that fills: take what is there
  }
  if (!passes_rules(m, order_side, type, price, amount)) return false;
  const std::string purpose = "arbitrage round " + std::to_string(round_->number) +
                              (round_->unwinding || params_.on_leg_failure == leg_failure_policy::unwind
                                   ? " unwind"
                                   : params_.on_leg_failure == leg_failure_policy::hedge ? " hedge" : " retry") +
                              " " + std::to_string(round_->corrections);
  round_->outstanding.insert(
      place(out, {market, {}, order_side, type, time_in_force::ioc, price, amount, purpose}));
  return true;
}

void arbitrage::add_status(strategy_status& status) const {
  status.counters["rounds"] = rounds_;
  status.counters["completed_rounds"] = completed_rounds_;  // balanced by their own two legs
  status.counters["corrected_rounds"] = corrected_rounds_;  // balanced by a hedge, retry or unwind
}

} // namespace tern::strategies
