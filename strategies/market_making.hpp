#pragma once

// Pure market making on one market: bids and asks around the mid, refreshed on a schedule,
// sized with an inventory skew. Hummingbot's pure_market_making is the model for the
// parameters; docs/strategies.md gives the rules.

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "strategies/strategy.hpp"

namespace tern::strategies {

struct market_making_params {
  decimal order_amount;  ///< base amount of the level-0 orders
  decimal bid_spread;    ///< fraction below mid for the level-0 bid
  decimal ask_spread;    ///< fraction above mid for the level-0 ask
  /// An order nearer to mid than this fraction is cancelled (the market moved onto it).
  std::optional<decimal> minimum_spread;
  std::chrono::nanoseconds order_refresh_time = std::chrono::seconds{30};
  /// Orders are kept at refresh when every new price is within this fraction of the old one.
  decimal order_refresh_tolerance;
  int order_levels = 1;
  decimal order_level_spread;  ///< extra spread per level
  decimal order_level_amount;  ///< extra base amount per level
  bool inventory_skew_enabled = false;
  decimal inventory_target_base_pct = decimal::from_scaled(5, 1);  ///< 0.5: half the value in base
  decimal inventory_range_multiplier = decimal::from_integer(1);
  std::chrono::nanoseconds filled_order_delay = std::chrono::seconds{60};
  bool hanging_orders_enabled = false;
  decimal hanging_orders_cancel_pct = decimal::from_scaled(1, 1);  ///< 0.1: 10 % from mid
};

/// One order the strategy wants resting.
struct quote_proposal {
  side order_side = side::buy;
  int level = 0;
  decimal price;
  decimal amount;
};

/// Pure market making on the first (only) market given.
class market_making final : public strategy {
 public:
  market_making(common_params common, market_making_params params, market_info market);

  /// The orders the strategy would place now at `mid`, after skew and quantization, and sized
  /// to the available balances when `budgeted` (not when comparing with resting orders, whose
  /// own funds the exchange counts as unavailable).
  [[nodiscard]] std::vector<quote_proposal> proposal(decimal mid, bool budgeted = true) const;
  /// Bid and ask size multipliers (each in [0, 2]) from the inventory at `mid`.
  [[nodiscard]] std::pair<decimal, decimal> inventory_ratios(decimal mid) const;

 protected:
  void book_changed(const market_id& market, timestamp now, actions& out) override;
  void order_changed(const tracked_order& order, const order_event& event, timestamp now, actions& out) override;
  void tick(timestamp now, actions& out) override;
  void add_status(strategy_status& status) const override;

 private:
  struct quoted {
    int level = 0;
    bool hanging = false;
  };
  void step(timestamp now, actions& out);
  void cancel_stale(decimal mid, actions& out);
  bool within_tolerance(const std::vector<quote_proposal>& wanted) const;
  void create(const std::vector<quote_proposal>& wanted, timestamp now, actions& out);
  [[nodiscard]] bool has_active() const;

  market_making_params params_;
  market_info market_;
  std::map<std::string, quoted> quoted_;  ///< our open orders by client id
  timestamp next_refresh_{};
  timestamp next_create_{};
  std::uint64_t refreshes_ = 0;
};

} // namespace tern::strategies
