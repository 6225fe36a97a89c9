#pragma once

// Metrics in the Prometheus text exposition format (version 0.0.4), written by hand: Debian 12
// has no prometheus-cpp. The supervision tree contributes its own families; later components
// (books, order trackers) register collectors that are called on each scrape.
//
// Naming (prometheus.io/docs/practices/naming): the tern_ prefix, base units as suffixes
// (_seconds), counters end in _total, and labels only for bounded dimensions (a tree path, a
// state name), never order ids or prices.

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/types.hpp"
#include "supervision/health_board.hpp"
#include "supervision/strategy_board.hpp"

namespace tern::supervision {

enum class metric_type : std::uint8_t { counter, gauge };

/// One series of a family: its labels and its current value.
struct metric_sample {
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

/// A metric with its help text, type and series.
struct metric_family {
  std::string name;
  std::string help;
  metric_type type = metric_type::gauge;
  std::vector<metric_sample> samples;
};

/// Produces families on each scrape. Called on the HTTP server's thread: it must be
/// thread-safe and quick (read atomics or a snapshot; never wait on an actor).
using metric_collector = std::function<std::vector<metric_family>()>;

/// Where components register their collectors. Thread-safe.
class metrics_registry {
 public:
  /// Adds `collector` under `owner` (for error messages); returns an id for `remove`.
  std::uint64_t add(std::string owner, metric_collector collector);
  void remove(std::uint64_t id);
  /// Every registered collector's families, in registration order.
  [[nodiscard]] std::vector<metric_family> collect() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::uint64_t, std::pair<std::string, metric_collector>> collectors_;
  std::uint64_t next_id_ = 1;
};

/// The supervision tree's families: per node its state (one series per state, 1 for the
/// current one), restarts, last failure time and mailbox size where known; the tree's overall
/// state and the age of the last publish.
[[nodiscard]] std::vector<metric_family> supervision_metrics(const board_snapshot& snapshot);

/// The links to peer nodes, when the cluster layer has published them:
/// tern_node_link_state{node,state}, tern_node_link_latency_seconds{node} (where measured),
/// tern_node_link_last_loss_timestamp_seconds{node} (links lost at least once).
[[nodiscard]] std::vector<metric_family> node_link_metrics(const board_snapshot& snapshot);

/// The strategies on the board: tern_strategy_state{strategy,state},
/// tern_strategy_pnl{strategy,exchange} (realised, in the strategy's P&L asset),
/// tern_strategy_opportunities_total, tern_strategy_orders_total, tern_strategy_fills_total,
/// tern_strategy_open_orders{strategy}, and tern_kill_switch_invocations_total.
[[nodiscard]] std::vector<metric_family> strategy_metrics(const strategy_board_snapshot& snapshot);

/// The exposition text and the families it had to leave out.
struct rendered_metrics {
  std::string text;
  std::vector<std::string> problems; ///< one line per family or sample skipped, and why
};

/// Renders `families`; families sharing a name and type are merged, an invalid name, label
/// or a second type for a name is skipped and reported.
[[nodiscard]] rendered_metrics render_prometheus(const std::vector<metric_family>& families);

/// The Content-Type of the exposition format.
inline constexpr const char* prometheus_content_type = "text/plain; version=0.0.4; charset=utf-8";

} // namespace tern::supervision
