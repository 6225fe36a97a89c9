#include "strategies/ledger.hpp"

namespace tern::strategies {

void ledger::set_balance(const balance_input& balance) {
  balances_[{balance.account, balance.asset}] = holding{balance.available, balance.total};
}

decimal ledger::available(const std::string& account, const std::string& asset) const {
  auto it = balances_.find({account, asset});
  return it == balances_.end() ? decimal{} : it->second.available;
}

decimal ledger::total(const std::string& account, const std::string& asset) const {
  auto it = balances_.find({account, asset});
  return it == balances_.end() ? decimal{} : it->second.total;
}

void ledger::adjust(const std::string& account, std::string_view asset, decimal delta) {
  holding& h = balances_[{account, std::string{asset}}];
  h.available += delta;
  h.total += delta;
}

void ledger::record_fill(const std::string& account, side order_side, const fill_input& fill) {
  const decimal notional = decimal::multiply(fill.price, fill.amount, rounding::half_even);
  decimal base_delta = order_side == side::buy ? fill.amount : -fill.amount;
  decimal quote_delta = order_side == side::buy ? -notional : notional;
  if (fill.fee.asset == pair_.quote()) quote_delta -= fill.fee.amount;
  else if (fill.fee.asset == pair_.base()) base_delta -= fill.fee.amount;
  else if (!fill.fee.amount.is_zero()) other_fees_[fill.fee.asset] += fill.fee.amount;
  // Balances move by what the exchange moves, so the strategy's budget stays right until the
  // exchange's own balance report arrives and replaces it.
  adjust(account, pair_.base(), base_delta);
  adjust(account, pair_.quote(), quote_delta);
  flows& f = flows_[account];
  f.base += base_delta;
  f.quote += quote_delta;
  apply_to_position(base_delta, quote_delta);
}

void ledger::apply_to_position(decimal base_delta, decimal quote_delta) {
  if (base_delta.is_zero()) {
    realised_ += quote_delta;  // a fee with no base moved
    return;
  }
  const bool extends = position_.is_zero() || position_.sign() == base_delta.sign();
  if (extends) {
    position_ += base_delta;
    cost_ -= quote_delta;
    return;
  }
  const decimal closed = min(base_delta.abs(), position_.abs());
  const decimal cost_closed = decimal::divide(decimal::multiply(cost_, closed, rounding::half_even),
                                              position_.abs(), rounding::half_even);
  const decimal quote_closed = decimal::divide(decimal::multiply(quote_delta, closed, rounding::half_even),
                                               base_delta.abs(), rounding::half_even);
  realised_ += quote_closed - cost_closed;
  cost_ -= cost_closed;
  const decimal closed_signed = base_delta.is_negative() ? -closed : closed;
  position_ += closed_signed;
  const decimal rest_base = base_delta - closed_signed;
  if (!rest_base.is_zero()) {  // the fill turned the position around: the rest opens a new one
    position_ += rest_base;
    cost_ = -(quote_delta - quote_closed);
  } else if (position_.is_zero()) {
    realised_ -= cost_;  // rounding left over from proportional closing belongs to the result
    cost_ = decimal{};
  }
}

decimal ledger::unrealised() const {
  if (mark_.is_zero() || position_.is_zero()) return decimal{};
  return decimal::multiply(position_, mark_, rounding::half_even) - cost_;
}

void ledger::fill_status(strategy_status& status) const {
  for (const auto& [account, f] : flows_) {
    account_status a;
    a.base_flow = f.base;
    a.quote_flow = f.quote;
    a.pnl = f.quote + decimal::multiply(f.base, mark_, rounding::half_even);
    status.accounts[account] = a;
  }
  status.realised_pnl = realised_;
  status.unrealised_pnl = unrealised();
  status.total_pnl = total_pnl();
  status.mark_price = mark_;
  status.exposure[std::string{pair_.base()}] = position_;
  status.other_fees = other_fees_;
}

} // namespace tern::strategies
