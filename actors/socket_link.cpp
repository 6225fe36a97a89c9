#include "actors/socket_link.hpp"

#include <utility>

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include "actors/account_messages.hpp"

namespace tern {

std::unique_ptr<net::websocket_client> open_socket(caf::event_based_actor* self,
                                                   const account_context& context,
                                                   net::websocket_client_options options,
                                                   std::size_t socket, std::uint64_t generation) {
  options.tls = context.tls();
  caf::weak_actor_ptr weak{self->ctrl()};
  auto post = [weak, socket, generation](socket_event event) {
    event.socket = socket;
    event.generation = generation;
    if (auto strong = weak.lock())
      caf::anon_send(caf::actor_cast<caf::actor>(std::move(strong)), std::move(event));
  };
  net::websocket_callbacks callbacks;
  callbacks.on_open = [post] {
    socket_event event;
    event.kind = socket_event::kind_type::opened;
    post(std::move(event));
  };
  callbacks.on_message = [post](net::websocket_message message) {
    socket_event event;
    event.kind = socket_event::kind_type::message;
    event.message = std::move(message);
    post(std::move(event));
  };
  callbacks.on_close = [post](const net::websocket_close_info& info) {
    socket_event event;
    event.kind = socket_event::kind_type::closed;
    event.close = info;
    post(std::move(event));
  };
  auto client = std::make_unique<net::websocket_client>(context.io(), std::move(options),
                                                        std::move(callbacks));
  client->start();
  return client;
}

} // namespace tern
