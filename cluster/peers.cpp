#include "cluster/peers.hpp"

#include <utility>

#include "supervision/health_json.hpp"

namespace tern::cluster {
namespace {

supervision::link_state link_state_of(peer_state state) {
  switch (state) {
    case peer_state::connecting: return supervision::link_state::connecting;
    case peer_state::connected: return supervision::link_state::connected;
    case peer_state::lost: return supervision::link_state::lost;
    case peer_state::refused: return supervision::link_state::refused;
  }
  return supervision::link_state::lost;
}

peer_state peer_state_of(supervision::link_state state) {
  switch (state) {
    case supervision::link_state::connecting: return peer_state::connecting;
    case supervision::link_state::connected: return peer_state::connected;
    case supervision::link_state::lost: return peer_state::lost;
    case supervision::link_state::refused: return peer_state::refused;
  }
  return peer_state::lost;
}

} // namespace

std::string_view to_string(peer_state value) noexcept {
  return supervision::to_string(link_state_of(value));
}

std::vector<supervision::node_link> to_node_links(const std::vector<peer_status>& peers) {
  std::vector<supervision::node_link> out;
  out.reserve(peers.size());
  for (const auto& peer : peers) {
    supervision::node_link link;
    link.name = peer.name;
    link.address = peer.address;
    link.state = link_state_of(peer.state);
    if (peer.latency)
      link.latency_us = std::chrono::duration_cast<std::chrono::microseconds>(*peer.latency).count();
    link.last_loss = peer.last_loss;
    link.reason = peer.reason;
    link.losses = peer.losses;
    out.push_back(std::move(link));
  }
  return out;
}

expected<std::vector<peer_status>, std::string> parse_nodes_json(std::string_view document) {
  auto parsed = supervision::parse_health_json(document);
  if (!parsed)
    return unexpected{parsed.error()};
  std::vector<peer_status> out;
  for (const auto& link : parsed->nodes.value_or(std::vector<supervision::node_link>{})) {
    peer_status peer;
    peer.name = link.name;
    peer.address = link.address;
    peer.state = peer_state_of(link.state);
    if (link.latency_us)
      peer.latency = std::chrono::microseconds{*link.latency_us};
    peer.last_loss = link.last_loss;
    peer.reason = link.reason;
    peer.losses = link.losses;
    out.push_back(std::move(peer));
  }
  return out;
}

std::chrono::milliseconds reconnect_delay(std::chrono::milliseconds min,
                                          std::chrono::milliseconds max,
                                          std::uint32_t failures) noexcept {
  auto delay = min;
  for (std::uint32_t i = 0; i < failures && delay < max; ++i)
    delay *= 2;
  return delay < max ? delay : max;
}

} // namespace tern::cluster
