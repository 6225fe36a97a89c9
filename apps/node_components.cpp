#include "apps/node_components.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/account_components.hpp"
#include "actors/message_types.hpp"
#include "apps/account_setup.hpp"
#include "cluster/directory.hpp"
#include "cluster/messages.hpp"
#include "config/secret_sources.hpp"
#include "strategies/actors/strategy_components.hpp"

namespace tern::apps {
namespace {

/// The last answers of the cluster directory, by cluster name. Thread-safe: strategies read
/// it from their own actors.
class name_cache {
 public:
  [[nodiscard]] caf::actor get(const std::string& name) const {
    std::lock_guard lock{mutex_};
    auto found = actors_.find(name);
    return found != actors_.end() ? found->second : caf::actor{};
  }
  void set(const std::string& name, caf::actor actor) {
    std::lock_guard lock{mutex_};
    actors_[name] = std::move(actor);
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, caf::actor> actors_;
};

/// The cluster name of an account-local name: "exchange" and "book.<PAIR>".
std::string cluster_name(const std::string& account, const std::string& local) {
  constexpr std::string_view book_prefix = "book.";
  if (local.rfind(book_prefix, 0) == 0)
    return cluster::book_name(account, local.substr(book_prefix.size()));
  if (local == "exchange")
    return cluster::exchange_name(account);
  return account + "/" + local;
}

/// Ends `self` when the node's directory ends. A monitor, not a link: a link is two-way, and
/// a helper that ends first would take the directory with it -- the resolver of a node without
/// strategies has no users, ends "unreachable", and so did the directory of every exchange
/// node, which then never dialled its peers.
void stop_with(caf::event_based_actor* self, const caf::actor& directory) {
  self->monitor(directory);
  self->set_down_handler([self](caf::down_msg& down) { self->quit(down.reason); });
}

/// Asks the directory for names and keeps the answers; a failed lookup (node unreachable,
/// name not registered yet) clears the entry, so no stale incarnation is used.
caf::behavior resolver(caf::event_based_actor* self, caf::actor directory,
                       std::shared_ptr<name_cache> cache, std::chrono::milliseconds timeout) {
  stop_with(self, directory);
  return {
      [=](lookup_atom, const std::string& name) {
        self->request(directory, timeout, lookup_atom::value, name)
            .then([cache, name](const caf::actor& found) { cache->set(name, found); },
                  [cache, name](const caf::error&) { cache->set(name, caf::actor{}); });
      },
  };
}

/// Registers, once a second, every account actor whose incarnation changed since it was last
/// registered (the account supervisors restart them without telling the cluster directory).
caf::behavior publisher(caf::event_based_actor* self, caf::actor directory,
                        account_runtime* accounts,
                        std::vector<std::pair<std::string, std::string>> names) {
  stop_with(self, directory);
  auto last = std::make_shared<std::map<std::string, caf::actor>>();
  auto publish = [=] {
    for (const auto& [account, local] : names) {
      auto context = accounts->find(account);
      auto actor = context ? context->directory.get(local) : caf::actor{};
      auto name = cluster_name(account, local);
      if (!actor || (*last)[name] == actor)
        continue;
      (*last)[name] = actor;
      self->send(directory, register_atom::value, name, actor);
    }
  };
  publish();
  self->delayed_send(self, std::chrono::seconds{1}, cluster::tick_atom::value);
  return {
      [=](cluster::tick_atom) {
        publish();
        self->delayed_send(self, std::chrono::seconds{1}, cluster::tick_atom::value);
      },
  };
}

} // namespace

struct node_component_state {
  std::unique_ptr<account_runtime> accounts;
  std::shared_ptr<name_cache> cache = std::make_shared<name_cache>();
  std::shared_ptr<strategy_actors::strategy_roster> roster =
      std::make_shared<strategy_actors::strategy_roster>();
};

std::shared_ptr<node_component_state> make_node_component_state() {
  return std::make_shared<node_component_state>();
}

namespace {

/// Local accounts from their own directory; remote ones from the cache, refreshed each time.
strategy_actors::actor_lookup cluster_lookup(const std::shared_ptr<node_component_state>& state,
                                             caf::actor resolver_actor) {
  return [state, resolver_actor](const std::string& account, const std::string& local) {
    if (auto context = state->accounts->find(account))
      return context->directory.get(local);
    auto name = cluster_name(account, local);
    caf::anon_send(resolver_actor, lookup_atom::value, name);
    return state->cache->get(name);
  };
}

} // namespace

cluster::component_source real_components(std::shared_ptr<node_component_state> state) {
  return [state](const cluster::node_services& services) {
    supervision::component_registry registry;
    auto secrets = config::resolve_secrets(services.topology, config::process_environment());
    if (!secrets) {
      spdlog::error("node: secrets unresolved; no components start");
      return registry;
    }
    auto accounts = start_accounts(services.topology, services.node, *secrets);
    if (!accounts) {
      spdlog::error("node: {}; no components start", accounts.error());
      return registry;
    }
    state->accounts = std::move(*accounts);
    registry = state->accounts->components();
    auto& system = services.directory->home_system();
    std::vector<std::pair<std::string, std::string>> names;
    for (const auto& exchange : services.topology.exchanges) {
      if (exchange.node != services.node)
        continue;
      names.emplace_back(exchange.name, "exchange");
      for (const auto& market : exchange.markets)
        names.emplace_back(exchange.name, "book." + market);
    }
    system.spawn(publisher, services.directory, state->accounts.get(), std::move(names));
    auto resolving = system.spawn(resolver, services.directory, state->cache,
                                  services.topology.cluster.lookup_timeout);
    strategy_actors::strategy_component_options strategies;
    strategies.lookup = cluster_lookup(state, resolving);
    strategies.roster = state->roster;
    strategies.board = &services.strategies;
    // Armed only where strategies run: a node without any reports the switch unarmed.
    const bool runs_strategies =
        std::any_of(services.topology.strategies.begin(), services.topology.strategies.end(),
                    [&services](const auto& s) { return s.node == services.node; });
    if (runs_strategies)
      services.strategies.kill().arm(
          strategy_actors::kill_action(system, state->roster, std::chrono::seconds{10}));
    strategy_actors::add_strategy_components(registry, services.topology, std::move(strategies));
    return registry;
  };
}

} // namespace tern::apps
