#include "actors/user_stream_actor.hpp"

#include <utility>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/account_messages.hpp"
#include "actors/rest_caller.hpp"
#include "actors/socket_link.hpp"
#include "supervision/supervisor.hpp"

namespace tern {
namespace {

using supervision::health_state;

struct user_stream_state {
  account_context_ptr context;
  supervision::child_context child;
  std::unique_ptr<rest_caller> rest;
  std::unique_ptr<net::websocket_client> client;
  std::uint64_t generation = 0;
  std::string token;                  ///< the listen key, where the exchange uses one
  std::vector<std::string> messages;  ///< the plan's messages still to send
  std::size_t next_message = 0;
  bool live = false;
  std::uint64_t malformed = 0;
};

using user_stream_actor = caf::stateful_actor<user_stream_state>;

void reconnect_later(user_stream_actor* self, const std::string& why);

void send_next(user_stream_actor* self) {
  auto& st = self->state;
  if (st.next_message < st.messages.size()) {
    st.client->send_text(st.messages[st.next_message++]);
    return;
  }
  if (st.live)
    return;
  st.live = true;
  supervision::report_health(self, st.child, health_state::ready);
  if (auto orders = st.context->directory.get("orders"))
    self->send(orders, streamup_atom::value);
}

/// Opens the connection of the plan, signed now, with `token` where the exchange needs one.
void open(user_stream_actor* self) {
  auto& st = self->state;
  ++st.generation;
  auto plan = st.context->protocol().private_stream(signing_now(*st.context), st.token,
                                                    "user-" + std::to_string(st.generation));
  if (!plan)
    return reconnect_later(self, "user stream: " + plan.error().message);
  st.messages = std::move(plan->messages);
  st.next_message = 0;
  net::websocket_client_options options;
  options.url = plan->url;
  options.auto_reconnect = false; // each reconnection needs a fresh token or signature
  if (st.client)
    st.client->close();
  st.client = open_socket(self, *st.context, std::move(options), 0, st.generation);
}

void fetch_token(user_stream_actor* self) {
  auto& st = self->state;
  auto context = st.context;
  st.rest->call(
      self,
      [context](const signing_context&) { return context->protocol().user_stream_token(context->keys()); },
      [self](rest_result result) {
        auto& state = self->state;
        if (!result.response)
          return reconnect_later(self, "listen key: " + result.error);
        auto token = state.context->protocol().parse_user_stream_token(*result.response);
        if (!token)
          return reconnect_later(self, "listen key: " + token.error().describe());
        state.token = std::move(*token);
        open(self);
      });
}

void connect(user_stream_actor* self) {
  if (self->state.context->protocol().user_stream().kind == user_stream_kind::listen_key)
    fetch_token(self);
  else
    open(self);
}

void reconnect_later(user_stream_actor* self, const std::string& why) {
  auto& st = self->state;
  st.live = false;
  supervision::report_health(self, st.child, health_state::degraded, why);
  const auto generation = ++st.generation; // reports of the old connection are ignored
  if (st.client) {
    st.client->close();
    st.client.reset();
  }
  self->delayed_send(self, st.context->timings().retry_delay, retry_atom::value, generation);
}

void keep_alive(user_stream_actor* self) {
  auto& st = self->state;
  const auto plan = st.context->protocol().user_stream();
  if (plan.keepalive_interval.count() == 0)
    return;
  self->delayed_send(self, plan.keepalive_interval, keepalive_atom::value);
  if (st.token.empty())
    return;
  auto context = st.context;
  st.rest->call(
      self,
      [context, token = st.token](const signing_context&) {
        return context->protocol().user_stream_keepalive(context->keys(), token);
      },
      [self](rest_result result) {
        if (!result.response || !is_success(result.response->status))
          reconnect_later(self, "listen key keep-alive failed: " + result.error);
      });
}

void on_frame(user_stream_actor* self, const net::websocket_message& message) {
  auto& st = self->state;
  auto markets = st.context->markets();
  static const symbol_map none;
  auto events = st.context->protocol().parse_private_frame(
      message.payload, markets ? markets->symbols : none, message.received);
  if (!events) {
    if ((st.malformed++ % 1000) == 0)
      spdlog::warn("{}: user stream: {}", st.context->name(), events.error().message());
    return;
  }
  private_batch batch;
  batch.received = message.received;
  for (auto& event : *events) {
    if (const auto* control = std::get_if<stream_control>(&event)) {
      if (control->kind == stream_control_kind::subscribed)
        send_next(self);
      else if (control->kind == stream_control_kind::request_failed)
        return reconnect_later(self, "user stream refused: " + control->detail);
      else if (control->kind == stream_control_kind::stream_terminated)
        return reconnect_later(self, "user stream ended: " + control->detail);
      continue;
    }
    batch.events.push_back(std::move(event));
  }
  if (batch.events.empty())
    return;
  if (auto orders = st.context->directory.get("orders"))
    self->send(orders, std::move(batch));
}

void on_socket(user_stream_actor* self, socket_event& event) {
  auto& st = self->state;
  if (event.generation != st.generation)
    return;
  switch (event.kind) {
    case socket_event::kind_type::opened: send_next(self); return;
    case socket_event::kind_type::message: on_frame(self, event.message); return;
    case socket_event::kind_type::closed:
      reconnect_later(self, "user stream down: " + event.close.error.describe());
      return;
  }
}

caf::behavior user_stream(user_stream_actor* self, account_context_ptr context,
                          supervision::child_context child) {
  self->set_exception_handler(supervision::exception_reason);
  self->state.context = std::move(context);
  self->state.child = std::move(child);
  self->state.rest = std::make_unique<rest_caller>(self->state.context);
  supervision::report_health(self, self->state.child, health_state::starting);
  connect(self);
  keep_alive(self);
  return {
      [self](socket_event& event) { on_socket(self, event); },
      [self](rest_reply& reply) { self->state.rest->on_reply(self, reply); },
      [self](rest_retry_atom, std::uint64_t id) { self->state.rest->on_retry(self, id); },
      [self](retry_atom, std::uint64_t generation) {
        if (generation == self->state.generation)
          connect(self);
      },
      [self](keepalive_atom) { keep_alive(self); },
  };
}

} // namespace

caf::actor spawn_user_stream(caf::actor_system& system, account_context_ptr context,
                             const supervision::child_context& child) {
  return system.spawn(user_stream, std::move(context), child);
}

} // namespace tern
