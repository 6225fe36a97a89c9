// The restart decisions without actors: strategies, restart types, intensity, backoff, and
// the ordering of stops and starts.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "supervision/restart_logic.hpp"

using namespace tern;
using namespace tern::supervision;
using namespace std::chrono_literals;
using indices = std::vector<std::size_t>;

namespace {

const timestamp t0 = from_unix_ms(1'700'000'000'000);

/// Delays without jitter: min 100 ms, doubling, capped at 1 s.
supervisor_policy policy_with(restart_strategy strategy, std::size_t max_restarts = 10,
                              std::chrono::nanoseconds within = 60s) {
  supervisor_policy policy;
  policy.strategy = strategy;
  policy.max_restarts = max_restarts;
  policy.within = within;
  policy.backoff = backoff_settings{100ms, 1s, 2.0, 0.0};
  return policy;
}

std::vector<child_info> workers(std::vector<std::string> names,
                                restart_type restart = restart_type::permanent) {
  std::vector<child_info> children;
  for (auto& name : names)
    children.push_back(child_info{std::move(name), restart, child_kind::worker, false});
  return children;
}

/// A logic whose children have all been started at t0.
restart_logic started(supervisor_policy policy, std::vector<child_info> children) {
  restart_logic logic{policy, std::move(children),
                      exponential_restart_delays(policy.backoff, nullptr)};
  const auto first = logic.start(t0);
  for (const auto index : first.start)
    logic.on_started(index, t0);
  return logic;
}

/// Carries out a restart the way the actor does: the stopped children exit, the delay
/// passes, the due children start. Returns the start list.
indices complete(restart_logic& logic, const actions& decided, timestamp at) {
  for (const auto index : decided.stop)
    REQUIRE(logic.on_exit(index, exit_kind::shutdown, "", at).empty());
  REQUIRE(decided.schedule);
  const auto due = at + decided.schedule->delay;
  auto out = logic.on_restart_due(decided.schedule->id, due);
  for (const auto index : out.start)
    logic.on_started(index, due);
  return out.start;
}

} // namespace

TEST_CASE("the first start starts every child in order, each ready unless it reports") {
  auto children = workers({"a", "b"});
  children[1].reports_readiness = true;
  restart_logic logic{policy_with(restart_strategy::one_for_one), children,
                      exponential_restart_delays({}, nullptr)};
  const auto first = logic.start(t0);
  CHECK(first.start == indices{0, 1});
  CHECK(first.stop.empty());
  logic.on_started(0, t0);
  logic.on_started(1, t0);
  CHECK(logic.child(0).health == health_state::ready);
  CHECK(logic.child(1).health == health_state::starting);
  CHECK(logic.child(0).restarts == 0);
}

TEST_CASE("one_for_one restarts only the failed child after its backoff") {
  auto logic = started(policy_with(restart_strategy::one_for_one), workers({"a", "b", "c"}));
  const auto decided = logic.on_exit(1, exit_kind::failure, "boom", t0 + 5s);
  CHECK(decided.stop.empty());
  REQUIRE(decided.schedule);
  CHECK(decided.schedule->delay == 100ms);
  CHECK(logic.child(1).health == health_state::restarting);
  CHECK(logic.child(1).last_failure == "boom");
  CHECK(logic.child(1).last_failure_time == t0 + 5s);
  CHECK(logic.child(0).phase == child_phase::running);
  CHECK(logic.child(2).phase == child_phase::running);
  CHECK(complete(logic, decided, t0 + 5s) == indices{1});
  CHECK(logic.child(1).restarts == 1);
  CHECK(logic.child(1).health == health_state::ready);
  CHECK(logic.child(0).restarts == 0);
}

TEST_CASE("one_for_all stops the others newest first and restarts all in start order") {
  auto logic = started(policy_with(restart_strategy::one_for_all), workers({"a", "b", "c"}));
  const auto decided = logic.on_exit(1, exit_kind::failure, "boom", t0);
  CHECK(decided.stop == indices{2, 0});
  CHECK(logic.child(0).health == health_state::restarting);
  CHECK(logic.child(2).reason == "restarting with 'b' (one_for_all)");
  CHECK(complete(logic, decided, t0) == indices{0, 1, 2});
  for (std::size_t i = 0; i < 3; ++i)
    CHECK(logic.child(i).restarts == 1);
  CHECK(logic.child(0).last_failure.empty()); // only the failed child records a failure
}

TEST_CASE("rest_for_one restarts the failed child and those started after it") {
  auto logic =
      started(policy_with(restart_strategy::rest_for_one), workers({"a", "b", "c", "d"}));
  const auto decided = logic.on_exit(1, exit_kind::failure, "boom", t0);
  CHECK(decided.stop == indices{3, 2});
  CHECK(logic.child(0).phase == child_phase::running);
  CHECK(complete(logic, decided, t0) == indices{1, 2, 3});
  CHECK(logic.child(0).restarts == 0);
  CHECK(logic.child(3).restarts == 1);
}

TEST_CASE("restart types: permanent always, transient after failures, temporary never") {
  auto children = workers({"permanent", "transient", "temporary"});
  children[1].restart = restart_type::transient;
  children[2].restart = restart_type::temporary;
  auto logic = started(policy_with(restart_strategy::one_for_one), children);

  SECTION("a normal exit restarts only the permanent child") {
    CHECK(logic.on_exit(0, exit_kind::normal, "", t0).schedule);
    CHECK(logic.on_exit(1, exit_kind::normal, "", t0).empty());
    CHECK(logic.child(1).health == health_state::stopped);
    CHECK(logic.on_exit(2, exit_kind::normal, "", t0).empty());
  }
  SECTION("a shutdown it did not ask for does not restart a transient child") {
    CHECK(logic.on_exit(1, exit_kind::shutdown, "", t0).empty());
    CHECK(logic.child(1).phase == child_phase::idle);
  }
  SECTION("a failure restarts the transient child, not the temporary one") {
    CHECK(logic.on_exit(1, exit_kind::failure, "boom", t0).schedule);
    CHECK(logic.on_exit(2, exit_kind::failure, "bang", t0).empty());
    CHECK(logic.child(2).health == health_state::stopped);
    CHECK(logic.child(2).last_failure == "bang"); // still shown to the operator
  }
}

TEST_CASE("one_for_all stops a temporary sibling for good and leaves finished ones alone") {
  auto children = workers({"a", "temp", "done", "d"});
  children[1].restart = restart_type::temporary;
  children[2].restart = restart_type::transient;
  auto logic = started(policy_with(restart_strategy::one_for_all), children);
  REQUIRE(logic.on_exit(2, exit_kind::normal, "", t0).empty()); // finished its work
  const auto decided = logic.on_exit(3, exit_kind::failure, "boom", t0);
  CHECK(decided.stop == indices{1, 0});
  CHECK(logic.child(1).health == health_state::stopped);
  CHECK(complete(logic, decided, t0) == indices{0, 3});
  CHECK(logic.child(1).phase == child_phase::idle);
  CHECK(logic.child(2).phase == child_phase::idle);
}

TEST_CASE("children start only after every sibling being stopped has exited") {
  auto logic = started(policy_with(restart_strategy::one_for_all), workers({"a", "b", "c"}));
  const auto decided = logic.on_exit(0, exit_kind::failure, "boom", t0);
  REQUIRE(decided.stop == indices{2, 1});
  CHECK(logic.on_exit(2, exit_kind::shutdown, "", t0).empty());
  // The delay passes while "b" is still stopping: nothing starts yet.
  CHECK(logic.on_restart_due(decided.schedule->id, t0 + 1s).empty());
  const auto last = logic.on_exit(1, exit_kind::shutdown, "", t0 + 2s);
  CHECK(last.start == indices{0, 1, 2});
}

TEST_CASE("a later failure absorbs a pending restart so the group starts once, in order") {
  auto logic = started(policy_with(restart_strategy::rest_for_one), workers({"a", "b", "c"}));
  const auto first = logic.on_exit(1, exit_kind::failure, "b failed", t0);
  REQUIRE(first.stop == indices{2});
  REQUIRE(logic.on_exit(2, exit_kind::shutdown, "", t0).empty());
  const auto second = logic.on_exit(0, exit_kind::failure, "a failed", t0 + 10ms);
  CHECK(second.stop.empty()); // b and c are not running
  CHECK(logic.on_restart_due(first.schedule->id, t0 + 100ms).empty());
  const auto out = logic.on_restart_due(second.schedule->id, t0 + 110ms);
  CHECK(out.start == indices{0, 1, 2});
}

TEST_CASE("more than max_restarts within the window escalates and stops every child") {
  auto logic = started(policy_with(restart_strategy::one_for_one, 2, 10s), workers({"a", "b"}));
  CHECK(complete(logic, logic.on_exit(0, exit_kind::failure, "x", t0), t0) == indices{0});
  CHECK(complete(logic, logic.on_exit(0, exit_kind::failure, "x", t0 + 1s), t0 + 1s)
        == indices{0});
  const auto third = logic.on_exit(0, exit_kind::failure, "third", t0 + 2s);
  REQUIRE(third.escalate);
  CHECK(third.escalate->find("gave up: 3 restarts within 10 s exceed the limit of 2")
        != std::string::npos);
  CHECK(third.escalate->find("last: 'a' third") != std::string::npos);
  CHECK(third.stop == indices{1});
  CHECK_FALSE(third.schedule);
  CHECK(logic.terminating());
  CHECK(logic.child(0).health == health_state::failed);
  CHECK(logic.snapshot("sup").state == health_state::failed);
  CHECK_FALSE(logic.all_stopped());
  CHECK(logic.on_exit(1, exit_kind::shutdown, "", t0 + 2s).empty());
  CHECK(logic.all_stopped());
}

TEST_CASE("restarts spread wider than the window never escalate") {
  auto logic = started(policy_with(restart_strategy::one_for_one, 2, 10s), workers({"a"}));
  for (int i = 0; i < 20; ++i) {
    const auto at = t0 + std::chrono::seconds{5 * i};
    const auto decided = logic.on_exit(0, exit_kind::failure, "x", at);
    REQUIRE_FALSE(decided.escalate);
    REQUIRE(complete(logic, decided, at) == indices{0});
  }
  CHECK(logic.child(0).restarts == 20);
  CHECK(logic.recent_restarts() == 2);
}

TEST_CASE("backoff doubles per consecutive failure up to the cap, then starts over") {
  auto logic = started(policy_with(restart_strategy::one_for_one, 100, 60s), workers({"a"}));
  std::vector<std::chrono::nanoseconds> delays;
  auto at = t0;
  for (int i = 0; i < 6; ++i) {
    const auto decided = logic.on_exit(0, exit_kind::failure, "x", at);
    delays.push_back(decided.schedule->delay);
    complete(logic, decided, at);
    at += decided.schedule->delay;
  }
  using ms = std::chrono::milliseconds;
  CHECK(delays == std::vector<std::chrono::nanoseconds>{ms{100}, ms{200}, ms{400}, ms{800},
                                                        ms{1000}, ms{1000}});
  // A child that ran for a whole window before failing is not crash-looping.
  const auto later = logic.on_exit(0, exit_kind::failure, "x", at + 60s);
  CHECK(later.schedule->delay == 100ms);
}

TEST_CASE("jitter shortens a delay by the drawn fraction of the jitter") {
  auto policy = policy_with(restart_strategy::one_for_one);
  policy.backoff.jitter = 0.5;
  std::vector<double> draws{0.5, 0.75, 0.0};
  std::size_t next = 0;
  restart_logic logic{policy, workers({"a"}),
                      exponential_restart_delays(policy.backoff, [&] { return draws[next++]; })};
  for (const auto index : logic.start(t0).start)
    logic.on_started(index, t0);
  const auto first = logic.on_exit(0, exit_kind::failure, "x", t0);
  CHECK(first.schedule->delay == 75ms); // 100 ms * (1 - 0.5 * 0.5)
  complete(logic, first, t0);
  const auto second = logic.on_exit(0, exit_kind::failure, "x", t0);
  CHECK(second.schedule->delay == 125ms); // 200 ms * (1 - 0.5 * 0.75)
  complete(logic, second, t0);
  CHECK(logic.on_exit(0, exit_kind::failure, "x", t0).schedule->delay == 400ms);
}

TEST_CASE("shutdown stops running children newest first and cancels pending restarts") {
  auto logic = started(policy_with(restart_strategy::one_for_one), workers({"a", "b", "c"}));
  const auto pending = logic.on_exit(1, exit_kind::failure, "boom", t0);
  const auto stopping = logic.shutdown(t0);
  CHECK(stopping.stop == indices{2, 0});
  CHECK(logic.on_restart_due(pending.schedule->id, t0 + 1s).empty());
  CHECK(logic.on_exit(2, exit_kind::failure, "late crash", t0).empty());
  CHECK(logic.on_exit(0, exit_kind::shutdown, "", t0).empty());
  CHECK(logic.all_stopped());
  const auto node = logic.snapshot("root");
  CHECK(node.state == health_state::stopped);
  for (const auto& child : node.children)
    CHECK(child.state == health_state::stopped);
}

TEST_CASE("an invalid policy is rejected with the field named") {
  supervisor_policy policy;
  policy.within = 0s;
  REQUIRE_FALSE(validate(policy));
  CHECK(validate(policy).error().message.find("within") != std::string::npos);
  policy.within = 1s;
  policy.backoff.factor = 0.5;
  CHECK(validate(policy).error().message.find("factor") != std::string::npos);
  policy.backoff.factor = 2;
  policy.backoff.max = 1ms;
  CHECK(validate(policy).error().message.find("max") != std::string::npos);
  policy.backoff.max = 1s;
  policy.backoff.jitter = 1.5;
  CHECK(validate(policy).error().message.find("jitter") != std::string::npos);
}

TEST_CASE("names of strategies and restart types round-trip") {
  for (auto s : {restart_strategy::one_for_one, restart_strategy::one_for_all,
                 restart_strategy::rest_for_one})
    CHECK(parse_restart_strategy(to_string(s)) == s);
  for (auto r : {restart_type::permanent, restart_type::transient, restart_type::temporary})
    CHECK(parse_restart_type(to_string(r)) == r);
  CHECK_FALSE(parse_restart_strategy("one_for_some"));
}
