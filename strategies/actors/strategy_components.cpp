#include "strategies/actors/strategy_components.hpp"

#include <stdexcept>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include "actors/account_components.hpp"
#include "actors/message_types.hpp"

namespace tern::strategy_actors {

void strategy_roster::put(const std::string& name, const caf::actor& actor) {
  std::lock_guard lock{mutex_};
  actors_[name] = actor;
}

std::vector<std::pair<std::string, caf::actor>> strategy_roster::all() const {
  std::lock_guard lock{mutex_};
  return {actors_.begin(), actors_.end()};
}

actor_lookup account_lookup(account_runtime& accounts) {
  return [&accounts](const std::string& account, const std::string& name) -> caf::actor {
    auto context = accounts.find(account);
    return context ? context->directory.get(name) : caf::actor{};
  };
}

namespace {

supervision::child_spec strategy_child(const config::strategy_config& config,
                                       const strategy_component_options& options) {
  auto settings = std::make_shared<strategy_actor_settings>();
  settings->config = config;
  settings->lookup = options.lookup;
  settings->board = options.board;
  settings->tick = options.tick;
  settings->request_timeout = options.request_timeout;
  // One settings object (and memory) for every incarnation: what a restart must not lose.
  std::shared_ptr<const strategy_actor_settings> shared = settings;
  supervision::child_spec spec;
  spec.name = config.kind;
  spec.reports_readiness = true;
  spec.start = [shared, roster = options.roster](caf::actor_system& system,
                                                 const supervision::child_context& child) {
    auto actor = spawn_strategy(system, shared, child);
    roster->put(shared->config.name, actor);
    return actor;
  };
  return spec;
}

} // namespace

void add_strategy_components(supervision::component_registry& registry,
                             const config::topology& topology, strategy_component_options options) {
  auto shared = std::make_shared<strategy_component_options>(std::move(options));
  auto strategies = std::make_shared<std::vector<config::strategy_config>>(topology.strategies);
  for (std::string kind : {"arbitrage", "pure_market_making", "xemm"}) {
    registry[kind] = [shared, strategies](const supervision::tree_plan& worker) {
      const auto& name = worker.settings.at("strategy");
      for (const auto& config : *strategies)
        if (config.name == name)
          return strategy_child(config, *shared);
      throw std::invalid_argument{"no strategy named '" + name + "' in the topology"};
    };
  }
}

supervision::kill_switch_action kill_action(caf::actor_system& system,
                                            std::shared_ptr<strategy_roster> roster,
                                            std::chrono::milliseconds timeout) {
  return [&system, roster, timeout](const supervision::kill_switch_request& request,
                                    std::function<void(supervision::kill_switch_result)> done) {
    auto targets = roster->all();
    if (targets.empty()) {
      done({true, "no strategies on this node"});
      return;
    }
    const auto reason = request.reason.empty() ? "kill switch (" + request.source + ")"
                                               : request.reason;
    system.spawn([targets, reason, timeout, done](caf::event_based_actor* self) {
      struct tally {
        std::size_t left;
        bool ok = true;
        std::string detail;
      };
      auto counts = std::make_shared<tally>(tally{targets.size(), true, {}});
      auto finish = [counts, done](bool ok, const std::string& text) {
        counts->ok = counts->ok && ok;
        counts->detail += (counts->detail.empty() ? "" : " ") + text;
        if (--counts->left == 0)
          done({counts->ok, counts->detail});
      };
      for (const auto& [name, actor] : targets)
        self->request(actor, timeout, stratkill_atom::value, reason)
            .then([finish](const std::string& text) { finish(text.find("unreachable") == std::string::npos, text); },
                  [finish, name = name, self](caf::error& e) {
                    finish(false, name + ": " + self->system().render(e) + ";");
                  });
    });
  };
}

} // namespace tern::strategy_actors
