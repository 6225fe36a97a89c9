#pragma once

// The money side of a strategy: what each fill did to each account's balances, the base
// position at average cost, and P&L in the quote asset. Shared by every strategy so that the
// kill switch and the dashboard read one set of books.

#include <map>
#include <string>
#include <utility>

#include "core/decimal.hpp"
#include "core/trading_pair.hpp"
#include "strategies/types.hpp"

namespace tern::strategies {

/// Balances and P&L of one strategy trading one pair on one or more accounts.
///
/// P&L is in the quote asset. The base position is kept at average cost: a fill that reduces
/// the position realises (proceeds - cost of the part closed), one that extends it adds to the
/// cost. Fees paid in quote are part of the fill's quote; fees paid in base change the base
/// received or given; fees in any other asset (BNB, OKB) are listed, not converted.
class ledger {
 public:
  explicit ledger(trading_pair pair) : pair_(std::move(pair)) {}

  /// Sets an account's balance as the exchange reports it.
  void set_balance(const balance_input& balance);
  /// The available balance of `asset` on `account`; 0 when never reported.
  [[nodiscard]] decimal available(const std::string& account, const std::string& asset) const;
  /// The total balance of `asset` on `account`; 0 when never reported.
  [[nodiscard]] decimal total(const std::string& account, const std::string& asset) const;

  /// Books one execution on `account`: balances, flows, position and realised P&L.
  void record_fill(const std::string& account, side order_side, const fill_input& fill);
  /// The price base is valued at for unrealised P&L (normally a mid).
  void set_mark(decimal mark) { mark_ = mark; }
  [[nodiscard]] decimal mark() const noexcept { return mark_; }

  /// Signed base position across accounts (negative: short, i.e. sold more than bought).
  [[nodiscard]] decimal position() const noexcept { return position_; }
  [[nodiscard]] decimal realised() const noexcept { return realised_; }
  /// position x mark - cost of the position; 0 when there is no mark.
  [[nodiscard]] decimal unrealised() const;
  [[nodiscard]] decimal total_pnl() const { return realised_ + unrealised(); }

  /// Writes accounts, P&L, exposure and other fees into `status`.
  void fill_status(strategy_status& status) const;

 private:
  struct flows {
    decimal base;
    decimal quote;
  };
  struct holding {
    decimal available;
    decimal total;
  };
  void adjust(const std::string& account, std::string_view asset, decimal delta);
  void apply_to_position(decimal base_delta, decimal quote_delta);

  trading_pair pair_;
  std::map<std::pair<std::string, std::string>, holding> balances_;
  std::map<std::string, flows> flows_;
  std::map<std::string, decimal> other_fees_;
  decimal position_;
  decimal cost_;  ///< quote paid for the open position (negative for a short: proceeds)
  decimal realised_;
  decimal mark_;
};

} // namespace tern::strategies
