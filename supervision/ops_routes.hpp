#pragma once

// What the ops endpoint answers, independent of the HTTP transport (the server in
// supervision/ops_server.hpp only moves bytes):
//
//   GET  /                       the dashboard: the tree drawn live, refreshed from /health
//   GET  /livez[?verbose]        200 unless the root supervisor has given up (Kubernetes
//                                liveness: "restart this process?"; no dependency checks)
//   GET  /readyz[?verbose]       200 when nothing in the tree is starting, restarting or
//                                failed and the node is not shutting down
//   GET  /health                 the whole tree as JSON (supervision/health_json.hpp)
//   GET  /metrics                Prometheus text: the tree's metrics and every collector's
//   GET  /strategies             every strategy's snapshot as JSON (strategy_json.hpp)
//   GET  /strategies/pnl[?strategy=NAME&since_unix_ms=T]   P&L series only
//   GET  /dashboard/<asset>      the dashboard's scripts
//   POST /control/restart?path=P restart the node at path P ("node/binance/book") as if it
//                                had failed; only with control enabled and the token given
//                                as "Authorization: Bearer <token>"
//   POST /control/kill-switch[?reason=TEXT]   stop every strategy and cancel every order
//                                through the action armed on the strategy board; guarded
//                                exactly like /control/restart
//
// Reads never wait on an actor: they render the health board's latest tree and the strategy
// board's latest snapshots.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/secrets.hpp"
#include "core/types.hpp"
#include "supervision/health_board.hpp"
#include "supervision/metrics.hpp"
#include "supervision/strategy_board.hpp"

namespace tern::supervision {

struct ops_request {
  std::string method;        ///< "GET", "POST", ...
  std::string target;        ///< path and query: "/readyz?verbose"
  std::string authorization; ///< the Authorization header, empty if absent
  std::string remote_address; ///< "127.0.0.1:51234", for the log of control requests
};

struct ops_response {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers; ///< extra headers
};

/// Answers a request, now or later (a restart waits for the supervisor's reply).
using ops_reply = std::function<void(ops_response)>;

/// Asks the tree to restart the node at `path` (below the root, e.g. "binance/book");
/// calls `done` with whether such a running node was found.
using restart_control = std::function<void(std::string path, std::function<void(bool)> done)>;

struct ops_settings {
  /// Endpoints that change state exist only when this is true.
  bool control_enabled = false;
  /// The bearer token those endpoints require; must be non-empty when control is enabled.
  config::secret control_token;
};

class ops_routes {
 public:
  /// Throws std::invalid_argument when control is enabled without a token. `now` is the
  /// wall clock (injected for tests). `strategies` (may be null: /strategies is then empty
  /// and the kill switch unarmed) must outlive the routes.
  ops_routes(const health_board& board, const metrics_registry& metrics, ops_settings settings,
             restart_control restart, std::function<timestamp()> now,
             strategy_board* strategies = nullptr);

  /// Answers `request` through `reply`, exactly once.
  void handle(const ops_request& request, const ops_reply& reply) const;

  /// Requests answered so far by endpoint and status, as tern_ops_http_requests_total.
  [[nodiscard]] metric_family request_counts() const;

 private:
  void route(const ops_request& request, const ops_reply& reply) const;
  [[nodiscard]] ops_response probe(std::string_view which, bool verbose) const;
  [[nodiscard]] ops_response metrics() const;
  void control(const ops_request& request, std::string_view query, const ops_reply& reply) const;
  void kill(const ops_request& request, std::string_view query, const ops_reply& reply) const;
  /// The refusal of a control request (disabled, not POST, bad token), or nothing.
  [[nodiscard]] std::optional<ops_response> refuse_control(const ops_request& request) const;
  [[nodiscard]] ops_response strategies(std::string_view path, std::string_view query) const;

  const health_board& board_;
  const metrics_registry& metrics_;
  ops_settings settings_;
  restart_control restart_;
  std::function<timestamp()> now_;
  strategy_board* strategies_;
  mutable std::mutex counts_mutex_;
  mutable std::map<std::pair<std::string, unsigned>, std::uint64_t> counts_;
};

/// The dashboard page (supervision/dashboard.html, embedded at build time).
[[nodiscard]] std::string_view dashboard_html() noexcept;

/// A script of the dashboard served at /dashboard/<name> ("tree.js", "strategies.js"), or
/// nothing for an unknown name.
[[nodiscard]] std::optional<std::string_view> dashboard_asset(std::string_view name) noexcept;

/// The value of `key` in a query string ("a=1&path=x%2Fy"), percent-decoded; empty if absent.
[[nodiscard]] std::string query_value(std::string_view query, std::string_view key);
/// Whether `key` appears in the query string, with or without a value ("verbose").
[[nodiscard]] bool query_has(std::string_view query, std::string_view key);

} // namespace tern::supervision
