#pragma once

// The vocabulary between a strategy's decision logic and the actor that runs it. A strategy is
// a pure state machine: the actor feeds it book snapshots, order events, balances and timer
// ticks (each carrying the time, since nothing here reads a clock) and carries out the actions
// it returns. Nothing in strategies/ sees CAF, a socket or an exchange's wire format.

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/decimal.hpp"
#include "core/events.hpp"
#include "core/instrument.hpp"
#include "core/order_state.hpp"
#include "core/trading_pair.hpp"
#include "core/types.hpp"

namespace tern::strategies {

/// A market on one exchange account: the account's config name ("binance") and the pair.
struct market_id {
  std::string account;
  trading_pair pair;
  friend auto operator<=>(const market_id&, const market_id&) = default;
  friend bool operator==(const market_id&, const market_id&) = default;
  /// "binance:BTC-USDT", for messages and status.
  [[nodiscard]] std::string to_string() const { return account + ":" + pair.to_string(); }
};

/// What a strategy must know about a market it trades: its rules and its fee rates, as
/// fractions of the notional ("0.001" is 0.1 %).
struct market_info {
  market_id id;
  trading_rules rules;
  decimal maker_fee;
  decimal taker_fee;
};

// ---- inputs ----

/// The depth of one market's book as the book actor last saw it, best levels first.
struct book_input {
  market_id market;
  std::vector<price_level> bids;
  std::vector<price_level> asks;
};

/// One execution reported for an order: incremental, not cumulative.
struct fill_input {
  decimal price;
  decimal amount;      ///< base
  tern::fee fee;       ///< in whichever asset the exchange charged
};

/// A change to one of the strategy's orders, keyed by the client id the strategy gave it.
/// A fill arrives with the state after it (partially_filled or filled). `failed` means the
/// exchange rejected the order or it was declared lost; an ambiguous outcome is not sent as
/// failed (the tracker keeps it in flight until the exchange confirms).
struct order_event {
  std::string client_id;
  order_state state = order_state::open;
  std::optional<fill_input> fill;
  std::string reason;  ///< why it failed or was cancelled, when known
};

/// An account's balance of one asset.
struct balance_input {
  std::string account;
  std::string asset;
  decimal available;
  decimal total;
};

// ---- actions ----

/// Place an order. `client_id` is unique within the strategy; the actor maps it to the
/// exchange's client order id format and reports events back under it. Market orders carry
/// the reference price they were sized at (for the notional check), not sent to the exchange.
struct place_order {
  market_id market;
  std::string client_id;
  side order_side = side::buy;
  order_type type = order_type::limit;
  time_in_force tif = time_in_force::gtc;
  decimal price;
  decimal amount;
  std::string purpose;  ///< why: "arbitrage buy leg", "hedge", "level 0 bid", ...
  friend bool operator==(const place_order&, const place_order&) = default;
};

/// Cancel one order the strategy placed.
struct cancel_order {
  market_id market;
  std::string client_id;
  friend bool operator==(const cancel_order&, const cancel_order&) = default;
};

/// Cancel every order of the strategy on every market it trades, including any the
/// strategy lost track of (the actor asks the trackers, which know them by strategy).
struct cancel_all {
  friend bool operator==(const cancel_all&, const cancel_all&) = default;
};

enum class notice_level : std::uint8_t { info, warning, error };

/// Something an operator should read: logged by the actor and shown on the dashboard.
struct notice {
  notice_level level = notice_level::info;
  std::string text;
  friend bool operator==(const notice&, const notice&) = default;
};

/// The strategy has stopped (kill switch, command, or an unrecoverable state) and will
/// place nothing more; the actor may tell its supervisor.
struct stopped {
  std::string reason;
  friend bool operator==(const stopped&, const stopped&) = default;
};

using action = std::variant<place_order, cancel_order, cancel_all, notice, stopped>;
using actions = std::vector<action>;

// ---- status ----

/// What the strategy did on one account: quote and base it gained (negative: spent),
/// fees by asset, and its mark-to-market P&L in quote.
struct account_status {
  decimal base_flow;
  decimal quote_flow;  ///< fees in quote already taken off
  decimal pnl;         ///< quote_flow + base_flow x mark
};

/// An order the strategy has open, for the dashboard.
struct open_order_status {
  market_id market;
  std::string client_id;
  side order_side = side::buy;
  decimal price;
  decimal amount;
  decimal filled;
};

/// The snapshot the dashboard shows and the demo prints.
struct strategy_status {
  std::string name;
  std::string kind;
  bool running = true;
  std::string stop_reason;
  std::uint64_t opportunities_seen = 0;  ///< chances that cleared the strategy's threshold
  std::uint64_t orders_placed = 0;
  std::uint64_t fills = 0;
  std::map<std::string, account_status> accounts;  ///< by account name
  decimal realised_pnl;    ///< in quote, from closed base at average cost, fees included
  decimal unrealised_pnl;  ///< open base position valued at the mark
  decimal total_pnl;       ///< realised + unrealised
  decimal mark_price;      ///< the mid used to value base; 0 before any book
  std::map<std::string, decimal> exposure;  ///< net base position by asset (0: flat)
  std::map<std::string, decimal> other_fees;  ///< fees in assets other than base or quote
  std::vector<open_order_status> open_orders;
  std::map<std::string, std::uint64_t> counters;  ///< the kind's own counts ("rounds", "hedges")
};

/// Fraction of `value` rounded to 18 places: value x fraction.
[[nodiscard]] inline decimal times(decimal value, decimal fraction, rounding mode = rounding::half_even) {
  return decimal::multiply(value, fraction, mode);
}

} // namespace tern::strategies
