#pragma once

// One order from the moment a strategy asks for it until the exchange is done with it
// (../shared/reference/exchanges.md §A5, §A6, §A7). Pure: the actor that owns it feeds it
// updates and fills and publishes the events each call returns.
//
// State updates (apply_update). Rows are the current state, columns the reported one:
//
//   from \ to         pend_create open   part_filled pend_cancel cancelled filled failed
//   pending_create    same        yes    yes         yes         yes       yes    yes
//   open              stale       same   yes         yes         yes       yes    yes
//   partially_filled  stale       stale* same        yes         yes       yes    yes
//   pending_cancel    stale       yes    yes         same        yes       yes    yes
//   cancelled         stale       stale  stale       stale       same      yes    ILLEGAL
//   filled            stale       stale  stale       stale       ILLEGAL   same   ILLEGAL
//   failed            stale       recon  recon       recon       recon     recon  same
//
// Why:
// - pending_create reaches everything: an ack may be lost behind a fill or a cancel, and a
//   cancel may be requested before the ack (pending_cancel).
// - pending_cancel -> open is a rejected cancel (Binance PENDING_CANCEL -> OPEN); -> partially
//   filled and filled are executions racing the cancel.
// - failed is reachable from every open state: exchanges expire or reject live orders (Binance
//   EXPIRED, EXPIRED_IN_MATCH) and any open order can be declared lost (§A6).
// - "stale": a live state reported after a later stage was reached is an old message
//   overtaken by a newer one (a REST poll answered before a stream event). The state is kept
//   and the result says so; it is not an error.
// - (*) "open" for an order that has executed something is read as partially_filled first:
//   an ack that arrives after the first fill must not look like a regression.
// - cancelled -> filled is legal: the exchange is the source of truth and FILLED is terminal
//   there, so a FILLED report means the cancel lost the race (or was a local assumption).
//   filled -> cancelled is refused: a filled order cannot be cancelled.
// - failed moves only through `reconcile` ("recon"): an authoritative status query found an
//   order we had declared lost (or thought rejected). An ambiguous outcome is never a rejection
//   and lost orders come back; the ordinary update path cannot revive an order by accident.
//
// Fills (apply_fill) are exchange evidence and are never lost:
// - Every new trade id is applied in every state, final ones included (a fill racing a
//   cancel, a fill for a lost order); a repeated trade id counts once and reports duplicate.
// - A fill while pending_create or open moves the order to partially_filled (fill before ack).
// - A fill that brings executed base to the amount moves the order to filled from any state,
//   cancelled and failed included.
// - A fill that pushes executed above the amount is recorded and reported as overfill.
//
// Events (§A7) come back in each result: `created` once, before the order's first fill and on
// its first entry into open, partially_filled or filled (never for an order that only went to
// cancelled or failed); `filled` per new trade id; `completed` once, when the order is filled
// and its fills cover the amount (a FILLED update that outruns its fills defers it, and
// `finish_completion` forces it after the tracker's wait, §A5); `cancelled` and `failed` on
// entering those states; `recovered` first when a failed order comes back.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/events.hpp"
#include "core/order_change.hpp"
#include "core/order_state.hpp"
#include "core/trading_pair.hpp"
#include "core/types.hpp"

namespace tern {

/// What a strategy asked for: the immutable part of an in-flight order.
struct order_spec {
  std::string client_order_id;
  trading_pair pair;
  side order_side = side::buy;
  order_type type = order_type::limit;
  time_in_force tif = time_in_force::gtc;
  decimal price;  ///< limit price; zero for market orders
  decimal amount; ///< base amount
  position_action action = position_action::none;  ///< perpetuals only
  decimal leverage = decimal::from_integer(1);      ///< perpetuals only
  timestamp creation_time{};
};

/// Everything that defines an order's progress besides its fills: what the journal stores and
/// `in_flight_order::restore` rebuilds from (with the fills, which carry the executed amounts).
struct order_snapshot {
  order_spec spec;
  std::string exchange_order_id;
  order_state state = order_state::pending_create;
  decimal executed_base;
  decimal executed_quote;
  timestamp last_update_time{};
  std::string error_code;
  std::string error_message;
  int not_found_count = 0;
  bool lost = false;
  bool created_emitted = false;    ///< the created event was published
  bool completed_emitted = false;  ///< the completed event was published
};

class in_flight_order {
 public:
  /// §A6: an active order is declared lost when its not-found count exceeds this.
  static constexpr int lost_order_threshold = 3;

  /// Starts tracking in pending_create. Throws std::invalid_argument for an empty client id,
  /// an empty pair or a non-positive amount: orders are validated before they are tracked.
  explicit in_flight_order(order_spec spec);

  [[nodiscard]] const order_spec& spec() const noexcept { return spec_; }
  [[nodiscard]] const std::string& client_order_id() const noexcept {
    return spec_.client_order_id;
  }
  /// Empty until the exchange assigns one; learnt from the first update or fill carrying it.
  [[nodiscard]] const std::string& exchange_order_id() const noexcept { return exchange_order_id_; }
  [[nodiscard]] const trading_pair& pair() const noexcept { return spec_.pair; }
  [[nodiscard]] side order_side() const noexcept { return spec_.order_side; }
  [[nodiscard]] order_type type() const noexcept { return spec_.type; }
  [[nodiscard]] decimal price() const noexcept { return spec_.price; }
  [[nodiscard]] decimal amount() const noexcept { return spec_.amount; }

  [[nodiscard]] order_state state() const noexcept { return state_; }
  [[nodiscard]] decimal executed_base() const noexcept { return executed_base_; }
  [[nodiscard]] decimal executed_quote() const noexcept { return executed_quote_; }
  /// Amount not yet executed; zero once executed reaches the amount.
  [[nodiscard]] decimal remaining() const noexcept;
  /// Executed quote / executed base, rounded half-even; empty before the first fill.
  [[nodiscard]] std::optional<decimal> average_price() const;
  /// Fees paid, one entry per asset, sorted by asset.
  [[nodiscard]] const std::vector<fee>& fees() const noexcept { return fees_; }
  /// The total fee in `asset`; zero when none was charged in it.
  [[nodiscard]] decimal fee_paid(std::string_view asset) const noexcept;
  [[nodiscard]] const std::map<std::string, fill, std::less<>>& fills() const noexcept {
    return fills_;
  }
  [[nodiscard]] bool has_fill(std::string_view trade_id) const { return fills_.contains(trade_id); }

  [[nodiscard]] timestamp creation_time() const noexcept { return spec_.creation_time; }
  /// The latest time carried by an update or fill applied so far.
  [[nodiscard]] timestamp last_update_time() const noexcept { return last_update_time_; }
  [[nodiscard]] const std::string& error_code() const noexcept { return error_code_; }
  [[nodiscard]] const std::string& error_message() const noexcept { return error_message_; }

  [[nodiscard]] bool is_open() const noexcept { return tern::is_open(state_); }
  /// Final, or executed everything (§A5 is_done).
  [[nodiscard]] bool is_done() const noexcept { return is_final(state_) || is_fully_executed(); }
  [[nodiscard]] bool is_fully_executed() const noexcept { return executed_base_ >= spec_.amount; }
  /// Filled, but the completed event waits for fills to cover the amount.
  [[nodiscard]] bool completion_pending() const noexcept {
    return state_ == order_state::filled && !completed_emitted_;
  }
  /// Declared failed after too many not-found answers (§A6); cleared when it comes back.
  [[nodiscard]] bool lost() const noexcept { return lost_; }
  [[nodiscard]] int not_found_count() const noexcept { return not_found_count_; }

  /// Applies a state reported by a stream or decided locally (pending_cancel on a cancel
  /// request, failed on an explicit rejection). Follows the table above.
  order_change apply_update(const order_update& update);
  /// Applies the state an authoritative status query returned (reconciliation, lost-order
  /// polling). Like apply_update, and also revives a failed order (the "recon" cells).
  order_change reconcile(const order_update& update);
  /// Applies one execution. See the rules for fills above.
  order_change apply_fill(const fill& execution);
  /// Counts a status query that did not find the order. An open order whose count exceeds
  /// `lost_order_threshold` becomes failed and lost (event failed). Final orders only count.
  order_change record_not_found(timestamp when);
  /// The order's progress, for the journal.
  [[nodiscard]] order_snapshot snapshot() const;
  /// Rebuilds an order from its journaled snapshot and fills, emitting nothing: a restarted
  /// tracker continues where the journal left off. The executed amounts and fees are recomputed
  /// from the fills (the fills are the evidence); the snapshot's executed figures are ignored.
  /// Throws std::invalid_argument like the constructor, or when a fill names another order.
  [[nodiscard]] static in_flight_order restore(const order_snapshot& saved,
                                               const std::vector<fill>& fills);

  /// Emits the completed event of a filled order whose fills never covered the amount, once
  /// the tracker stops waiting for them (§A5: up to 5 s). Unchanged otherwise.
  order_change finish_completion(timestamp when);

 private:
  order_change update_state(const order_update& update, bool reconciled);
  order_change enter(order_state target, const order_update& update, order_change change);
  void revive(order_events& events);
  [[nodiscard]] std::string identity_problem(std::string_view client_id,
                                             std::string_view exchange_id,
                                             std::string_view pair) const;
  [[nodiscard]] std::string fill_identity_problem(const fill& execution) const;
  [[nodiscard]] std::string fill_problem(const fill& execution) const;
  [[nodiscard]] static std::string duplicate_message(const fill& recorded, const fill& repeat);
  void record(const fill& execution);
  void touch(timestamp when) noexcept;
  void emit_created(order_events& events);
  void emit_completed_if_covered(order_events& events);

  order_spec spec_;
  std::string exchange_order_id_;
  order_state state_ = order_state::pending_create;
  decimal executed_base_;
  decimal executed_quote_;
  std::vector<fee> fees_;
  std::map<std::string, fill, std::less<>> fills_;
  timestamp last_update_time_{};
  std::string error_code_;
  std::string error_message_;
  int not_found_count_ = 0;
  bool lost_ = false;
  bool created_emitted_ = false;
  bool completed_emitted_ = false;
};

} // namespace tern
