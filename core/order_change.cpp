#include "core/order_change.hpp"

#include <algorithm>
#include <stdexcept>

namespace tern {

std::string_view to_string(order_event_kind kind) noexcept {
  switch (kind) {
    case order_event_kind::recovered: return "recovered";
    case order_event_kind::created: return "created";
    case order_event_kind::filled: return "filled";
    case order_event_kind::completed: return "completed";
    case order_event_kind::cancelled: return "cancelled";
    case order_event_kind::failed: return "failed";
  }
  return "unknown";
}

order_events::order_events(std::initializer_list<order_event_kind> kinds) {
  for (auto kind : kinds) push_back(kind);
}

void order_events::push_back(order_event_kind kind) {
  // The state machine never produces more than four; more is a bug in it.
  if (size_ == capacity) throw std::logic_error("order_events: capacity exceeded");
  kinds_[size_++] = kind;
}

bool order_events::contains(order_event_kind kind) const noexcept {
  return std::find(begin(), end(), kind) != end();
}

bool operator==(const order_events& a, const order_events& b) noexcept {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

std::string_view to_string(apply_status status) noexcept {
  switch (status) {
    case apply_status::applied: return "applied";
    case apply_status::unchanged: return "unchanged";
    case apply_status::duplicate: return "duplicate";
    case apply_status::stale: return "stale";
    case apply_status::illegal_transition: return "illegal_transition";
    case apply_status::overfill: return "overfill";
    case apply_status::mismatch: return "mismatch";
    case apply_status::invalid: return "invalid";
  }
  return "unknown";
}

bool order_change::is_error() const noexcept {
  return status == apply_status::illegal_transition || status == apply_status::overfill
         || status == apply_status::mismatch || status == apply_status::invalid;
}

std::string order_change::describe() const {
  std::string text{to_string(status)};
  text += ' ';
  text += to_string(from);
  text += " -> ";
  text += to_string(to);
  if (!message.empty()) text += ": " + message;
  return text;
}

namespace {

constexpr auto L = transition_rule::legal;
constexpr auto S = transition_rule::same;
constexpr auto O = transition_rule::stale;
constexpr auto X = transition_rule::illegal;
constexpr auto R = transition_rule::reconcile_only;

constexpr std::size_t state_count = 7;

constexpr std::size_t index_of(order_state state) noexcept {
  switch (state) {
    case order_state::pending_create: return 0;
    case order_state::open: return 1;
    case order_state::partially_filled: return 2;
    case order_state::pending_cancel: return 3;
    case order_state::cancelled: return 4;
    case order_state::filled: return 5;
    case order_state::failed: return 6;
  }
  return state_count;
}

// Rows: from; columns: to, both in the order pending_create, open, partially_filled,
// pending_cancel, cancelled, filled, failed. The same table, with the reasons, is in
// in_flight_order.hpp.
constexpr transition_rule table[state_count][state_count] = {
    /* pending_create   */ {S, L, L, L, L, L, L},
    /* open             */ {O, S, L, L, L, L, L},
    /* partially_filled */ {O, O, S, L, L, L, L},
    /* pending_cancel   */ {O, L, L, S, L, L, L},
    /* cancelled        */ {O, O, O, O, S, L, X},
    /* filled           */ {O, O, O, O, X, S, X},
    /* failed           */ {O, R, R, R, R, R, S},
};

} // namespace

transition_rule transition_rule_for(order_state from, order_state to) noexcept {
  auto row = index_of(from);
  auto column = index_of(to);
  if (row == state_count || column == state_count) return transition_rule::illegal;
  return table[row][column];
}

} // namespace tern
