#include "core/balance_sheet.hpp"

#include "core/trading_pair.hpp"

namespace tern {
namespace {

budget_refusal refusal(budget_refusal_reason reason, std::string asset, std::string message) {
  budget_refusal result;
  result.reason = reason;
  result.asset = std::move(asset);
  result.message = std::move(message);
  return result;
}

std::string describe(const budget_request& request) {
  return std::string{to_string(request.order_side)} + " " + request.amount.to_string() + " "
         + request.pair + " at " + request.price.to_string();
}

} // namespace

std::string_view to_string(budget_refusal_reason reason) noexcept {
  switch (reason) {
    case budget_refusal_reason::invalid_request: return "invalid_request";
    case budget_refusal_reason::unknown_asset: return "unknown_asset";
    case budget_refusal_reason::insufficient_balance: return "insufficient_balance";
  }
  return "unknown";
}

expected<budget_requirement, budget_refusal> budget_requirement_for(
    const budget_request& request) {
  auto invalid = [&](std::string why) {
    return unexpected{refusal(budget_refusal_reason::invalid_request, {},
                              "budget check of " + describe(request) + ": " + std::move(why))};
  };
  auto pair = trading_pair::parse(request.pair);
  if (!pair) return invalid(pair.error().message());
  if (!request.amount.is_positive()) return invalid("the amount is not positive");
  if (request.action == position_action::close) {
    return budget_requirement{};  // closing reduces a position: it locks nothing (§A16)
  }
  if (!request.price.is_positive()) return invalid("the price is not positive");
  if (request.fee_rate.is_negative()) return invalid("the fee rate is negative");
  const auto value = decimal::multiply(request.price, request.amount, rounding::ceiling);
  const auto fee = decimal::multiply(value, request.fee_rate, rounding::ceiling);
  if (request.action == position_action::open) {
    if (!request.leverage.is_positive()) return invalid("the leverage is not positive");
    auto margin = decimal::divide(value, request.leverage, rounding::ceiling);
    std::string asset = request.collateral_asset.empty() ? std::string{pair->quote()}
                                                         : request.collateral_asset;
    return budget_requirement{std::move(asset), margin + fee};
  }
  if (request.order_side == side::buy) {
    return budget_requirement{std::string{pair->quote()}, value + fee};
  }
  // A spot sell's fee is deducted from what it returns, so the base amount is all it locks.
  return budget_requirement{std::string{pair->base()}, request.amount};
}

void balance_sheet::apply(const balance& reported) {
  balances_.insert_or_assign(reported.asset, reported);
}

void balance_sheet::replace_all(const std::vector<balance>& snapshot) {
  balances_.clear();
  for (const auto& reported : snapshot) apply(reported);
}

void balance_sheet::apply_delta(std::string_view asset, decimal delta) {
  auto it = balances_.find(asset);
  if (it == balances_.end()) {
    it = balances_.emplace(std::string{asset}, balance{std::string{asset}, {}, {}}).first;
  }
  it->second.total += delta;
  it->second.available += delta;
}

std::optional<balance> balance_sheet::find(std::string_view asset) const {
  auto it = balances_.find(asset);
  if (it == balances_.end()) return std::nullopt;
  return it->second;
}

decimal balance_sheet::total(std::string_view asset) const {
  auto it = balances_.find(asset);
  return it == balances_.end() ? decimal{} : it->second.total;
}

decimal balance_sheet::available(std::string_view asset) const {
  auto it = balances_.find(asset);
  return it == balances_.end() ? decimal{} : it->second.available;
}

std::vector<balance> balance_sheet::all() const {
  std::vector<balance> result;
  result.reserve(balances_.size());
  for (const auto& [asset, held] : balances_) result.push_back(held);
  return result;
}

void balance_sheet::apply(const position& reported) {
  auto key = std::make_pair(reported.pair, reported.side);
  if (reported.amount.is_zero()) {
    positions_.erase(key);  // §A15: zero-size positions are removed
  } else {
    positions_.insert_or_assign(std::move(key), reported);
  }
}

void balance_sheet::replace_positions(const std::vector<position>& snapshot) {
  positions_.clear();
  for (const auto& reported : snapshot) apply(reported);
}

std::optional<position> balance_sheet::find_position(std::string_view pair,
                                                     position_side side) const {
  auto it = positions_.find(std::make_pair(std::string{pair}, side));
  if (it == positions_.end()) return std::nullopt;
  return it->second;
}

std::vector<position> balance_sheet::positions() const {
  std::vector<position> result;
  result.reserve(positions_.size());
  for (const auto& [key, held] : positions_) result.push_back(held);
  return result;
}

expected<budget_requirement, budget_refusal> balance_sheet::check(
    const budget_request& request, const asset_amounts& promised) const {
  auto needed = budget_requirement_for(request);
  if (!needed || needed->asset.empty()) return needed;
  const auto& asset = needed->asset;
  auto held = balances_.find(asset);
  if (held == balances_.end()) {
    auto result = refusal(budget_refusal_reason::unknown_asset, asset,
                          describe(request) + " needs " + needed->amount.to_string() + " "
                              + asset + ", and the account has no " + asset + " balance");
    result.required = needed->amount;
    return unexpected{std::move(result)};
  }
  decimal free = held->second.available;
  std::string promised_text;
  if (auto locked = promised.find(asset); locked != promised.end() && !locked->second.is_zero()) {
    free -= locked->second;
    promised_text = " (" + held->second.available.to_string() + " less "
                    + locked->second.to_string() + " promised to other orders)";
  }
  if (needed->amount <= free) return needed;
  auto result = refusal(budget_refusal_reason::insufficient_balance, asset,
                        describe(request) + " needs " + needed->amount.to_string() + " " + asset
                            + "; " + free.to_string() + " is available" + promised_text);
  result.required = needed->amount;
  result.available = free;
  return unexpected{std::move(result)};
}

std::vector<expected<budget_requirement, budget_refusal>> balance_sheet::check_batch(
    const std::vector<budget_request>& requests, asset_amounts promised) const {
  std::vector<expected<budget_requirement, budget_refusal>> results;
  results.reserve(requests.size());
  for (const auto& request : requests) {
    auto result = check(request, promised);
    if (result && !result->asset.empty()) promised[result->asset] += result->amount;
    results.push_back(std::move(result));
  }
  return results;
}

} // namespace tern
