#include "actors/market_connection.hpp"

#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/account_messages.hpp"
#include "actors/socket_link.hpp"
#include "supervision/supervisor.hpp"

namespace tern {
namespace {

/// One connection of the plan.
struct socket_slot {
  ws_connection_plan plan;
  std::unique_ptr<public_stream_parser> parser;
  std::unique_ptr<net::websocket_client> client;
  std::uint64_t generation = 0;
  std::size_t next_message = 0;  ///< the plan message to send after the next acknowledgement
  bool open = false;
  bool subscribed = false;
};

struct connection_state {
  account_context_ptr context;
  supervision::child_context child;
  std::vector<socket_slot> sockets;
  std::unordered_map<std::string, caf::actor> routes;  ///< pair -> its book actor
  public_frame frame;                                   ///< parser output, reused
  std::int64_t next_request_id = 1000;
  std::unordered_set<std::string> logged_problems;  ///< "kind|channel" already logged
  std::string problem;
};

using connection_actor = caf::stateful_actor<connection_state>;

bool live(const connection_state& st) {
  if (st.sockets.empty())
    return false;
  for (const auto& socket : st.sockets)
    if (!socket.subscribed)
      return false;
  return true;
}

void tell_books(connection_actor* self, bool up, const std::string& reason) {
  for (const auto& [pair, book] : self->state.routes)
    self->send(book, stream_status{up, reason});
}

void report(connection_actor* self) {
  auto& st = self->state;
  if (!st.problem.empty())
    supervision::report_health(self, st.child, supervision::health_state::degraded, st.problem);
  else if (live(st))
    supervision::report_health(self, st.child, supervision::health_state::ready);
}

void remember_route(connection_actor* self, const std::string& pair) {
  auto book = caf::actor_cast<caf::actor>(self->current_sender());
  if (!book)
    return;
  self->state.routes[pair] = book;
  self->send(book, stream_status{live(self->state), live(self->state) ? "" : "not subscribed yet"});
}

void send_next_message(socket_slot& socket) {
  if (socket.next_message >= socket.plan.messages.size()) {
    socket.subscribed = true;
    return;
  }
  socket.client->send_text(socket.plan.messages[socket.next_message++]);
}

void on_control(connection_actor* self, socket_slot& socket, const stream_control& control) {
  auto& st = self->state;
  switch (control.kind) {
    case stream_control_kind::subscribed: {
      const bool was_live = live(st);
      send_next_message(socket);
      if (!was_live && live(st)) {
        st.problem.clear();
        report(self);
        tell_books(self, true, {});
      }
      return;
    }
    case stream_control_kind::request_failed:
      st.problem = "subscription refused: "
                   + (control.error ? control.error->describe() : control.detail);
      report(self);
      return;
    case stream_control_kind::stream_terminated:
    case stream_control_kind::server_shutdown:
      spdlog::info("{}: public stream: {}; reconnecting", st.context->name(), control.detail);
      return; // the server closes the connection; the client reconnects
    case stream_control_kind::heartbeat: return;
  }
}

void route(connection_actor* self, book_feed feed) {
  const auto& pair = feed.kind == public_event_kind::book_snapshot ? feed.snapshot.pair
                                                                   : feed.delta.pair;
  auto it = self->state.routes.find(pair);
  if (it != self->state.routes.end())
    self->send(it->second, std::move(feed));
}

template <class Event>
void forward(connection_actor* self, const std::string& pair, const Event& event) {
  auto it = self->state.routes.find(pair);
  if (it != self->state.routes.end())
    self->send(it->second, event);
}

void on_frame(connection_actor* self, socket_slot& socket, net::websocket_message& message) {
  auto& st = self->state;
  auto& out = st.frame;
  auto parsed = socket.parser->parse(message.payload, message.received, out);
  if (!parsed) {
    const auto& problem = parsed.error();
    // Skipped; logged the first time each kind of problem shows on a channel, so a stream of
    // bad frames cannot flood the log and a new problem is never hidden behind an old one.
    const auto key = std::to_string(static_cast<int>(problem.kind)) + "|" + problem.channel;
    if (st.logged_problems.insert(key).second)
      spdlog::warn("{} {}: public stream: {}", st.context->settings().connector,
                   st.context->name(), problem.message());
    return;
  }
  switch (*parsed) {
    case public_event_kind::book_delta: {
      book_feed feed;
      feed.kind = public_event_kind::book_delta;
      feed.delta = std::move(out.depth);
      feed.levels = out.levels;
      route(self, std::move(feed));
      return;
    }
    case public_event_kind::book_snapshot: {
      book_feed feed;
      feed.kind = public_event_kind::book_snapshot;
      feed.snapshot = std::move(out.snapshot);
      feed.levels = out.levels;
      route(self, std::move(feed));
      return;
    }
    case public_event_kind::top_of_book: forward(self, out.ticker.pair, out.ticker); return;
    case public_event_kind::trade: forward(self, out.trade_event.pair, out.trade_event); return;
    case public_event_kind::funding_info: forward(self, out.funding.pair, out.funding); return;
    case public_event_kind::control: on_control(self, socket, out.control); return;
  }
}

void on_socket(connection_actor* self, socket_event& event) {
  auto& st = self->state;
  if (event.socket >= st.sockets.size())
    return;
  auto& socket = st.sockets[event.socket];
  if (event.generation != socket.generation)
    return;
  switch (event.kind) {
    case socket_event::kind_type::opened:
      socket.open = true;
      socket.subscribed = false;
      socket.next_message = 0;
      send_next_message(socket);
      if (live(st)) {
        st.problem.clear();
        report(self);
        tell_books(self, true, {});
      }
      return;
    case socket_event::kind_type::message: on_frame(self, socket, event.message); return;
    case socket_event::kind_type::closed: {
      const bool was_live = live(st);
      socket.open = false;
      socket.subscribed = false;
      st.problem = "public stream down: " + event.close.error.describe();
      report(self);
      if (was_live)
        tell_books(self, false, st.problem);
      if (!event.close.will_reconnect)
        self->quit(caf::make_error(caf::sec::runtime_error, st.problem));
      return;
    }
  }
}

/// Opens the plan's connections once the markets are known; false while they are not.
bool connect(connection_actor* self) {
  auto& st = self->state;
  auto markets = st.context->markets();
  if (!markets)
    return false;
  std::vector<std::string> symbols;
  symbol_map routed;
  for (const auto& pair : st.context->settings().markets) {
    const auto* symbol = markets->symbol_of(pair);
    const auto* market = markets->find(pair);
    if (symbol == nullptr || market == nullptr)
      continue; // reported by the services actor
    symbols.push_back(*symbol);
    routed.add(market->pair, *symbol);
    if (auto size = markets->symbols.contract_size(*symbol))
      routed.set_contract_size(*symbol, *size);
  }
  auto plans = st.context->protocol().public_streams(symbols, 1);
  for (auto& plan : plans) {
    socket_slot socket;
    socket.plan = std::move(plan);
    socket.parser = st.context->protocol().make_public_parser(routed);
    st.sockets.push_back(std::move(socket));
  }
  for (std::size_t i = 0; i < st.sockets.size(); ++i) {
    auto& socket = st.sockets[i];
    net::websocket_client_options options;
    options.url = socket.plan.url;
    options.stale_timeout = st.context->timings().stale_stream;
    if (!socket.plan.ping_message.empty()) {
      net::app_heartbeat ping;
      ping.interval = socket.plan.ping_after_idle;
      ping.payload = socket.plan.ping_message;
      options.heartbeat = std::move(ping);
    }
    socket.client = open_socket(self, *st.context, std::move(options), i, socket.generation);
  }
  return true;
}

void resubscribe(connection_actor* self, const std::string& pair) {
  auto& st = self->state;
  auto markets = st.context->markets();
  const auto* symbol = markets ? markets->symbol_of(pair) : nullptr;
  if (symbol == nullptr || st.sockets.empty() || !st.sockets.front().open)
    return;
  for (auto& message : st.context->protocol().book_resubscription(*symbol, st.next_request_id++))
    st.sockets.front().client->send_text(std::move(message));
}

caf::behavior running(connection_actor* self) {
  return {
      [self](socket_event& event) { on_socket(self, event); },
      [self](subscribe_atom, const std::string& pair) { remember_route(self, pair); },
      [self](resync_atom, const std::string& pair) { resubscribe(self, pair); },
  };
}

caf::behavior connection(connection_actor* self, account_context_ptr context,
                         supervision::child_context child) {
  self->set_exception_handler(supervision::exception_reason);
  self->state.context = std::move(context);
  self->state.child = std::move(child);
  supervision::report_health(self, self->state.child, supervision::health_state::starting);
  self->send(self, retry_atom::value);
  return {
      [self](retry_atom) {
        if (connect(self))
          self->become(running(self));
        else
          self->delayed_send(self, self->state.context->timings().retry_delay, retry_atom::value);
      },
      [self](subscribe_atom, const std::string& pair) { remember_route(self, pair); },
      [](resync_atom, const std::string&) {},
  };
}

} // namespace

caf::actor spawn_market_connection(caf::actor_system& system, account_context_ptr context,
                                   const supervision::child_context& child) {
  return system.spawn(connection, std::move(context), child);
}

} // namespace tern
