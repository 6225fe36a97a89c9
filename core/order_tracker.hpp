#pragma once

// All in-flight orders of one exchange account (../shared/reference/exchanges.md §A5, §A6,
// §A7), indexed by client and exchange order id. Pure: no I/O, no clock; every call takes the
// time and returns what changed as plain values, which the tracker actor publishes (notices)
// and writes to the order journal (journal entries) BEFORE it acts on anything else.
//
// The calls map one to one onto what the account's actors say:
//   order_record_request          -> start
//   place_outcome acknowledged    -> place_acknowledged
//   place_outcome rejected        -> place_rejected
//   place_outcome unknown         -> place_unknown
//   (cancel sent)                 -> cancel_requested
//   cancel_outcome confirmed      -> apply_status (the report) or cancel_confirmed
//   cancel_outcome not_found      -> cancel_not_found
//   cancel_outcome refused        -> cancel_refused
//   cancel_outcome unknown        -> cancel_unknown
//   private_batch order_update    -> apply_update
//   private_batch fill            -> apply_fill
//   private_batch balance         -> balances().apply (core/balance_sheet.hpp)
//   private_batch position        -> positions().apply
//   open-orders answer            -> reconcile_open_orders
//   order-status answer           -> apply_status / status_not_found
//   trades-since answer           -> apply_trades
//   poll timer                    -> due_polls, then tick
//
// Rules the tracker adds to in_flight_order's:
// - An ambiguous placement (place_unknown) is never a rejection: the order stays
//   pending_create and is polled until a status answer settles it, or until the not-found
//   count passes the threshold and it fails as lost (§A6).
// - A definite rejection of an order the exchange has already shown signs of (a fill, an
//   exchange id) is contradicted by that evidence: it is refused with a warning and polled.
// - An update or fill naming only an exchange order id the tracker does not know yet (it
//   arrived before the place ack) is held, and applied when an ack, status answer or adoption
//   teaches the tracker that id. Held events expire after `held_event_ttl` with a warning.
// - Orders the exchange lists as open but the tracker does not know are adopted (tracked from
//   then on, notice `adopted`). Orders the tracker has as open and the exchange does not list
//   count one not-found each (§A6) and are polled for status.
// - Final orders stay indexed for `retention` (default 30 s, at most `retention_limit`) so late
//   fills and updates still apply (§A5), then are forgotten (the journal keeps them).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/balance_sheet.hpp"
#include "core/decimal.hpp"
#include "core/events.hpp"
#include "core/expected.hpp"
#include "core/in_flight_order.hpp"
#include "core/order_change.hpp"
#include "core/order_state.hpp"
#include "core/types.hpp"

namespace tern {

/// The exchange's answer to a placement, in core terms (connectors/common/tracker_inputs.hpp
/// converts an order_ack).
struct place_ack {
  std::string exchange_order_id;
  order_state state = order_state::open;  ///< open unless the response says more
  timestamp exchange_time{};
  std::vector<fill> fills;  ///< executions carried in the response
};

/// An order as the exchange reports it: a status answer, an open-orders entry, a cancel
/// response (connectors/common/tracker_inputs.hpp converts an order_report).
struct exchange_order {
  std::string pair;
  std::string client_order_id;
  std::string exchange_order_id;
  order_state state = order_state::open;
  side order_side = side::buy;
  order_type type = order_type::limit;
  decimal price;
  decimal amount;
  decimal executed_base;
  decimal executed_quote;
  timestamp update_time{};
  /// Why the exchange ended the order, where it says (OKX cancelSource): a code and its
  /// meaning; empty otherwise. Carried into the cancelled or failed notice.
  std::string end_code;
  std::string end_reason;
  /// The report as an order update (for in_flight_order::reconcile).
  [[nodiscard]] order_update to_update() const;
};

/// What happened to an order, for subscribers. Mirrors order_notice_kind of the actors.
enum class tracker_notice_kind : std::uint8_t {
  created,
  filled,
  completed,
  cancelled,
  failed,
  recovered,
  adopted,  ///< the exchange has an order the tracker did not know: now tracked
  state,    ///< a state change with no event of its own (pending_cancel, back to open)
};

[[nodiscard]] std::string_view to_string(tracker_notice_kind kind) noexcept;

/// One notice: the event, and the order as it stands after the change.
struct tracker_notice {
  tracker_notice_kind kind = tracker_notice_kind::state;
  std::string pair;
  std::string client_order_id;
  std::string exchange_order_id;
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

/// One record for the order journal. `order` is the order after the change, always set.
struct journal_entry {
  enum class kind_type : std::uint8_t {
    intent,  ///< a new order: written before the request is sent (or on adoption)
    state,   ///< the order changed (state, exchange id, not-found count, error)
    fill,    ///< a new execution; `execution` holds it (and `order` the totals after it)
  };
  kind_type kind = kind_type::state;
  order_snapshot order;
  fill execution;
  bool adopted = false;  ///< intent of an order found at the exchange, not placed by us
  std::string note;      ///< why, for the history (rejection reason, "not found 2 of 3")
  timestamp time{};
};

[[nodiscard]] std::string_view to_string(journal_entry::kind_type kind) noexcept;

/// A status query the actor should send: which order, and why.
struct poll_request {
  std::string client_order_id;
  std::string exchange_order_id;  ///< empty when the exchange has not named the order
  std::string pair;
  std::string reason;  ///< "placement outcome unknown", "lost (§A6)", ...
  /// Also fetch the order's trades: the exchange reports more executed than the fills seen
  /// (a FILLED report that outran its fills, an adopted partially filled order).
  bool fetch_trades = false;
};

/// Everything one call changed. Journal first, then notices: the actor writes `journal` and
/// only then publishes `notices` and acts on `polls`.
struct [[nodiscard]] tracker_result {
  std::vector<journal_entry> journal;
  std::vector<tracker_notice> notices;
  std::vector<poll_request> polls;    ///< status queries to send now
  std::vector<std::string> warnings;  ///< inconsistencies worth a log line (not errors of ours)
  [[nodiscard]] bool empty() const noexcept {
    return journal.empty() && notices.empty() && polls.empty() && warnings.empty();
  }
  /// Appends another result (used when one input causes several changes).
  void append(tracker_result other);
};

/// Why an order could not be started.
struct tracker_error {
  std::string message;
};

/// An order as the journal restores it: its snapshot and its fills.
struct journaled_order {
  order_snapshot order;
  std::vector<fill> fills;
  bool adopted = false;
};

struct order_tracker_options {
  /// How long to wait for the exchange id after sending before polling (§A5: 10 s).
  std::chrono::nanoseconds ack_timeout = std::chrono::seconds{10};
  /// The least time between two status polls of one order (§A6 lost orders: 5 s).
  std::chrono::nanoseconds poll_interval = std::chrono::seconds{5};
  /// How long a pending_cancel may wait for its confirmation before it is polled.
  std::chrono::nanoseconds cancel_timeout = std::chrono::seconds{10};
  /// How long a filled order waits for its fills before completion is forced (§A5: 5 s).
  std::chrono::nanoseconds completion_wait = std::chrono::seconds{5};
  /// How long final orders stay indexed for late fills (§A5: 30 s, at most 1000).
  std::chrono::nanoseconds retention = std::chrono::seconds{30};
  std::size_t retention_limit = 1000;
  /// How long an event for an unknown exchange order id is held.
  std::chrono::nanoseconds held_event_ttl = std::chrono::minutes{5};
};

/// The orders of one account. See the top of this file.
class order_tracker {
 public:
  explicit order_tracker(order_tracker_options options = {});

  // --- placement -----------------------------------------------------------------------------
  /// Tracks a new order (pending_create) and returns its intent record, to be journaled before
  /// the request is sent. Refuses a client id already tracked, and an invalid spec.
  expected<tracker_result, tracker_error> start(order_spec spec, timestamp now);
  /// The exchange took the order: learn its id, apply the reported state and the fills carried
  /// in the response, then any events held for that id.
  tracker_result place_acknowledged(std::string_view client_order_id, const place_ack& ack,
                                    timestamp now);
  /// The exchange definitely refused the order: failed with the reason.
  tracker_result place_rejected(std::string_view client_order_id, std::string_view error_code,
                                std::string_view reason, timestamp now);
  /// The answer was lost (timeout, 5xx, disconnect): stays in flight and is polled.
  tracker_result place_unknown(std::string_view client_order_id, std::string_view reason,
                               timestamp now);

  // --- cancellation --------------------------------------------------------------------------
  /// A cancel was sent: pending_cancel.
  tracker_result cancel_requested(std::string_view client_order_id, timestamp now);
  /// The exchange confirmed the cancel (synchronous cancels): cancelled, unless it had filled.
  tracker_result cancel_confirmed(std::string_view client_order_id, timestamp now);
  /// The exchange does not know the order: one not-found (§A6), and a status poll.
  tracker_result cancel_not_found(std::string_view client_order_id, timestamp now);
  /// A definite refusal other than not-found: the order goes back to its state before.
  tracker_result cancel_refused(std::string_view client_order_id, std::string_view reason,
                                timestamp now);
  /// The cancel's answer was lost: stays pending_cancel and is polled.
  tracker_result cancel_unknown(std::string_view client_order_id, std::string_view reason,
                                timestamp now);

  // --- streams -------------------------------------------------------------------------------
  /// An order update from the private stream, matched by client id, else exchange id; held
  /// when only an exchange id the tracker does not know yet names it.
  tracker_result apply_update(const order_update& update, timestamp now);
  /// A fill from the private stream (or a REST trade), de-duplicated by trade id.
  tracker_result apply_fill(const fill& execution, timestamp now);

  // --- reconciliation ------------------------------------------------------------------------
  /// An authoritative status answer (order-status query, cancel response): reconciles the
  /// order (reviving a lost one), or adopts it when the tracker does not know it.
  tracker_result apply_status(const exchange_order& report, timestamp now);
  /// A status query found no such order: one not-found (§A6). A lost order leaves the lost
  /// list: the exchange confirms it never existed.
  tracker_result status_not_found(std::string_view client_order_id, timestamp now);
  /// The exchange's open orders as of `as_of` (on the markets in `pairs`, or all markets when
  /// empty): reports apply, unknown orders are adopted, tracked open orders created before
  /// `as_of` and missing from the list count one not-found and are polled.
  tracker_result reconcile_open_orders(const std::vector<exchange_order>& open,
                                       const std::vector<std::string>& pairs, timestamp as_of,
                                       timestamp now);
  /// The account's trades since some time (missed fills after a disconnect): each applies as
  /// a fill; trades of orders the tracker does not know are reported as warnings.
  tracker_result apply_trades(const std::vector<fill>& trades, timestamp now);

  // --- time ----------------------------------------------------------------------------------
  /// Status queries due now (placement unknown, ack overdue, cancel overdue, lost, fills
  /// missing after a FILLED report), each order at most once per poll_interval.
  std::vector<poll_request> due_polls(timestamp now);
  /// Forces overdue completions, forgets final orders past retention, expires held events.
  tracker_result tick(timestamp now);

  // --- restart -------------------------------------------------------------------------------
  /// Rebuilds the tracker from the journal (order_journal::load). Emits nothing but the polls
  /// of every open order, which the actor follows with a full reconciliation.
  tracker_result restore(const std::vector<journaled_order>& orders, timestamp now);

  // --- queries -------------------------------------------------------------------------------
  [[nodiscard]] const in_flight_order* find(std::string_view client_order_id) const;
  [[nodiscard]] const in_flight_order* find_by_exchange_id(std::string_view exchange_id) const;
  /// Open orders (pending_create, open, partially_filled, pending_cancel), by client id.
  [[nodiscard]] std::vector<const in_flight_order*> open_orders() const;
  /// Orders declared lost and still watched (§A6).
  [[nodiscard]] std::vector<const in_flight_order*> lost_orders() const;
  /// Final orders still retained for late fills.
  [[nodiscard]] std::vector<const in_flight_order*> completed_orders() const;
  /// Orders whose placement outcome is unknown.
  [[nodiscard]] std::vector<const in_flight_order*> unknown_outcomes() const;
  [[nodiscard]] std::size_t size() const noexcept { return orders_.size(); }
  /// Events held for exchange ids not known yet.
  [[nodiscard]] std::size_t held_events() const noexcept;

  /// Balances and positions of the account, and the budget check (core/balance_sheet.hpp).
  [[nodiscard]] balance_sheet& balances() noexcept { return balances_; }
  [[nodiscard]] const balance_sheet& balances() const noexcept { return balances_; }
  /// What the open orders lock (§A16), per asset, without fees: buys the remaining quote
  /// value, sells the remaining base, perpetual opens the value / leverage in the quote asset,
  /// closes nothing. Market orders (no price) lock nothing countable. With `unconfirmed_only`,
  /// only orders still pending_create: the exchange's available balance does not yet reflect
  /// them.
  [[nodiscard]] asset_amounts reserved(bool unconfirmed_only = false) const;
  /// The budget check (§A16): would `request` fit the available balance, less what orders the
  /// exchange has not yet acknowledged will lock? The refusal names the asset and the figures.
  [[nodiscard]] expected<budget_requirement, budget_refusal> check_budget(
      const budget_request& request) const;

 private:
  struct tracked {
    in_flight_order order;
    bool adopted = false;
    bool outcome_unknown = false;  ///< the placement's answer was lost
    bool cancel_unknown = false;   ///< the cancel's answer was lost
    bool restored = false;         ///< rebuilt from the journal, not yet seen at the exchange
    order_state before_cancel = order_state::open;
    timestamp sent_at{};
    timestamp cancel_sent_at{};
    timestamp last_poll{};
    timestamp final_at{};   ///< when it became final and not lost (retention starts)
    timestamp filled_at{};  ///< when it reached filled with fills missing
  };
  struct held_event {
    std::optional<order_update> update;
    std::optional<fill> execution;
    timestamp received{};
  };

  tracked* lookup(std::string_view client_id, std::string_view exchange_id);
  tracked* lookup_client(std::string_view client_id);
  void index_exchange_id(tracked& entry);
  void record_change(tracked& entry, const order_change& change, timestamp now,
                     tracker_result& result, std::string_view note = {});
  void record_fill(tracked& entry, const fill& execution, const order_change& change,
                   timestamp now, tracker_result& result);
  void after_change(tracked& entry, timestamp now);
  void apply_held(tracked& entry, timestamp now, tracker_result& result);
  void hold(held_event event, tracker_result& result);
  tracker_result adopt(const exchange_order& report, timestamp now);
  tracker_result not_found(tracked& entry, timestamp now, std::string_view source);
  tracker_result unknown_order(std::string_view client_id, std::string_view what) const;
  void forget(const std::string& client_id);
  [[nodiscard]] poll_request poll_for(const tracked& entry, std::string reason) const;
  void poll_now(tracked& entry, std::string reason, timestamp now, tracker_result& result) const;
  [[nodiscard]] std::optional<std::string> poll_reason(const tracked& entry,
                                                       timestamp now) const;
  template <class Predicate>
  [[nodiscard]] std::vector<const in_flight_order*> select(Predicate keep) const;

  order_tracker_options options_;
  std::map<std::string, tracked, std::less<>> orders_;  // by client order id
  std::map<std::string, std::string, std::less<>> by_exchange_id_;
  std::map<std::string, std::vector<held_event>, std::less<>> held_;  // by exchange id
  balance_sheet balances_;
};

} // namespace tern
