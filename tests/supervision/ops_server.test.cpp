// The ops endpoint over real HTTP on 127.0.0.1: probes, /health and /metrics following a real
// tree through a crash and its restart, promtool on the served metrics, and control.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "supervision/health_json.hpp"
#include "supervision/ops_client.hpp"
#include "supervision/ops_server.hpp"
#include "ops_test_support.hpp"
#include "tree_fixture.hpp"

using namespace tern;
using namespace tern::supervision;
using namespace tern::supervision::testing;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("the ops endpoint follows a crash and its restart over HTTP") {
  served_tree tree;
  tree.start({"root", test_policy(restart_strategy::one_for_one),
              {probe_child(tree.log, "a"), probe_child(tree.log, "b")}});
  tree.serve();
  tree.await_state("root/b", health_state::ready);
  CHECK(tree.get("/livez").body == "ok\n");
  CHECK(tree.get("/readyz").status == 200);

  tree.crash("b");
  const auto restarting = tree.poll_health([](const health_node& root) {
    const auto* b = find_node(root, "root/b");
    return b != nullptr && b->state == health_state::restarting;
  });
  CHECK(find_node(restarting, "root/b")->last_failure
        == "system_error(runtime_error): boom in b");
  const auto not_ready = tree.get("/readyz?verbose");
  CHECK(not_ready.status == 503);
  CHECK(contains(not_ready.body, "[-]root/b restarting: system_error(runtime_error): boom in b\n"));

  tree.advance_through_backoff(100ms);
  tree.poll_health([](const health_node& root) {
    const auto* b = find_node(root, "root/b");
    return b != nullptr && b->state == health_state::ready && b->restarts == 1;
  });
  CHECK(tree.get("/readyz").status == 200);
  const auto metrics = tree.get("/metrics");
  CHECK(metrics.content_type == "text/plain; version=0.0.4; charset=utf-8");
  CHECK(contains(metrics.body,
                 "tern_supervision_child_restarts_total{supervisor=\"root\",child=\"b\"} 1\n"));
  const auto [status, output] = promtool_check(metrics.body);
  INFO(output);
  CHECK(status == 0);
  CHECK(output.empty());
  CHECK(tree.get("/").content_type == "text/html; charset=utf-8");
}

TEST_CASE("control is off by default over HTTP") {
  served_tree tree;
  tree.start({"root", test_policy(restart_strategy::one_for_one), {probe_child(tree.log, "a")}});
  tree.serve();
  tree.await_state("root/a", health_state::ready);
  const auto refused = tree.post("/control/restart?path=root/a", "Bearer anything");
  CHECK(refused.status == 404);
  CHECK(tree.log.matching("start:a").size() == 1);
}

TEST_CASE("an authorised operator restart over HTTP restarts the child per its policy") {
  served_tree tree;
  tree.start({"root", test_policy(restart_strategy::one_for_one),
              {supervisor_child({"exchange", test_policy(restart_strategy::one_for_one),
                                 {probe_child(tree.log, "book")}})}});
  ops_settings control;
  control.control_enabled = true;
  control.control_token = config::secret{"ops-token-for-tests"};
  tree.serve(std::move(control));
  tree.await_state("root/exchange/book", health_state::ready);
  CHECK(tree.post("/control/restart?path=root/exchange/book").status == 401);
  CHECK(tree.post("/control/restart?path=root/exchange/book", "Bearer wrong").status == 401);
  const auto done =
      tree.post("/control/restart?path=root/exchange/book", "Bearer ops-token-for-tests");
  CHECK(done.status == 200);
  CHECK(done.body == R"({"path":"root/exchange/book","restarted":true})");
  const auto node = tree.await_state("root/exchange/book", health_state::restarting);
  CHECK(node.last_failure == "restarted by operator");
  tree.advance_through_backoff(100ms);
  tree.await_state("root/exchange/book", health_state::ready, 1);
  CHECK(tree.post("/control/restart?path=root/exchange/nothing", "Bearer ops-token-for-tests")
            .status
        == 404);
}
