// Supervisors with real actors on a real actor system: each strategy, restart types,
// escalation through nested supervisors, backoff on the injected clock, health reports.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>

#include "tree_fixture.hpp"

using namespace tern;
using namespace tern::supervision;
using namespace tern::supervision::testing;
using namespace std::chrono_literals;
using strings = std::vector<std::string>;

namespace {

supervisor_spec three_probes(probe_log& log, restart_strategy strategy) {
  return {"root", test_policy(strategy),
          {probe_child(log, "a"), probe_child(log, "b"), probe_child(log, "c")}};
}

} // namespace

TEST_CASE("a child that throws is restarted after its backoff, with its failure recorded") {
  tree_fixture tree;
  tree.start(three_probes(tree.log, restart_strategy::one_for_one));
  tree.await_state("root/b", health_state::ready);
  tree.crash("b");
  const auto failed = tree.await_state("root/b", health_state::restarting);
  CHECK(failed.last_failure == "system_error(runtime_error): boom in b");
  CHECK(failed.last_failure_time == tree.clock->now());
  tree.advance_through_backoff(100ms);
  const auto back = tree.await_state("root/b", health_state::ready, 1);
  CHECK(back.last_failure == failed.last_failure);
  CHECK(tree.log.matching("start:") == strings{"start:a:0", "start:b:0", "start:c:0",
                                               "start:b:1"});
  CHECK(tree.await_state("root/a", health_state::ready).restarts == 0);
}

TEST_CASE("one_for_all stops the siblings newest first and restarts all three") {
  tree_fixture tree;
  tree.start(three_probes(tree.log, restart_strategy::one_for_all));
  tree.await_state("root/c", health_state::ready);
  tree.crash("b");
  REQUIRE(tree.log.await("stop:a"));
  tree.advance_through_backoff(100ms);
  for (const auto* name : {"root/a", "root/b", "root/c"})
    tree.await_state(name, health_state::ready, 1);
  CHECK(tree.log.matching("stop:") == strings{"stop:b", "stop:c", "stop:a"});
  CHECK(tree.log.matching("start:") == strings{"start:a:0", "start:b:0", "start:c:0",
                                               "start:a:1", "start:b:1", "start:c:1"});
}

TEST_CASE("rest_for_one restarts the failed child and those started after it only") {
  tree_fixture tree;
  tree.start({"root", test_policy(restart_strategy::rest_for_one),
              {probe_child(tree.log, "a"), probe_child(tree.log, "b"),
               probe_child(tree.log, "c"), probe_child(tree.log, "d")}});
  tree.await_state("root/d", health_state::ready);
  tree.crash("b");
  REQUIRE(tree.log.await("stop:c"));
  tree.advance_through_backoff(100ms);
  tree.await_state("root/d", health_state::ready, 1);
  CHECK(tree.log.matching("stop:") == strings{"stop:b", "stop:d", "stop:c"});
  CHECK(tree.log.matching("start:") == strings{"start:a:0", "start:b:0", "start:c:0",
                                               "start:d:0", "start:b:1", "start:c:1",
                                               "start:d:1"});
  CHECK(tree.await_state("root/a", health_state::ready).restarts == 0);
}

TEST_CASE("a transient child that exits normally is not restarted, one that fails is") {
  tree_fixture tree;
  tree.start({"root", test_policy(restart_strategy::one_for_one),
              {probe_child(tree.log, "job", restart_type::transient)}});
  tree.await_state("root/job", health_state::ready);
  caf::anon_send(tree.log.current("job"), finish_atom::value);
  const auto done = tree.await_state("root/job", health_state::stopped);
  CHECK(done.last_failure.empty());
  CHECK(tree.clock->scheduled_total() == 0); // no restart was ever scheduled
  CHECK(tree.log.matching("start:") == strings{"start:job:0"});
}

TEST_CASE("a transient child that fails is restarted") {
  tree_fixture tree;
  tree.start({"root", test_policy(restart_strategy::one_for_one),
              {probe_child(tree.log, "job", restart_type::transient)}});
  tree.await_state("root/job", health_state::ready);
  tree.crash("job");
  tree.advance_through_backoff(100ms);
  tree.await_state("root/job", health_state::ready, 1);
}

TEST_CASE("exceeding the intensity escalates, and the parent's strategy applies") {
  tree_fixture tree;
  auto exchange_policy = test_policy(restart_strategy::one_for_one, 1);
  auto exchange = supervisor_child({"exchange", exchange_policy,
                                    {probe_child(tree.log, "book")}});
  // The root restarts everything when the exchange supervisor gives up (one_for_all).
  tree.start({"root", test_policy(restart_strategy::one_for_all),
              {std::move(exchange), probe_child(tree.log, "strategy")}});
  tree.await_state("root/exchange/book", health_state::ready);
  tree.await_state("root/strategy", health_state::ready);

  tree.crash("book");
  tree.advance_through_backoff(100ms);
  tree.await_state("root/exchange/book", health_state::ready, 1);
  tree.crash("book"); // the second restart within the window: more than max_restarts = 1

  REQUIRE(tree.log.await("stop:strategy"));
  tree.advance_through_backoff(100ms); // the root's backoff before restarting the group
  const auto exchange_node = tree.await_state("root/exchange", health_state::ready, 1);
  CHECK(exchange_node.last_failure.find("gave up: 2 restarts within 60 s exceed the limit of 1")
        == 0);
  CHECK(exchange_node.last_failure.find("'book' system_error(runtime_error): boom in book")
        != std::string::npos);
  tree.await_state("root/strategy", health_state::ready, 1);
  // The new exchange supervisor starts its book afresh.
  tree.await_state("root/exchange/book", health_state::ready, 0);
  CHECK(tree.log.matching("start:book") == strings{"start:book:0", "start:book:1",
                                                   "start:book:0"});
}

TEST_CASE("backoff delays follow the configured curve on the injected clock") {
  tree_fixture tree;
  tree.start({"root", test_policy(restart_strategy::one_for_one),
              {probe_child(tree.log, "flaky")}});
  tree.await_state("root/flaky", health_state::ready);
  const std::vector<std::chrono::milliseconds> curve{100ms, 200ms, 400ms, 800ms, 1600ms,
                                                     1600ms};
  for (std::size_t i = 0; i < curve.size(); ++i) {
    tree.crash("flaky");
    tree.await_state("root/flaky", health_state::restarting, i);
    // Nothing starts a moment before the delay is over.
    REQUIRE(tree.clock->await_pending(1, 5s));
    CHECK(tree.clock->advance(curve[i] - 1ms) == 0);
    CHECK(tree.await_state("root/flaky", health_state::restarting, i).restarts == i);
    CHECK(tree.clock->advance(1ms) == 1);
    tree.await_state("root/flaky", health_state::ready, i + 1);
  }
}

TEST_CASE("jitter from the injected source shortens the delay") {
  tree_fixture tree;
  auto policy = test_policy(restart_strategy::one_for_one);
  policy.backoff.jitter = 0.5;
  tree.start({"root", policy, {probe_child(tree.log, "flaky")}}, [] { return 0.5; });
  tree.await_state("root/flaky", health_state::ready);
  tree.crash("flaky");
  tree.advance_through_backoff(75ms); // 100 ms * (1 - 0.5 * 0.5)
  tree.await_state("root/flaky", health_state::ready, 1);
}

TEST_CASE("a restarted child is told it is a restart, and its recovery hook runs") {
  tree_fixture tree;
  auto book = probe_child(tree.log, "book");
  std::vector<std::uint64_t> hook_calls;
  std::mutex hook_mutex;
  book.after_restart = [&](const caf::actor& child, const child_context& context) {
    std::lock_guard lock{hook_mutex};
    hook_calls.push_back(context.restart_count);
    CHECK(context.is_restart());
    CHECK(context.path == "root/book");
    caf::anon_send(child, degrade_atom::value, std::string{"resynchronising"});
  };
  tree.start({"root", test_policy(restart_strategy::one_for_one), {std::move(book)}});
  tree.await_state("root/book", health_state::ready);
  tree.crash("book");
  tree.advance_through_backoff(100ms);
  const auto node = tree.await_state("root/book", health_state::degraded, 1);
  CHECK(node.reason == "resynchronising");
  std::lock_guard lock{hook_mutex};
  CHECK(hook_calls == std::vector<std::uint64_t>{1});
}

TEST_CASE("children that report readiness start as starting, degraded carries its reason") {
  tree_fixture tree;
  tree.start({"root", test_policy(restart_strategy::one_for_one),
              {probe_child(tree.log, "book", restart_type::permanent, {false, true}),
               probe_child(tree.log, "feed")}});
  auto tree_node = tree.await_node("root", [](const health_node& root) {
    return root.children.size() == 2 && root.children[0].state == health_state::starting;
  });
  CHECK(overall_state(tree_node) == health_state::starting);
  caf::anon_send(tree.log.current("book"), ready_atom::value);
  tree.await_state("root/book", health_state::ready);
  caf::anon_send(tree.log.current("feed"), degrade_atom::value, std::string{"stale stream"});
  const auto feed = tree.await_state("root/feed", health_state::degraded);
  CHECK(feed.reason == "stale stream");
  CHECK(feed.mailbox_size >= 0);
}

TEST_CASE("a failing factory counts as a failure and is retried") {
  tree_fixture tree;
  int calls = 0;
  child_spec fragile;
  fragile.name = "fragile";
  fragile.start = [&](caf::actor_system& system, const child_context& context) {
    if (++calls == 1)
      throw std::runtime_error{"no route to host"};
    return system.spawn(probe, &tree.log, context.name, context, probe_options{});
  };
  tree.start({"root", test_policy(restart_strategy::one_for_one), {std::move(fragile)}});
  const auto failed = tree.await_state("root/fragile", health_state::restarting);
  CHECK(failed.last_failure == "start failed: no route to host");
  tree.advance_through_backoff(100ms);
  tree.await_state("root/fragile", health_state::ready, 1);
}

TEST_CASE("killing a child from outside restarts it and leaves its supervisor running") {
  tree_fixture tree;
  tree.start({"root", test_policy(restart_strategy::one_for_one),
              {supervisor_child({"exchange", test_policy(restart_strategy::one_for_one),
                                 {probe_child(tree.log, "book")}})}});
  tree.await_state("root/exchange/book", health_state::ready);
  caf::anon_send_exit(tree.log.current("book"), caf::exit_reason::kill);
  const auto killed = tree.await_state("root/exchange/book", health_state::restarting);
  CHECK(killed.last_failure == "exit_reason(kill)");
  tree.advance_through_backoff(100ms);
  tree.await_state("root/exchange/book", health_state::ready, 1);
  CHECK(tree.await_state("root/exchange", health_state::ready).restarts == 0);
}

TEST_CASE("a killed supervisor takes its children with it and is restarted with new ones") {
  tree_fixture tree;
  caf::actor exchange_handle;
  auto exchange = supervisor_child({"exchange", test_policy(restart_strategy::one_for_one),
                                    {probe_child(tree.log, "book")}});
  tree.start({"root", test_policy(restart_strategy::one_for_one), {std::move(exchange)}});
  tree.await_state("root/exchange/book", health_state::ready);
  caf::scoped_actor self{tree.rt.system()};
  // The operator restart path reaches the nested supervisor through the root.
  bool done = false;
  self->request(tree.root, 5s, restart_atom_v, std::string{"exchange"})
      .receive([&](bool ok) { done = ok; }, [](caf::error&) {});
  REQUIRE(done);
  REQUIRE(tree.log.await("stop:book"));
  const auto restarting = tree.await_state("root/exchange", health_state::restarting);
  CHECK(restarting.last_failure == "restarted by operator");
  REQUIRE(restarting.children.size() == 1);
  CHECK(restarting.children[0].state == health_state::stopped);
  tree.advance_through_backoff(100ms);
  tree.await_state("root/exchange/book", health_state::ready, 0);
  CHECK(tree.log.matching("start:book") == strings{"start:book:0", "start:book:0"});
}

TEST_CASE("an operator restart reaches a nested child by its path") {
  tree_fixture tree;
  tree.start({"root", test_policy(restart_strategy::one_for_one),
              {supervisor_child({"exchange", test_policy(restart_strategy::one_for_one),
                                 {probe_child(tree.log, "book")}})}});
  tree.await_state("root/exchange/book", health_state::ready);
  caf::scoped_actor self{tree.rt.system()};
  auto ask = [&](const std::string& path) {
    bool result = false;
    self->request(tree.root, 5s, restart_atom_v, path)
        .receive([&](bool ok) { result = ok; }, [](caf::error&) {});
    return result;
  };
  CHECK_FALSE(ask("exchange/nothing"));
  CHECK_FALSE(ask("exchange/book/deeper"));
  REQUIRE(ask("exchange/book"));
  CHECK(tree.await_state("root/exchange/book", health_state::restarting).last_failure
        == "restarted by operator");
}

TEST_CASE("an orderly stop stops children newest first, killing one that will not stop") {
  tree_fixture tree;
  auto stubborn = probe_child(tree.log, "stubborn", restart_type::permanent, {true, false});
  stubborn.shutdown_timeout = 2s;
  tree.start({"root", test_policy(restart_strategy::one_for_one),
              {probe_child(tree.log, "first"), std::move(stubborn),
               probe_child(tree.log, "last")}});
  tree.await_state("root/last", health_state::ready);
  caf::anon_send_exit(tree.root, caf::exit_reason::user_shutdown);
  REQUIRE(tree.log.await("stop:last"));
  // Only the stubborn child's stop timeout is left (the timeout of "last" is withdrawn).
  using delays = std::vector<std::chrono::nanoseconds>;
  REQUIRE(tree.clock->await_pending([](const delays& d) { return d == delays{2s}; }, 5s));
  CHECK(tree.log.matching("stop:") == strings{"stop:last"}); // it is still running
  tree.clock->advance(2s);
  REQUIRE(tree.log.await("stop:first"));
  CHECK(tree.log.matching("stop:") == strings{"stop:last", "stop:stubborn", "stop:first"});
  const auto root = tree.await_state("root", health_state::stopped);
  for (const auto& child : root.children)
    CHECK(child.state == health_state::stopped);
  CHECK(tree.log.matching("start:").size() == 3); // nothing was restarted
}

TEST_CASE("supervisors republish their subtree on the refresh interval") {
  tree_fixture tree;
  tree.start({"root", test_policy(restart_strategy::one_for_one),
              {supervisor_child({"exchange", test_policy(restart_strategy::one_for_one),
                                 {probe_child(tree.log, "book")}})}},
             [] { return 0.0; }, 1s);
  tree.await_state("root/exchange/book", health_state::ready);
  using delays = std::vector<std::chrono::nanoseconds>;
  // One refresh timer per supervisor, each a second away.
  REQUIRE(tree.clock->await_pending([](const delays& d) { return d == delays{1s, 1s}; }, 5s));
  const auto before = tree.board.latest().version;
  CHECK(tree.clock->advance(1s) == 2);
  CHECK(tree.board.await_newer(before, 5s));
  CHECK(tree.board.latest().tree->mailbox_size >= 0);
  // And they set the next one.
  CHECK(tree.clock->await_pending([](const delays& d) { return d == delays{1s, 1s}; }, 5s));
}
