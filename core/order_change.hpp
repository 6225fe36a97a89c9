#pragma once

// What applying an update or a fill to an in-flight order did: the outcome, the states before
// and after, and the events (../shared/reference/exchanges.md §A7) the change implies, so the
// actor that owns the order publishes exactly those and nothing else.

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "core/order_state.hpp"

namespace tern {

/// An event a change of an order implies (§A7). `recovered` is Tern's own: a failed order that
/// reconciliation found alive or finished at the exchange, so consumers that dropped it on the
/// failure event take it back.
enum class order_event_kind : std::uint8_t {
  recovered, ///< a failed (lost) order turned out to exist; precedes the events below
  created,   ///< once per order, before its first fill: the exchange accepted it
  filled,    ///< once per new trade id
  completed, ///< once, when the order is filled and its fills cover the amount
  cancelled, ///< the order reached cancelled
  failed,    ///< the order reached failed: rejected, or declared lost (§A6)
};

[[nodiscard]] std::string_view to_string(order_event_kind kind) noexcept;

/// The events of one change, in the order they are to be published. No allocation: one change
/// implies at most recovered, created, filled, and one of completed/cancelled/failed.
class order_events {
 public:
  static constexpr std::size_t capacity = 6;

  order_events() = default;
  order_events(std::initializer_list<order_event_kind> kinds);

  void push_back(order_event_kind kind);
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] bool contains(order_event_kind kind) const noexcept;
  [[nodiscard]] const order_event_kind* begin() const noexcept { return kinds_.data(); }
  [[nodiscard]] const order_event_kind* end() const noexcept { return kinds_.data() + size_; }
  [[nodiscard]] order_event_kind operator[](std::size_t i) const noexcept { return kinds_[i]; }

  friend bool operator==(const order_events& a, const order_events& b) noexcept;

 private:
  std::array<order_event_kind, capacity> kinds_{};
  std::size_t size_ = 0;
};

/// The outcome of applying an update or a fill.
enum class apply_status : std::uint8_t {
  applied,            ///< the order changed (state, amounts, or a newly learnt exchange id)
  unchanged,          ///< nothing new: the same state reported again, or a not-found counted
  duplicate,          ///< a fill whose trade id was already applied; counted once
  stale,              ///< an update reporting an earlier stage than the order reached: messages
                      ///< arrived out of order; the state is kept
  illegal_transition, ///< an update contradicting the order's final state; the state is kept
  overfill,           ///< a fill pushing executed above the amount: recorded anyway (the
                      ///< exchange executed it), reported as an error
  mismatch,           ///< the update or fill names another order (ids, pair or side differ)
  invalid,            ///< a malformed fill (no trade id, non-positive price or amount)
};

[[nodiscard]] std::string_view to_string(apply_status status) noexcept;

/// What one call changed. For rejected updates `to` is the state the update asked for.
struct [[nodiscard]] order_change {
  apply_status status = apply_status::unchanged;
  order_state from = order_state::pending_create;
  order_state to = order_state::pending_create;
  order_events events;
  /// Why, for every status other than applied and unchanged; those two carry one only when
  /// there is something to tell (a lost order confirmed, a not-found counted, a forced
  /// completion).
  std::string message;

  /// True for the statuses that signal a bug or an inconsistency worth a warning: illegal
  /// transitions, overfills, mismatches and invalid fills. Stale and duplicate are expected
  /// races between the streams and polling.
  [[nodiscard]] bool is_error() const noexcept;
  /// One line for logs: "illegal_transition filled -> cancelled: <message>".
  [[nodiscard]] std::string describe() const;
};

/// How the state machine treats an update from one state to another.
enum class transition_rule : std::uint8_t {
  legal,          ///< the state changes
  same,           ///< the state is reported again
  stale,          ///< an earlier stage than reached: ignored
  illegal,        ///< contradicts a final outcome: refused with an error
  reconcile_only, ///< a failed order moves only on an authoritative status query (§A6)
};

/// The transition table of in_flight_order (documented there).
[[nodiscard]] transition_rule transition_rule_for(order_state from, order_state to) noexcept;

} // namespace tern
