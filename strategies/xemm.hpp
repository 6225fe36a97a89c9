#pragma once

// Cross-exchange market making: rest orders on a maker market priced from the taker market's
// book so that hedging a fill there clears a minimum profitability; re-price when the taker
// book moves; hedge every maker fill on the taker market at once.

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "strategies/strategy.hpp"

namespace tern::strategies {

struct xemm_params {
  decimal order_amount;       ///< base amount of each maker order
  decimal min_profitability;  ///< net profit / gross cost of maker fill plus hedge
  /// Re-price orders that are still profitable when a better profitable price appears.
  /// Unprofitable orders are cancelled at once whatever this says.
  bool adjust_order_enabled = true;
  /// Least time between re-pricings of a still-profitable order (avoids chasing every tick).
  std::chrono::nanoseconds anti_hysteresis = std::chrono::seconds{60};
  int max_hedge_retries = 3;  ///< re-sends of a failed hedge before stopping
};

/// A maker price and size and the hedge it assumes.
struct maker_quote {
  side order_side = side::buy;
  decimal price;       ///< on the maker market's tick, never crossing its book
  decimal limit;       ///< the least favourable profitable price before clamping (bid: highest)
  decimal amount;      ///< on both markets' steps
  decimal hedge_vwap;  ///< the taker market's average price for hedging `amount`
};

/// XEMM between markets[0] (maker) and markets[1] (taker), one pair.
class xemm final : public strategy {
 public:
  xemm(common_params common, xemm_params params, market_info maker, market_info taker);

  /// The maker order wanted on `order_side` at the current books and balances; `amount`
  /// overrides the order amount (the remaining size of an order being checked).
  [[nodiscard]] std::optional<maker_quote> quote(side order_side, std::optional<decimal> amount = {}) const;

 protected:
  void book_changed(const market_id& market, timestamp now, actions& out) override;
  void order_changed(const tracked_order& order, const order_event& event, timestamp now, actions& out) override;
  void tick(timestamp now, actions& out) override;
  void add_status(strategy_status& status) const override;

 private:
  struct resting {
    std::string client_id;
    timestamp placed{};
  };
  void step(timestamp now, actions& out);
  void manage(side order_side, timestamp now, actions& out);
  void hedge(side maker_side, decimal amount, decimal maker_price, actions& out);
  void hedge_changed(const tracked_order& order, const order_event& event, actions& out);

  xemm_params params_;
  market_info maker_;
  market_info taker_;
  std::map<side, resting> resting_;
  std::map<std::string, int> hedges_;  ///< open hedge client id -> attempt number
  std::map<side, decimal> unhedged_;   ///< maker fills below the taker's step, by maker side
  std::uint64_t hedge_count_ = 0;
  std::uint64_t reprices_ = 0;
};

} // namespace tern::strategies
