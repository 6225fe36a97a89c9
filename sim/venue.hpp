#pragma once

// One simulated exchange: its accounts and its markets. The server and dialects hold a venue;
// account-wide requests (position mode) and the audit of the money invariants live here.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "sim/accounts.hpp"
#include "sim/events.hpp"
#include "sim/market.hpp"
#include "sim/matching_engine.hpp"

namespace tern::sim {

class venue {
 public:
  explicit venue(engine_options options = {}) : options_(options) {}
  // The engines hold a reference to the ledger inside: a venue stays where it was made.
  venue(const venue&) = delete;
  venue& operator=(const venue&) = delete;

  [[nodiscard]] ledger& accounts() noexcept { return ledger_; }
  [[nodiscard]] const ledger& accounts() const noexcept { return ledger_; }

  /// Adds a market; fails on an invalid spec or a symbol already listed.
  expected<matching_engine*, error> add_market(market_spec spec);
  /// The market trading `symbol`, or null.
  [[nodiscard]] matching_engine* market(std::string_view symbol);
  [[nodiscard]] const matching_engine* market(std::string_view symbol) const;
  /// Every market, ordered by symbol.
  [[nodiscard]] std::vector<matching_engine*> markets();

  /// Switches the account between one-way and hedge mode. Refused when the mode is already
  /// set, or while the account has a position or an open order in any perpetual market.
  expected<void, error> set_position_mode(account_id account, position_mode mode);

  /// Checks the money invariants; returns a description of the first violation, or "" when
  /// all hold:
  ///  - no free or locked balance is negative;
  ///  - per asset: sum of balances + fees + insurance fund - signed position cost of the
  ///    perpetuals margined in it == deposits - withdrawals (value is only moved, never made);
  ///  - per account and asset: locked == what its open orders and positions hold.
  [[nodiscard]] std::string audit() const;

 private:
  engine_options options_;
  ledger ledger_;
  std::map<std::string, std::unique_ptr<matching_engine>, std::less<>> markets_;
};

} // namespace tern::sim
