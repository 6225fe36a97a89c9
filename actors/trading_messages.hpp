#pragma once

// What strategies and the exchange actor say to each other (actors/exchange_api.hpp has the
// typed interface). Plain structs, free of CAF: actors/message_types.hpp gives them their wire
// form, so a strategy on another node talks to an exchange actor exactly as a local one does.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/events.hpp"
#include "core/order_state.hpp"
#include "core/types.hpp"

namespace tern {

/// An order as a strategy asks for it. The exchange actor validates and quantizes it against
/// the market's rules (core/instrument.hpp), checks the budget (§A16) and names it.
struct order_intent {
  std::string pair;  ///< "BTC-USDT"
  side order_side = side::buy;
  order_type type = order_type::limit;
  time_in_force tif = time_in_force::gtc;
  /// Limit price; for a market order the reference price the budget and minimum notional are
  /// checked against (it is not sent).
  decimal price;
  decimal amount;  ///< base amount
  position_action action = position_action::none;  ///< perpetuals: open or close
};

/// The answer to a placement: the client order id the order goes by, or why it was refused
/// before anything was sent (validation, budget, the account not ready). The exchange's own
/// answer arrives later as order notices.
struct place_reply {
  std::string client_order_id;
  std::string refusal;  ///< empty when accepted
  [[nodiscard]] bool accepted() const noexcept { return refusal.empty(); }
};

/// The answer to a command (cancel, cancel-all, leverage, position mode): whether it was done
/// (or, for cancels, sent), and why not.
struct command_reply {
  bool ok = false;
  std::string message;
};

/// What happened to an order, as subscribers of an exchange account learn it.
enum class order_notice_kind : std::uint8_t {
  created,    ///< the exchange accepted the order (§A7 created)
  filled,     ///< one new execution; `fills` holds it
  completed,  ///< filled, and the fills cover the amount
  cancelled,
  failed,     ///< rejected, or declared lost (§A6)
  recovered,  ///< a failed (lost) order turned out to exist after all
  adopted,    ///< the exchange has an order the journal did not know: now tracked
  state,      ///< a state change with no event of its own (pending_cancel, back to open)
};

[[nodiscard]] std::string_view to_string(order_notice_kind kind) noexcept;

/// One order notice: the event, and the order as it stands after it.
struct order_notice {
  std::string account;
  std::string pair;
  std::string client_order_id;
  std::string exchange_order_id;
  order_notice_kind kind = order_notice_kind::state;
  order_state state = order_state::pending_create;
  side order_side = side::buy;
  decimal price;
  decimal amount;
  decimal executed_base;
  decimal executed_quote;
  std::vector<fill> fills;  ///< the execution of a `filled` notice; empty otherwise
  std::string message;      ///< why it failed, or what was noticed
  timestamp time{};
};

} // namespace tern
