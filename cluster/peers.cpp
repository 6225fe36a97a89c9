#include "cluster/peers.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "supervision/health_json.hpp"

namespace tern::cluster {
namespace {

using json = nlohmann::json;

constexpr peer_state all_states[] = {peer_state::connecting, peer_state::connected,
                                     peer_state::lost, peer_state::refused};

std::int64_t unix_ms(timestamp time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

std::optional<peer_state> state_named(std::string_view text) {
  for (auto state : all_states)
    if (to_string(state) == text)
      return state;
  return std::nullopt;
}

expected<peer_status, std::string> peer_from_json(const json& item) {
  if (!item.is_object() || !item.contains("name") || !item.contains("state"))
    return unexpected{std::string{"a \"nodes\" entry lacks \"name\" or \"state\""}};
  peer_status peer;
  peer.name = item.value("name", "");
  peer.address = item.value("address", "");
  const auto state = state_named(item.value("state", ""));
  if (!state)
    return unexpected{"node '" + peer.name + "' has an unknown state"};
  peer.state = *state;
  if (item.contains("latency_us") && item["latency_us"].is_number())
    peer.latency = std::chrono::microseconds{item["latency_us"].get<std::int64_t>()};
  if (item.contains("last_loss") && item["last_loss"].is_object())
    peer.last_loss = timestamp{std::chrono::milliseconds{item["last_loss"].value("unix_ms",
                                                                                 std::int64_t{0})}};
  peer.reason = item.value("reason", "");
  peer.losses = item.value("losses", std::uint64_t{0});
  return peer;
}

} // namespace

std::string_view to_string(peer_state value) noexcept {
  switch (value) {
    case peer_state::connecting: return "connecting";
    case peer_state::connected: return "connected";
    case peer_state::lost: return "lost";
    case peer_state::refused: return "refused";
  }
  return "unknown";
}

std::string render_nodes_json(const std::vector<peer_status>& peers) {
  json out = json::array();
  for (const auto& peer : peers) {
    json item;
    item["name"] = peer.name;
    item["address"] = peer.address;
    item["state"] = std::string{to_string(peer.state)};
    item["latency_us"] = peer.latency ? json(std::chrono::duration_cast<std::chrono::microseconds>(
                                                 *peer.latency).count())
                                      : json(nullptr);
    item["last_loss"] = peer.last_loss
                            ? json{{"time", supervision::format_utc(*peer.last_loss)},
                                   {"unix_ms", unix_ms(*peer.last_loss)}}
                            : json(nullptr);
    item["reason"] = peer.reason;
    item["losses"] = peer.losses;
    out.push_back(std::move(item));
  }
  return out.dump();
}

expected<std::vector<peer_status>, std::string> parse_nodes_json(std::string_view document) {
  const auto parsed = json::parse(document, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    return unexpected{std::string{"the health document is not a JSON object"}};
  std::vector<peer_status> out;
  const auto nodes = parsed.find("nodes");
  if (nodes == parsed.end() || nodes->is_null())
    return out;
  if (!nodes->is_array())
    return unexpected{std::string{"\"nodes\" is not an array"}};
  for (const auto& item : *nodes) {
    auto peer = peer_from_json(item);
    if (!peer)
      return unexpected{peer.error()};
    out.push_back(std::move(*peer));
  }
  return out;
}

std::vector<supervision::metric_family> peer_metrics(const std::vector<peer_status>& peers) {
  using supervision::metric_family;
  using supervision::metric_type;
  metric_family up{"tern_peer_up", "1 when the link to the peer node is up and its hello accepted",
                   metric_type::gauge, {}};
  metric_family refused{"tern_peer_refused",
                        "1 when the peer was refused (TLS handshake or hello mismatch)",
                        metric_type::gauge, {}};
  metric_family latency{"tern_peer_latency_seconds", "last ping round trip to the peer node",
                        metric_type::gauge, {}};
  metric_family losses{"tern_peer_losses_total", "links to the peer node lost since start",
                       metric_type::counter, {}};
  for (const auto& peer : peers) {
    std::vector<std::pair<std::string, std::string>> labels{{"peer", peer.name}};
    up.samples.push_back({labels, peer.state == peer_state::connected ? 1.0 : 0.0});
    refused.samples.push_back({labels, peer.state == peer_state::refused ? 1.0 : 0.0});
    if (peer.latency)
      latency.samples.push_back(
          {labels, std::chrono::duration<double>(*peer.latency).count()});
    losses.samples.push_back({labels, static_cast<double>(peer.losses)});
  }
  return {up, refused, latency, losses};
}

std::string render_peer_lines(const std::vector<peer_status>& peers) {
  std::string out;
  for (const auto& peer : peers) {
    char latency[32] = "-";
    if (peer.latency)
      std::snprintf(latency, sizeof latency, "%.2f ms",
                    std::chrono::duration<double, std::milli>(*peer.latency).count());
    out += "  " + peer.name + "  " + peer.address + "  " + std::string{to_string(peer.state)}
           + "  " + latency;
    if (!peer.reason.empty())
      out += "  (" + peer.reason + ")";
    if (peer.last_loss)
      out += "  last loss " + supervision::format_utc(*peer.last_loss);
    out += '\n';
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
