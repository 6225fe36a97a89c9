#include "supervision/ops_server.hpp"

#include <optional>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include "actors/message_types.hpp"
#include "net/http_server.hpp"
#include "net/io_runtime.hpp"

namespace tern::supervision {
namespace {

timestamp wall_clock() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

net::server_response to_net(ops_response response) {
  net::server_response out;
  out.status = response.status;
  out.headers.emplace_back("Content-Type", std::move(response.content_type));
  for (auto& header : response.headers)
    out.headers.push_back(std::move(header));
  out.body = std::move(response.body);
  return out;
}

} // namespace

struct ops_server::impl {
  impl(caf::actor_system& system, caf::actor root, const health_board& board,
       const metrics_registry& metrics, ops_server_options opts)
      : options(std::move(opts)),
        routes(board, metrics, options.settings, restart_through(system, std::move(root)),
               wall_clock, options.strategies) {}

  ops_server_options options;
  ops_routes routes;
  // The server's connections run on the runtime's thread; the runtime outlives the server.
  net::io_runtime io{1};
  std::unique_ptr<net::http_server> server;
  std::uint16_t port = 0;
};

ops_server::ops_server(caf::actor_system& system, caf::actor root, const health_board& board,
                       const metrics_registry& metrics, ops_server_options options)
    : impl_(std::make_unique<impl>(system, std::move(root), board, metrics, std::move(options))) {
  net::http_server_options http;
  http.host = impl_->options.host;
  http.port = impl_->options.port;
  http.body_limit = 64 * 1024; // control requests carry their arguments in the query
  auto* state = impl_.get();
  impl_->server = std::make_unique<net::http_server>(
      impl_->io.context(), http, [state](net::server_request request, net::responder reply) {
        ops_request ops{request.method, request.target,
                        std::string{request.header("Authorization").value_or("")},
                        request.remote_address};
        state->routes.handle(ops, [state, ops, reply](ops_response response) {
          auto copy = state->options.on_answered ? std::optional<ops_response>{response}
                                                 : std::nullopt;
          reply.respond(to_net(std::move(response)));
          if (copy)
            state->options.on_answered(ops, *copy);
        });
      });
}

ops_server::~ops_server() {
  stop();
}

expected<std::uint16_t, std::string> ops_server::start() {
  impl_->io.start();
  auto started = impl_->server->start();
  if (!started)
    return unexpected{"cannot serve the ops endpoint on " + impl_->options.host + ":"
                      + std::to_string(impl_->options.port) + ": " + started.error().message};
  impl_->port = *started;
  return *started;
}

void ops_server::stop() {
  if (!impl_)
    return;
  impl_->server->stop();
  impl_->io.stop();
  impl_->io.join();
}

std::uint16_t ops_server::port() const noexcept {
  return impl_->port;
}

std::string ops_server::url() const {
  const auto& host = impl_->options.host;
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->port);
}

restart_control restart_through(caf::actor_system& system, caf::actor root) {
  return [&system, root](std::string path, std::function<void(bool)> done) {
    system.spawn([root, path = std::move(path), done = std::move(done)](
                     caf::event_based_actor* self) {
      self->request(root, std::chrono::seconds{5}, restart_atom_v, path)
          .then([self, done](bool found) {
                  done(found);
                  self->quit();
                },
                [self, done](caf::error&) {
                  done(false);
                  self->quit();
                });
    });
  };
}

} // namespace tern::supervision
