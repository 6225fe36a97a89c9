// Time from a child's failure to its replacement being ready, over 1,000 restarts.
//
// The child takes the time just before it throws; the root's publish callback takes it when
// the tree first shows the replacement ready with the expected restart count, i.e. when
// /health would show it. No backoff (min 0), so the figure is the supervision machinery
// alone: the down message, the restart decision, the spawn, the health push(es).
//
// Scenarios: a worker that is ready once spawned; one that reports ready itself (one more
// message); a worker under a nested supervisor (its subtree travels one level up).
//
//   build/bench/tern_supervision_restart_bench [restarts]

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include "actors/runtime.hpp"
#include "supervision/child.hpp"
#include "supervision/health_board.hpp"
#include "supervision/supervisor.hpp"

using namespace tern;
using namespace tern::supervision;
using steady = std::chrono::steady_clock;

namespace {

using crash_atom = caf::atom_constant<caf::atom("crash")>;

struct probe {
  std::atomic<std::int64_t> failed_at{0}; ///< steady nanoseconds, set by the child
  std::mutex mutex;
  std::condition_variable changed;
  std::uint64_t ready_restarts = 0;
  std::int64_t ready_at = 0;
  caf::actor current;
};

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(steady::now().time_since_epoch())
      .count();
}

caf::behavior victim(caf::event_based_actor* self, probe* p, child_context context,
                     bool reports) {
  self->set_exception_handler([](std::exception_ptr& e) { return exception_reason(e); });
  if (reports)
    report_health(self, context, health_state::ready);
  return {[p](crash_atom) {
    p->failed_at.store(steady_ns());
    throw std::runtime_error{"injected"};
  }};
}

child_spec victim_child(probe& p, bool reports) {
  child_spec spec;
  spec.name = "victim";
  spec.reports_readiness = reports;
  spec.start = [&p, reports](caf::actor_system& system, const child_context& context) {
    auto child = system.spawn(victim, &p, context, reports);
    std::lock_guard lock{p.mutex};
    p.current = child;
    return child;
  };
  return spec;
}

struct summary {
  double median_us = 0;
  double p99_us = 0;
  double max_us = 0;
};

summary run(const char* label, bool reports, bool nested, int restarts) {
  probe p;
  const std::string path = nested ? "root/exchange/victim" : "root/victim";
  runtime_options options;
  options.scheduler_threads = 2;
  runtime rt{options};
  supervisor_policy tolerant;
  tolerant.max_restarts = 1'000'000;
  tolerant.within = std::chrono::hours{1};
  tolerant.backoff = backoff_settings{{}, {}, 1.0, 0.0};
  std::vector<child_spec> children;
  if (nested)
    children.push_back(supervisor_child({"exchange", tolerant, {victim_child(p, reports)}}));
  else
    children.push_back(victim_child(p, reports));
  tree_options tree;
  tree.publish = [&](const health_node& root) {
    const auto* node = find_node(root, path);
    if (node == nullptr || node->state != health_state::ready)
      return;
    std::lock_guard lock{p.mutex};
    if (node->restarts > p.ready_restarts || p.ready_at == 0) {
      p.ready_restarts = node->restarts;
      p.ready_at = steady_ns();
      p.changed.notify_all();
    }
  };
  rt.add("root", spawn_supervision_tree(rt.system(), {"root", tolerant, std::move(children)},
                                        std::move(tree)));
  std::vector<double> micros;
  for (int i = 0; i <= restarts; ++i) {
    caf::actor target;
    {
      std::unique_lock lock{p.mutex};
      if (!p.changed.wait_for(lock, std::chrono::seconds{10}, [&] {
            return p.ready_at != 0 && p.ready_restarts == static_cast<std::uint64_t>(i);
          }))
        throw std::runtime_error{"the replacement never became ready"};
      if (i > 0)
        micros.push_back(static_cast<double>(p.ready_at - p.failed_at.load()) / 1000.0);
      target = p.current;
    }
    if (i < restarts)
      caf::anon_send(target, crash_atom::value);
  }
  std::sort(micros.begin(), micros.end());
  summary s{micros[micros.size() / 2], micros[(micros.size() * 99) / 100], micros.back()};
  std::printf("%-44s restarts %5d  median %8.1f us  p99 %8.1f us  max %8.1f us\n", label,
              restarts, s.median_us, s.p99_us, s.max_us);
  return s;
}

} // namespace

int main(int argc, char** argv) {
  const int restarts = argc > 1 ? std::atoi(argv[1]) : 1000;
  if (restarts <= 0) {
    std::fprintf(stderr, "usage: %s [restarts > 0]\n", argv[0]);
    return 2;
  }
  const auto flat = run("worker ready once spawned", false, false, restarts);
  run("worker that reports ready itself", true, false, restarts);
  run("worker under a nested supervisor", false, true, restarts);
  // The target: p99 under 5 ms for an actor with no state to restore.
  return flat.p99_us < 5000.0 ? 0 : 1;
}
