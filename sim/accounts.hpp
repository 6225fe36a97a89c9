#pragma once

// The simulated exchange's accounts and balances. Every movement of money goes through the
// primitives here, which refuse to make a balance negative; the engines pair them so that
// value is only ever moved, never created (deposits aside). `audit` in sim/venue.hpp checks it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/decimal.hpp"
#include "core/expected.hpp"
#include "core/types.hpp"
#include "sim/events.hpp"

namespace tern::sim {

/// Dense id of an asset name inside one ledger.
using asset_id = std::uint16_t;

/// Privileges of an account. Only the market drivers' own accounts use them.
struct account_options {
  /// Skip the quantity step, min quantity and min notional rules (not the tick): background
  /// liquidity mirrors a captured book whose levels may be smaller or finer than today's
  /// rules allow (the Binance spot capture has sizes with 6 decimals under a 0.00001 step).
  bool exempt_from_size_rules = false;
};

/// One asset of one account. `locked` is held by open orders and perpetual position margin.
struct asset_balance {
  decimal free;
  decimal locked;
  [[nodiscard]] decimal total() const { return free + locked; }
  friend bool operator==(const asset_balance&, const asset_balance&) = default;
};

/// Accounts, their API keys, balances and position mode.
class ledger {
 public:
  /// Opens an account identified by `api_key` (unique). Ids start at 1.
  expected<account_id, error> open_account(std::string api_key, account_options options = {});
  /// The account an API key belongs to; the dialect authenticates, then maps the key here.
  [[nodiscard]] std::optional<account_id> find_by_api_key(std::string_view api_key) const;
  [[nodiscard]] bool exists(account_id account) const noexcept;
  [[nodiscard]] const account_options& options(account_id account) const;
  [[nodiscard]] std::size_t account_count() const noexcept { return accounts_.size(); }

  /// The account's perpetual position mode (account-wide, as on Binance). Changing it is
  /// checked by `venue::set_position_mode`, which knows the markets.
  [[nodiscard]] position_mode mode(account_id account) const;
  void set_mode(account_id account, position_mode mode);

  /// The id of an asset name, registering it on first use.
  asset_id intern(std::string_view asset);
  [[nodiscard]] std::optional<asset_id> find_asset(std::string_view asset) const;
  [[nodiscard]] const std::string& asset_name(asset_id asset) const;
  [[nodiscard]] std::size_t asset_count() const noexcept { return asset_names_.size(); }

  /// Adds `amount` (> 0) to the free balance: the only way value enters the ledger.
  expected<void, error> deposit(account_id account, std::string_view asset, decimal amount);
  /// Removes `amount` (> 0) from the free balance.
  expected<void, error> withdraw(account_id account, std::string_view asset, decimal amount);

  [[nodiscard]] asset_balance balance(account_id account, asset_id asset) const;
  [[nodiscard]] asset_balance balance(account_id account, std::string_view asset) const;
  /// Every asset the account has ever held, by name.
  [[nodiscard]] std::vector<std::pair<std::string, asset_balance>> balances(account_id account) const;

  // Engine primitives. Each throws std::logic_error instead of making a balance negative: a
  // caller that gets there has broken the lock accounting, which is a bug, not a user error.

  /// Moves `amount` from free to locked; false (and nothing changes) when free is short.
  [[nodiscard]] bool try_lock(account_id account, asset_id asset, decimal amount);
  /// Moves `amount` from locked back to free.
  void unlock(account_id account, asset_id asset, decimal amount);
  /// Takes `amount` out of locked: it leaves the account (paid to a counterparty or as a fee).
  void spend_locked(account_id account, asset_id asset, decimal amount);
  /// Takes up to `amount` out of free and returns what was taken.
  decimal spend_free_up_to(account_id account, asset_id asset, decimal amount);
  /// Takes up to `amount` out of locked and returns what was taken.
  decimal spend_locked_up_to(account_id account, asset_id asset, decimal amount);
  /// Adds `amount` to free: value arriving from a counterparty.
  void credit(account_id account, asset_id asset, decimal amount);

  /// Fees the exchange has collected, per asset.
  void add_fee(asset_id asset, decimal amount);
  [[nodiscard]] decimal fees(asset_id asset) const;
  /// The exchange's own funds per asset (may go negative): it pays funding to one side and
  /// collects it from the other, and absorbs losses an account cannot pay (there is no
  /// liquidation). See docs/simulator.md.
  void adjust_insurance(asset_id asset, decimal delta);
  [[nodiscard]] decimal insurance(asset_id asset) const;
  /// Deposits minus withdrawals, per asset.
  [[nodiscard]] decimal net_deposits(asset_id asset) const;
  /// Sum of free + locked over all accounts.
  [[nodiscard]] decimal total_held(asset_id asset) const;
  /// A negative free or locked balance anywhere (must never happen), as text; empty if none.
  [[nodiscard]] std::string find_negative_balance() const;

  /// Appends a balance_update for every (account, asset) changed since the last flush.
  void flush_balance_events(timestamp now, event_buffer& out);

 private:
  struct account_record {
    std::string api_key;
    account_options options;
    position_mode mode = position_mode::one_way;
    std::vector<asset_balance> balances;  ///< indexed by asset_id
  };
  struct asset_totals {
    decimal net_deposits;
    decimal fees;
    decimal insurance;
  };

  account_record& at(account_id account);
  const account_record& at(account_id account) const;
  asset_balance& slot(account_id account, asset_id asset);
  void touch(account_id account, asset_id asset);
  decimal take_up_to(account_id account, asset_id asset, decimal amount,
                     decimal asset_balance::*part);

  std::vector<account_record> accounts_;
  std::unordered_map<std::string, account_id> by_api_key_;
  std::vector<std::string> asset_names_;
  std::unordered_map<std::string, asset_id> asset_ids_;
  std::vector<asset_totals> totals_;                       ///< indexed by asset_id
  std::vector<std::pair<account_id, asset_id>> changed_;   ///< since the last flush
};

} // namespace tern::sim
