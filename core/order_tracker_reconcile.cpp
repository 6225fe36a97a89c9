// The order tracker's reconciliation with the exchange (§A6), status polling, retention,
// restart from the journal, queries and reservations.

#include <algorithm>
#include <set>
#include <stdexcept>
#include <utility>

#include "core/order_tracker.hpp"
#include "core/trading_pair.hpp"

namespace tern {
namespace {

std::string quoted(std::string_view text) {
  return "\"" + std::string{text} + "\"";
}

bool since(timestamp now, timestamp then, std::chrono::nanoseconds interval) {
  return then != timestamp{} && now - then >= interval;
}

} // namespace

// --- status answers ----------------------------------------------------------------------------

tracker_result order_tracker::apply_status(const exchange_order& report, timestamp now) {
  auto* entry = lookup(report.client_order_id, report.exchange_order_id);
  if (entry == nullptr) return adopt(report, now);
  tracker_result result;
  auto update = report.to_update();
  if (update.client_order_id.empty()) update.client_order_id = entry->order.client_order_id();
  auto change = entry->order.reconcile(update);
  if (change.status == apply_status::unchanged && entry->restored) {
    entry->restored = false;  // seen at the exchange as the journal had it
  }
  entry->outcome_unknown = false;
  record_change(*entry, change, now, result, "status answer");
  if (report.executed_base > entry->order.executed_base()) {
    auto poll = poll_for(*entry, "the exchange reports " + report.executed_base.to_string()
                                     + " executed; fills cover "
                                     + entry->order.executed_base().to_string());
    poll.fetch_trades = true;
    result.polls.push_back(std::move(poll));
  }
  return result;
}

tracker_result order_tracker::status_not_found(std::string_view client_order_id,
                                               timestamp now) {
  auto* entry = lookup_client(client_order_id);
  if (entry == nullptr) return unknown_order(client_order_id, "a status not-found answer");
  if (!entry->order.lost()) return not_found(*entry, now, "status query");
  // §A6: a lost order leaves the lost list when the exchange answers not found.
  tracker_result result;
  order_update confirm;
  confirm.client_order_id = entry->order.client_order_id();
  confirm.new_state = order_state::failed;
  confirm.update_time = now;
  auto change = entry->order.reconcile(confirm);
  record_change(*entry, change, now, result, "lost order confirmed not found");
  return result;
}

tracker_result order_tracker::not_found(tracked& entry, timestamp now, std::string_view source) {
  tracker_result result;
  auto change = entry.order.record_not_found(now);
  auto note = std::string{source} + ": " + change.message;
  // A count that moved is journaled even when the state did not: a restart must not reset
  // the way to the §A6 threshold.
  if (change.status == apply_status::unchanged && entry.order.is_open()) {
    journal_entry counted;
    counted.kind = journal_entry::kind_type::state;
    counted.order = entry.order.snapshot();
    counted.note = note;
    counted.time = now;
    result.journal.push_back(std::move(counted));
    return result;
  }
  record_change(entry, change, now, result, note);
  return result;
}

// --- reconciliation ----------------------------------------------------------------------------

tracker_result order_tracker::adopt(const exchange_order& report, timestamp now) {
  tracker_result result;
  auto pair = trading_pair::parse(report.pair);
  const std::string name = !report.client_order_id.empty()
                               ? report.client_order_id
                               : "exchange-" + report.exchange_order_id;
  if (!pair || !report.amount.is_positive() || report.exchange_order_id.empty()
      || orders_.contains(name)) {
    result.warnings.push_back("exchange order " + quoted(report.exchange_order_id) + " ("
                              + quoted(report.client_order_id) + " on "
                              + quoted(report.pair) + ") cannot be adopted: "
                              + (!pair ? "its pair is not BASE-QUOTE"
                                 : !report.amount.is_positive() ? "its amount is not positive"
                                 : report.exchange_order_id.empty() ? "it has no exchange id"
                                                                    : "its client id is taken"));
    return result;
  }
  order_spec spec;
  spec.client_order_id = name;
  spec.pair = *pair;
  spec.order_side = report.order_side;
  spec.type = report.type;
  spec.price = report.price;
  spec.amount = report.amount;
  spec.creation_time = report.update_time == timestamp{} ? now : report.update_time;
  tracked entry{in_flight_order{std::move(spec)}};
  entry.adopted = true;
  entry.sent_at = now;
  auto update = report.to_update();
  update.client_order_id = name;
  auto change = entry.order.reconcile(update);
  auto& stored = orders_.emplace(name, std::move(entry)).first->second;
  index_exchange_id(stored);

  journal_entry intent;
  intent.kind = journal_entry::kind_type::intent;
  intent.order = stored.order.snapshot();
  intent.adopted = true;
  intent.note = "adopted: the exchange reports it " + std::string{to_string(report.state)};
  intent.time = now;
  result.journal.push_back(std::move(intent));

  tracker_notice notice;
  notice.kind = tracker_notice_kind::adopted;
  notice.pair = report.pair;
  notice.client_order_id = name;
  notice.exchange_order_id = report.exchange_order_id;
  notice.state = stored.order.state();
  notice.order_side = report.order_side;
  notice.price = report.price;
  notice.amount = report.amount;
  notice.message = "the exchange has an order the tracker did not know";
  notice.time = now;
  result.notices.push_back(std::move(notice));
  (void)change;  // the adopted notice stands for the created and state events
  after_change(stored, now);
  if (report.executed_base.is_positive()) {
    auto poll = poll_for(stored, "adopted with " + report.executed_base.to_string()
                                     + " executed");
    poll.fetch_trades = true;
    result.polls.push_back(std::move(poll));
  }
  apply_held(stored, now, result);
  return result;
}

tracker_result order_tracker::reconcile_open_orders(const std::vector<exchange_order>& open,
                                                    const std::vector<std::string>& pairs,
                                                    timestamp as_of, timestamp now) {
  tracker_result result;
  std::set<std::string, std::less<>> seen;
  for (const auto& report : open) {
    result.append(apply_status(report, now));
    if (const auto* entry = lookup(report.client_order_id, report.exchange_order_id)) {
      seen.insert(entry->order.client_order_id());
    }
  }
  auto covered = [&pairs](const in_flight_order& order) {
    return pairs.empty()
           || std::find(pairs.begin(), pairs.end(), order.pair().to_string()) != pairs.end();
  };
  std::vector<std::string> missing;
  for (const auto& [id, entry] : orders_) {
    // An order sent after the list was taken cannot be in it.
    if (entry.order.is_open() && !seen.contains(id) && covered(entry.order)
        && entry.sent_at < as_of) {
      missing.push_back(id);
    }
  }
  for (const auto& id : missing) {
    auto& entry = orders_.at(id);
    result.append(not_found(entry, now, "absent from the open orders"));
    if (entry.order.is_open()) {
      result.polls.push_back(poll_for(entry, "absent from the exchange's open orders"));
      entry.last_poll = now;
    }
  }
  return result;
}

tracker_result order_tracker::apply_trades(const std::vector<fill>& trades, timestamp now) {
  tracker_result result;
  for (const auto& execution : trades) result.append(apply_fill(execution, now));
  return result;
}

// --- polling, time, retention ------------------------------------------------------------------

poll_request order_tracker::poll_for(const tracked& entry, std::string reason) const {
  poll_request poll;
  poll.client_order_id = entry.order.client_order_id();
  poll.exchange_order_id = entry.order.exchange_order_id();
  poll.pair = entry.order.pair().to_string();
  poll.reason = std::move(reason);
  poll.fetch_trades = entry.order.completion_pending();
  return poll;
}

std::optional<std::string> order_tracker::poll_reason(const tracked& entry,
                                                      timestamp now) const {
  const auto& order = entry.order;
  if (entry.outcome_unknown) return "placement outcome unknown";
  if (order.lost()) return "lost (§A6): does it exist after all?";
  if (entry.restored && order.is_open()) return "restored from the journal";
  if (order.state() == order_state::pending_create && since(now, entry.sent_at,
                                                            options_.ack_timeout)) {
    return "no acknowledgement yet";
  }
  if (entry.cancel_unknown) return "cancel outcome unknown";
  if (order.state() == order_state::pending_cancel
      && since(now, entry.cancel_sent_at, options_.cancel_timeout)) {
    return "cancel not confirmed yet";
  }
  if (order.completion_pending()) return "filled, fills missing";
  return std::nullopt;
}

std::vector<poll_request> order_tracker::due_polls(timestamp now) {
  std::vector<poll_request> polls;
  for (auto& [id, entry] : orders_) {
    auto reason = poll_reason(entry, now);
    if (!reason) continue;
    if (entry.last_poll != timestamp{} && now - entry.last_poll < options_.poll_interval) {
      continue;
    }
    polls.push_back(poll_for(entry, std::move(*reason)));
    entry.last_poll = now;
  }
  return polls;
}

tracker_result order_tracker::tick(timestamp now) {
  tracker_result result;
  std::vector<std::pair<timestamp, std::string>> settled;
  for (auto& [id, entry] : orders_) {
    if (entry.order.completion_pending()
        && since(now, entry.filled_at, options_.completion_wait)) {
      record_change(entry, entry.order.finish_completion(now), now, result);
    }
    if (entry.final_at != timestamp{}) settled.emplace_back(entry.final_at, id);
  }
  std::sort(settled.begin(), settled.end());
  const auto over_limit = settled.size() > options_.retention_limit
                              ? settled.size() - options_.retention_limit
                              : std::size_t{0};
  for (std::size_t i = 0; i < settled.size(); ++i) {
    if (i < over_limit || now - settled[i].first >= options_.retention) forget(settled[i].second);
  }
  for (auto it = held_.begin(); it != held_.end();) {
    auto& events = it->second;
    auto expired = std::remove_if(events.begin(), events.end(), [&](const held_event& event) {
      return now - event.received >= options_.held_event_ttl;
    });
    if (expired != events.end()) {
      result.warnings.push_back(std::to_string(events.end() - expired)
                                + " event(s) for unknown order " + it->first.substr(2)
                                + " expired unmatched");
      events.erase(expired, events.end());
    }
    it = events.empty() ? held_.erase(it) : std::next(it);
  }
  return result;
}

void order_tracker::forget(const std::string& client_id) {
  auto it = orders_.find(client_id);
  if (it == orders_.end()) return;
  const auto& exchange_id = it->second.order.exchange_order_id();
  if (auto indexed = by_exchange_id_.find(exchange_id);
      indexed != by_exchange_id_.end() && indexed->second == client_id) {
    by_exchange_id_.erase(indexed);
  }
  orders_.erase(it);
}

// --- restart -----------------------------------------------------------------------------------

tracker_result order_tracker::restore(const std::vector<journaled_order>& orders,
                                      timestamp now) {
  tracker_result result;
  for (const auto& saved : orders) {
    const auto& id = saved.order.spec.client_order_id;
    if (orders_.contains(id)) {
      result.warnings.push_back("journal order " + quoted(id) + " is already tracked");
      continue;
    }
    try {
      tracked entry{in_flight_order::restore(saved.order, saved.fills)};
      entry.adopted = saved.adopted;
      entry.restored = entry.order.is_open();
      entry.sent_at = saved.order.spec.creation_time;
      auto& stored = orders_.emplace(id, std::move(entry)).first->second;
      after_change(stored, now);
      stored.restored = stored.order.is_open();
      if (auto reason = poll_reason(stored, now)) {
        result.polls.push_back(poll_for(stored, std::move(*reason)));
        stored.last_poll = now;
      }
    } catch (const std::invalid_argument& error) {
      result.warnings.push_back("journal order " + quoted(id) + " cannot be restored: "
                                + error.what());
    }
  }
  return result;
}

// --- queries -----------------------------------------------------------------------------------

const in_flight_order* order_tracker::find(std::string_view client_order_id) const {
  auto it = orders_.find(client_order_id);
  return it == orders_.end() ? nullptr : &it->second.order;
}

const in_flight_order* order_tracker::find_by_exchange_id(std::string_view exchange_id) const {
  auto it = by_exchange_id_.find(exchange_id);
  return it == by_exchange_id_.end() ? nullptr : find(it->second);
}

template <class Predicate>
std::vector<const in_flight_order*> order_tracker::select(Predicate keep) const {
  std::vector<const in_flight_order*> result;
  for (const auto& [id, entry] : orders_) {
    if (keep(entry)) result.push_back(&entry.order);
  }
  return result;
}

std::vector<const in_flight_order*> order_tracker::open_orders() const {
  return select([](const tracked& entry) { return entry.order.is_open(); });
}

std::vector<const in_flight_order*> order_tracker::lost_orders() const {
  return select([](const tracked& entry) { return entry.order.lost(); });
}

std::vector<const in_flight_order*> order_tracker::completed_orders() const {
  return select([](const tracked& entry) {
    return !entry.order.is_open() && !entry.order.lost();
  });
}

std::vector<const in_flight_order*> order_tracker::unknown_outcomes() const {
  return select([](const tracked& entry) { return entry.outcome_unknown; });
}

// --- reservations and budget -------------------------------------------------------------------

asset_amounts order_tracker::reserved(bool unconfirmed_only) const {
  asset_amounts locked;
  for (const auto& [id, entry] : orders_) {
    const auto& order = entry.order;
    if (!order.is_open()) continue;
    if (unconfirmed_only && order.state() != order_state::pending_create) continue;
    const auto& spec = order.spec();
    budget_request request;
    request.pair = spec.pair.to_string();
    request.order_side = spec.order_side;
    request.price = spec.price;
    request.amount = order.remaining();
    request.action = spec.action;
    request.leverage = spec.leverage;
    auto needed = budget_requirement_for(request);
    if (needed && !needed->asset.empty()) locked[needed->asset] += needed->amount;
  }
  return locked;
}

expected<budget_requirement, budget_refusal> order_tracker::check_budget(
    const budget_request& request) const {
  return balances_.check(request, reserved(true));
}

} // namespace tern
