// The runtime's orderly stop, in process: order, cleanup before the next actor, queued work
// handled first, a stubborn actor killed after its timeout, and the configured thread count.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/message_types.hpp"
#include "actors/runtime.hpp"

using namespace tern;
using namespace std::chrono_literals;

namespace {

/// Events recorded by test actors from scheduler threads, awaited by the test thread.
class journal {
 public:
  void record(std::string event) {
    {
      std::lock_guard lock{mutex_};
      events_.push_back(std::move(event));
    }
    changed_.notify_all();
  }
  /// Waits until `event` is recorded; false after `timeout`.
  bool await(const std::string& event, std::chrono::milliseconds timeout) {
    std::unique_lock lock{mutex_};
    return changed_.wait_for(lock, timeout, [&] {
      return std::find(events_.begin(), events_.end(), event) != events_.end();
    });
  }
  std::vector<std::string> events() {
    std::lock_guard lock{mutex_};
    return events_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> events_;
};

/// Records its name when its state is destroyed, i.e. when the actor stops. The state of
/// a stateful actor is the place for anything that must be flushed or closed on exit.
/// `hold`, when set, keeps the destructor from finishing until the test releases it.
struct recorder_state {
  journal* log = nullptr;
  std::string name;
  std::shared_future<void> hold;
  ~recorder_state() {
    if (log == nullptr)
      return;
    if (hold.valid()) {
      log->record(name + ":begin");
      hold.wait();
      log->record(name + ":end");
    } else {
      log->record(name);
    }
  }
};

caf::behavior recorder(caf::stateful_actor<recorder_state>* self, journal* log, std::string name,
                       std::shared_future<void> hold) {
  self->state.log = log;
  self->state.name = std::move(name);
  self->state.hold = std::move(hold);
  return {
    [self](int job) { self->state.log->record(self->state.name + ":job " + std::to_string(job)); },
  };
}

runtime_options test_options() {
  runtime_options options;
  options.scheduler_threads = 2;
  options.stop_timeout = 5000ms;
  return options;
}

} // namespace

TEST_CASE("top-level actors stop newest first, each cleaned up before the next is asked") {
  journal log;
  std::promise<void> release;
  runtime rt{test_options()};
  auto& sys = rt.system();
  rt.add("first", sys.spawn(recorder, &log, std::string{"first"}, std::shared_future<void>{}));
  rt.add("second", sys.spawn(recorder, &log, std::string{"second"}, std::shared_future<void>{}));
  rt.add("third", sys.spawn(recorder, &log, std::string{"third"}, release.get_future().share()));

  auto stopping = std::async(std::launch::async, [&] { return rt.stop(); });
  REQUIRE(log.await("third:begin", 5000ms));
  // While third's cleanup is still running, second must not have been told to stop. A runtime
  // that moved on early would let second record itself within this bounded window.
  CHECK_FALSE(log.await("second", 300ms));
  release.set_value();
  const auto reports = stopping.get();

  CHECK(log.events() == std::vector<std::string>{"third:begin", "third:end", "second", "first"});
  REQUIRE(reports.size() == 3);
  CHECK(reports[0].name == "third");
  CHECK(reports[1].name == "second");
  CHECK(reports[2].name == "first");
  for (const auto& report : reports) {
    CHECK(report.result == stop_report::outcome::stopped);
    CHECK(report.reason == "exit_reason(user_shutdown)");
  }
  CHECK(rt.stop().empty()); // nothing is stopped twice
}

TEST_CASE("messages queued before the stop are handled before the actor stops") {
  journal log;
  runtime rt{test_options()};
  auto worker = rt.system().spawn(recorder, &log, std::string{"worker"},
                                  std::shared_future<void>{});
  rt.add("worker", worker);
  for (int job = 1; job <= 3; ++job)
    caf::anon_send(worker, job);
  const auto reports = rt.stop();
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].result == stop_report::outcome::stopped);
  CHECK(log.events()
        == std::vector<std::string>{"worker:job 1", "worker:job 2", "worker:job 3", "worker"});
}

TEST_CASE("an actor that ignores user_shutdown is killed after its stop timeout") {
  auto options = test_options();
  options.stop_timeout = 200ms;
  runtime rt{options};
  // An exit handler that drops every exit message: CAF 0.17 still ends the actor on
  // exit_reason::kill, without asking the handler.
  auto stubborn = rt.system().spawn([](caf::event_based_actor* self) -> caf::behavior {
    self->set_exit_handler([](caf::exit_msg&) {});
    return {[](int) {}};
  });
  rt.add("stubborn", stubborn);
  const auto reports = rt.stop();
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].result == stop_report::outcome::killed);
  CHECK(reports[0].reason == "exit_reason(kill)");
  CHECK(reports[0].took >= 200ms);
}

TEST_CASE("an actor stuck in a handler is reported unresponsive and the stop goes on") {
  journal log;
  std::promise<void> release;
  auto options = test_options();
  options.stop_timeout = 100ms;
  runtime rt{options};
  auto first = rt.system().spawn(recorder, &log, std::string{"first"}, std::shared_future<void>{});
  auto stuck = rt.system().spawn(
    [&log](caf::event_based_actor*, std::shared_future<void> hold) -> caf::behavior {
      return {[&log, hold](int) {
        log.record("stuck:busy");
        hold.wait();
      }};
    },
    release.get_future().share());
  rt.add("first", first);
  rt.add("stuck", stuck);
  caf::anon_send(stuck, 1);
  REQUIRE(log.await("stuck:busy", 5000ms));

  const auto reports = rt.stop();
  release.set_value(); // lets the actor end, so the system can shut down
  REQUIRE(reports.size() == 2);
  CHECK(reports[0].name == "stuck");
  CHECK(reports[0].result == stop_report::outcome::unresponsive);
  CHECK(reports[1].name == "first");
  CHECK(reports[1].result == stop_report::outcome::stopped);
  CHECK(log.events() == std::vector<std::string>{"stuck:busy", "first"});
}

TEST_CASE("an actor that already ended is reported at once with its own reason") {
  runtime rt{test_options()};
  auto short_lived = rt.system().spawn([](caf::event_based_actor* self) -> caf::behavior {
    return {[self](int) { self->quit(); }};
  });
  rt.add("short_lived", short_lived);
  {
    caf::scoped_actor self{rt.system()};
    self->monitor(short_lived);
    caf::anon_send(short_lived, 1);
    bool down = false;
    self->receive([&](caf::down_msg&) { down = true; },
                  caf::after(5s) >> [] { FAIL("the actor did not end"); });
    REQUIRE(down);
  }
  const auto reports = rt.stop();
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].result == stop_report::outcome::stopped);
  CHECK(reports[0].reason == "none");
}

TEST_CASE("the scheduler runs one thread per core unless told otherwise") {
  runtime by_default{runtime_options{}};
  const auto cores = std::max(1u, std::thread::hardware_concurrency());
  CHECK(by_default.scheduler_threads() == cores);
  CHECK(by_default.system().scheduler().num_workers() == cores);

  runtime_options options;
  options.scheduler_threads = 3;
  runtime three{options};
  CHECK(three.system().scheduler().num_workers() == 3);
}

TEST_CASE("the actor system is gone after shutdown") {
  runtime rt{test_options()};
  rt.shutdown();
  CHECK_THROWS_AS(rt.system(), std::logic_error);
}

TEST_CASE("networking loads the middleman with heartbeats and a connection timeout") {
  runtime_options options;
  options.scheduler_threads = 1;
  options.enable_network = true;
  options.heartbeat_interval = 250ms;
  options.connection_timeout = 1500ms;
  runtime rt{options};
  const auto& cfg = rt.system().config();
  CHECK(caf::get_or(cfg, "middleman.heartbeat-interval", caf::timespan{0}) == 250ms);
  CHECK(caf::get_or(cfg, "middleman.connection-timeout", caf::timespan{0}) == 1500ms);
  CHECK(caf::get_or(cfg, "logger.console-verbosity", caf::atom("")) == caf::atom("quiet"));
  CHECK(caf::get_or(cfg, "logger.file-verbosity", caf::atom("")) == caf::atom("quiet"));
  CHECK(rt.system().has_middleman());

  runtime local{test_options()};
  CHECK_FALSE(local.system().has_middleman());
}
