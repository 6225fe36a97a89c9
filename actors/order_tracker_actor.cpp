#include "actors/order_tracker_actor.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <system_error>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/account_messages.hpp"
#include "actors/rest_caller.hpp"
#include "connectors/common/tracker_inputs.hpp"
#include "core/order_tracker.hpp"
#include "journal/order_journal.hpp"
#include "supervision/supervisor.hpp"

namespace tern {
namespace {

using supervision::health_state;

constexpr std::uint64_t status_timer = 1;
constexpr std::uint64_t reconcile_timer = 2;
constexpr std::uint64_t flush_timer = 3;
/// An intent written ahead reaches SQLite with the tracker's next journal write, in the same
/// transaction: normally the placement's answer, after the request has left, so nothing is
/// written to SQLite while the request is being sent. Should nothing else be written, this
/// timer writes it, so that readers of the journal (`tern history`) see the order in time.
constexpr auto intent_flush_delay = std::chrono::seconds{1};

timestamp wall_now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

struct tracker_state {
  account_context_ptr context;
  supervision::child_context child;
  std::unique_ptr<rest_caller> rest;
  std::optional<order_tracker> tracker;
  std::optional<journal::order_journal> journal;
  timestamp stream_seen{};       ///< the user stream's last message
  timestamp trades_since{};      ///< missed fills are fetched from here on
  bool reconciled = false;
  bool flush_scheduled = false;  ///< a flush_timer is on its way
  std::size_t reconcile_pending = 0;  ///< REST answers the running reconciliation waits for
  std::string problem;
};

using tracker_actor = caf::stateful_actor<tracker_state>;

order_notice to_notice(const std::string& account, const tracker_notice& in) {
  order_notice out;
  out.account = account;
  out.pair = in.pair;
  out.client_order_id = in.client_order_id;
  out.exchange_order_id = in.exchange_order_id;
  out.kind = static_cast<order_notice_kind>(in.kind);  // the same enumerators, in order
  out.state = in.state;
  out.order_side = in.order_side;
  out.price = in.price;
  out.amount = in.amount;
  out.executed_base = in.executed_base;
  out.executed_quote = in.executed_quote;
  out.fills = in.fills;
  out.message = in.message;
  out.time = in.time;
  return out;
}

void poll_status(tracker_actor* self, const poll_request& poll);

void publish(tracker_actor* self, const tracker_result& result);

/// Journal first; only once it is on disk do notices go out and polls get sent. A journal that
/// cannot be written stops the tracker: acting on what is not recorded would lose orders.
void commit(tracker_actor* self, tracker_result result) {
  auto& st = self->state;
  if (!result.journal.empty()) {
    if (auto written = st.journal->write(st.context->name(), result.journal); !written)
      throw std::runtime_error{"order journal: " + written.error().message};
  }
  publish(self, result);
}

/// As commit, for a new order's intent on the order path: the intent goes to the journal's
/// intent log (one write(), as durable as the journal's NORMAL commits); its SQLite rows follow
/// in flush_journal, after the answer that lets the request go out.
void commit_ahead(tracker_actor* self, tracker_result result) {
  auto& st = self->state;
  if (auto written = st.journal->write_ahead(st.context->name(), result.journal); !written)
    throw std::runtime_error{"order journal: " + written.error().message};
  publish(self, result);
}

void flush_journal(tracker_actor* self) {
  if (auto flushed = self->state.journal->flush(); !flushed)
    throw std::runtime_error{"order journal: " + flushed.error().message};
}

void publish(tracker_actor* self, const tracker_result& result) {
  auto& st = self->state;
  for (const auto& warning : result.warnings)
    spdlog::warn("{}: orders: {}", st.context->name(), warning);
  const auto subscribers = st.context->order_subscribers.current();
  for (const auto& notice : result.notices) {
    const auto out = to_notice(st.context->name(), notice);
    for (const auto& subscriber : subscribers)
      self->send(subscriber, out);
  }
  for (const auto& poll : result.polls)
    poll_status(self, poll);
}

const std::string* symbol_for(const tracker_state& st, const std::string& pair) {
  auto markets = st.context->markets();
  return markets ? markets->symbol_of(pair) : nullptr;
}

symbol_map symbols_of(const tracker_state& st) {
  auto markets = st.context->markets();
  return markets ? markets->symbols : symbol_map{};
}

void fetch_trades(tracker_actor* self, const std::string& pair, timestamp since) {
  auto& st = self->state;
  const auto* symbol = symbol_for(st, pair);
  if (symbol == nullptr)
    return;
  auto context = st.context;
  st.rest->call(
      self,
      [context, symbol = *symbol, since](const signing_context& signing) {
        return context->protocol().fills_since(symbol, since, signing);
      },
      [self](rest_result result) {
        auto& state = self->state;
        if (!result.response)
          return;
        auto trades = state.context->protocol().parse_fills(*result.response, symbols_of(state));
        if (trades)
          commit(self, state.tracker->apply_trades(*trades, wall_now()));
      });
}

void poll_status(tracker_actor* self, const poll_request& poll) {
  auto& st = self->state;
  const auto* symbol = symbol_for(st, poll.pair);
  if (symbol == nullptr)
    return;
  auto context = st.context;
  st.rest->call(
      self,
      [context, symbol = *symbol, id = poll.client_order_id](const signing_context& signing) {
        return context->protocol().order_status(symbol, id, signing);
      },
      [self, poll](rest_result result) {
        auto& state = self->state;
        if (!result.response)
          return; // no answer: polled again when due
        auto report = state.context->protocol().parse_order_status(*result.response, symbols_of(state));
        if (report) {
          commit(self, state.tracker->apply_status(to_exchange_order(*report), wall_now()));
        } else if (report.error().category == error_category::order_not_found) {
          commit(self, state.tracker->status_not_found(poll.client_order_id, wall_now()));
        }
        if (poll.fetch_trades) {
          const auto* order = state.tracker->find(poll.client_order_id);
          fetch_trades(self, poll.pair, order ? order->spec().creation_time : state.trades_since);
        }
      });
}

void report(tracker_actor* self) {
  auto& st = self->state;
  if (!st.problem.empty())
    supervision::report_health(self, st.child, health_state::degraded, st.problem);
  else if (st.reconciled)
    supervision::report_health(self, st.child, health_state::ready);
}

void reconcile_done(tracker_actor* self) {
  auto& st = self->state;
  if (st.reconcile_pending > 0 && --st.reconcile_pending == 0 && !st.reconciled) {
    st.reconciled = true;
    report(self);
  }
}

void load_balances(tracker_actor* self) {
  auto& st = self->state;
  auto context = st.context;
  ++st.reconcile_pending;
  st.rest->call(
      self, [context](const signing_context& signing) { return context->protocol().balances(signing); },
      [self](rest_result result) {
        auto& state = self->state;
        if (result.response) {
          auto balances = state.context->protocol().parse_balances(*result.response);
          if (balances) {
            state.tracker->balances().replace_all(*balances);
            state.problem.clear();
          } else {
            state.problem = "balances: " + balances.error().describe();
          }
        } else {
          state.problem = "balances: " + result.error;
        }
        report(self);
        reconcile_done(self);
      });
  if (st.context->protocol().info().kind != market_kind::perpetual)
    return;
  ++st.reconcile_pending;
  st.rest->call(
      self, [context](const signing_context& signing) { return context->protocol().positions(signing); },
      [self](rest_result result) {
        auto& state = self->state;
        if (result.response)
          if (auto positions = state.context->protocol().parse_positions(*result.response, symbols_of(state)))
            state.tracker->balances().replace_positions(*positions);
        reconcile_done(self);
      });
}

/// Open orders of every market, the trades since the oldest open order, balances, positions.
void reconcile(tracker_actor* self) {
  auto& st = self->state;
  if (!st.context->markets()) {
    self->delayed_send(self, st.context->timings().retry_delay, reconcile_atom_v);
    return;
  }
  load_balances(self);
  const auto as_of = wall_now();
  auto context = st.context;
  for (const auto& pair : context->settings().markets) {
    const auto* symbol = symbol_for(st, pair);
    if (symbol == nullptr)
      continue;
    ++st.reconcile_pending;
    st.rest->call(
        self,
        [context, symbol = *symbol](const signing_context& signing) {
          return context->protocol().open_orders(symbol, signing);
        },
        [self, pair, as_of](rest_result result) {
          auto& state = self->state;
          if (result.response) {
            auto open = state.context->protocol().parse_open_orders(*result.response, symbols_of(state));
            if (open) {
              std::vector<exchange_order> reports;
              for (const auto& entry : *open)
                reports.push_back(to_exchange_order(entry));
              commit(self, state.tracker->reconcile_open_orders(reports, {pair}, as_of, wall_now()));
            }
          }
          reconcile_done(self);
        });
    fetch_trades(self, pair, st.trades_since);
  }
}

/// Records a new order (budget check, intent journalled) and answers the exchange actor, which
/// then sends it.
std::string record(tracker_actor* self, order_record_request& request) {
  auto& st = self->state;
  if (!st.reconciled)
    return std::string{"the account is not reconciled with the exchange yet"};
  budget_request budget;
  budget.pair = request.spec.pair.to_string();
  budget.order_side = request.spec.order_side;
  budget.price = request.budget_price;
  budget.amount = request.spec.amount;
  budget.action = request.spec.action;
  budget.leverage = request.spec.leverage;
  budget.fee_rate = st.context->settings().fee_reserve;
  if (auto fits = st.tracker->check_budget(budget); !fits)
    return fits.error().message;
  auto started = st.tracker->start(std::move(request.spec), wall_now());
  if (!started)
    return started.error().message;
  // The intent is durable before the answer lets the request go out. Its SQLite rows follow
  // once the request is on its way (intent_flush_delay): flushing here would delay the answer,
  // which waits on this worker until the handler returns.
  commit_ahead(self, std::move(*started));
  if (!st.flush_scheduled) {  // one timer at a time: setting one wakes CAF's clock thread
    st.flush_scheduled = true;
    self->delayed_send(self, intent_flush_delay, poll_atom::value, flush_timer);
  }
  return std::string{};
}

void on_place_outcome(tracker_actor* self, const place_outcome& outcome) {
  auto& tracker = *self->state.tracker;
  const auto now = wall_now();
  switch (outcome.kind) {
    case place_outcome::kind_type::acknowledged:
      return commit(self, tracker.place_acknowledged(outcome.client_order_id,
                                                     to_place_ack(outcome.ack), now));
    case place_outcome::kind_type::rejected:
      return commit(self, tracker.place_rejected(outcome.client_order_id, outcome.error_code,
                                                 outcome.reason, now));
    case place_outcome::kind_type::unknown:
      return commit(self, tracker.place_unknown(outcome.client_order_id, outcome.reason, now));
  }
}

void on_cancel_outcome(tracker_actor* self, const cancel_outcome& outcome) {
  auto& tracker = *self->state.tracker;
  const auto now = wall_now();
  switch (outcome.kind) {
    case cancel_outcome::kind_type::confirmed:
      return commit(self, tracker.apply_status(to_exchange_order(outcome.report), now));
    case cancel_outcome::kind_type::not_found:
      return commit(self, tracker.cancel_not_found(outcome.client_order_id, now));
    case cancel_outcome::kind_type::refused:
      return commit(self, tracker.cancel_refused(outcome.client_order_id, outcome.reason, now));
    case cancel_outcome::kind_type::unknown:
      return commit(self, tracker.cancel_unknown(outcome.client_order_id, outcome.reason, now));
  }
}

void on_private(tracker_actor* self, const private_batch& batch) {
  auto& st = self->state;
  st.stream_seen = batch.received;
  for (const auto& event : batch.events) {
    const auto now = wall_now();
    if (const auto* update = std::get_if<order_update>(&event))
      commit(self, st.tracker->apply_update(*update, now));
    else if (const auto* execution = std::get_if<fill>(&event))
      commit(self, st.tracker->apply_fill(*execution, now));
    else if (const auto* reported = std::get_if<balance>(&event))
      st.tracker->balances().apply(*reported);
    else if (const auto* delta = std::get_if<balance_delta>(&event))
      st.tracker->balances().apply_delta(delta->asset, delta->delta);
    else if (const auto* held = std::get_if<position>(&event))
      st.tracker->balances().apply(*held);
  }
}

/// An order as it stands now: its terms, state and how much of it has executed (no fills).
tracker_notice standing_of(const in_flight_order& order) {
  tracker_notice notice;
  notice.pair = order.spec().pair.to_string();
  notice.client_order_id = order.client_order_id();
  notice.exchange_order_id = order.exchange_order_id();
  notice.state = order.state();
  notice.order_side = order.spec().order_side;
  notice.price = order.spec().price;
  notice.amount = order.spec().amount;
  notice.executed_base = order.executed_base();
  notice.executed_quote = order.executed_quote();
  return notice;
}

std::vector<order_notice> open_orders(const tracker_state& st) {
  std::vector<order_notice> out;
  for (const auto* order : st.tracker->open_orders()) {
    tracker_notice notice = standing_of(*order);
    out.push_back(to_notice(st.context->name(), notice));
  }
  return out;
}

/// The orders named by `ids` as they stand now, final ones included, each with all its fills
/// (oldest first), so a subscriber that lost notices can book what it missed. Unknown ids are
/// left out.
std::vector<order_notice> order_states(const tracker_state& st, const std::vector<std::string>& ids) {
  std::vector<order_notice> out;
  for (const auto& id : ids) {
    const auto* order = st.tracker->find(id);
    if (order == nullptr)
      continue;
    tracker_notice notice = standing_of(*order);
    for (const auto& [trade_id, f] : order->fills())
      notice.fills.push_back(f);
    std::stable_sort(notice.fills.begin(), notice.fills.end(),
                     [](const fill& a, const fill& b) { return a.fill_time < b.fill_time; });
    out.push_back(to_notice(st.context->name(), notice));
  }
  return out;
}

/// Opens the journal and restores the account's orders from it.
void open_journal(tracker_actor* self) {
  auto& st = self->state;
  const auto& timings = st.context->timings();
  order_tracker_options options;
  options.ack_timeout = timings.place_timeout;
  options.poll_interval = timings.status_poll;
  options.cancel_timeout = timings.place_timeout;
  options.completion_wait = timings.completion_wait;
  st.tracker.emplace(options);
  const auto& settings = st.context->settings();
  if (const auto folder = settings.journal.parent_path(); !folder.empty()) {
    std::error_code ignored;  // a failure shows as the open's error, naming the file
    std::filesystem::create_directories(folder, ignored);
  }
  auto opened = journal::order_journal::open(
      settings.journal.string(),
      settings.journal_full_sync ? journal::journal_sync::full : journal::journal_sync::normal);
  if (!opened)
    throw std::runtime_error{"order journal: " + opened.error().message};
  st.journal.emplace(std::move(*opened));
  auto orders = st.journal->load(st.context->name());
  if (!orders)
    throw std::runtime_error{"order journal: " + orders.error().message};
  st.trades_since = wall_now() - std::chrono::minutes{1};
  for (const auto& order : *orders)
    st.trades_since = std::min(st.trades_since, order.order.spec.creation_time);
  // Polls wait until the markets are known; the reconciliation below covers them.
  auto restored = st.tracker->restore(*orders, wall_now());
  restored.polls.clear();
  commit(self, std::move(restored));
  if (!orders->empty())
    spdlog::info("{}: orders: {} open orders restored from the journal", st.context->name(),
                 orders->size());
}

void on_timer(tracker_actor* self, std::uint64_t timer) {
  auto& st = self->state;
  const auto& timings = st.context->timings();
  if (timer == flush_timer) {
    st.flush_scheduled = false;
    return flush_journal(self);
  }
  const auto now = wall_now();
  if (timer == status_timer) {
    if (st.context->markets()) {
      for (const auto& poll : st.tracker->due_polls(now))
        poll_status(self, poll);
      commit(self, st.tracker->tick(now));
    }
    self->delayed_send(self, timings.status_poll, poll_atom::value, status_timer);
    return;
  }
  const bool live = now - st.stream_seen < timings.stream_quiet_after;
  if (st.reconcile_pending == 0)
    reconcile(self);
  self->delayed_send(self, live ? timings.live_poll : timings.quiet_poll, poll_atom::value,
                     reconcile_timer);
}

caf::behavior tracker_behavior(tracker_actor* self, account_context_ptr context,
                               supervision::child_context child) {
  self->set_exception_handler(supervision::exception_reason);
  self->state.context = std::move(context);
  self->state.child = std::move(child);
  self->state.rest = std::make_unique<rest_caller>(self->state.context);
  supervision::report_health(self, self->state.child, health_state::starting);
  open_journal(self);
  self->send(self, reconcile_atom_v);
  self->delayed_send(self, self->state.context->timings().status_poll, poll_atom::value, status_timer);
  self->delayed_send(self, self->state.context->timings().quiet_poll, poll_atom::value,
                     reconcile_timer);
  return {
      [self](rest_reply& reply) { self->state.rest->on_reply(self, reply); },
      [self](rest_retry_atom, std::uint64_t id) { self->state.rest->on_retry(self, id); },
      [self](record_atom, order_record_request& request) { return record(self, request); },
      [self](const place_outcome& outcome) { on_place_outcome(self, outcome); },
      [self](const cancel_outcome& outcome) { on_cancel_outcome(self, outcome); },
      [self](cancelling_atom, const std::string& client_order_id) {
        auto& st = self->state;
        const auto* order = st.tracker->find(client_order_id);
        if (order == nullptr || is_final(order->state()))
          return std::string{};
        auto pair = order->spec().pair.to_string();
        commit(self, st.tracker->cancel_requested(client_order_id, wall_now()));
        return pair;
      },
      [self](const private_batch& batch) { on_private(self, batch); },
      [self](streamup_atom) {
        self->state.stream_seen = wall_now();
        reconcile(self);
      },
      [self](reconcile_atom) { reconcile(self); },
      [self](poll_atom, std::uint64_t timer) { on_timer(self, timer); },
      [self](balances_atom) { return self->state.tracker->balances().all(); },
      [self](positions_atom) { return self->state.tracker->balances().positions(); },
      [self](orders_atom) { return open_orders(self->state); },
      [self](ordstate_atom, const std::vector<std::string>& ids) {
        return order_states(self->state, ids);
      },
  };
}

} // namespace

caf::actor spawn_order_tracker(caf::actor_system& system, account_context_ptr context,
                               const supervision::child_context& child) {
  return system.spawn(tracker_behavior, std::move(context), child);
}

} // namespace tern
