// The health tree rendered for people and tools: /health JSON (and back), the Prometheus
// text (checked by promtool), the terminal tree, and the aggregation they all rely on.

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <utility>


#include "supervision/health_board.hpp"
#include "supervision/health_json.hpp"
#include "supervision/metrics.hpp"
#include "supervision/status_text.hpp"
#include "ops_test_support.hpp"
#include "tree_samples.hpp"

using namespace tern;
using namespace tern::supervision;
using namespace tern::supervision::testing;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("the worst state wins, and a stopped child does not make its tree unhealthy") {
  auto tree = sample_tree();
  CHECK(overall_state(tree) == health_state::restarting);
  CHECK(overall_state(tree.children[1]) == health_state::degraded);
  tree.children[0].state = health_state::stopped;
  CHECK(overall_state(tree) == health_state::degraded);
  tree.children[1].children[0].state = health_state::failed;
  CHECK(overall_state(tree) == health_state::failed);
  CHECK(worst_of(health_state::stopped, health_state::ready) == health_state::ready);
  CHECK(worst_of(health_state::starting, health_state::degraded) == health_state::degraded);
}

TEST_CASE("the /health document carries every node and reads back the same") {
  const auto tree = sample_tree();
  const auto text = render_health_json(snapshot_of(tree), sample_now);
  CHECK(contains(text, R"("status":"restarting")"));
  CHECK(contains(text, R"("path":"node/binance/book")"));
  CHECK(contains(text, R"("overall":"restarting")"));
  CHECK(contains(text, R"("time":"2023-11-14T22:13:20.250Z")"));
  const auto parsed = parse_health_json(text);
  REQUIRE(parsed);
  CHECK(parsed->generated_at == sample_now);
  CHECK(parsed->updated_at == sample_published);
  const auto& binance = parsed->tree.children[0];
  CHECK(binance.name == "binance");
  CHECK(binance.kind == child_kind::supervisor);
  CHECK(binance.strategy == "rest_for_one");
  CHECK(binance.state == health_state::restarting);
  CHECK(binance.restarts == 2);
  CHECK(binance.last_failure == "exit_reason(kill)");
  CHECK(binance.last_failure_time == sample_failure);
  CHECK(binance.children.size() == 2);
  const auto& feed = parsed->tree.children[1].children[0];
  CHECK(feed.reason == "stale stream \"BTC-USDT\"");
  CHECK(feed.mailbox_size == 3);
  CHECK(parsed->tree.mailbox_size == -1);
}

TEST_CASE("a /health document before the first report says so") {
  const auto text = render_health_json(board_snapshot{}, sample_now);
  CHECK(contains(text, R"("status":"starting")"));
  const auto parsed = parse_health_json(text);
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error() == "the node has not published its supervision tree yet");
  CHECK(parse_health_json("<html>").error() == "the health document is not a JSON object");
  const auto bad = parse_health_json(R"({"tree":{"name":"node","state":"sleepy"}})");
  CHECK(bad.error() == "tree/node: unknown state 'sleepy'");
}

TEST_CASE("metrics name each node by supervisor and child, one series per state") {
  const auto families = supervision_metrics(snapshot_of(sample_tree()));
  const auto text = render_prometheus(families).text;
  CHECK(contains(text, "# TYPE tern_supervision_child_restarts_total counter\n"));
  CHECK(contains(text, "tern_supervision_child_restarts_total{supervisor=\"node\",child=\"binance\"} 2\n"));
  CHECK(contains(text, "tern_supervision_child_state{supervisor=\"node\",child=\"binance\",state=\"restarting\"} 1\n"));
  CHECK(contains(text, "tern_supervision_child_state{supervisor=\"node\",child=\"binance\",state=\"ready\"} 0\n"));
  CHECK(contains(text, "tern_supervision_child_state{supervisor=\"\",child=\"node\",state=\"ready\"} 1\n"));
  CHECK(contains(text, "tern_supervision_child_last_failure_timestamp_seconds{supervisor=\"node\",child=\"binance\"} 1700000000.25\n"));
  CHECK(contains(text, "tern_actor_mailbox_messages{supervisor=\"node/strategies\",child=\"feed\"} 3\n"));
  CHECK_FALSE(contains(text, "tern_actor_mailbox_messages{supervisor=\"node\",child=\"binance\"}"));
  CHECK(contains(text, "tern_supervision_tree_state{state=\"restarting\"} 1\n"));
  CHECK(contains(text, "tern_supervision_tree_published_timestamp_seconds 1700000001\n"));
}

TEST_CASE("the renderer merges, escapes and refuses what Prometheus would reject") {
  std::vector<metric_family> families{
      {"tern_book_levels", "Levels per side.", metric_type::gauge, {{{{"side", "bid"}}, 5}}},
      {"tern_book_levels", "", metric_type::gauge, {{{{"side", "ask"}}, 7}}},
      {"tern_fills_total", "", metric_type::gauge, {}},
      {"tern_fills_total", "", metric_type::counter, {}},
      {"tern_orders", "A counter without _total.", metric_type::counter, {}},
      {"9lives", "", metric_type::gauge, {}},
      {"tern_odd_label", "", metric_type::gauge, {{{{"__reserved", "x"}}, 1}}},
      {"tern_quoted", "Help with a \\ backslash\nand a newline.", metric_type::gauge,
       {{{{"reason", "say \"hi\" \\ bye\n"}}, 1}}},
  };
  const auto rendered = render_prometheus(families);
  CHECK(contains(rendered.text, "tern_book_levels{side=\"bid\"} 5\ntern_book_levels{side=\"ask\"} 7\n"));
  CHECK(contains(rendered.text, "# HELP tern_quoted Help with a \\\\ backslash\\nand a newline.\n"));
  CHECK(contains(rendered.text, "tern_quoted{reason=\"say \\\"hi\\\" \\\\ bye\\n\"} 1\n"));
  CHECK(rendered.problems == std::vector<std::string>{
                                 "metric 'tern_fills_total' registered with two types",
                                 "counter 'tern_orders' must end in _total",
                                 "invalid metric name '9lives'",
                                 "metric 'tern_odd_label' has an invalid label name '__reserved'"});
}

TEST_CASE("registered collectors are called on each scrape and can be removed") {
  metrics_registry registry;
  int scrapes = 0;
  const auto id = registry.add("books", [&] {
    ++scrapes;
    return std::vector<metric_family>{
        {"tern_book_updates_total", "Book updates applied.", metric_type::counter,
         {{{{"market", "BTC-USDT"}}, static_cast<double>(scrapes)}}}};
  });
  CHECK(registry.collect()[0].samples[0].value == 1);
  CHECK(registry.collect()[0].samples[0].value == 2);
  registry.remove(id);
  CHECK(registry.collect().empty());
}

TEST_CASE("promtool accepts the metrics text") {
  auto families = supervision_metrics(snapshot_of(sample_tree()));
  families.push_back({"tern_book_updates_total", "Book updates applied.", metric_type::counter,
                      {{{{"market", "BTC-USDT"}}, 12}}});
  const auto [status, output] = promtool_check(render_prometheus(families).text);
  INFO(output);
  CHECK(status == 0);
  CHECK(output.empty());
  // The check is real: a counter without the _total suffix draws a complaint.
  const auto [bad_status, bad_output] =
      promtool_check("# HELP tern_x_count A count.\n# TYPE tern_x_count counter\ntern_x_count 1\n");
  CHECK(contains(bad_output, "counter metrics should have \"_total\" suffix"));
  (void)bad_status;
}

TEST_CASE("the terminal tree shows each node on its own line, coloured on request") {
  auto tree = sample_tree();
  status_style plain;
  plain.now = sample_now;
  plain.updated_at = sample_published;
  const auto text = render_status_text(tree, plain);
  CHECK(text.rfind("node  restarting  (tree updated 2.0 s ago)\n", 0) == 0);
  CHECK(contains(text, "├── binance"));
  CHECK(contains(text, "│   ├── connection"));
  CHECK(contains(text, "│   └── book"));
  CHECK(contains(text, "└── strategies"));
  CHECK(contains(text, "restarting: exit_reason(kill)  restarts 2  at 22:13:20.250"));
  CHECK(contains(text, "degraded: stale stream \"BTC-USDT\"  mailbox 3"));
  CHECK_FALSE(contains(text, "\033["));
  status_style coloured = plain;
  coloured.colour = true;
  CHECK(contains(render_status_text(tree, coloured), "\033[35mrestarting"));
  CHECK(status_exit_code(tree) == 0);
  tree.children[1].children[0].state = health_state::failed;
  CHECK(status_exit_code(tree) == 1);
}
