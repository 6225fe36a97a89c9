#include "cluster/directory.hpp"

#include <map>
#include <set>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/middleman_actor.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/response_promise.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>
#include <spdlog/spdlog.h>

namespace tern::cluster {
namespace {

using std::chrono::steady_clock;

struct peer_entry {
  peer_address address;
  peer_status status;
  caf::actor directory;        ///< the peer's directory while linked
  std::uint32_t failures = 0;  ///< consecutive failed attempts
  bool attempt_pending = false; ///< a connect in flight or a retry scheduled
  /// Whether this node opens the link. Only one side of a pair dials (the node whose name
  /// sorts first): when both did, CAF's middleman closed one of the two connections and the
  /// proxies on it went down with it, so links flapped.
  bool dials = false;
  std::string last_loss_reason; ///< shown again while connected, next to last_loss
};

struct directory_state {
  directory_options options;
  caf::io::middleman_actor connector;
  std::map<std::string, caf::actor, std::less<>> local;
  std::map<std::string, peer_entry, std::less<>> peers;
  static inline const char* name = "tern.directory";
};

using directory_actor = caf::stateful_actor<directory_state>;

caf::error failure(std::string text) {
  return caf::make_error(caf::sec::runtime_error, std::move(text));
}

std::uint64_t steady_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(steady_clock::now().time_since_epoch())
          .count());
}

void publish_peers(directory_actor* self) {
  if (!self->state.options.on_peers)
    return;
  std::vector<peer_status> out;
  for (const auto& [name, peer] : self->state.peers)
    out.push_back(peer.status);
  self->state.options.on_peers(out);
}

void try_connect(directory_actor* self, const std::string& name);

/// Schedules the next attempt after a failure (or a loss, with failures reset).
void schedule_retry(directory_actor* self, peer_entry& peer) {
  const auto& options = self->state.options;
  const auto delay = reconnect_delay(options.reconnect_min, options.reconnect_max, peer.failures);
  ++peer.failures;
  peer.attempt_pending = true;
  self->delayed_send(self, delay, relink_atom_v, peer.address.name);
}

void mark_connected(directory_actor* self, peer_entry& peer, caf::actor directory) {
  if (peer.directory == directory && peer.status.state == peer_state::connected)
    return;
  if (peer.directory)
    self->demonitor(peer.directory);
  peer.directory = std::move(directory);
  self->monitor(peer.directory);
  peer.status.state = peer_state::connected;
  peer.status.reason = peer.last_loss_reason; // failed attempts before this link no longer matter
  peer.status.latency.reset();
  peer.failures = 0;
  spdlog::info("cluster[{}]: linked with node '{}' at {}", self->state.options.self.node,
               peer.address.name, peer.status.address);
  publish_peers(self);
}

/// The link is down or was never up: record why and try again later.
void mark_down(directory_actor* self, peer_entry& peer, peer_state state, std::string reason) {
  const bool was_up = peer.status.state == peer_state::connected;
  if (peer.directory)
    self->demonitor(peer.directory);
  peer.directory = nullptr;
  peer.status.latency.reset();
  if (was_up) {
    ++peer.status.losses;
    peer.status.last_loss = std::chrono::time_point_cast<std::chrono::nanoseconds>(
        std::chrono::system_clock::now());
    peer.failures = 0;
    peer.last_loss_reason = reason;
    spdlog::warn("cluster[{}]: lost node '{}': {}", self->state.options.self.node, peer.address.name, reason);
  } else if (state == peer_state::refused && peer.status.reason != reason) {
    spdlog::error("cluster[{}]: refused node '{}': {}", self->state.options.self.node,
                  peer.address.name, reason);
  }
  // A peer that never came up stays "connecting" until it refuses us.
  if (was_up || state == peer_state::refused || peer.status.state != peer_state::connecting)
    peer.status.state = state;
  peer.status.reason = std::move(reason);
  publish_peers(self);
  if (peer.dials && !peer.attempt_pending)
    schedule_retry(self, peer);
}

std::string describe_connect_error(directory_actor* self, const caf::error& error) {
  if (error == caf::sec::disconnect_during_handshake)
    return "TLS handshake failed: the peer's certificate is not signed by the topology's CA, "
           "or the peer refused this node's certificate";
  if (error == caf::sec::cannot_connect_to_node)
    return "cannot connect (not listening, or not speaking this node's link protocol)";
  return "cannot connect: " + self->system().render(error);
}

/// Sends our hello over a fresh connection and accepts the peer if its answer matches.
void greet(directory_actor* self, const std::string& name, caf::actor directory) {
  const auto timeout = self->state.options.lookup_timeout;
  self->request(directory, timeout, hello_atom_v, self->state.options.self)
    .then(
      [self, name, directory](hello& remote) {
        auto& peer = self->state.peers.at(name);
        peer.attempt_pending = false;
        if (auto why = hello_mismatch(self->state.options.self, remote)) {
          mark_down(self, peer, peer_state::refused, "hello refused: " + *why);
          return;
        }
        mark_connected(self, peer, directory);
      },
      [self, name](caf::error& error) {
        auto& peer = self->state.peers.at(name);
        peer.attempt_pending = false;
        mark_down(self, peer, peer_state::lost, "no hello: " + error_text(self->system(), error));
      });
}

void try_connect(directory_actor* self, const std::string& name) {
  auto& peer = self->state.peers.at(name);
  peer.attempt_pending = true;
  const auto& address = peer.address;
  self->request(self->state.connector, self->state.options.connect_timeout,
                caf::connect_atom::value, address.host, address.port)
    .then(
      [self, name](const caf::node_id&, caf::strong_actor_ptr& handle,
                   const std::set<std::string>&) {
        auto& entry = self->state.peers.at(name);
        if (entry.status.state == peer_state::connected || !handle) {
          entry.attempt_pending = false; // the peer linked to us first
          return;
        }
        greet(self, name, caf::actor_cast<caf::actor>(std::move(handle)));
      },
      [self, name](caf::error& error) {
        auto& entry = self->state.peers.at(name);
        entry.attempt_pending = false;
        const bool refused = error == caf::sec::disconnect_during_handshake;
        mark_down(self, entry, refused ? peer_state::refused : peer_state::lost,
                  describe_connect_error(self, error));
      });
}

/// A peer connected to us and said hello: accept it as the link to that node.
hello on_hello(directory_actor* self, const hello& remote) {
  const auto sender = caf::actor_cast<caf::actor>(self->current_sender());
  const auto found = self->state.peers.find(remote.node);
  if (found == self->state.peers.end()) {
    spdlog::warn("cluster: hello from '{}', which is not a node of this topology", remote.node);
    return self->state.options.self;
  }
  auto& peer = found->second;
  if (auto why = hello_mismatch(self->state.options.self, remote))
    mark_down(self, peer, peer_state::refused, "hello refused: " + *why);
  else if (sender)
    mark_connected(self, peer, sender);
  return self->state.options.self;
}

caf::response_promise on_lookup(directory_actor* self, const std::string& name) {
  auto promise = self->make_response_promise();
  const auto& options = self->state.options;
  const auto owner = options.owner ? options.owner(name) : std::string{};
  const bool asked_by_peer = self->current_sender() != nullptr
                             && self->current_sender()->node() != self->node();
  if (owner.empty() || owner == options.self.node || asked_by_peer) {
    const auto found = self->state.local.find(name);
    if (found != self->state.local.end())
      promise.deliver(found->second);
    else
      promise.deliver(failure("no component named '" + name + "' is running on node '"
                              + options.self.node + "'"));
    return promise;
  }
  const auto peer = self->state.peers.find(owner);
  if (peer == self->state.peers.end() || !peer->second.directory) {
    std::string why = peer == self->state.peers.end() ? "not a peer of this node"
                                                      : std::string{to_string(
                                                            peer->second.status.state)};
    if (peer != self->state.peers.end() && !peer->second.status.reason.empty())
      why += ": " + peer->second.status.reason;
    promise.deliver(failure("node '" + owner + "' hosting '" + name + "' is unreachable ("
                            + why + ")"));
    return promise;
  }
  self->request(peer->second.directory, options.lookup_timeout, lookup_atom_v, name)
    .then([promise](caf::actor& found) mutable { promise.deliver(std::move(found)); },
          [promise](caf::error& error) mutable { promise.deliver(std::move(error)); });
  return promise;
}

void send_pings(directory_actor* self) {
  for (auto& [name, peer] : self->state.peers) {
    if (!peer.directory)
      continue;
    self->request(peer.directory, self->state.options.ping_interval * 2, ping_atom_v,
                  steady_ns())
      .then(
        [self, name = name](ping_atom, std::uint64_t sent) {
          auto& entry = self->state.peers.at(name);
          if (entry.status.state != peer_state::connected)
            return;
          entry.status.latency = std::chrono::nanoseconds{steady_ns() - sent};
          publish_peers(self);
        },
        [](caf::error&) {}); // a lost link shows through the down message
  }
  self->delayed_send(self, self->state.options.ping_interval, ping_atom_v);
}

void on_down(directory_actor* self, caf::down_msg& down) {
  for (auto& [name, peer] : self->state.peers)
    if (peer.directory && peer.directory.address() == down.source) {
      mark_down(self, peer, peer_state::lost,
                "link lost: " + self->system().render(down.reason));
      return;
    }
  for (auto it = self->state.local.begin(); it != self->state.local.end(); ++it)
    if (it->second.address() == down.source) {
      self->state.local.erase(it);
      return;
    }
}

caf::behavior directory(directory_actor* self, directory_options options) {
  auto& state = self->state;
  state.options = std::move(options);
  state.connector = state.options.tls ? self->system().openssl_manager().actor_handle()
                                      : self->system().middleman().actor_handle();
  for (const auto& address : state.options.peers) {
    peer_entry entry;
    entry.address = address;
    entry.status.name = address.name;
    entry.status.address = address.host + ":" + std::to_string(address.port);
    entry.dials = state.options.self.node < address.name;
    state.peers.emplace(address.name, std::move(entry));
  }
  self->set_down_handler([self](caf::down_msg& down) { on_down(self, down); });
  for (const auto& [name, peer] : state.peers)
    if (peer.dials)
      try_connect(self, name);
  publish_peers(self);
  self->delayed_send(self, state.options.ping_interval, ping_atom_v);
  return {
    [self](register_atom, const std::string& name, const caf::actor& handle) {
      self->monitor(handle);
      self->state.local[name] = handle;
    },
    [self](lookup_atom, const std::string& name) { return on_lookup(self, name); },
    [self](hello_atom, const hello& remote) { return on_hello(self, remote); },
    [](ping_atom, std::uint64_t sent) { return caf::make_message(ping_atom_v, sent); },
    [self](ping_atom) { send_pings(self); },
    [self](relink_atom, const std::string& name) {
      auto& peer = self->state.peers.at(name);
      peer.attempt_pending = false;
      if (peer.status.state != peer_state::connected)
        try_connect(self, name);
    },
  };
}

} // namespace

caf::actor spawn_directory(caf::actor_system& system, directory_options options) {
  return system.spawn(directory, std::move(options));
}

std::string owner_of(const config::topology& topology, std::string_view name) {
  const auto slash = name.find('/');
  const auto first = name.substr(0, slash);
  if (first == "strategy" && slash != std::string_view::npos) {
    const auto strategy = name.substr(slash + 1);
    for (const auto& item : topology.strategies)
      if (item.name == strategy)
        return item.node;
    return {};
  }
  const auto* exchange = topology.find_exchange(first);
  return exchange != nullptr ? exchange->node : std::string{};
}

directory_options directory_for(const config::topology& topology, std::string_view node,
                                hello self) {
  directory_options options;
  options.self = std::move(self);
  for (const auto& item : topology.nodes)
    if (item.name != node)
      options.peers.push_back({item.name, item.host, item.port});
  options.owner = [topology](std::string_view name) { return owner_of(topology, name); };
  options.tls = uses_tls(topology);
  options.ping_interval = topology.cluster.ping_interval;
  options.reconnect_min = topology.cluster.reconnect_min;
  options.reconnect_max = topology.cluster.reconnect_max;
  options.lookup_timeout = topology.cluster.lookup_timeout;
  return options;
}

bool uses_tls(const config::topology& topology) {
  for (const auto& item : topology.nodes)
    if (!item.tls)
      return false; // the loader allowed this only with cluster.allow_plaintext
  return true;
}

std::string exchange_name(std::string_view exchange) {
  return std::string{exchange} + "/exchange";
}

std::string book_name(std::string_view exchange, std::string_view market) {
  return std::string{exchange} + "/" + std::string{market} + "/book";
}

std::string strategy_name(std::string_view strategy) {
  return "strategy/" + std::string{strategy};
}

std::string error_text(caf::actor_system& system, const caf::error& error) {
  const auto& context = error.context();
  if (context.match_elements<std::string>())
    return context.get_as<std::string>(0);
  return system.render(error);
}

} // namespace tern::cluster
