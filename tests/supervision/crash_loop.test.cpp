// A child failing 1,000 times in a row under a tolerant policy: every failed incarnation is
// gone afterwards (actor count, live actor states) and memory does not grow with the loop.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include <caf/actor_registry.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include <unistd.h>

#include "actors/runtime.hpp"
#include "supervision/child.hpp"
#include "supervision/health_board.hpp"
#include "supervision/supervisor.hpp"

using namespace tern;
using namespace tern::supervision;
using namespace std::chrono_literals;

namespace {

using crash_atom = caf::atom_constant<caf::atom("crash")>;

/// Shared by the test and every incarnation of the crashing child.
struct crash_control {
  std::atomic<int> failures_left{0}; ///< incarnations still to fail right after starting
  std::mutex mutex;
  caf::actor_addr current;
};

/// Incarnations whose state exists: constructed with the actor, destroyed when it is gone.
std::atomic<int> live_crasher_states{0};

struct crasher_state {
  crasher_state() { live_crasher_states.fetch_add(1); }
  ~crasher_state() { live_crasher_states.fetch_sub(1); }
  crasher_state(const crasher_state&) = delete;
  crasher_state& operator=(const crasher_state&) = delete;
};

/// Fails at once while the control says so; otherwise reports ready.
caf::behavior crasher(caf::stateful_actor<crasher_state>* self, crash_control* control,
                      child_context context) {
  self->set_exception_handler([](std::exception_ptr& error) { return exception_reason(error); });
  if (control->failures_left.fetch_sub(1) > 0) {
    self->send(self, crash_atom::value);
  } else {
    control->failures_left.store(0);
    report_health(self, context, health_state::ready);
  }
  return {
      [](crash_atom) { throw std::runtime_error{"crash loop"}; },
  };
}

child_spec crasher_child(crash_control& control) {
  child_spec spec;
  spec.name = "crasher";
  spec.reports_readiness = true;
  spec.start = [&control](caf::actor_system& system, const child_context& context) {
    auto child = system.spawn(crasher, &control, context);
    std::lock_guard lock{control.mutex};
    control.current = child.address();
    return child;
  };
  return spec;
}

child_spec bystander_child() {
  child_spec spec;
  spec.name = "bystander";
  spec.start = [](caf::actor_system& system, const child_context&) {
    return system.spawn([]() -> caf::behavior { return {[](int) {}}; });
  };
  return spec;
}

std::size_t resident_bytes() {
  std::ifstream statm{"/proc/self/statm"};
  std::size_t total_pages = 0;
  std::size_t resident_pages = 0;
  statm >> total_pages >> resident_pages;
  return resident_pages * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

/// Waits until the crasher is ready again after `restarts` restarts in all.
bool await_recovered(health_board& board, std::uint64_t restarts) {
  const auto found = board.await(
      [&](const health_node& tree) {
        const auto* node = find_node(tree, "root/crasher");
        return node != nullptr && node->restarts == restarts
               && node->state == health_state::ready;
      },
      60s);
  return found.tree != nullptr;
}

} // namespace

TEST_CASE("a child failing 1000 times in a row leaks no actors and no memory") {
  health_board board;
  crash_control control;
  runtime_options options;
  options.scheduler_threads = 2;
  runtime rt{options};

  supervisor_policy tolerant;
  tolerant.max_restarts = 1'000'000;
  tolerant.within = 1h;
  tolerant.backoff = backoff_settings{0ms, 0ms, 1.0, 0.0}; // restart at once, every time
  tree_options tree;
  tree.publish = board.publisher();
  control.failures_left = 100; // warm-up: allocator pools and CAF's caches fill here
  auto root = spawn_supervision_tree(
      rt.system(), {"root", tolerant, {bystander_child(), crasher_child(control)}}, tree);
  rt.add("root", root);
  REQUIRE(await_recovered(board, 100));

  const auto actors_before = rt.system().registry().running();
  const auto rss_before = resident_bytes();
  CHECK(live_crasher_states == 1);

  control.failures_left = 999; // with the crash sent below: 1,000 failures in a row
  caf::actor current;
  {
    std::lock_guard lock{control.mutex};
    current = caf::actor_cast<caf::actor>(control.current);
  }
  REQUIRE(current);
  caf::anon_send(current, crash_atom::value);
  current = nullptr;
  REQUIRE(await_recovered(board, 1100));

  const auto latest = board.latest();
  const auto* crasher_node = find_node(*latest.tree, "root/crasher");
  CHECK(crasher_node->last_failure == "system_error(runtime_error): crash loop");
  CHECK(find_node(*latest.tree, "root/bystander")->restarts == 0);
  CHECK(rt.system().registry().running() == actors_before);
  CHECK(live_crasher_states == 1);
  const auto rss_after = resident_bytes();
  const auto growth = rss_after > rss_before ? rss_after - rss_before : 0;
  INFO("RSS before " << rss_before << " bytes, after " << rss_after << " bytes");
  // A leaked incarnation costs at least its actor object and mailbox (several hundred
  // bytes); 1,000 of them plus their state would show as more than 256 KiB.
  CHECK(growth < 256 * 1024);
}
