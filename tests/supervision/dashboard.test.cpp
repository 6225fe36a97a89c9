// The dashboard in headless Chromium: the page is loaded once; a crash (or a P&L change) is
// injected after its first poll; the DOM it shows later has the change, without a reload.

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>

#include "supervision/health_json.hpp"
#include "ops_test_support.hpp"
#include "tests/support/shell_command.hpp"
#include "strategy_samples.hpp"
#include "tree_fixture.hpp"

using namespace tern;
using namespace tern::supervision;
using namespace tern::supervision::testing;

namespace {

/// A fresh profile directory, removed afterwards.
struct temporary_directory {
  std::filesystem::path path;
  temporary_directory() {
    char pattern[] = "/tmp/tern_chromium_XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    path = pattern;
  }
  ~temporary_directory() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

/// Loads `url` in headless Chromium, lets the page run for `budget_ms` of virtual time
/// (network waits pause it), and returns the DOM it ends with.
std::string dump_dom(const std::string& url, int budget_ms) {
  temporary_directory profile;
  const auto command =
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
      " --disable-background-networking --disable-component-update --disable-sync"
      " --user-data-dir=" + profile.path.string()
      + " --virtual-time-budget=" + std::to_string(budget_ms) + " --dump-dom '" + url
      + "' 2>/dev/null";
  const auto result = tern::testing::run_shell(command);
  INFO("chromium exit status " << result.status);
  REQUIRE(result.status == 0);
  return result.output;
}

/// The attribute `name` of the first element with `key`="`value`" in its tag.
std::string attribute_where(const std::string& dom, const std::string& key,
                            const std::string& value, const std::string& name) {
  const auto at = dom.find(key + "=\"" + value + "\"");
  if (at == std::string::npos)
    return {};
  const auto tag_start = dom.rfind('<', at);
  const auto tag_end = dom.find('>', at);
  const auto tag = dom.substr(tag_start, tag_end - tag_start);
  std::smatch match;
  if (std::regex_search(tag, match, std::regex{" " + name + "=\"([^\"]*)\""}))
    return match[1];
  return {};
}

/// The attribute `name` of the first element whose data-path is `path`.
std::string attribute_of(const std::string& dom, const std::string& path, const std::string& name) {
  return attribute_where(dom, "data-path", path, name);
}

/// How many polls the page made: more than one means it redrew in place.
int polls_of(const std::string& dom) {
  std::smatch polls;
  if (!std::regex_search(dom, polls, std::regex{"data-polls=\"([0-9]+)\""}))
    return 0;
  return std::stoi(polls[1]);
}

} // namespace

TEST_CASE("the dashboard shows a restart injected after the page loaded") {
  served_tree tree;
  supervisor_policy immediate = test_policy(restart_strategy::one_for_one);
  immediate.backoff = backoff_settings{{}, {}, 1.0, 0.0}; // restart at once: no clock to advance
  tree.start({"root", immediate, {probe_child(tree.log, "feed"), probe_child(tree.log, "book")}});
  tree.await_state("root/book", health_state::ready);

  std::atomic<bool> crashed{false};
  std::atomic<std::uint64_t> restarts_first_seen{99};
  tree.serve({}, [&](const ops_request& request, const ops_response& response) {
    if (request.target != "/health" || crashed.exchange(true))
      return;
    // The page's first poll has its answer (book never restarted): now crash the book. This
    // runs on the server's thread, so no Catch assertions here.
    if (auto document = parse_health_json(response.body))
      if (const auto* book = find_node(document->tree, "root/book"))
        restarts_first_seen = book->restarts;
    if (auto book = tree.log.current("book"))
      caf::anon_send(book, crash_atom::value);
  });

  const auto dom = dump_dom("http://127.0.0.1:" + std::to_string(tree.endpoint.port) + "/", 5000);
  INFO(dom);
  CHECK(crashed);
  CHECK(restarts_first_seen == 0);
  CHECK(attribute_of(dom, "root/book", "data-restarts") == "1");
  CHECK(attribute_of(dom, "root/book", "data-state") == "ready");
  CHECK(attribute_of(dom, "root/feed", "data-restarts") == "0");
  CHECK(dom.find("last failure") != std::string::npos);
  CHECK(dom.find("boom in book") != std::string::npos);
  // Several polls of one page load: the tree was redrawn in place, not reloaded.
  CHECK(polls_of(dom) >= 2);
}

TEST_CASE("the dashboard draws strategy panels and peer links, and follows a P&L change") {
  served_tree tree;
  tree.start({"root", test_policy(restart_strategy::one_for_one), {probe_child(tree.log, "feed")}});
  tree.await_state("root/feed", health_state::ready);
  tree.strategies.publish(sample_strategy("1.7", "-0.25"), sample_published);
  tree.strategies.record_fill("arb-btc", sample_fill("tern-arb-0006", "37240.02", sample_published));
  tree.board.publish_nodes(sample_links());

  std::atomic<bool> changed{false};
  std::atomic<bool> first_showed_old_total{false};
  tree.serve({}, [&](const ops_request& request, const ops_response& response) {
    if (request.target != "/strategies" || changed.exchange(true))
      return;
    // The page has drawn the first P&L; now it changes (server thread: no Catch here).
    first_showed_old_total = response.body.find(R"("total":"1.45")") != std::string::npos;
    tree.strategies.publish(sample_strategy("5.5", "0.5"), at_second(sample_published, 5));
  });

  const auto dom = dump_dom("http://127.0.0.1:" + std::to_string(tree.endpoint.port) + "/", 5000);
  INFO(dom);
  CHECK(changed);
  CHECK(first_showed_old_total);
  CHECK(attribute_where(dom, "data-strategy", "arb-btc", "data-pnl-total") == "6");
  CHECK(attribute_where(dom, "class", "chart", "data-points") == "2");
  CHECK(attribute_where(dom, "class", "chart", "data-last") == "6");
  CHECK(dom.find("<polyline class=\"line\" points=\"") != std::string::npos);
  CHECK(attribute_where(dom, "data-client-order-id", "tern-arb-0007", "data-client-order-id")
        == "tern-arb-0007");
  CHECK(dom.find("37250.1") != std::string::npos); // the order's price, as sent
  CHECK(attribute_where(dom, "data-fill", "tern-arb-0006", "data-fill") == "tern-arb-0006");
  CHECK(attribute_where(dom, "data-top", "binance/BTC-USDT", "data-top") == "binance/BTC-USDT");
  CHECK(dom.find("37240.01") != std::string::npos); // binance's best bid
  CHECK(attribute_where(dom, "data-node", "books-us", "data-state") == "lost");
  CHECK(attribute_where(dom, "data-node", "books-eu", "data-state") == "connected");
  CHECK(dom.find("heartbeat timeout") != std::string::npos);
  CHECK(polls_of(dom) >= 2);
}
