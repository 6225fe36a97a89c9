#include "cluster/messages.hpp"

#include <string_view>
#include <utility>

#include <caf/actor_system_config.hpp>

#include "cluster/build_version.hpp"

namespace tern::cluster {
namespace {

constexpr std::uint64_t fnv_offset = 14695981039346656037ULL;
constexpr std::uint64_t fnv_prime = 1099511628211ULL;

std::uint64_t mix(std::uint64_t hash, std::string_view text) {
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= fnv_prime;
  }
  hash ^= 0xff; // a separator, so ("ab","c") and ("a","bc") differ
  return hash * fnv_prime;
}

template <caf::type_id_t Begin, std::size_t... I>
std::uint64_t mix_block(std::uint64_t hash, std::index_sequence<I...>) {
  ((hash = mix(hash, caf::type_name_by_id<Begin + I>::value)), ...);
  return hash;
}

template <class Block>
std::uint64_t mix_block(std::uint64_t hash) {
  return mix_block<Block::begin>(hash, std::make_index_sequence<Block::end - Block::begin>{});
}

} // namespace

std::uint64_t message_schema_hash() {
  auto hash = mix_block<caf::id_block::tern>(fnv_offset);
  return mix_block<caf::id_block::tern_cluster>(hash);
}

hello local_hello(std::string name, std::uint64_t schema_salt) {
  return hello{std::move(name), build_version, link_protocol_version,
               message_schema_hash() + schema_salt};
}

std::optional<std::string> hello_mismatch(const hello& local, const hello& remote) {
  const auto who = "node '" + remote.node + "' (build " + remote.build + ")";
  if (remote.protocol != local.protocol)
    return who + " speaks link protocol " + std::to_string(remote.protocol) + ", this node "
           + std::to_string(local.protocol);
  if (remote.schema != local.schema)
    return who + " has message schema " + std::to_string(remote.schema) + ", this node (build "
           + local.build + ") " + std::to_string(local.schema)
           + ": the builds differ; run the same Tern version on every node";
  if (remote.build != local.build)
    return who + " is another Tern version than this node's " + local.build;
  return std::nullopt;
}

void register_cluster_types(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::tern_cluster>();
}

} // namespace tern::cluster
