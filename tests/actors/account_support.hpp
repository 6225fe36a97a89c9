#pragma once

// Shared by the account actor tests: a real simulator on 127.0.0.1 over TLS, a real CAF actor
// system, one exchange account's supervision subtree started from account_runtime, a record
// of every health state each node went through, and subscriber probes that collect what the
// actors push. Every wait is bounded by a deadline; nothing sleeps to wait.

#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/account_components.hpp"
#include "actors/message_types.hpp"
#include "actors/runtime.hpp"
#include "sim/server.hpp"
#include "supervision/health_board.hpp"
#include "supervision/supervisor.hpp"
#include "tests/net/net_test_support.hpp"
#include "tests/sim/server_support.hpp"

namespace tern::testing {

using namespace std::chrono_literals;
using net::testing::collector;
using supervision::health_state;

/// Every (path, state, reason) the tree published, in order, for the paths that changed.
class health_history {
 public:
  void record(const supervision::health_node& tree) {
    std::lock_guard lock{mutex_};
    supervision::for_each_node(tree, [&](const supervision::health_node& node,
                                         const std::string& path) {
      auto& last = last_[path];
      const auto line = std::string{to_string(node.state)} + "|" + std::to_string(node.restarts);
      if (last == line)
        return;
      last = line;
      events_.push_back(entry{path, node.state, node.reason, node.restarts});
    });
  }
  struct entry {
    std::string path;
    health_state state;
    std::string reason;
    std::uint64_t restarts;
  };
  /// The states `path` went through, oldest first.
  std::vector<entry> of(const std::string& path) const {
    std::lock_guard lock{mutex_};
    std::vector<entry> out;
    for (const auto& event : events_)
      if (event.path == path)
        out.push_back(event);
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> last_;
  std::vector<entry> events_;
};

/// A subscriber actor: everything it is sent lands in its collectors.
struct probe_inbox {
  collector<top_of_book> tops;
  collector<book_snapshot> depth;
  collector<trade> trades;
  collector<order_notice> notices;
  collector<funding_info> funding;
};

inline caf::behavior probe_actor(caf::event_based_actor*, std::shared_ptr<probe_inbox> inbox) {
  return {
      [inbox](const top_of_book& top) { inbox->tops.push(top); },
      [inbox](const book_snapshot& snapshot) { inbox->depth.push(snapshot); },
      [inbox](const trade& event) { inbox->trades.push(event); },
      [inbox](const funding_info& info) { inbox->funding.push(info); },
      [inbox](const order_notice& notice) { inbox->notices.push(notice); },
      [](const command_reply&) {},
  };
}

/// Quick timings so faults resolve within a test's deadline.
inline account_timings test_timings() {
  account_timings timings;
  timings.request_timeout = 5s;
  timings.place_timeout = 1s;
  timings.status_poll = 500ms;
  timings.quiet_poll = 1s;
  timings.stale_stream = 1500ms;
  timings.retry_delay = 200ms;
  timings.completion_wait = 1s;
  return timings;
}

/// The simulator's endpoints as a connector's endpoints.
inline endpoints sim_endpoints(const sim::server& simulator, const std::string& exchange,
                               const std::string& connector) {
  const auto* host = const_cast<sim::server&>(simulator).exchange(exchange);
  REQUIRE(host != nullptr);
  const auto origin = "127.0.0.1:" + std::to_string(host->port());
  endpoints urls;
  urls.rest = "https://" + origin;
  if (connector.rfind("okx", 0) == 0) {  // OKX: one public and one private URL (docs/simulator.md)
    urls.public_ws = "wss://" + origin + "/ws/v5/public";
    urls.private_ws = "wss://" + origin + "/ws/v5/private";
    return urls;
  }
  urls.public_ws = "wss://" + origin + "/stream";
  urls.private_ws = connector == "binance" ? "wss://" + origin + "/ws-api/v3"
                                           : "wss://" + origin + "/ws/{listenKey}";
  return urls;
}

/// A simulator with one exchange, an actor system, and one account's subtree under a root.
struct account_fixture {
  account_fixture(sim::server_options options, std::string exchange, account_settings settings)
      : exchange_name(std::move(exchange)) {
    auto started = sim::server::start(std::move(options));
    if (!started)
      FAIL("simulator did not start: " << started.error());
    simulator = std::move(*started);
    host = simulator->exchange(exchange_name);
    REQUIRE(host != nullptr);
    settings.protocol.urls = sim_endpoints(*simulator, exchange_name, settings.connector);
    settings.trust.trust = net::trust_source::ca_pem;
    settings.trust.ca_pem = simulator->ca_certificate_pem();
    account_name = settings.name;
    auto added = accounts.add(std::move(settings));
    if (!added)
      FAIL(added.error());
    context = *added;
  }

  ~account_fixture() {
    rt.shutdown();
    simulator->stop();
  }

  void start() {
    supervision::supervisor_policy policy;
    policy.strategy = supervision::restart_strategy::one_for_one;
    policy.max_restarts = 20;
    policy.within = 60s;
    policy.backoff = supervision::backoff_settings{50ms, 400ms, 2.0, 0.0};
    supervision::tree_options options;
    options.publish = [this](const supervision::health_node& tree) {
      history.record(tree);
      board.publish(tree);
    };
    options.jitter = [] { return 0.0; };
    root = supervision::spawn_supervision_tree(rt.system(), accounts.account_tree(account_name, policy),
                                               std::move(options));
    rt.add("root", root);
  }

  /// Waits until the node at `path` ("book.BTC-USDT") is in `state` with `restarts`.
  bool await_state(const std::string& child, health_state state, std::uint64_t restarts = 0,
                   std::chrono::milliseconds limit = 20s) {
    const auto path = account_name + "/" + child;
    return board
        .await(
            [&](const supervision::health_node& tree) {
              const auto* node = supervision::find_node(tree, path);
              return node != nullptr && node->state == state && node->restarts == restarts;
            },
            limit)
        .tree != nullptr;
  }

  /// The latest tree, one "path state reason" line per node (for failure messages).
  std::string describe_tree() const {
    std::string out;
    auto latest = board.latest();
    if (!latest.tree)
      return "no tree published";
    supervision::for_each_node(*latest.tree, [&](const supervision::health_node& node,
                                                 const std::string& path) {
      out += path + " " + std::string{to_string(node.state)} + " " + node.reason + "\n";
    });
    return out;
  }

  std::vector<health_history::entry> states_of(const std::string& child) const {
    return history.of(account_name + "/" + child);
  }

  caf::actor spawn_probe(const std::shared_ptr<probe_inbox>& inbox) {
    return rt.system().spawn(probe_actor, inbox);
  }

  /// The engine's whole book of `symbol`, read on the exchange thread.
  book_snapshot engine_book(const std::string& symbol) {
    book_snapshot out;
    host->run_sync([&](sim::exchange_state& state) { out = state.venue.market(symbol)->snapshot(); });
    return out;
  }

  /// Asks the running book actor of `pair` for its whole book; nothing while it is not in sync.
  std::optional<book_snapshot> actor_book(const std::string& pair) {
    auto book = context->directory.get("book." + pair);
    if (!book)
      return std::nullopt;
    std::optional<book_snapshot> out;
    caf::scoped_actor self{rt.system()};
    self->request(book, 5s, snapshot_atom::value, pair)
        .receive([&](book_snapshot& snapshot) { out = std::move(snapshot); },
                 [&](caf::error&) {});
    return out;
  }

  // Declared in this order so the actor system goes down before the io threads and accounts.
  account_runtime accounts{1};
  std::unique_ptr<sim::server> simulator;
  sim::exchange_host* host = nullptr;
  std::string exchange_name;
  std::string account_name;
  account_context_ptr context;
  supervision::health_board board;
  health_history history;
  runtime rt{[] {
    runtime_options options;
    options.scheduler_threads = 2;
    return options;
  }()};
  caf::actor root;
};

} // namespace tern::testing
