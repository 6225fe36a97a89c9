#pragma once

// The drivers' market maker: one account whose resting orders show a target size at each
// price, so the engine's public book looks like a captured or generated book. Users' orders
// rest beside it (the public book is the target plus users' orders) and trade against it.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "core/events.hpp"
#include "sim/accounts.hpp"
#include "sim/events.hpp"
#include "sim/matching_engine.hpp"

namespace tern::sim {

/// Funds given to a driver's account at start, and again whenever it runs short: drivers
/// stand for the rest of the market, whose pockets the simulation does not model.
struct driver_funds {
  decimal base = decimal::from_integer(1'000'000);
  decimal quote = decimal::from_integer(1'000'000'000'000);
};

/// Opens an account for a driver (exempt from min size and notional rules) and funds it.
/// Throws std::invalid_argument when the API key is taken.
account_id open_driver_account(matching_engine& engine, ledger& accounts,
                               const std::string& api_key, const driver_funds& funds);

/// Deposits `funds` again when `placed` failed for lack of balance, and says whether it did.
bool top_up_if_short(const expected<order_view, error>& placed, ledger& accounts,
                     const matching_engine& engine, account_id account, const driver_funds& funds);

class background_liquidity {
 public:
  background_liquidity(matching_engine& engine, ledger& accounts, const std::string& api_key,
                       driver_funds funds = {});
  background_liquidity(const background_liquidity&) = delete;
  background_liquidity& operator=(const background_liquidity&) = delete;

  [[nodiscard]] account_id account() const noexcept { return account_; }

  /// Applies level changes (size 0 removes): all decreases first, then all increases, so
  /// that the account never crosses itself on the way from one uncrossed book to the next.
  /// An increase that crosses users' orders trades with them, as the market would.
  void apply(const std::vector<price_level>& bids, const std::vector<price_level>& asks,
             timestamp now, event_buffer& out);
  /// Makes the account show exactly `bids` and `asks`; every other level it shows goes.
  void reconcile(const std::vector<price_level>& bids, const std::vector<price_level>& asks,
                 timestamp now, event_buffer& out);
  /// Removes everything the account shows.
  void clear(timestamp now, event_buffer& out);

  /// Size the account shows at `price` on side `s` (after dropping its filled orders).
  [[nodiscard]] decimal shown(side s, decimal price);
  /// Requests the engine refused (each would leave the book short of its target).
  [[nodiscard]] std::size_t refused() const noexcept { return refused_; }
  [[nodiscard]] const std::string& last_refusal() const noexcept { return last_refusal_; }

 private:
  using level_orders = std::map<decimal, std::vector<order_id>>;
  level_orders& orders(side s) { return s == side::buy ? bids_ : asks_; }
  void set_level(side s, decimal price, decimal target, timestamp now, event_buffer& out);
  void reduce(side s, decimal price, decimal by, timestamp now, event_buffer& out);
  void add(side s, decimal price, decimal quantity, timestamp now, event_buffer& out);
  void refuse(const error& reason);

  matching_engine& engine_;
  ledger& ledger_;
  driver_funds funds_;
  account_id account_;
  level_orders bids_;
  level_orders asks_;
  std::size_t refused_ = 0;
  std::string last_refusal_;
};

} // namespace tern::sim
