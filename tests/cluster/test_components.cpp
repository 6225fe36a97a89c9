#include "tests/cluster/test_components.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>

#include "cluster/directory.hpp"
#include "cluster/messages.hpp"
#include "supervision/child.hpp"

namespace tern::testing {
namespace {

using namespace std::chrono_literals;
using supervision::child_context;
using supervision::child_spec;
using supervision::health_state;
using retry_atom = caf::atom_constant<caf::atom("t_retry")>;

std::uint64_t steady_ns() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

struct ticker_state {
  std::set<caf::actor> subscribers;
  std::uint64_t seq = 0;
};

caf::behavior ticker(caf::stateful_actor<ticker_state>* self, caf::actor directory,
                     std::string name) {
  self->send(directory, register_atom_v, name, caf::actor_cast<caf::actor>(self));
  self->set_down_handler([self](caf::down_msg& down) {
    for (auto it = self->state.subscribers.begin(); it != self->state.subscribers.end(); ++it)
      if (it->address() == down.source) {
        self->state.subscribers.erase(it);
        return;
      }
  });
  self->delayed_send(self, 20ms, cluster::tick_atom_v);
  return {
    [self](subscribe_atom, const std::string&) {
      auto subscriber = caf::actor_cast<caf::actor>(self->current_sender());
      self->monitor(subscriber);
      self->state.subscribers.insert(subscriber);
    },
    [self](cluster::tick_atom) {
      const auto seq = ++self->state.seq;
      for (const auto& subscriber : self->state.subscribers)
        self->send(subscriber, cluster::tick_atom_v, seq, steady_ns());
      self->delayed_send(self, 20ms, cluster::tick_atom_v);
    },
  };
}

caf::behavior idle(caf::event_based_actor* self, caf::actor directory, std::string name) {
  self->send(directory, register_atom_v, name, caf::actor_cast<caf::actor>(self));
  return {[](subscribe_atom, const std::string&) {}};
}

/// Counts per book, read by the metrics collector on the HTTP thread.
struct counter_stats {
  std::mutex mutex;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> books; ///< count, last seq
};

struct book_link {
  caf::actor handle;
  std::string problem;
};

struct counter_state {
  std::map<std::string, book_link> books;
};

using counter_actor = caf::stateful_actor<counter_state>;

void report(counter_actor* self, const child_context& context) {
  std::string problems;
  for (const auto& [name, link] : self->state.books)
    if (!link.handle)
      problems += (problems.empty() ? "" : "; ") + name + ": "
                  + (link.problem.empty() ? std::string{"looking up"} : link.problem);
  if (problems.empty())
    supervision::report_health(self, context, health_state::ready);
  else
    supervision::report_health(self, context, health_state::degraded, problems);
}

void look_up(counter_actor* self, caf::actor directory, child_context context, std::string book) {
  self->request(directory, 3s, lookup_atom_v, book)
    .then(
      [self, context, book](caf::actor& handle) {
        self->monitor(handle);
        self->send(handle, subscribe_atom_v, book);
        self->state.books[book] = {handle, {}};
        report(self, context);
      },
      [self, context, book](caf::error& error) {
        self->state.books[book].problem = cluster::error_text(self->system(), error);
        report(self, context);
        self->delayed_send(self, 200ms, retry_atom::value, book);
      });
}

caf::behavior counter(counter_actor* self, caf::actor directory, child_context context,
                      std::vector<std::string> books, std::shared_ptr<counter_stats> stats) {
  for (const auto& book : books) {
    self->state.books[book] = {};
    look_up(self, directory, context, book);
  }
  report(self, context);
  self->set_down_handler([self, context](caf::down_msg& down) {
    for (auto& [name, link] : self->state.books)
      if (link.handle && link.handle.address() == down.source) {
        link.handle = nullptr;
        link.problem = "lost: " + self->system().render(down.reason);
        report(self, context);
        self->delayed_send(self, 200ms, retry_atom::value, name);
      }
  });
  return {
    [self, stats](cluster::tick_atom, std::uint64_t seq, std::uint64_t) {
      const auto sender = self->current_sender();
      for (const auto& [name, link] : self->state.books)
        if (link.handle && caf::actor_cast<caf::strong_actor_ptr>(link.handle) == sender) {
          std::lock_guard lock{stats->mutex};
          auto& entry = stats->books[name];
          ++entry.first;
          entry.second = seq;
        }
    },
    [self, directory, context](retry_atom, const std::string& book) {
      if (!self->state.books[book].handle)
        look_up(self, directory, context, book);
    },
  };
}

std::vector<std::string> strategy_books(const config::topology& topology, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& strategy : topology.strategies)
    if (strategy.name == name)
      for (const auto& market : std::get<config::arbitrage_params>(strategy.params).markets)
        out.push_back(cluster::book_name(market.exchange, market.market));
  return out;
}

std::vector<supervision::metric_family> counter_metrics(counter_stats& stats) {
  supervision::metric_family count{"tern_test_updates_total", "updates received per book",
                                   supervision::metric_type::counter, {}};
  supervision::metric_family last{"tern_test_last_seq", "last sequence number per book",
                                  supervision::metric_type::gauge, {}};
  std::lock_guard lock{stats.mutex};
  for (const auto& [book, entry] : stats.books) {
    count.samples.push_back({{{"book", book}}, static_cast<double>(entry.first)});
    last.samples.push_back({{{"book", book}}, static_cast<double>(entry.second)});
  }
  return {count, last};
}

child_spec make_spec(std::string name, supervision::child_factory start) {
  child_spec spec;
  spec.name = std::move(name);
  spec.start = std::move(start);
  return spec;
}

} // namespace

supervision::component_registry cluster_test_components(const cluster::node_services& services) {
  auto directory = services.directory;
  auto stats = std::make_shared<counter_stats>();
  services.metrics.add("test counter", [stats] { return counter_metrics(*stats); });
  supervision::component_registry out;
  out["order_book"] = [directory](const supervision::tree_plan& plan) {
    const auto name = cluster::book_name(plan.settings.at("exchange"), plan.settings.at("market"));
    return make_spec(plan.name, [directory, name](caf::actor_system& sys, const child_context&) {
      return sys.spawn(ticker, directory, name);
    });
  };
  auto idle_component = [directory](std::string suffix) {
    return [directory, suffix](const supervision::tree_plan& plan) {
      const auto name = plan.settings.at("exchange") + suffix;
      return make_spec(plan.name, [directory, name](caf::actor_system& sys, const child_context&) {
        return sys.spawn(idle, directory, name);
      });
    };
  };
  out["connection"] = idle_component("/exchange");
  out["order_tracker"] = idle_component("/orders");
  const config::topology* topology = &services.topology;
  out["arbitrage"] = [directory, stats, topology](const supervision::tree_plan& plan) {
    auto books = strategy_books(*topology, plan.settings.at("strategy"));
    auto spec = make_spec(plan.name, [directory, stats, books](caf::actor_system& sys,
                                                               const child_context& context) {
      return sys.spawn(counter, directory, context, books, stats);
    });
    spec.reports_readiness = true;
    return spec;
  };
  return out;
}

} // namespace tern::testing
