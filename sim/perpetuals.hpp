#pragma once

// Perpetual positions of one market: size, cost basis and margin per account and position
// side, and each account's leverage. The money side (margin locks, PnL, funding) is settled by
// the matching engine through the ledger; this file only keeps the positions' state.

#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/decimal.hpp"
#include "core/types.hpp"
#include "sim/events.hpp"

namespace tern::sim {

/// One position. `size` is signed (negative short); in hedge mode the long position is >= 0
/// and the short one <= 0. `cost` is the entry notional of the open size (sum of price x
/// quantity of the opening fills, reduced proportionally by closes), so PnL is exact.
struct position_state {
  decimal size;
  decimal cost;
  decimal margin;  ///< initial margin held in the ledger's locked quote balance
};

/// A position as queries report it.
struct position_view {
  position_side pos_side = position_side::both;
  decimal amount;           ///< signed
  decimal entry_price;      ///< cost / |amount|; zero when flat
  decimal margin;
  decimal unrealized_pnl;   ///< at the market's mark price
  int leverage = 0;
};

/// Positions and leverage settings of one perpetual market.
class position_book {
 public:
  using position_key = std::pair<account_id, position_side>;

  explicit position_book(int default_leverage) : default_leverage_(default_leverage) {}

  /// The position, created flat on first use.
  position_state& at(account_id account, position_side side) { return positions_[{account, side}]; }
  /// The position, or a flat one.
  [[nodiscard]] position_state find(account_id account, position_side side) const;
  /// True when the account holds a non-zero position on either side.
  [[nodiscard]] bool has_position(account_id account) const;
  /// Every position ever opened, ordered by account then side (flat ones included).
  [[nodiscard]] const std::map<position_key, position_state>& all() const noexcept { return positions_; }
  [[nodiscard]] std::map<position_key, position_state>& all() noexcept { return positions_; }

  [[nodiscard]] int leverage(account_id account) const;
  void set_leverage(account_id account, int leverage) { leverage_[account] = leverage; }

  /// Signed cost sum: longs' cost minus shorts' cost. With balances, fees and the insurance
  /// fund it forms the conserved quantity of a perpetual market (docs/simulator.md).
  [[nodiscard]] decimal signed_cost() const;
  /// Margin held by the account's positions.
  [[nodiscard]] decimal margin_of(account_id account) const;

  /// Remembers that a position changed in the current operation.
  void touch(account_id account, position_side side);
  /// Appends a position_update per position changed since the last flush.
  void flush(const std::string& symbol, timestamp now, event_buffer& out);

 private:
  int default_leverage_;
  std::map<position_key, position_state> positions_;
  std::unordered_map<account_id, int> leverage_;
  std::vector<position_key> changed_;
};

/// Entry price of a position: cost / |size| (zero when flat).
[[nodiscard]] decimal entry_price(const position_state& position);

} // namespace tern::sim
