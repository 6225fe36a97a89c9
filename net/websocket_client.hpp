#pragma once

// A WSS client that keeps one logical stream alive: it reconnects with backoff, detects
// silent (stale) streams, runs an exchange's application heartbeat, decompresses frames, and
// writes from one queue. The owner resubscribes or logs in from `on_open`, which fires after
// every successful (re)connect.
//
// Threading: `start`, `send_text`, `send_binary` and `close` may be called from any thread;
// they post to the connection's strand, so sends from one thread go out in call order, one
// frame at a time. Callbacks run on that strand, on the io_context's threads, one at a time:
// keep them short. Destroying the client closes it and suppresses every later callback
// (waiting for one in progress).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/types.hpp"
#include "net/backoff.hpp"
#include "net/compression.hpp"
#include "net/errors.hpp"
#include "net/http_types.hpp"
#include "net/tls.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace tern::net {

/// A received data frame (heartbeat replies are not delivered).
struct websocket_message {
  bool binary = false;
  std::string payload; ///< decompressed when the connection is configured for it
  timestamp received;  ///< wall clock when the frame was read
};

/// An exchange's application-level keep-alive, e.g. send "ping" every 20 s, expect "pong".
struct app_heartbeat {
  std::chrono::nanoseconds interval{};
  std::string payload;
  bool binary = false;
  /// Recognises the reply so it is swallowed rather than delivered as data. May be empty
  /// when the exchange does not answer.
  std::function<bool(std::string_view payload, bool binary)> is_reply;
  /// A reply missing for this long closes the connection (and reconnects); zero: no check.
  std::chrono::nanoseconds reply_timeout{};
};

/// Why the connection closed, and what happens next.
struct websocket_close_info {
  net_error error;          ///< closed_by_peer, timeout (stale/heartbeat), cancelled (close())...
  bool was_open = false;    ///< false when a connect attempt failed
  bool will_reconnect = false;
  std::chrono::nanoseconds reconnect_delay{}; ///< from the backoff, when will_reconnect
};

/// What happened to one `send_*` call.
enum class send_outcome : std::uint8_t {
  written,  ///< the whole frame was handed to the socket
  not_sent, ///< dropped before any byte was written (not open, queue full, closed first)
  unknown,  ///< the write started but the connection failed: the peer may have it
};

using send_callback = std::function<void(send_outcome outcome)>;

struct websocket_callbacks {
  std::function<void()> on_open;
  std::function<void(websocket_message message)> on_message;
  std::function<void(const websocket_close_info& info)> on_close;
};

struct websocket_client_options {
  std::string url;         ///< wss://host[:port]/path
  std::string server_name; ///< the name the certificate must carry; empty means the URL host
  tls_context_ptr tls;     ///< required
  header_list handshake_headers;

  /// Time limit for each connect phase: resolve, TCP, TLS, and the upgrade.
  std::chrono::nanoseconds connect_timeout = std::chrono::seconds{10};
  /// Protocol keep-alive: after this long without traffic Beast sends a ping, and closes if
  /// another such period passes in silence. Zero disables it.
  std::chrono::nanoseconds protocol_idle_timeout = std::chrono::seconds{30};
  std::optional<app_heartbeat> heartbeat;
  /// No data frame for this long closes and reconnects. Zero disables it.
  std::chrono::nanoseconds stale_timeout{};
  /// Application compression of binary frames (text frames are delivered as they are).
  compression_format binary_compression = compression_format::none;
  bool permessage_deflate = false; ///< negotiate RFC 7692 compression
  std::size_t max_message_size = 16U << 20U;
  std::size_t max_queued_sends = 4096;

  /// Reconnect after every failure except fatal ones (see `classify`): a refused
  /// certificate stops the client with will_reconnect = false.
  bool auto_reconnect = true;
  backoff_options reconnect{};
  std::uint64_t backoff_seed = 0; ///< jitter seed: fixed in tests, random by default (0)
  /// A connection that stayed open this long resets the backoff when it drops.
  std::chrono::nanoseconds stable_after = std::chrono::seconds{30};
};

class websocket_client {
 public:
  /// Throws std::invalid_argument for a bad URL, a non-wss scheme, a null TLS context or
  /// invalid backoff options (programming errors).
  websocket_client(boost::asio::io_context& io, websocket_client_options options,
                   websocket_callbacks callbacks);
  ~websocket_client();
  websocket_client(const websocket_client&) = delete;
  websocket_client& operator=(const websocket_client&) = delete;

  /// Starts the first connection attempt. Call once.
  void start();
  /// Queues a frame. While not open, or with the queue full, it is dropped (`not_sent`):
  /// nothing is replayed after a reconnect, so owners resend state from `on_open`.
  void send_text(std::string payload, send_callback done = {});
  void send_binary(std::string payload, send_callback done = {});
  /// Closes with a normal close frame and stops reconnecting; on_close follows with
  /// will_reconnect = false. Final: the client cannot be restarted.
  void close();

  [[nodiscard]] bool is_open() const noexcept;
  /// Successful opens so far (reconnects included).
  [[nodiscard]] std::uint64_t open_count() const noexcept;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

} // namespace tern::net
