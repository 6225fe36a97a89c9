// The order tracker's placement, cancellation and stream paths. Reconciliation, polling,
// retention and restart are in order_tracker_reconcile.cpp.

#include "core/order_tracker.hpp"

#include <stdexcept>
#include <utility>

namespace tern {
namespace {

tracker_notice_kind notice_kind(order_event_kind kind) noexcept {
  switch (kind) {
    case order_event_kind::recovered: return tracker_notice_kind::recovered;
    case order_event_kind::created: return tracker_notice_kind::created;
    case order_event_kind::filled: return tracker_notice_kind::filled;
    case order_event_kind::completed: return tracker_notice_kind::completed;
    case order_event_kind::cancelled: return tracker_notice_kind::cancelled;
    case order_event_kind::failed: return tracker_notice_kind::failed;
  }
  return tracker_notice_kind::state;
}

std::string quoted(std::string_view text) {
  return "\"" + std::string{text} + "\"";
}

} // namespace

std::string_view to_string(tracker_notice_kind kind) noexcept {
  switch (kind) {
    case tracker_notice_kind::created: return "created";
    case tracker_notice_kind::filled: return "filled";
    case tracker_notice_kind::completed: return "completed";
    case tracker_notice_kind::cancelled: return "cancelled";
    case tracker_notice_kind::failed: return "failed";
    case tracker_notice_kind::recovered: return "recovered";
    case tracker_notice_kind::adopted: return "adopted";
    case tracker_notice_kind::state: return "state";
  }
  return "unknown";
}

std::string_view to_string(journal_entry::kind_type kind) noexcept {
  switch (kind) {
    case journal_entry::kind_type::intent: return "intent";
    case journal_entry::kind_type::state: return "state";
    case journal_entry::kind_type::fill: return "fill";
  }
  return "unknown";
}

order_update exchange_order::to_update() const {
  order_update update;
  update.pair = pair;
  update.client_order_id = client_order_id;
  update.exchange_order_id = exchange_order_id;
  update.new_state = state;
  update.update_time = update_time;
  update.error_code = end_code;
  update.error_message = end_reason;
  return update;
}

void tracker_result::append(tracker_result other) {
  auto move_all = [](auto& into, auto& from) {
    into.insert(into.end(), std::make_move_iterator(from.begin()),
                std::make_move_iterator(from.end()));
  };
  move_all(journal, other.journal);
  move_all(notices, other.notices);
  move_all(polls, other.polls);
  move_all(warnings, other.warnings);
}

order_tracker::order_tracker(order_tracker_options options) : options_(options) {}

// --- notices and journal -----------------------------------------------------------------------

namespace {

tracker_notice notice_of(const in_flight_order& order, tracker_notice_kind kind,
                         std::string message, timestamp now) {
  tracker_notice notice;
  notice.kind = kind;
  notice.pair = order.pair().to_string();
  notice.client_order_id = order.client_order_id();
  notice.exchange_order_id = order.exchange_order_id();
  notice.state = order.state();
  notice.order_side = order.order_side();
  notice.price = order.price();
  notice.amount = order.amount();
  notice.executed_base = order.executed_base();
  notice.executed_quote = order.executed_quote();
  notice.message = std::move(message);
  notice.time = now;
  return notice;
}

journal_entry entry_of(const in_flight_order& order, journal_entry::kind_type kind,
                       std::string note, timestamp now) {
  journal_entry entry;
  entry.kind = kind;
  entry.order = order.snapshot();
  entry.note = std::move(note);
  entry.time = now;
  return entry;
}

bool changed(const order_change& change) noexcept {
  return change.status == apply_status::applied || change.status == apply_status::overfill;
}

} // namespace

void order_tracker::record_change(tracked& entry, const order_change& change, timestamp now,
                                  tracker_result& result, std::string_view note) {
  const auto& order = entry.order;
  if (change.is_error()) {
    result.warnings.push_back("order " + quoted(order.client_order_id()) + ": "
                              + change.describe());
  }
  if (!changed(change)) return;
  std::string why = note.empty() ? change.message : std::string{note};
  result.journal.push_back(entry_of(order, journal_entry::kind_type::state, why, now));
  for (auto kind : change.events) {
    std::string message = kind == order_event_kind::failed
                              ? (order.error_message().empty() ? why : order.error_message())
                          : kind == order_event_kind::cancelled ? order.error_message()
                                                                : std::string{};
    result.notices.push_back(notice_of(order, notice_kind(kind), std::move(message), now));
  }
  if (change.events.empty() && change.from != change.to) {
    result.notices.push_back(notice_of(order, tracker_notice_kind::state, why, now));
  }
  after_change(entry, now);
  apply_held(entry, now, result);
}

void order_tracker::record_fill(tracked& entry, const fill& execution,
                                const order_change& change, timestamp now,
                                tracker_result& result) {
  const auto& order = entry.order;
  if (change.is_error()) {
    result.warnings.push_back("order " + quoted(order.client_order_id()) + ": "
                              + change.describe());
  }
  if (!changed(change)) return;
  auto journaled = entry_of(order, journal_entry::kind_type::fill, change.message, now);
  journaled.execution = execution;
  result.journal.push_back(std::move(journaled));
  for (auto kind : change.events) {
    auto notice = notice_of(order, notice_kind(kind), {}, now);
    if (kind == order_event_kind::filled) notice.fills.push_back(execution);
    result.notices.push_back(std::move(notice));
  }
  after_change(entry, now);
  apply_held(entry, now, result);
}

void order_tracker::after_change(tracked& entry, timestamp now) {
  const auto& order = entry.order;
  index_exchange_id(entry);
  if (order.state() != order_state::pending_create || !order.exchange_order_id().empty()) {
    entry.outcome_unknown = false;  // the exchange has shown the order: the outcome is known
    entry.restored = false;
  }
  if (order.state() != order_state::pending_cancel) entry.cancel_unknown = false;
  const bool settled = order.is_done() && !order.lost() && !order.completion_pending();
  if (!settled) {
    entry.final_at = {};
  } else if (entry.final_at == timestamp{}) {
    entry.final_at = now;
  }
  if (!order.completion_pending()) {
    entry.filled_at = {};
  } else if (entry.filled_at == timestamp{}) {
    entry.filled_at = now;
  }
}

void order_tracker::index_exchange_id(tracked& entry) {
  const auto& id = entry.order.exchange_order_id();
  if (!id.empty()) by_exchange_id_.insert_or_assign(id, entry.order.client_order_id());
}

// --- lookup and held events --------------------------------------------------------------------

order_tracker::tracked* order_tracker::lookup_client(std::string_view client_id) {
  if (client_id.empty()) return nullptr;
  auto it = orders_.find(client_id);
  return it == orders_.end() ? nullptr : &it->second;
}

order_tracker::tracked* order_tracker::lookup(std::string_view client_id,
                                              std::string_view exchange_id) {
  if (auto* entry = lookup_client(client_id)) return entry;
  if (exchange_id.empty()) return nullptr;
  auto it = by_exchange_id_.find(exchange_id);
  return it == by_exchange_id_.end() ? nullptr : lookup_client(it->second);
}

namespace {
std::string held_key(std::string_view client_id, std::string_view exchange_id) {
  // Exchange ids identify an order for certain; client ids only where the exchange keeps them.
  return exchange_id.empty() ? "c:" + std::string{client_id} : "x:" + std::string{exchange_id};
}
} // namespace

void order_tracker::hold(held_event event, tracker_result& result) {
  const auto& client_id = event.update ? event.update->client_order_id
                                       : event.execution->client_order_id;
  const auto& exchange_id = event.update ? event.update->exchange_order_id
                                         : event.execution->exchange_order_id;
  if (client_id.empty() && exchange_id.empty()) {
    result.warnings.push_back("an order event naming no order (no client or exchange id) was "
                              "ignored");
    return;
  }
  held_[held_key(client_id, exchange_id)].push_back(std::move(event));
}

std::size_t order_tracker::held_events() const noexcept {
  std::size_t count = 0;
  for (const auto& [key, events] : held_) count += events.size();
  return count;
}

void order_tracker::apply_held(tracked& entry, timestamp now, tracker_result& result) {
  if (held_.empty()) return;
  for (auto key : {held_key({}, entry.order.exchange_order_id()),
                   held_key(entry.order.client_order_id(), {})}) {
    if (key.size() == 2) continue;  // that id is not known
    auto it = held_.find(key);
    if (it == held_.end()) continue;
    auto events = std::move(it->second);
    held_.erase(it);
    for (auto& event : events) {
      if (event.update) {
        result.append(apply_update(*event.update, now));
      } else {
        result.append(apply_fill(*event.execution, now));
      }
    }
  }
}

tracker_result order_tracker::unknown_order(std::string_view client_id,
                                            std::string_view what) const {
  tracker_result result;
  result.warnings.push_back(std::string{what} + " for order " + quoted(client_id)
                            + ", which the tracker does not know, was ignored");
  return result;
}

// --- placement ---------------------------------------------------------------------------------

namespace {
/// An update the tracker makes itself (a rejection, a cancel request), or from an answer that
/// names the order only by the client id it was asked about.
order_update local_update(const in_flight_order& order, order_state state, timestamp now) {
  order_update update;
  update.pair = order.pair().to_string();
  update.client_order_id = order.client_order_id();
  update.new_state = state;
  update.update_time = now;
  return update;
}
} // namespace

void order_tracker::poll_now(tracked& entry, std::string reason, timestamp now,
                             tracker_result& result) const {
  result.polls.push_back(poll_for(entry, std::move(reason)));
  entry.last_poll = now;
}

expected<tracker_result, tracker_error> order_tracker::start(order_spec spec, timestamp now) {
  if (orders_.contains(spec.client_order_id)) {
    return unexpected{tracker_error{"client order id " + quoted(spec.client_order_id)
                                    + " is already tracked"}};
  }
  if (spec.creation_time == timestamp{}) spec.creation_time = now;
  try {
    tracked entry{in_flight_order{std::move(spec)}};
    entry.sent_at = now;
    tracker_result result;
    result.journal.push_back(
        entry_of(entry.order, journal_entry::kind_type::intent, "placing", now));
    auto id = entry.order.client_order_id();
    auto& stored = orders_.emplace(id, std::move(entry)).first->second;
    apply_held(stored, now, result);  // an event may have come before its order was known
    return result;
  } catch (const std::invalid_argument& error) {
    return unexpected{tracker_error{error.what()}};
  }
}

tracker_result order_tracker::place_acknowledged(std::string_view client_order_id,
                                                 const place_ack& ack, timestamp now) {
  auto* entry = lookup_client(client_order_id);
  if (entry == nullptr) return unknown_order(client_order_id, "a placement acknowledgement");
  entry->outcome_unknown = false;
  auto update = local_update(entry->order, ack.state,
                             ack.exchange_time == timestamp{} ? now : ack.exchange_time);
  update.exchange_order_id = ack.exchange_order_id;
  tracker_result result;
  auto change = entry->order.lost() ? entry->order.reconcile(update)
                                    : entry->order.apply_update(update);
  record_change(*entry, change, now, result, "acknowledged");
  for (const auto& execution : ack.fills) {
    auto filled = execution;
    if (filled.client_order_id.empty()) filled.client_order_id = std::string{client_order_id};
    result.append(apply_fill(filled, now));
  }
  return result;
}

tracker_result order_tracker::place_rejected(std::string_view client_order_id,
                                             std::string_view error_code,
                                             std::string_view reason, timestamp now) {
  auto* entry = lookup_client(client_order_id);
  if (entry == nullptr) return unknown_order(client_order_id, "a placement rejection");
  tracker_result result;
  const auto& order = entry->order;
  if (order.state() != order_state::pending_create || !order.exchange_order_id().empty()
      || !order.fills().empty()) {
    // The exchange has already shown this order (an id, a fill, a state): the rejection
    // contradicts the evidence, so the order is kept and its status asked for.
    result.warnings.push_back("order " + quoted(client_order_id) + " is "
                              + std::string{to_string(order.state())}
                              + " at the exchange; its rejection (" + std::string{reason}
                              + ") was not applied");
    poll_now(*entry, "rejected after the exchange showed the order", now, result);
    return result;
  }
  auto update = local_update(order, order_state::failed, now);
  update.error_code = std::string{error_code};
  update.error_message = std::string{reason};
  entry->outcome_unknown = false;
  record_change(*entry, entry->order.apply_update(update), now, result, reason);
  return result;
}

tracker_result order_tracker::place_unknown(std::string_view client_order_id,
                                            std::string_view reason, timestamp now) {
  auto* entry = lookup_client(client_order_id);
  if (entry == nullptr) return unknown_order(client_order_id, "an unknown placement outcome");
  tracker_result result;
  if (entry->order.state() != order_state::pending_create
      || !entry->order.exchange_order_id().empty()) {
    return result;  // a stream event has already told what happened
  }
  entry->outcome_unknown = true;
  result.journal.push_back(entry_of(entry->order, journal_entry::kind_type::state,
                                    "placement outcome unknown: " + std::string{reason}, now));
  poll_now(*entry, "placement outcome unknown: " + std::string{reason}, now, result);
  return result;
}

// --- cancellation ------------------------------------------------------------------------------

tracker_result order_tracker::cancel_requested(std::string_view client_order_id,
                                               timestamp now) {
  auto* entry = lookup_client(client_order_id);
  if (entry == nullptr) return unknown_order(client_order_id, "a cancel request");
  tracker_result result;
  if (!entry->order.is_open() || entry->order.state() == order_state::pending_cancel) {
    return result;
  }
  entry->before_cancel = entry->order.state();
  entry->cancel_sent_at = now;
  auto change = entry->order.apply_update(
      local_update(entry->order, order_state::pending_cancel, now));
  record_change(*entry, change, now, result, "cancel requested");
  return result;
}

tracker_result order_tracker::cancel_confirmed(std::string_view client_order_id,
                                               timestamp now) {
  auto* entry = lookup_client(client_order_id);
  if (entry == nullptr) return unknown_order(client_order_id, "a cancel confirmation");
  tracker_result result;
  entry->cancel_unknown = false;
  auto update = local_update(entry->order, order_state::cancelled, now);
  auto change = entry->order.lost() ? entry->order.reconcile(update)
                                    : entry->order.apply_update(update);
  record_change(*entry, change, now, result, "cancel confirmed");
  return result;
}

tracker_result order_tracker::cancel_not_found(std::string_view client_order_id,
                                               timestamp now) {
  auto* entry = lookup_client(client_order_id);
  if (entry == nullptr) return unknown_order(client_order_id, "a cancel's not-found answer");
  entry->cancel_unknown = false;
  auto result = not_found(*entry, now, "cancel");
  if (entry->order.is_open()) {
    poll_now(*entry, "cancel answered not found", now, result);
  }
  return result;
}

tracker_result order_tracker::cancel_refused(std::string_view client_order_id,
                                             std::string_view reason, timestamp now) {
  auto* entry = lookup_client(client_order_id);
  if (entry == nullptr) return unknown_order(client_order_id, "a cancel refusal");
  tracker_result result;
  entry->cancel_unknown = false;
  auto& order = entry->order;
  result.warnings.push_back("cancel of order " + quoted(client_order_id)
                            + " refused: " + std::string{reason});
  if (order.state() != order_state::pending_cancel) return result;
  if (entry->before_cancel == order_state::pending_create) {
    // Never acknowledged: whether it rests is not known, so it stays pending and is asked for.
    poll_now(*entry, "cancel refused before the acknowledgement", now, result);
    return result;
  }
  auto change = order.apply_update(local_update(order, order_state::open, now));
  record_change(*entry, change, now, result, "cancel refused: " + std::string{reason});
  return result;
}

tracker_result order_tracker::cancel_unknown(std::string_view client_order_id,
                                             std::string_view reason, timestamp now) {
  auto* entry = lookup_client(client_order_id);
  if (entry == nullptr) return unknown_order(client_order_id, "an unknown cancel outcome");
  tracker_result result;
  if (entry->order.state() != order_state::pending_cancel) return result;
  entry->cancel_unknown = true;
  poll_now(*entry, "cancel outcome unknown: " + std::string{reason}, now, result);
  return result;
}

// --- streams -----------------------------------------------------------------------------------

namespace {
/// States only the exchange reports: seeing one for a lost order proves it exists.
bool proves_existence(order_state state) noexcept {
  return state == order_state::open || state == order_state::partially_filled
         || state == order_state::filled || state == order_state::cancelled;
}
} // namespace

tracker_result order_tracker::apply_update(const order_update& update, timestamp now) {
  tracker_result result;
  auto* entry = lookup(update.client_order_id, update.exchange_order_id);
  if (entry == nullptr) {
    hold(held_event{update, std::nullopt, now}, result);
    return result;
  }
  auto& order = entry->order;
  // A lost order the exchange reports is found: the stream is the exchange speaking (§A6).
  auto change = order.lost() && proves_existence(update.new_state) ? order.reconcile(update)
                                                                   : order.apply_update(update);
  record_change(*entry, change, now, result);
  return result;
}

tracker_result order_tracker::apply_fill(const fill& execution, timestamp now) {
  tracker_result result;
  auto* entry = lookup(execution.client_order_id, execution.exchange_order_id);
  if (entry == nullptr) {
    hold(held_event{std::nullopt, execution, now}, result);
    return result;
  }
  auto change = entry->order.apply_fill(execution);
  record_fill(*entry, execution, change, now, result);
  return result;
}

} // namespace tern
