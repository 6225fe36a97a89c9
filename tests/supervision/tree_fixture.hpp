#pragma once

// Real supervision trees for tests: an actor system, a manual clock (time moves only when a
// test advances it), the health board the root publishes to, and probe children that record
// their starts and stops and crash, finish or report health on request.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/message_types.hpp"
#include "actors/runtime.hpp"
#include "supervision/child.hpp"
#include "supervision/clock.hpp"
#include "supervision/health_board.hpp"
#include "supervision/supervisor.hpp"

namespace tern::supervision::testing {

using crash_atom = caf::atom_constant<caf::atom("crash")>;
using finish_atom = caf::atom_constant<caf::atom("finish")>;
using ready_atom = caf::atom_constant<caf::atom("ready")>;
using degrade_atom = caf::atom_constant<caf::atom("degrade")>;

/// What the probes did, in order: "start:b:1" (name, restart count), "stop:b".
class probe_log {
 public:
  void started(const std::string& name, std::uint64_t restart_count, caf::actor_addr self) {
    {
      std::lock_guard lock{mutex_};
      events_.push_back("start:" + name + ":" + std::to_string(restart_count));
      current_[name] = std::move(self);
    }
    changed_.notify_all();
  }
  void record(std::string event) {
    {
      std::lock_guard lock{mutex_};
      events_.push_back(std::move(event));
    }
    changed_.notify_all();
  }
  /// The running incarnation of `name` (the last one started).
  caf::actor current(const std::string& name) {
    std::lock_guard lock{mutex_};
    return caf::actor_cast<caf::actor>(current_[name]);
  }
  std::vector<std::string> events() {
    std::lock_guard lock{mutex_};
    return events_;
  }
  /// Events beginning with `prefix`, in order.
  std::vector<std::string> matching(const std::string& prefix) {
    std::vector<std::string> out;
    for (auto& event : events())
      if (event.rfind(prefix, 0) == 0)
        out.push_back(event);
    return out;
  }
  bool await(const std::string& event, std::chrono::milliseconds timeout = std::chrono::seconds{5}) {
    std::unique_lock lock{mutex_};
    return changed_.wait_for(lock, timeout, [&] {
      return std::find(events_.begin(), events_.end(), event) != events_.end();
    });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> events_;
  std::map<std::string, caf::actor_addr> current_;
};

/// How a probe behaves.
struct probe_options {
  bool ignore_shutdown = false; ///< traps user_shutdown, so only a kill stops it
  bool report_ready = false;    ///< starts in `starting` and waits for ready_atom
};

struct probe_state {
  probe_log* log = nullptr;
  std::string name;
  ~probe_state() {
    if (log != nullptr)
      log->record("stop:" + name);
  }
};

/// `key` names the probe in the log (its child name unless a test needs them apart).
inline caf::behavior probe(caf::stateful_actor<probe_state>* self, probe_log* log,
                           std::string key, child_context context, probe_options options) {
  self->state.log = log;
  self->state.name = std::move(key);
  self->set_exception_handler(
      [](std::exception_ptr& error) { return exception_reason(error); });
  if (options.ignore_shutdown)
    self->set_exit_handler([](caf::exit_msg&) {});
  return {
      [self](crash_atom) -> caf::result<void> {
        throw std::runtime_error{"boom in " + self->state.name};
      },
      [self](finish_atom) { self->quit(); },
      [self, context](ready_atom) { report_health(self, context, health_state::ready); },
      [self, context](degrade_atom, const std::string& why) {
        report_health(self, context, health_state::degraded, why);
      },
  };
}

inline child_spec probe_child(probe_log& log, std::string name,
                              restart_type restart = restart_type::permanent,
                              probe_options options = {}) {
  child_spec spec;
  spec.name = std::move(name);
  spec.restart = restart;
  spec.reports_readiness = options.report_ready;
  // Starts are logged by the factory, on the supervisor's thread: that is the start order
  // (each actor then initialises on whichever scheduler thread picks it up).
  spec.start = [&log, options, key = spec.name](caf::actor_system& system,
                                                const child_context& context) {
    auto child = system.spawn(probe, &log, key, context, options);
    log.started(key, context.restart_count, child.address());
    return child;
  };
  return spec;
}

/// Delays without jitter (100 ms doubling to 1.6 s) and room for many restarts.
inline supervisor_policy test_policy(restart_strategy strategy, std::size_t max_restarts = 100) {
  supervisor_policy policy;
  policy.strategy = strategy;
  policy.max_restarts = max_restarts;
  policy.within = std::chrono::seconds{60};
  policy.backoff = backoff_settings{std::chrono::milliseconds{100},
                                    std::chrono::milliseconds{1600}, 2.0, 0.0};
  return policy;
}

inline runtime_options two_threads() {
  runtime_options options;
  options.scheduler_threads = 2;
  return options;
}

/// An actor system with one supervision tree on a manual clock.
struct tree_fixture {
  // Declared before the runtime: the root publishes to the board until the system is down.
  health_board board;
  probe_log log;
  std::shared_ptr<manual_clock> clock = std::make_shared<manual_clock>();
  runtime rt{two_threads()};
  caf::actor root;

  tree_fixture() = default;
  tree_fixture(const tree_fixture&) = delete;
  tree_fixture& operator=(const tree_fixture&) = delete;
  ~tree_fixture() { rt.shutdown(); }

  void start(supervisor_spec spec, uniform_source jitter = [] { return 0.0; },
             std::chrono::nanoseconds refresh_interval = {}) {
    tree_options options;
    options.clock = clock;
    options.publish = board.publisher();
    options.jitter = std::move(jitter);
    options.refresh_interval = refresh_interval;
    root = spawn_supervision_tree(rt.system(), std::move(spec), std::move(options));
    rt.add("root", root);
  }

  /// Waits until the node at `path` satisfies `condition`; returns a copy of it.
  health_node await_node(const std::string& path,
                         const std::function<bool(const health_node&)>& condition) {
    const auto found = board.await(
        [&](const health_node& tree) {
          const auto* node = find_node(tree, path);
          return node != nullptr && condition(*node);
        },
        std::chrono::seconds{5});
    REQUIRE(found.tree);
    return *find_node(*found.tree, path);
  }

  health_node await_state(const std::string& path, health_state state,
                          std::uint64_t restarts = 0) {
    return await_node(path, [&](const health_node& node) {
      return node.state == state && node.restarts == restarts;
    });
  }

  /// Sends `crash_atom` to the running incarnation of `name`.
  void crash(const std::string& name) {
    auto target = log.current(name);
    REQUIRE(target);
    caf::anon_send(target, crash_atom::value);
  }

  /// Waits until the backoff timer is the only one left (stop timeouts of siblings are
  /// withdrawn once they have stopped), checks its delay, and lets it come due.
  void advance_through_backoff(std::chrono::nanoseconds expected_delay) {
    REQUIRE(clock->await_pending(1, std::chrono::seconds{5}, true));
    CHECK(clock->pending().front() == expected_delay);
    CHECK(clock->advance(expected_delay) == 1);
  }
};

} // namespace tern::supervision::testing
