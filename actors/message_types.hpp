#pragma once

// The messages Tern's actors exchange: CAF 0.17 `inspect` overloads for the core event types,
// Tern's type-ID block and its atoms. core/ stays CAF-free; the overloads live here, in
// namespace tern, so argument-dependent lookup finds them from inside CAF.
//
// Every TU that sends or receives one of these types must include this header: the type-ID
// block specialises caf::type_id, which has to be visible before CAF first asks for it.
//
// Wire format notes:
// - decimal: its 128-bit raw count of 1e-18 units as two uint64 halves (high, low), because
//   CAF 0.17's serializers know no __int128. Printed by deep_to_string as its decimal text.
// - timestamp: tern::timestamp is caf::timestamp (checked below), which CAF writes as int64
//   nanoseconds since the epoch.
// - enums inside structs: their underlying integer; a value past the last enumerator fails
//   to load with sec::invalid_argument instead of producing an invalid enum.
// - std::optional (not supported by CAF 0.17): a presence flag, then the value.
//
// Each struct's inspect destructures the struct with a structured binding, so adding a field
// to a core event breaks the build here until the field is added to the wire format too.

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <caf/error.hpp>
#include <caf/fwd.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/none.hpp>
#include <caf/sec.hpp>
#include <caf/timestamp.hpp>
#include <caf/type_id.hpp>

#include "actors/trading_messages.hpp"
#include "core/decimal.hpp"
#include "core/events.hpp"
#include "core/instrument.hpp"
#include "core/order_state.hpp"
#include "core/trading_pair.hpp"
#include "core/types.hpp"
#include "supervision/health.hpp"

namespace tern {

static_assert(std::is_same_v<timestamp, caf::timestamp>,
              "tern::timestamp must stay caf::timestamp: CAF serialises it as int64 nanoseconds");

// -- enum range ------------------------------------------------------------------------------

/// The last enumerator of each wire enum, found by overload on a tag argument; an enum
/// without an overload does not compile. Update these when an enumerator is appended.
constexpr side last_enumerator(side) noexcept { return side::sell; }
constexpr market_kind last_enumerator(market_kind) noexcept { return market_kind::perpetual; }
constexpr order_type last_enumerator(order_type) noexcept { return order_type::market; }
constexpr time_in_force last_enumerator(time_in_force) noexcept { return time_in_force::fok; }
constexpr position_action last_enumerator(position_action) noexcept {
  return position_action::close;
}
constexpr position_mode last_enumerator(position_mode) noexcept { return position_mode::hedge; }
constexpr position_side last_enumerator(position_side) noexcept {
  return position_side::short_side;
}
constexpr order_state last_enumerator(order_state) noexcept { return order_state::failed; }
constexpr order_notice_kind last_enumerator(order_notice_kind) noexcept {
  return order_notice_kind::state;
}

/// True when `raw` names an enumerator of `Enum` (all wire enums count up from 0).
template <class Enum>
[[nodiscard]] constexpr bool is_enumerator(std::underlying_type_t<Enum> raw) noexcept {
  return raw <= static_cast<std::underlying_type_t<Enum>>(last_enumerator(Enum{}));
}

// -- field adapters --------------------------------------------------------------------------
// Small views over one field that give CAF a wire form (inspect) and a readable form
// (to_string, which CAF's stringification prefers over inspect).

namespace wire {

/// A decimal as two 64-bit halves of its raw value.
struct decimal_field {
  decimal& value;
};

/// An enum as its underlying integer, range-checked on load.
template <class Enum>
struct enum_field {
  Enum& value;
};

/// A std::optional as a presence flag and a value.
template <class T>
struct optional_field {
  std::optional<T>& value;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, decimal_field& x) {
  const auto bits = static_cast<uint128>(x.value.raw());
  auto high = static_cast<std::uint64_t>(bits >> 64);
  auto low = static_cast<std::uint64_t>(bits);
  auto join = caf::meta::load_callback([&x, &high, &low]() -> caf::error {
    const auto joined = (static_cast<uint128>(high) << 64) | low;
    x.value = decimal::from_raw(static_cast<int128>(joined)); // modular since C++20
    return caf::none;
  });
  return f(high, low, join);
}

inline std::string to_string(const decimal_field& x) {
  return x.value.to_string();
}

template <class Inspector, class Enum>
typename Inspector::result_type inspect(Inspector& f, enum_field<Enum>& x) {
  using underlying = std::underlying_type_t<Enum>;
  auto raw = static_cast<underlying>(x.value);
  auto check = caf::meta::load_callback([&x, &raw]() -> caf::error {
    if (!is_enumerator<Enum>(raw))
      return caf::make_error(caf::sec::invalid_argument);
    x.value = static_cast<Enum>(raw);
    return caf::none;
  });
  return f(raw, check);
}

template <class Enum>
std::string to_string(const enum_field<Enum>& x) {
  using tern::to_string; // and, by argument-dependent lookup, the enum's own namespace
  return std::string{to_string(x.value)};
}

template <class Inspector, class T>
typename Inspector::result_type inspect(Inspector& f, optional_field<T>& x) {
  bool present = x.value.has_value();
  T content = present ? *x.value : T{};
  auto store = caf::meta::load_callback([&x, &present, &content]() -> caf::error {
    if (present)
      x.value = content;
    else
      x.value.reset();
    return caf::none;
  });
  return f(present, content, store);
}

template <std::integral T>
std::string to_string(const optional_field<T>& x) {
  return x.value ? std::to_string(*x.value) : std::string{"none"};
}

} // namespace wire

// -- inspect overloads -----------------------------------------------------------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, decimal& x) {
  return f(caf::meta::type_name("decimal"), wire::decimal_field{x});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, price_level& x) {
  auto& [price, size] = x;
  return f(caf::meta::type_name("price_level"), price, size);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_snapshot& x) {
  auto& [pair, bids, asks, sequence, exchange_time, received_time] = x;
  return f(caf::meta::type_name("book_snapshot"), pair, bids, asks, sequence, exchange_time,
           received_time);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_delta& x) {
  auto& [pair, bids, asks, first_sequence, last_sequence, previous_sequence, checksum,
         exchange_time, received_time] = x;
  return f(caf::meta::type_name("book_delta"), pair, bids, asks, first_sequence, last_sequence,
           previous_sequence, wire::optional_field<std::uint32_t>{checksum}, exchange_time,
           received_time);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, top_of_book& x) {
  auto& [pair, sequence, bid, ask, exchange_time, received_time] = x;
  return f(caf::meta::type_name("top_of_book"), pair, sequence, bid, ask, exchange_time,
           received_time);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trade& x) {
  auto& [pair, trade_id, price, size, taker_side, exchange_time, received_time] = x;
  return f(caf::meta::type_name("trade"), pair, trade_id, price, size,
           wire::enum_field<side>{taker_side}, exchange_time, received_time);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_update& x) {
  auto& [pair, client_order_id, exchange_order_id, new_state, update_time, error_code,
         error_message] = x;
  return f(caf::meta::type_name("order_update"), pair, client_order_id, exchange_order_id,
           wire::enum_field<order_state>{new_state}, update_time, error_code, error_message);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fee& x) {
  auto& [asset, amount] = x;
  return f(caf::meta::type_name("fee"), asset, amount);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fill& x) {
  auto& [pair, trade_id, client_order_id, exchange_order_id, order_side, price, base_amount,
         quote_amount, fee_paid, is_taker, fill_time] = x;
  return f(caf::meta::type_name("fill"), pair, trade_id, client_order_id, exchange_order_id,
           wire::enum_field<side>{order_side}, price, base_amount, quote_amount, fee_paid,
           is_taker, fill_time);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, balance& x) {
  auto& [asset, total, available] = x;
  return f(caf::meta::type_name("balance"), asset, total, available);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, position& x) {
  auto& [pair, held_side, amount, entry_price, unrealized_pnl, leverage] = x;
  return f(caf::meta::type_name("position"), pair, wire::enum_field<position_side>{held_side},
           amount, entry_price, unrealized_pnl, leverage);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, funding_info& x) {
  auto& [pair, index_price, mark_price, rate, next_funding_time] = x;
  return f(caf::meta::type_name("funding_info"), pair, index_price, mark_price, rate,
           next_funding_time);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, funding_payment& x) {
  auto& [pair, asset, amount, rate, payment_time] = x;
  return f(caf::meta::type_name("funding_payment"), pair, asset, amount, rate, payment_time);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trading_pair& x) {
  std::string text = x.to_string();
  auto parse = caf::meta::load_callback([&x, &text]() -> caf::error {
    if (text.empty()) {
      x = trading_pair{};
      return caf::none;
    }
    auto parsed = trading_pair::parse(text);
    if (!parsed)
      return caf::make_error(caf::sec::invalid_argument);
    x = std::move(*parsed);
    return caf::none;
  });
  return f(caf::meta::type_name("trading_pair"), text, parse);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trading_rules& x) {
  auto& [tick_size, step_size, min_order_size, max_order_size, min_notional, quote_amount_step,
         supports_limit, supports_limit_maker, supports_market] = x;
  return f(caf::meta::type_name("trading_rules"), tick_size, step_size, min_order_size,
           wire::optional_field<decimal>{max_order_size}, wire::optional_field<decimal>{min_notional},
           wire::optional_field<decimal>{quote_amount_step}, supports_limit, supports_limit_maker,
           supports_market);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, instrument& x) {
  auto& [exchange, pair, kind, rules] = x;
  return f(caf::meta::type_name("instrument"), exchange, pair, wire::enum_field<market_kind>{kind},
           rules);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_intent& x) {
  auto& [pair, order_side, type, tif, price, amount, action] = x;
  return f(caf::meta::type_name("order_intent"), pair, wire::enum_field<side>{order_side},
           wire::enum_field<order_type>{type}, wire::enum_field<time_in_force>{tif}, price, amount,
           wire::enum_field<position_action>{action});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, place_reply& x) {
  auto& [client_order_id, refusal] = x;
  return f(caf::meta::type_name("place_reply"), client_order_id, refusal);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, command_reply& x) {
  auto& [ok, message] = x;
  return f(caf::meta::type_name("command_reply"), ok, message);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_notice& x) {
  auto& [account, pair, client_order_id, exchange_order_id, kind, state, order_side, price, amount,
         executed_base, executed_quote, fills, message, time] = x;
  return f(caf::meta::type_name("order_notice"), account, pair, client_order_id, exchange_order_id,
           wire::enum_field<order_notice_kind>{kind}, wire::enum_field<order_state>{state},
           wire::enum_field<side>{order_side}, price, amount, executed_base, executed_quote, fills,
           message, time);
}

namespace supervision {

constexpr health_state last_enumerator(health_state) noexcept { return health_state::failed; }
constexpr child_kind last_enumerator(child_kind) noexcept { return child_kind::supervisor; }

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, health_update& x) {
  auto& [state, reason, mailbox_size] = x;
  return f(caf::meta::type_name("health_update"), wire::enum_field<health_state>{state}, reason,
           mailbox_size);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, health_node& x) {
  auto& [name, kind, state, reason, restart, strategy, restarts, last_failure, last_failure_time,
         since, mailbox_size, children] = x;
  return f(caf::meta::type_name("health_node"), name, wire::enum_field<child_kind>{kind},
           wire::enum_field<health_state>{state}, reason, restart, strategy, restarts,
           last_failure, last_failure_time, since, mailbox_size, children);
}

} // namespace supervision

/// Registers Tern's type-ID block (below) with `cfg`; tern::runtime does this itself.
void register_message_types(caf::actor_system_config& cfg);

} // namespace tern

// -- type-ID block ---------------------------------------------------------------------------
// IDs count up from caf::first_custom_type_id (200) in the order listed: append new types at
// the end so existing IDs stay put. Standalone enums travel as CAF's plain underlying integer
// (CAF 0.17 gives enums no inspect hook); inside the structs above they are range-checked.

CAF_BEGIN_TYPE_ID_BLOCK(tern, caf::first_custom_type_id)

  CAF_ADD_TYPE_ID(tern, (tern::decimal))

  CAF_ADD_TYPE_ID(tern, (tern::side))
  CAF_ADD_TYPE_ID(tern, (tern::market_kind))
  CAF_ADD_TYPE_ID(tern, (tern::order_type))
  CAF_ADD_TYPE_ID(tern, (tern::time_in_force))
  CAF_ADD_TYPE_ID(tern, (tern::position_action))
  CAF_ADD_TYPE_ID(tern, (tern::position_mode))
  CAF_ADD_TYPE_ID(tern, (tern::position_side))
  CAF_ADD_TYPE_ID(tern, (tern::order_state))

  CAF_ADD_TYPE_ID(tern, (tern::price_level))
  CAF_ADD_TYPE_ID(tern, (tern::book_snapshot))
  CAF_ADD_TYPE_ID(tern, (tern::book_delta))
  CAF_ADD_TYPE_ID(tern, (tern::top_of_book))
  CAF_ADD_TYPE_ID(tern, (tern::trade))
  CAF_ADD_TYPE_ID(tern, (tern::order_update))
  CAF_ADD_TYPE_ID(tern, (tern::fee))
  CAF_ADD_TYPE_ID(tern, (tern::fill))
  CAF_ADD_TYPE_ID(tern, (tern::balance))
  CAF_ADD_TYPE_ID(tern, (tern::position))
  CAF_ADD_TYPE_ID(tern, (tern::funding_info))
  CAF_ADD_TYPE_ID(tern, (tern::funding_payment))

  // Batches: a depth query, a trade burst, reconciliation and account snapshots.
  CAF_ADD_TYPE_ID(tern, (std::vector<tern::price_level>))
  CAF_ADD_TYPE_ID(tern, (std::vector<tern::trade>))
  CAF_ADD_TYPE_ID(tern, (std::vector<tern::order_update>))
  CAF_ADD_TYPE_ID(tern, (std::vector<tern::fill>))
  CAF_ADD_TYPE_ID(tern, (std::vector<tern::balance>))
  CAF_ADD_TYPE_ID(tern, (std::vector<tern::position>))
  CAF_ADD_TYPE_ID(tern, (std::vector<tern::funding_payment>))

  // Atoms (at most 10 characters in CAF 0.17; they take no type ID). A request's reply type
  // is the event type it names. Where CAF already has an atom with the same text
  // (caf::subscribe_atom, caf::unsubscribe_atom) the alias below is the same type.
  /// (subscribe_atom, pair): start streaming a pair's book/trades to the sender.
  CAF_ADD_ATOM(tern, tern, subscribe_atom, "subscribe")
  /// (unsubscribe_atom, pair): stop streaming a pair to the sender.
  CAF_ADD_ATOM(tern, tern, unsubscribe_atom, "unsubscrib")
  /// (snapshot_atom, pair) -> book_snapshot: the current book of a pair.
  CAF_ADD_ATOM(tern, tern, snapshot_atom, "snapshot")
  /// (resync_atom, pair): drop a book and rebuild it from a fresh snapshot.
  CAF_ADD_ATOM(tern, tern, resync_atom, "resync")
  /// (place_atom, order request) -> order_update: submit an order.
  CAF_ADD_ATOM(tern, tern, place_atom, "place")
  /// (cancel_atom, pair, client_order_id) -> order_update: cancel one order.
  CAF_ADD_ATOM(tern, tern, cancel_atom, "cancel")
  /// (cancel_all_atom, pair) -> std::vector<order_update>: cancel every open order of a pair.
  CAF_ADD_ATOM(tern, tern, cancel_all_atom, "cancel_all")
  /// (reconcile_atom): compare tracked orders with the exchange and resolve in-flight ones.
  CAF_ADD_ATOM(tern, tern, reconcile_atom, "reconcile")
  /// (balances_atom) -> std::vector<balance>.
  CAF_ADD_ATOM(tern, tern, balances_atom, "balances")
  /// (positions_atom) -> std::vector<position>.
  CAF_ADD_ATOM(tern, tern, positions_atom, "positions")
  /// (health_atom) -> supervision::health_node: a supervisor's subtree as it last saw it. The
  /// tree is pushed upward on every change; this request is for tools and tests.
  CAF_ADD_ATOM(tern, tern, health_atom, "health")
  /// (register_atom, name, actor) / (lookup_atom, name): the actor directory.
  CAF_ADD_ATOM(tern, tern, register_atom, "register")
  CAF_ADD_ATOM(tern, tern, lookup_atom, "lookup")

  // Supervision: a child's state change pushed to its supervisor, a supervisor's subtree
  // pushed to its parent.
  CAF_ADD_TYPE_ID(tern, (tern::supervision::health_update))
  CAF_ADD_TYPE_ID(tern, (tern::supervision::health_node))
  /// (timer_atom, id): a supervisor's timer came due (restart backoff, stop timeout).
  CAF_ADD_ATOM(tern, tern, timer_atom, "timer")
  /// (restart_atom, path) -> bool: an operator asks the supervisor owning `path` (names
  /// joined by '/', relative to the receiver) to restart that child as if it had failed.
  CAF_ADD_ATOM(tern, tern, restart_atom, "restart")


  // The exchange API (actors/exchange_api.hpp): what strategies send and get back.
  CAF_ADD_TYPE_ID(tern, (tern::trading_pair))
  CAF_ADD_TYPE_ID(tern, (tern::trading_rules))
  CAF_ADD_TYPE_ID(tern, (tern::instrument))
  CAF_ADD_TYPE_ID(tern, (tern::order_intent))
  CAF_ADD_TYPE_ID(tern, (tern::place_reply))
  CAF_ADD_TYPE_ID(tern, (tern::command_reply))
  CAF_ADD_TYPE_ID(tern, (tern::order_notice))
  CAF_ADD_TYPE_ID(tern, (std::vector<tern::order_notice>))
  CAF_ADD_TYPE_ID(tern, (std::vector<tern::instrument>))
  /// (rules_atom, pair) -> instrument: a market's trading rules.
  CAF_ADD_ATOM(tern, tern, rules_atom, "rules")
  /// (leverage_atom, pair, int) -> command_reply: set a perpetual market's leverage.
  CAF_ADD_ATOM(tern, tern, leverage_atom, "leverage")
  /// (posmode_atom, position_mode) -> command_reply: set the account's position mode.
  CAF_ADD_ATOM(tern, tern, posmode_atom, "posmode")
  /// (orders_atom) -> std::vector<order_notice>: the account's open orders, as notices of kind
  /// `state`.
  CAF_ADD_ATOM(tern, tern, orders_atom, "orders")
  /// (funding_atom, pair) -> funding_info: a perpetual market's funding rate and next time.
  CAF_ADD_ATOM(tern, tern, funding_atom, "funding")
  /// (fundpaid_atom, pair, since unix ms) -> std::vector<funding_payment>: funding the account
  /// paid or received on a perpetual market since then, oldest first.
  CAF_ADD_ATOM(tern, tern, fundpaid_atom, "fundpaid")
  /// (ordstate_atom, std::vector<std::string> client order ids) -> std::vector<order_notice>:
  /// each known order as it stands now, final ones included, as a notice of kind `state` with
  /// every fill it had; ids the tracker does not know are left out. Lets a strategy catch up on
  /// notices a dropped link lost.
  CAF_ADD_ATOM(tern, tern, ordstate_atom, "ordstate")

CAF_END_TYPE_ID_BLOCK(tern)
