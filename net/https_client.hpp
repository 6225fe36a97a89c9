#pragma once

// An asynchronous HTTPS/1.1 client for one origin (host:port) with a keep-alive connection
// pool. Every result says whether the request was written, because that is what separates a
// safe retry from an order whose fate is unknown.
//
// Threading: `async_request` and `close` may be called from any thread. Everything else runs
// on the client's strand on the io_context's threads, including the callbacks: keep them
// short and never block in them (post heavy work elsewhere, e.g. send an actor message).
// Each callback is called exactly once, unless the client is destroyed first: destruction
// closes the client and suppresses every later callback (waiting for one in progress).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/expected.hpp"
#include "net/errors.hpp"
#include "net/http_types.hpp"
#include "net/tls.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace tern::net {

using https_result = expected<http_response, net_error>;
using https_callback = std::function<void(https_result result)>;

struct https_client_options {
  std::string host;        ///< what to connect to: a DNS name or an IP literal
  std::uint16_t port = 443;
  std::string server_name; ///< the name the certificate must carry; empty means `host`
  tls_context_ptr tls;     ///< from make_client_tls_context(); required

  std::size_t max_connections = 4; ///< open at once; further requests wait in a queue
  std::size_t max_queued = 1024;   ///< waiting requests beyond this fail with queue_full
  std::chrono::nanoseconds connect_timeout = std::chrono::seconds{5};   ///< resolve + TCP
  std::chrono::nanoseconds handshake_timeout = std::chrono::seconds{5}; ///< TLS
  std::chrono::nanoseconds request_timeout = std::chrono::seconds{10};  ///< default per request
  /// Idle pooled connections older than this are closed instead of reused, staying below
  /// typical server keep-alive limits so a reused connection is rarely one the server dropped.
  std::chrono::nanoseconds max_idle = std::chrono::seconds{30};
  std::size_t max_body = 64U << 20U; ///< response body limit, after decompression
  std::string user_agent = "tern/0.1";
  bool accept_gzip = true; ///< send Accept-Encoding: gzip (bodies are decoded either way)
};

/// Pool statistics for tests and metrics.
struct https_client_stats {
  std::uint64_t connections_opened = 0;
  std::uint64_t requests_on_reused_connections = 0;
  std::uint64_t broken_idle_connections_dropped = 0;
};

class https_client {
 public:
  /// Throws std::invalid_argument when `host` is empty or `tls` is null (a programming
  /// error: no request could ever succeed).
  https_client(boost::asio::io_context& io, https_client_options options);
  ~https_client();
  https_client(const https_client&) = delete;
  https_client& operator=(const https_client&) = delete;

  /// Sends `request` on an idle pooled connection, a new one, or after waiting for one.
  /// The callback gets the response (any status: a 4xx/5xx is a response, not an error; see
  /// classify_http_status) or a net_error whose `request_written` tells whether the server
  /// may have received the request. Connect and TLS failures happen before anything is
  /// written; a failure on a reused connection after the write is outcome_unknown.
  void async_request(http_request request, https_callback callback);

  /// Fails waiting requests (cancelled, not written) and aborts requests in flight
  /// (cancelled; written if their write had started), then closes every connection. The
  /// client accepts no requests afterwards (they fail with cancelled).
  void close();

  [[nodiscard]] https_client_stats stats() const;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

} // namespace tern::net
