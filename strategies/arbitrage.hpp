#pragma once

// Cross-exchange arbitrage for order-book venues: buy the pair where it is cheap, sell it where
// it is dear, both legs at once, when the spread after both taker fees clears a threshold.
// See docs/strategies.md for the rules in prose.

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "strategies/strategy.hpp"

namespace tern::strategies {

/// What to do when the two legs of a round did not fill the same amount.
enum class leg_failure_policy : std::uint8_t {
  hedge,   ///< market order for the missing amount on the leg that fell short
  unwind,  ///< market order reversing the excess on the market where it filled
  retry,   ///< re-send the missing leg (same order type) up to max_retries, then unwind
};

[[nodiscard]] std::string_view to_string(leg_failure_policy policy) noexcept;

struct arbitrage_params {
  decimal min_profitability;  ///< net profit / gross cost, e.g. 0.003
  decimal order_amount;       ///< base amount per round, before sizing by balance and depth
  /// `limit`: IOC limit orders at the worst price walked, so a moved book cannot fill worse;
  /// `market`: market orders.
  order_type leg_type = order_type::limit;
  leg_failure_policy on_leg_failure = leg_failure_policy::unwind;
  int max_retries = 3;  ///< correction orders per round before giving up (and stopping)
  std::chrono::nanoseconds cooldown = std::chrono::seconds{5};  ///< after a round ends
};

/// One way to trade the spread between two markets, sized and priced.
struct arbitrage_opportunity {
  market_id buy_market;
  market_id sell_market;
  decimal amount;          ///< base, quantized to both markets' steps
  decimal buy_vwap;        ///< average price walking the buy market's asks
  decimal sell_vwap;       ///< average price walking the sell market's bids
  decimal buy_limit;       ///< worst ask walked, rounded up to the buy market's tick
  decimal sell_limit;      ///< worst bid walked, rounded down to the sell market's tick
  decimal cost;            ///< quote paid, including the buy market's taker fee
  decimal proceeds;        ///< quote received, net of the sell market's taker fee
  decimal profit;          ///< proceeds - cost
  decimal profitability;   ///< profit / cost
};

/// Budgets for sizing: quote available on the buy account, base available on the sell one.
struct arbitrage_budget {
  decimal buy_quote;
  decimal sell_base;
};

/// Sizes and prices buying on `buy` and selling on `sell`: the order amount capped by the sell
/// account's base, the buy account's quote (fees included) and both books' depth, floored to
/// both steps; nothing when that leaves no amount or either order would break its market's
/// rules. The threshold is not applied here.
[[nodiscard]] std::optional<arbitrage_opportunity> evaluate_arbitrage(
    const market_info& buy, const order_book& buy_book, const market_info& sell, const order_book& sell_book,
    decimal order_amount, const arbitrage_budget& budget);

/// Cross-exchange arbitrage over two or more markets of one pair.
class arbitrage final : public strategy {
 public:
  arbitrage(common_params common, arbitrage_params params, std::vector<market_info> markets);

  /// The best opportunity at the current books and balances, threshold not applied.
  [[nodiscard]] std::optional<arbitrage_opportunity> best_opportunity() const;
  /// True while a round's legs or corrections are outstanding.
  [[nodiscard]] bool round_active() const noexcept { return round_.has_value(); }

 protected:
  void book_changed(const market_id& market, timestamp now, actions& out) override;
  void order_changed(const tracked_order& order, const order_event& event, timestamp now, actions& out) override;
  void tick(timestamp now, actions& out) override;
  void add_status(strategy_status& status) const override;

 private:
  /// Both legs of one firing, and the corrections sent after them.
  struct round {
    std::uint64_t number = 0;
    arbitrage_opportunity fired;
    std::set<std::string> outstanding;  ///< client ids not yet final
    decimal bought;  ///< base filled by every buy of the round
    decimal sold;    ///< base filled by every sell of the round
    int corrections = 0;
    bool unwinding = false;  ///< retry gave up: corrections now reverse the excess
  };

  void evaluate(timestamp now, actions& out);
  void fire(const arbitrage_opportunity& chance, timestamp now, actions& out);
  void settle(timestamp now, actions& out);
  void correct(decimal imbalance, actions& out);
  bool send_correction(const market_id& market, side order_side, decimal amount, order_type type, actions& out);

  arbitrage_params params_;
  std::optional<round> round_;
  std::uint64_t rounds_ = 0;
  std::uint64_t completed_rounds_ = 0;
  std::uint64_t corrected_rounds_ = 0;
  bool was_profitable_ = false;
  timestamp next_fire_{};
};

} // namespace tern::strategies
