#pragma once

// What a node knows about its links to the other nodes. It is shown through supervision's
// node links (supervision/node_links.hpp): /health's "nodes", the tern_node_link_* metrics,
// the dashboard and `tern status`.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/types.hpp"
#include "supervision/node_links.hpp"

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

/// The peers as supervision's node links: what the node hands to health_board::publish_nodes,
/// the one source of /health's "nodes", the tern_node_link_* metrics, the dashboard's nodes
/// panel and `tern status`.
[[nodiscard]] std::vector<supervision::node_link> to_node_links(const std::vector<peer_status>& peers);

/// Reads the "nodes" array of a /health document back (for tests and tools); an absent array
/// is an empty list.
[[nodiscard]] expected<std::vector<peer_status>, std::string> parse_nodes_json(
    std::string_view health_document);

/// The next reconnect delay after `failures` consecutive failed attempts: min x 2^failures,
/// capped at max.
[[nodiscard]] std::chrono::milliseconds reconnect_delay(std::chrono::milliseconds min,
                                                       std::chrono::milliseconds max,
                                                       std::uint32_t failures) noexcept;

} // namespace tern::cluster
