#pragma once

// The ops endpoint of a node: net::http_server on its own I/O thread, answering with
// ops_routes. Reads are served from the health board; the one control action (restart) is
// a request to the root supervisor, answered when the supervisor replies.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "core/expected.hpp"
#include "supervision/health_board.hpp"
#include "supervision/metrics.hpp"
#include "supervision/ops_routes.hpp"

namespace tern::supervision {

struct ops_server_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 9180; ///< 0 picks a free port (see `port()`)
  ops_settings settings;
  /// The node's strategy board, for /strategies, strategy metrics and the kill switch; null
  /// on a node without strategies. Must outlive the server.
  strategy_board* strategies = nullptr;
  /// Called on the server's thread after each response is handed to the connection (an
  /// access log, a test waiting for the dashboard's first poll). Must not block.
  std::function<void(const ops_request&, const ops_response&)> on_answered;
};

/// Serves /, /livez, /readyz, /health, /metrics, /strategies and (when enabled)
/// /control/restart and /control/kill-switch.
/// Destroy it before the actor system: it holds a handle on the root supervisor, and the
/// system's shutdown was seen to hang on handles kept outside it.
class ops_server {
 public:
  /// `root` is the root supervisor (the target of control requests). `board` and `metrics`
  /// must outlive the server.
  ops_server(caf::actor_system& system, caf::actor root, const health_board& board,
             const metrics_registry& metrics, ops_server_options options);
  ~ops_server();
  ops_server(const ops_server&) = delete;
  ops_server& operator=(const ops_server&) = delete;

  /// Binds and starts serving; the error names the address and why it failed.
  expected<std::uint16_t, std::string> start();
  /// Stops accepting and closes every connection. Idempotent.
  void stop();

  [[nodiscard]] std::uint16_t port() const noexcept;
  /// "http://127.0.0.1:9180"
  [[nodiscard]] std::string url() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// A restart_control that asks `root` (restart_atom, path) and reports its answer; an actor
/// per request, so the HTTP thread never blocks on the tree.
[[nodiscard]] restart_control restart_through(caf::actor_system& system, caf::actor root);

} // namespace tern::supervision
