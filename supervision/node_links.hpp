#pragma once

// The links of this node to its peers in a multi-node topology, as the cluster layer reports
// them for /health, /metrics, the dashboard and `tern status`. Pure and header-only: the
// cluster layer fills a vector of these and hands it to health_board::publish_nodes.
//
// In /health (only when the cluster layer has published):
//   "nodes": [{"name": "books-eu", "address": "10.0.0.2:4242", "state": "connected",
//              "latency_us": 310, "last_loss": "2026-11-24T22:13:01.023Z", "reason": "",
//              "losses": 0}]

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace tern::supervision {

/// Where the link to one peer node stands.
enum class link_state : std::uint8_t {
  connecting, ///< not linked yet, or reconnecting after a loss (with backoff)
  connected,  ///< linked and answering heartbeats
  lost,       ///< was linked; the peer died, hung or the network dropped
  refused,    ///< the peer was reached but refused (certificate, version); the reason says why
};

inline constexpr link_state all_link_states[] = {link_state::connecting, link_state::connected,
                                                 link_state::lost, link_state::refused};

[[nodiscard]] constexpr std::string_view to_string(link_state value) noexcept {
  switch (value) {
    case link_state::connecting: return "connecting";
    case link_state::connected: return "connected";
    case link_state::lost: return "lost";
    case link_state::refused: return "refused";
  }
  return "unknown";
}

[[nodiscard]] constexpr std::optional<link_state> parse_link_state(std::string_view text) noexcept {
  for (const auto state : all_link_states)
    if (to_string(state) == text)
      return state;
  return std::nullopt;
}

/// One peer as this node sees it.
struct node_link {
  std::string name;    ///< the peer's node name in the topology
  std::string address; ///< "host:port" it is reached at
  link_state state = link_state::connecting;
  std::optional<std::int64_t> latency_us; ///< last measured round trip; none before the first
  std::optional<timestamp> last_loss;     ///< when the link was last lost; none if never
  std::string reason; ///< why it is lost or refused; the last loss's reason when connected
  std::uint64_t losses = 0; ///< links to the peer lost since this node started
};

} // namespace tern::supervision
