#include "actors/book_actor.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/account_messages.hpp"
#include "actors/rest_caller.hpp"
#include "connectors/common/sequenced_book_sync.hpp"
#include "connectors/common/snapshot_delta_book_sync.hpp"
#include "supervision/supervisor.hpp"

namespace tern {
namespace {

using supervision::health_state;

struct book_state {
  account_context_ptr context;
  supervision::child_context child;
  std::string pair;
  std::string symbol;
  book_sync_spec spec;
  std::unique_ptr<rest_caller> rest;
  /// The connection incarnation this book registered with (monitored); null until attached
  /// and after it ended, while the book waits for the restarted one.
  caf::actor connection;
  /// Advances whenever the sync starts afresh, so a snapshot asked for before is dropped.
  std::uint64_t sync_epoch = 0;
  std::optional<sequenced_book_sync> sequenced;       ///< rest_snapshot_sequenced_diffs
  std::optional<snapshot_delta_book_sync> streamed;   ///< ws_snapshot_then_deltas
  bool stream_up = false;
  bool snapshot_pending = false;
  bool was_synced = false;
  std::string problem;  ///< why not in sync; empty when synced or first starting
  std::optional<price_level> last_bid;
  std::optional<price_level> last_ask;
  std::vector<price_level> bids_scratch;
  std::vector<price_level> asks_scratch;
};

using book_actor = caf::stateful_actor<book_state>;

const order_book* current_book(const book_state& st) {
  if (st.sequenced)
    return &st.sequenced->book();
  if (st.streamed)
    return &st.streamed->book();
  return nullptr;
}

bool synced(const book_state& st) {
  if (st.sequenced)
    return st.sequenced->state() == sync_state::synced;
  if (st.streamed)
    return st.streamed->state() == sync_state::synced;
  return false;
}

/// Pushes the best levels when they changed, and depth to its subscribers.
void publish(book_actor* self, timestamp received) {
  auto& st = self->state;
  const auto& book = *current_book(st);
  auto bid = book.best_bid();
  auto ask = book.best_ask();
  if (bid != st.last_bid || ask != st.last_ask) {
    st.last_bid = bid;
    st.last_ask = ask;
    top_of_book top{st.pair, book.sequence(), bid.value_or(price_level{}),
                    ask.value_or(price_level{}), book.exchange_time(), received};
    for (const auto& subscriber : st.context->book_subscribers(st.pair).current())
      self->send(subscriber, top);
  }
  auto depth = st.context->book_subscribers(depth_subscribers_key(st.pair)).current();
  if (depth.empty())
    return;
  book_snapshot snapshot;
  snapshot.pair = st.pair;
  book.depth(side::buy, st.context->settings().depth_levels, snapshot.bids);
  book.depth(side::sell, st.context->settings().depth_levels, snapshot.asks);
  snapshot.sequence = book.sequence();
  snapshot.exchange_time = book.exchange_time();
  snapshot.received_time = received;
  for (const auto& subscriber : depth)
    self->send(subscriber, snapshot);
}

void became_synced(book_actor* self) {
  auto& st = self->state;
  st.problem.clear();
  st.was_synced = true;
  st.last_bid.reset();
  st.last_ask.reset();
  supervision::report_health(self, st.child, health_state::ready);
}

void out_of_sync(book_actor* self, std::string why) {
  auto& st = self->state;
  if (st.problem != why)
    spdlog::info("{} {}: book out of sync: {}", st.context->name(), st.pair, why);
  st.problem = std::move(why);
  // A book that never synced is still starting; one that lost sync is degraded until back.
  supervision::report_health(self, st.child,
                             st.was_synced ? health_state::degraded : health_state::starting,
                             st.was_synced ? st.problem : std::string{});
}

void request_snapshot(book_actor* self);

void on_snapshot_response(book_actor* self, std::uint64_t epoch, rest_result result) {
  auto& st = self->state;
  if (epoch != st.sync_epoch)
    return; // asked for a sync since dropped (stream down, resync): its own request is out
  st.snapshot_pending = false;
  if (!result.response) {
    out_of_sync(self, "depth snapshot failed: " + result.error);
    self->delayed_send(self, st.context->timings().retry_delay, retry_atom::value);
    return;
  }
  const auto received = st.context->clock.now();
  auto pair = trading_pair::parse(st.pair);
  auto snapshot = st.context->protocol().parse_depth_snapshot(*result.response, *pair, received);
  if (!snapshot) {
    out_of_sync(self, "depth snapshot unreadable: " + snapshot.error().describe());
    self->delayed_send(self, st.context->timings().retry_delay, retry_atom::value);
    return;
  }
  if (!st.sequenced)
    return;
  auto applied = st.sequenced->on_snapshot(*snapshot);
  if (!applied) {
    out_of_sync(self, applied.error().message());
    request_snapshot(self); // too old: the stream has moved on; take a newer one
    return;
  }
  if (synced(st)) {
    became_synced(self);
    publish(self, received);
  }
}

void request_snapshot(book_actor* self) {
  auto& st = self->state;
  if (st.snapshot_pending || !st.sequenced || !st.stream_up)
    return;
  st.snapshot_pending = true;
  st.rest->call(self, st.context->protocol().depth_snapshot(st.symbol, st.spec.snapshot_depth),
                [self, epoch = st.sync_epoch](rest_result result) {
                  on_snapshot_response(self, epoch, std::move(result));
                });
}

/// After a gap or a bad checksum: a new snapshot (REST) or a resubscription (stream).
void resync(book_actor* self, const std::string& why) {
  auto& st = self->state;
  out_of_sync(self, why);
  if (st.sequenced) {
    request_snapshot(self);
  } else if (st.connection) {
    self->send(st.connection, resync_atom::value, st.pair);
  }
}

void on_feed(book_actor* self, book_feed& feed) {
  auto& st = self->state;
  if (st.sequenced) {
    if (feed.kind != public_event_kind::book_delta)
      return;
    auto outcome = st.sequenced->on_diff(feed.delta);
    if (!outcome)
      return resync(self, outcome.error().message());
    if (*outcome == diff_outcome::buffered)
      request_snapshot(self);
    else if (*outcome == diff_outcome::applied)
      publish(self, feed.delta.received_time);
    return;
  }
  if (!st.streamed)
    return;
  if (feed.kind == public_event_kind::book_snapshot) {
    const auto* text = feed.levels.bids.empty() && feed.levels.asks.empty() ? nullptr : &feed.levels;
    if (auto applied = st.streamed->on_snapshot(feed.snapshot, text); !applied)
      return resync(self, applied.error().message());
    st.snapshot_pending = false;
    became_synced(self);
    publish(self, feed.snapshot.received_time);
    return;
  }
  auto outcome = st.streamed->on_delta(feed.delta, &feed.levels);
  if (!outcome)
    return resync(self, outcome.error().message());
  if (*outcome == delta_outcome::ignored && !st.snapshot_pending) {
    // Deltas without a snapshot: the subscription's snapshot went by before this book
    // registered with the connection (a restarted book, or one that attached after the
    // stream was up). Only a resubscription sends another, so ask for one, once.
    if (st.connection) {
      st.snapshot_pending = true;
      self->send(st.connection, resync_atom::value, st.pair);
    }
    return;
  }
  if (*outcome == delta_outcome::applied)
    publish(self, feed.delta.received_time);
}

void on_stream_status(book_actor* self, const stream_status& status) {
  auto& st = self->state;
  if (!status.up) {
    st.stream_up = false;
    ++st.sync_epoch;  // a snapshot asked for before is older than what the stream will bring
    st.snapshot_pending = false;  // stream books: the resubscription on reconnect brings one
    if (st.sequenced)
      st.sequenced->reset();
    if (st.streamed)
      st.streamed->reset();
    out_of_sync(self, status.reason.empty() ? "public stream down" : status.reason);
    return;
  }
  st.stream_up = true;
  // A stream book not in sync when its stream is (or comes) up may have missed the
  // subscription's snapshot: it registered after it went by (a restarted book), or the market
  // is quiet and no delta will arrive to show it. Ask once for a resubscription; an extra
  // snapshot is harmless.
  if (st.streamed && !synced(st) && !st.snapshot_pending && st.connection) {
    st.snapshot_pending = true;
    self->send(st.connection, resync_atom::value, st.pair);
  }
  // A REST book fetches its snapshot now: diffs that arrive meanwhile are buffered and bridge
  // it, and a quiet market (no diffs for a while) still gets a book. A stream book gets its
  // snapshot from the (re)subscription itself.
  if (st.sequenced && !synced(st))
    request_snapshot(self);
}

void start_sync(book_actor* self) {
  auto& st = self->state;
  st.sequenced.reset();
  st.streamed.reset();
  st.snapshot_pending = false;
  ++st.sync_epoch;
  st.spec = st.context->protocol().book_sync();
  if (st.spec.kind == book_sync_kind::ws_snapshot_then_deltas)
    st.streamed.emplace(st.pair, st.spec.stream_policy);
  else
    st.sequenced.emplace(st.pair, st.spec.policy);
}

/// Finds the symbol and registers with the connection; false while either is missing.
/// The connection is monitored: the directory may still name an incarnation that just died
/// (restarted together with this book), and one that dies later takes this book's route with
/// it. Either way the down message makes the book register again with the next incarnation.
bool attach(book_actor* self) {
  auto& st = self->state;
  auto markets = st.context->markets();
  const auto* symbol = markets ? markets->symbol_of(st.pair) : nullptr;
  auto connection = st.context->directory.get("connection");
  if (symbol == nullptr || !connection)
    return false;
  st.symbol = *symbol;
  st.connection = connection;
  self->monitor(connection);
  start_sync(self);
  self->send(connection, subscribe_atom::value, st.pair);
  return true;
}

/// The connection this book registered with ended: its stream is gone, and the restarted
/// connection does not know this book until it registers again.
void on_connection_down(book_actor* self, const caf::down_msg& down) {
  auto& st = self->state;
  if (!st.connection || down.source != st.connection.address())
    return;
  st.connection = caf::actor{};
  on_stream_status(self, stream_status{false, "market connection restarting"});
  self->delayed_send(self, st.context->timings().retry_delay, retry_atom::value);
}

caf::result<book_snapshot> snapshot_now(book_actor* self) {
  auto& st = self->state;
  if (!synced(st))
    return caf::make_error(caf::sec::runtime_error, "book " + st.pair + " is not in sync");
  const auto& book = *current_book(st);
  book_snapshot out;
  out.pair = st.pair;
  out.bids = book.depth(side::buy, std::numeric_limits<std::size_t>::max());
  out.asks = book.depth(side::sell, std::numeric_limits<std::size_t>::max());
  out.sequence = book.sequence();
  out.exchange_time = book.exchange_time();
  return out;
}

void subscribe(book_actor* self, bool depth) {
  auto& st = self->state;
  auto subscriber = caf::actor_cast<caf::actor>(self->current_sender());
  st.context->book_subscribers(st.pair).add(subscriber);
  if (depth)
    st.context->book_subscribers(depth_subscribers_key(st.pair)).add(subscriber);
  if (synced(st) && subscriber) {
    const auto& book = *current_book(st);
    self->send(subscriber, top_of_book{st.pair, book.sequence(),
                                       book.best_bid().value_or(price_level{}),
                                       book.best_ask().value_or(price_level{}),
                                       book.exchange_time(), st.context->clock.now()});
  }
}

template <class Event>
void forward(book_actor* self, const Event& event) {
  for (const auto& subscriber : self->state.context->book_subscribers(self->state.pair).current())
    self->send(subscriber, event);
}

caf::behavior book(book_actor* self, account_context_ptr context, std::string pair,
                   supervision::child_context child) {
  self->set_exception_handler(supervision::exception_reason);
  auto& init = self->state;
  init.context = std::move(context);
  init.pair = std::move(pair);
  init.child = std::move(child);
  init.rest = std::make_unique<rest_caller>(init.context);
  supervision::report_health(self, init.child, health_state::starting);
  self->set_down_handler([self](caf::down_msg& down) { on_connection_down(self, down); });
  self->send(self, retry_atom::value);
  return {
      [self](retry_atom) {
        auto& st = self->state;
        if (!st.connection) {
          if (!attach(self))
            self->delayed_send(self, st.context->timings().retry_delay, retry_atom::value);
          return;
        }
        request_snapshot(self); // a failed snapshot is tried again
      },
      [self](book_feed& feed) { on_feed(self, feed); },
      [self](const stream_status& status) { on_stream_status(self, status); },
      [self](const top_of_book& ticker) { forward(self, ticker); },
      [self](const trade& event) { forward(self, event); },
      [self](const funding_info& event) { forward(self, event); },
      [self](rest_reply& reply) { self->state.rest->on_reply(self, reply); },
      [self](rest_retry_atom, std::uint64_t id) { self->state.rest->on_retry(self, id); },
      [self](subscribe_atom, const std::string&) { subscribe(self, false); },
      [self](subscribe_atom, const std::string&, std::int32_t) { subscribe(self, true); },
      [self](unsubscribe_atom, const std::string&) {
        auto& st = self->state;
        const auto sender = self->current_sender() ? self->current_sender()->address()
                                                   : caf::actor_addr{};
        st.context->book_subscribers(st.pair).remove(sender);
        st.context->book_subscribers(depth_subscribers_key(st.pair)).remove(sender);
      },
      [self](snapshot_atom, const std::string&) { return snapshot_now(self); },
      [self](resync_atom) {
        auto& st = self->state;
        if (!st.connection)
          return; // not attached (yet, or again): attaching starts a fresh sync anyway
        start_sync(self);
        out_of_sync(self, "resynchronising on request");
        // Nothing else may come to start the new sync: in a quiet market no diff arrives, and
        // the stream is already up (its status came before). So ask now.
        if (st.streamed && st.connection) {
          st.snapshot_pending = true;
          self->send(st.connection, resync_atom::value, st.pair);
        } else if (st.sequenced) {
          request_snapshot(self);
        }
      },
  };
}

} // namespace

std::string depth_subscribers_key(const std::string& pair) {
  return "depth:" + pair;
}

caf::actor spawn_book(caf::actor_system& system, account_context_ptr context, std::string pair,
                      const supervision::child_context& child) {
  return system.spawn(book, std::move(context), std::move(pair), child);
}

} // namespace tern
