#pragma once

// What nodes say to each other beyond the actors' own messages: the hello that opens a link
// and the atoms of the directory and of link health. The types have their own type-ID block,
// placed after Tern's, so the two blocks grow independently.
//
// Link protocol (each node's directory is the actor published on its host:port):
//   (hello_atom, hello)            -> hello            both sides check compatibility
//   (lookup_atom, name)            -> caf::actor       or an error naming what is missing
//   (register_atom, name, actor)                       a local component announces itself
//   (ping_atom, uint64 sent_ns)    -> (ping_atom, uint64 sent_ns)   link latency
// The hello carries only strings and integers, whose wire form does not depend on the schema,
// so two builds that disagree on everything else can still tell each other why.

#include <cstdint>
#include <optional>
#include <string>

#include <caf/meta/type_name.hpp>
#include <caf/type_id.hpp>

#include "actors/message_types.hpp"

namespace tern::cluster {

/// What a node says about itself when a link opens.
struct hello {
  std::string node;            ///< its name in the topology
  std::string build;           ///< Tern's version, e.g. "0.1.0"
  std::uint64_t protocol = 0;  ///< link protocol version (this file's message shapes)
  std::uint64_t schema = 0;    ///< message_schema_hash() of its build
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hello& x) {
  return f(caf::meta::type_name("tern_hello"), x.node, x.build, x.protocol, x.schema);
}

/// Bumped when the messages of the link protocol above change shape.
inline constexpr std::uint64_t link_protocol_version = 1;

/// A hash (FNV-1a, 64 bits) of every type name in Tern's type-ID blocks, in ID order: two
/// builds that differ in a type's place or name disagree. (A field added to a type changes
/// its name only if the type is renamed; message_types.hpp's structured bindings force such
/// changes to be made deliberately, and link_protocol_version covers this file.)
[[nodiscard]] std::uint64_t message_schema_hash();

/// This build's hello for node `name`; `schema_salt` is added to the schema hash (zero except
/// in tests that fake another build).
[[nodiscard]] hello local_hello(std::string name, std::uint64_t schema_salt = 0);

/// Why `remote` may not talk to `local`, or nothing when they are compatible.
[[nodiscard]] std::optional<std::string> hello_mismatch(const hello& local, const hello& remote);

/// Registers the cluster's type-ID block (Tern's own is registered by tern::runtime).
void register_cluster_types(caf::actor_system_config& cfg);

} // namespace tern::cluster

CAF_BEGIN_TYPE_ID_BLOCK(tern_cluster, caf::id_block::tern::end)

  CAF_ADD_TYPE_ID(tern_cluster, (tern::cluster::hello))

  /// (hello_atom, hello) -> hello: the first message on a new link.
  CAF_ADD_ATOM(tern_cluster, tern::cluster, hello_atom, "tern_hello")
  /// (ping_atom, sent_ns) -> (ping_atom, sent_ns): a link latency probe.
  CAF_ADD_ATOM(tern_cluster, tern::cluster, ping_atom, "tern_ping")
  /// (tick_atom, seq, sent_ns): one numbered update (the test components and the benchmark).
  CAF_ADD_ATOM(tern_cluster, tern::cluster, tick_atom, "tern_tick")
  /// (connect_atom) internal: try the links that are down.
  CAF_ADD_ATOM(tern_cluster, tern::cluster, relink_atom, "tern_relnk")

CAF_END_TYPE_ID_BLOCK(tern_cluster)
