// Two actor systems in one process, connected over loopback BASP through CAF's io
// middleman: events sent to a remote actor are serialised, cross a real TCP socket and come
// back equal.

#include <catch2/catch.hpp>

#include <chrono>
#include <optional>

#include <caf/actor_system.hpp>
#include <caf/deep_to_string.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/message_types.hpp"
#include "actors/runtime.hpp"
#include "tests/actors/event_samples.hpp"

using namespace tern;
using namespace std::chrono_literals;

namespace {

constexpr auto request_timeout = 5s;

runtime_options network_options() {
  runtime_options options;
  options.scheduler_threads = 1;
  options.enable_network = true;
  options.stop_timeout = 2000ms;
  return options;
}

/// Replies with what it received: the reply is the event as the server node loaded it.
caf::behavior echo() {
  return {
    [](book_delta& delta) { return delta; },
    [](fill& f) { return f; },
  };
}

template <class T>
std::optional<T> ask(caf::scoped_actor& self, const caf::actor& target, const T& value) {
  std::optional<T> reply;
  self->request(target, request_timeout, value)
    .receive([&](T& back) { reply = std::move(back); },
             [&](caf::error& e) { FAIL("request failed: " << self->system().render(e)); });
  return reply;
}

struct two_nodes {
  runtime server{network_options()};
  runtime client{network_options()};
  caf::actor echo_actor;
  caf::actor remote;

  two_nodes() {
    echo_actor = server.system().spawn(echo);
    server.add("echo", echo_actor);
    auto port = server.system().middleman().publish(echo_actor, 0, "127.0.0.1", true);
    REQUIRE(port);
    REQUIRE(*port != 0);
    auto proxy = client.system().middleman().remote_actor("127.0.0.1", *port);
    if (!proxy)
      FAIL("remote_actor failed: " << client.system().render(proxy.error()));
    remote = *proxy;
  }
};

} // namespace

TEST_CASE("a book_delta and a fill sent to a remote actor over BASP come back equal") {
  two_nodes nodes;
  // The handle is a proxy for an actor on another node, so messages take the network path.
  REQUIRE(nodes.remote.node() == nodes.server.system().node());
  REQUIRE(nodes.remote.node() != nodes.client.system().node());
  caf::scoped_actor self{nodes.client.system()};

  auto delta = test::captured_delta();
  delta.checksum = 0xDEADBEEFu;
  auto delta_back = ask(self, nodes.remote, delta);
  REQUIRE(delta_back);
  INFO(caf::deep_to_string(*delta_back));
  CHECK(test::same_fields(*delta_back, delta));

  auto fill = test::captured_fill();
  fill.quote_amount = decimal::max();
  fill.fee.amount = decimal::min();
  auto fill_back = ask(self, nodes.remote, fill);
  REQUIRE(fill_back);
  INFO(caf::deep_to_string(*fill_back));
  CHECK(test::same_fields(*fill_back, fill));
}

TEST_CASE("a remote watcher learns of an orderly stop as user_shutdown") {
  two_nodes nodes;
  caf::scoped_actor self{nodes.client.system()};
  self->monitor(nodes.remote);
  // One round trip first: the server attaches its end of the proxy when the client's
  // announcement arrives, which may be after remote_actor returns. An actor that ends before
  // that is reported to the client as exit_reason(unknown).
  REQUIRE(ask(self, nodes.remote, test::captured_fill()));
  const auto reports = nodes.server.stop();
  REQUIRE(reports.size() == 1);
  CHECK(reports[0].result == stop_report::outcome::stopped);

  std::optional<caf::error> reason;
  self->receive(
    [&](caf::down_msg& down) {
      if (down.source == nodes.remote.address())
        reason = down.reason;
    },
    caf::after(request_timeout) >> [] { FAIL("no down_msg from the remote actor"); });
  REQUIRE(reason);
  INFO(nodes.client.system().render(*reason));
  CHECK(*reason == caf::exit_reason::user_shutdown);
}
