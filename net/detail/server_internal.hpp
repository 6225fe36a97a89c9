#pragma once

// What http_server.cpp and server_websocket.cpp share. Internal to net/: includes Beast.

#include <utility> // before Asio: Boost 1.74 misses it under C++20

#include <atomic>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "net/detail/callback_gate.hpp"
#include "net/http_server.hpp"

namespace tern::net::detail {

namespace beast = boost::beast;
using request_message = beast::http::request<beast::http::string_body>;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

/// A live connection the server can close on `stop()`.
class server_connection {
 public:
  virtual ~server_connection() = default;
  /// Posts a close of the socket onto the connection's strand.
  virtual void shutdown_now() = 0;
  /// Posts a reset (SO_LINGER 0) of the socket, then runs `done` on the strand.
  virtual void reset_now(std::function<void()> done) = 0;
};

/// State shared by the listener and every connection; outlives the http_server object
/// while handlers are still pending.
struct server_state {
  http_server_options options;
  request_handler on_request;
  websocket_handler on_websocket;
  callback_gate gate; ///< closed by stop(): no user callback runs afterwards
  std::atomic<std::uint64_t> next_id{1};
  std::atomic<std::uint64_t> accepted{0};

  void track(std::uint64_t id, const std::shared_ptr<server_connection>& connection);
  void forget(std::uint64_t id);
  /// Marks the server stopped and shuts every tracked connection.
  void close_all();
  /// The live connection with this id, if any.
  [[nodiscard]] std::shared_ptr<server_connection> find(std::uint64_t id);
  [[nodiscard]] bool stopped();

 private:
  std::mutex mutex_;
  bool stopped_ = false;
  std::unordered_map<std::uint64_t, std::weak_ptr<server_connection>> live_;
};

[[nodiscard]] server_request to_server_request(const request_message& message,
                                               std::uint64_t connection_id,
                                               const std::string& remote);

/// Takes over a connection whose request was a WebSocket upgrade.
void start_websocket_session(beast::tcp_stream stream, request_message upgrade, std::uint64_t id,
                             const std::string& remote, std::shared_ptr<server_state> state);
void start_websocket_session(tls_stream stream, request_message upgrade, std::uint64_t id,
                             const std::string& remote, std::shared_ptr<server_state> state);

/// Closes the socket with SO_LINGER 0, so the peer sees a reset rather than an orderly close.
void reset_socket(beast::tcp_stream& stream);

} // namespace tern::net::detail
