#pragma once

// An account's balances (../shared/reference/exchanges.md §A10), perpetual positions (§A15)
// and the budget check strategies size orders against (§A16). Pure; the tracker owns one.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/decimal.hpp"
#include "core/events.hpp"
#include "core/expected.hpp"
#include "core/types.hpp"

namespace tern {

/// What an order needs to be funded (§A16).
struct budget_request {
  std::string pair;  ///< "BASE-QUOTE"
  side order_side = side::buy;
  /// Limit price; for market orders the reference price (best price) the check uses.
  decimal price;
  decimal amount;  ///< base amount
  /// Perpetuals: open or close; `none` for spot.
  position_action action = position_action::none;
  decimal leverage = decimal::from_integer(1);  ///< perpetual opens: order value / leverage
  /// The fee to reserve, as a fraction of the order value (0.001 for 0.1 %): the taker rate
  /// unless the order cannot take.
  decimal fee_rate;
  /// Perpetuals: the asset margin is held in; the quote asset when empty.
  std::string collateral_asset;
};

/// The amount of one asset an order locks.
struct budget_requirement {
  std::string asset;  ///< empty when the order locks nothing (a perpetual close)
  decimal amount;
  friend bool operator==(const budget_requirement&, const budget_requirement&) = default;
};

enum class budget_refusal_reason : std::uint8_t {
  invalid_request,       ///< non-positive price or amount, bad leverage, a malformed pair
  unknown_asset,         ///< no balance is known for the asset at all
  insufficient_balance,  ///< the available balance does not cover the requirement
};

[[nodiscard]] std::string_view to_string(budget_refusal_reason reason) noexcept;

/// Why an order does not fit, with the figures: "needs 3003.0 USDT (order 3000.0 + fee 3.0),
/// 2500 available".
struct budget_refusal {
  budget_refusal_reason reason = budget_refusal_reason::insufficient_balance;
  std::string asset;
  decimal required;
  decimal available;
  std::string message;
};

/// Per asset: the amounts already promised (open orders the balance does not yet reflect,
/// earlier orders of a batch).
using asset_amounts = std::map<std::string, decimal, std::less<>>;

/// What the order locks (§A16): spot buys the quote value plus the fee, spot sells the base
/// amount (the fee is deducted from the returns), perpetual opens the order value / leverage
/// plus the fee on the whole value in the collateral asset, perpetual closes nothing.
/// Rounded up: a budget is never understated.
[[nodiscard]] expected<budget_requirement, budget_refusal> budget_requirement_for(
    const budget_request& request);

/// Balances and positions of one account.
class balance_sheet {
 public:
  /// Sets an asset's balance as the exchange reported it.
  void apply(const balance& reported);
  /// A full balance snapshot (REST poll): replaces all, and drops assets it does not list
  /// (§A10).
  void replace_all(const std::vector<balance>& snapshot);
  /// A change outside trading (deposit, withdrawal, transfer): total and available move by
  /// `delta` until the next absolute balance.
  void apply_delta(std::string_view asset, decimal delta);

  [[nodiscard]] std::optional<balance> find(std::string_view asset) const;
  [[nodiscard]] decimal total(std::string_view asset) const;
  [[nodiscard]] decimal available(std::string_view asset) const;
  /// Every asset with a balance, sorted by asset.
  [[nodiscard]] std::vector<balance> all() const;

  /// Sets a position as reported; a zero amount removes it (§A15). One-way positions use
  /// side `both`, hedge positions `long_side`/`short_side`.
  void apply(const position& reported);
  /// A full position snapshot (REST poll): replaces all, so a position closed while the stream
  /// was away does not linger.
  void replace_positions(const std::vector<position>& snapshot);
  [[nodiscard]] std::optional<position> find_position(std::string_view pair,
                                                      position_side side) const;
  /// Every open position, sorted by pair and side.
  [[nodiscard]] std::vector<position> positions() const;

  /// Would this order fit the available balance, less what is already `promised`? The
  /// refusal names the asset and both figures.
  [[nodiscard]] expected<budget_requirement, budget_refusal> check(
      const budget_request& request, const asset_amounts& promised = {}) const;
  /// Checks a batch in order, each order locking its requirement for the ones after it (§A16
  /// hypothetical locking). One result per request.
  [[nodiscard]] std::vector<expected<budget_requirement, budget_refusal>> check_batch(
      const std::vector<budget_request>& requests, asset_amounts promised = {}) const;

 private:
  std::map<std::string, balance, std::less<>> balances_;
  std::map<std::pair<std::string, position_side>, position> positions_;
};

} // namespace tern
