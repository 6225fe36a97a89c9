#include "sim/accounts.hpp"

#include <algorithm>
#include <stdexcept>

namespace tern::sim {

namespace {

[[noreturn]] void broken(std::string_view what, account_id account, std::string_view asset,
                         decimal amount) {
  throw std::logic_error{"ledger: " + std::string{what} + " of " + amount.to_string() + " "
                         + std::string{asset} + " for account " + std::to_string(account)
                         + " would make a balance negative"};
}

} // namespace

expected<account_id, error> ledger::open_account(std::string api_key, account_options options) {
  if (api_key.empty())
    return unexpected{error{error_code::invalid_api_key, "an account needs a non-empty API key"}};
  if (by_api_key_.contains(api_key))
    return unexpected{error{error_code::duplicate_api_key, "API key already belongs to an account"}};
  auto id = static_cast<account_id>(accounts_.size() + 1);
  by_api_key_.emplace(api_key, id);
  accounts_.push_back(account_record{std::move(api_key), options, position_mode::one_way, {}});
  return id;
}

std::optional<account_id> ledger::find_by_api_key(std::string_view api_key) const {
  auto found = by_api_key_.find(std::string{api_key});
  if (found == by_api_key_.end())
    return std::nullopt;
  return found->second;
}

bool ledger::exists(account_id account) const noexcept {
  return account >= 1 && account <= accounts_.size();
}

ledger::account_record& ledger::at(account_id account) {
  if (!exists(account))
    throw std::out_of_range{"ledger: no account " + std::to_string(account)};
  return accounts_[account - 1];
}

const ledger::account_record& ledger::at(account_id account) const {
  if (!exists(account))
    throw std::out_of_range{"ledger: no account " + std::to_string(account)};
  return accounts_[account - 1];
}

const account_options& ledger::options(account_id account) const { return at(account).options; }
position_mode ledger::mode(account_id account) const { return at(account).mode; }
void ledger::set_mode(account_id account, position_mode mode) { at(account).mode = mode; }

asset_id ledger::intern(std::string_view asset) {
  if (auto found = find_asset(asset))
    return *found;
  auto id = static_cast<asset_id>(asset_names_.size());
  asset_names_.emplace_back(asset);
  asset_ids_.emplace(std::string{asset}, id);
  totals_.emplace_back();
  return id;
}

std::optional<asset_id> ledger::find_asset(std::string_view asset) const {
  auto found = asset_ids_.find(std::string{asset});
  if (found == asset_ids_.end())
    return std::nullopt;
  return found->second;
}

const std::string& ledger::asset_name(asset_id asset) const { return asset_names_.at(asset); }

asset_balance& ledger::slot(account_id account, asset_id asset) {
  auto& balances = at(account).balances;
  if (balances.size() <= asset)
    balances.resize(asset + 1U);
  return balances[asset];
}

void ledger::touch(account_id account, asset_id asset) {
  auto key = std::pair{account, asset};
  if (std::find(changed_.begin(), changed_.end(), key) == changed_.end())
    changed_.push_back(key);
}

expected<void, error> ledger::deposit(account_id account, std::string_view asset, decimal amount) {
  if (!exists(account))
    return unexpected{error{error_code::unknown_account, "no account " + std::to_string(account)}};
  if (!amount.is_positive())
    return unexpected{error{error_code::invalid_amount,
                            "deposit amount must be positive, got " + amount.to_string()}};
  asset_id id = intern(asset);
  slot(account, id).free += amount;
  totals_[id].net_deposits += amount;
  touch(account, id);
  return {};
}

expected<void, error> ledger::withdraw(account_id account, std::string_view asset, decimal amount) {
  if (!exists(account))
    return unexpected{error{error_code::unknown_account, "no account " + std::to_string(account)}};
  if (!amount.is_positive())
    return unexpected{error{error_code::invalid_amount,
                            "withdrawal amount must be positive, got " + amount.to_string()}};
  asset_id id = intern(asset);
  auto& balance = slot(account, id);
  if (balance.free < amount)
    return unexpected{error{error_code::insufficient_balance,
                            "withdrawal of " + amount.to_string() + " " + std::string{asset}
                                + " exceeds the free balance " + balance.free.to_string()}};
  balance.free -= amount;
  totals_[id].net_deposits -= amount;
  touch(account, id);
  return {};
}

asset_balance ledger::balance(account_id account, asset_id asset) const {
  const auto& balances = at(account).balances;
  return asset < balances.size() ? balances[asset] : asset_balance{};
}

asset_balance ledger::balance(account_id account, std::string_view asset) const {
  auto id = find_asset(asset);
  return id ? balance(account, *id) : asset_balance{};
}

std::vector<std::pair<std::string, asset_balance>> ledger::balances(account_id account) const {
  std::vector<std::pair<std::string, asset_balance>> result;
  const auto& held = at(account).balances;
  for (std::size_t asset = 0; asset < held.size(); ++asset)
    result.emplace_back(asset_names_[asset], held[asset]);
  return result;
}

bool ledger::try_lock(account_id account, asset_id asset, decimal amount) {
  auto& balance = slot(account, asset);
  if (amount.is_negative() || balance.free < amount)
    return false;
  if (amount.is_zero())
    return true;
  balance.free -= amount;
  balance.locked += amount;
  touch(account, asset);
  return true;
}

void ledger::unlock(account_id account, asset_id asset, decimal amount) {
  if (amount.is_zero())
    return;
  auto& balance = slot(account, asset);
  if (amount.is_negative() || balance.locked < amount)
    broken("unlock", account, asset_names_[asset], amount);
  balance.locked -= amount;
  balance.free += amount;
  touch(account, asset);
}

void ledger::spend_locked(account_id account, asset_id asset, decimal amount) {
  if (amount.is_zero())
    return;
  auto& balance = slot(account, asset);
  if (amount.is_negative() || balance.locked < amount)
    broken("spending locked", account, asset_names_[asset], amount);
  balance.locked -= amount;
  touch(account, asset);
}

decimal ledger::take_up_to(account_id account, asset_id asset, decimal amount,
                          decimal asset_balance::*part) {
  auto& balance = slot(account, asset);
  decimal taken = min(max(amount, decimal{}), balance.*part);
  if (!taken.is_zero()) {
    balance.*part -= taken;
    touch(account, asset);
  }
  return taken;
}

decimal ledger::spend_free_up_to(account_id account, asset_id asset, decimal amount) {
  return take_up_to(account, asset, amount, &asset_balance::free);
}

decimal ledger::spend_locked_up_to(account_id account, asset_id asset, decimal amount) {
  return take_up_to(account, asset, amount, &asset_balance::locked);
}

void ledger::credit(account_id account, asset_id asset, decimal amount) {
  if (amount.is_zero())
    return;
  if (amount.is_negative())
    broken("credit", account, asset_names_[asset], amount);
  slot(account, asset).free += amount;
  touch(account, asset);
}

void ledger::add_fee(asset_id asset, decimal amount) { totals_.at(asset).fees += amount; }
decimal ledger::fees(asset_id asset) const { return totals_.at(asset).fees; }
void ledger::adjust_insurance(asset_id asset, decimal delta) { totals_.at(asset).insurance += delta; }
decimal ledger::insurance(asset_id asset) const { return totals_.at(asset).insurance; }
decimal ledger::net_deposits(asset_id asset) const { return totals_.at(asset).net_deposits; }

decimal ledger::total_held(asset_id asset) const {
  decimal sum;
  for (const auto& holder : accounts_)
    if (asset < holder.balances.size())
      sum += holder.balances[asset].total();
  return sum;
}

std::string ledger::find_negative_balance() const {
  for (std::size_t index = 0; index < accounts_.size(); ++index) {
    const auto& held = accounts_[index].balances;
    for (std::size_t asset = 0; asset < held.size(); ++asset)
      if (held[asset].free.is_negative() || held[asset].locked.is_negative())
        return "account " + std::to_string(index + 1) + " " + asset_names_[asset] + " free "
               + held[asset].free.to_string() + " locked " + held[asset].locked.to_string();
  }
  return {};
}

void ledger::flush_balance_events(timestamp now, event_buffer& out) {
  for (auto [account, asset] : changed_) {
    auto held = balance(account, asset);
    out.emplace_back(balance_update{account, asset_names_[asset], held.free, held.locked, now});
  }
  changed_.clear();
}

} // namespace tern::sim
