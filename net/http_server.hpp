#pragma once

// A small HTTP/1.1 server with optional TLS and WebSocket upgrade, shared by the ops
// endpoint (plain HTTP on 127.0.0.1) and the exchange simulator (HTTPS + WSS). No exchange
// logic: the owner supplies a request handler and a WebSocket handler.
//
// Threading: every connection has its own strand. The request handler, the WebSocket handler
// and a session's callbacks run on that connection's strand, on the io_context's threads.
// `responder` and `websocket_session` methods may be called from any thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "net/errors.hpp"
#include "net/http_types.hpp"
#include "net/tls.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace tern::net {

/// A request as the server received it.
struct server_request {
  std::string method;
  std::string target;
  header_list headers;
  std::string body;
  std::uint64_t connection_id = 0; ///< the same for every request on one keep-alive connection
  std::string remote_address;      ///< "127.0.0.1:51234"

  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

/// What the server sends back. Content-Length and Server are filled in.
struct server_response {
  unsigned status = 200;
  header_list headers;
  std::string body;
  bool close_connection = false; ///< send "Connection: close" and close after writing
};

namespace detail {
struct pending_response;
} // namespace detail

/// The handle a request handler answers through, now or later (the simulator delays
/// responses this way). Copyable; the first `respond` or `drop_connection` wins, later
/// calls do nothing. If every copy is destroyed unanswered, the connection is closed, so an
/// abandoned request never holds a connection forever. A responder must not outlive the
/// io_context (it owns a socket of it).
class responder {
 public:
  explicit responder(std::shared_ptr<detail::pending_response> state) : state_(std::move(state)) {}
  void respond(server_response response) const;
  /// Closes the connection abruptly (TCP reset) without answering.
  void drop_connection() const;

 private:
  std::shared_ptr<detail::pending_response> state_;
};

using request_handler = std::function<void(server_request request, responder reply)>;

/// A server-side WebSocket connection. All methods are thread-safe (they post to the
/// session's strand) and do nothing once the session has ended.
class websocket_session {
 public:
  virtual ~websocket_session() = default;

  virtual void send_text(std::string payload) = 0;
  virtual void send_binary(std::string payload) = 0;
  /// A normal close handshake with `code`.
  virtual void close(std::uint16_t code = 1000, std::string reason = {}) = 0;
  /// Closes the TCP connection abruptly (reset), with no close frame.
  virtual void drop() = 0;
  /// While paused, sends are discarded: the connection stays up but the feed goes silent,
  /// which is what a stale-stream detector must catch. Control frames still flow.
  virtual void set_paused(bool paused) = 0;
  [[nodiscard]] virtual std::uint64_t id() const noexcept = 0;

  /// Set these in the websocket handler; reading starts after it returns.
  std::function<void(std::string payload, bool binary)> on_message;
  /// Called once when the session ends, however it ends.
  std::function<void()> on_close;
};

/// Called on upgrade with the upgrade request (for its target and headers) and the session.
using websocket_handler =
    std::function<void(const server_request& upgrade, std::shared_ptr<websocket_session> session)>;

struct http_server_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;         ///< 0 picks an ephemeral port; see `http_server::port()`
  tls_context_ptr tls;            ///< null serves plain HTTP/WS
  std::size_t body_limit = 1U << 20U;
  std::size_t websocket_message_limit = 16U << 20U;
  bool websocket_permessage_deflate = false; ///< offer RFC 7692 compression to clients
  std::chrono::nanoseconds handshake_timeout = std::chrono::seconds{10}; ///< TLS and upgrade
  std::chrono::nanoseconds read_timeout = std::chrono::seconds{60};  ///< idle keep-alive + request
  std::chrono::nanoseconds write_timeout = std::chrono::seconds{30};
};

/// Accepts connections on one address until `stop()`.
class http_server {
 public:
  http_server(boost::asio::io_context& io, http_server_options options, request_handler on_request,
              websocket_handler on_websocket = {});
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Binds, listens and starts accepting; returns the bound port. Call once.
  expected<std::uint16_t, net_error> start();
  /// Stops accepting and closes every open connection and WebSocket session. Idempotent.
  void stop();

  /// Resets the connection (HTTP or WebSocket) with this id, as a crashed server or a
  /// middlebox would; `done` (may be empty) runs on the connection's strand once the socket
  /// is closed, or at once on the caller's thread when no such connection is open.
  void drop_connection(std::uint64_t connection_id, std::function<void()> done = {});

  [[nodiscard]] std::uint16_t port() const noexcept;
  /// Connections accepted since start (TLS failures included).
  [[nodiscard]] std::uint64_t accepted_connections() const noexcept;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

} // namespace tern::net
