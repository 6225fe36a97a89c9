#pragma once

// What a node knows about its links to the other nodes, and how it is shown: the "nodes"
// array of /health, the tern_peer_* metrics and `tern status` lines.
//
//   "nodes": [{"name": "a", "address": "127.0.0.1:4401", "state": "connected",
//              "latency_us": 412, "last_loss": null, "reason": ""}, ...]
//
// `last_loss` is null or {"time": "...Z", "unix_ms": ...}; `latency_us` is null until the
// first ping round trip of the current link.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/types.hpp"
#include "supervision/metrics.hpp"

namespace tern::cluster {

enum class peer_state : std::uint8_t {
  connecting, ///< never linked yet; trying
  connected,  ///< linked, hello accepted
  lost,       ///< was linked or could not connect; retrying with backoff
  refused,    ///< TLS handshake or hello refused; retrying in case the peer is fixed
};

[[nodiscard]] std::string_view to_string(peer_state value) noexcept;

struct peer_status {
  std::string name;
  std::string address; ///< "host:port"
  peer_state state = peer_state::connecting;
  std::optional<std::chrono::nanoseconds> latency; ///< last ping round trip
  std::optional<timestamp> last_loss;
  std::string reason;      ///< why it is lost or refused; the last loss's reason when connected
  std::uint64_t losses = 0; ///< links lost since start
};

/// The "nodes" array of /health.
[[nodiscard]] std::string render_nodes_json(const std::vector<peer_status>& peers);

/// Reads the "nodes" array of a /health document back (for `tern status` and tests); an
/// absent array is an empty list.
[[nodiscard]] expected<std::vector<peer_status>, std::string> parse_nodes_json(
    std::string_view health_document);

/// tern_peer_up{peer}, tern_peer_latency_seconds{peer}, tern_peer_losses_total{peer},
/// tern_peer_refused{peer}.
[[nodiscard]] std::vector<supervision::metric_family> peer_metrics(
    const std::vector<peer_status>& peers);

/// "  b  127.0.0.1:4402  connected  0.41 ms" lines for `tern status`.
[[nodiscard]] std::string render_peer_lines(const std::vector<peer_status>& peers);

/// The next reconnect delay after `failures` consecutive failed attempts: min x 2^failures,
/// capped at max.
[[nodiscard]] std::chrono::milliseconds reconnect_delay(std::chrono::milliseconds min,
                                                       std::chrono::milliseconds max,
                                                       std::uint32_t failures) noexcept;

} // namespace tern::cluster
