#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <thread>

#include "net/compression.hpp"
#include "net/http_server.hpp"
#include "net/io_runtime.hpp"
#include "net/websocket_client.hpp"
#include "net_test_support.hpp"

using namespace tern::net;
using namespace tern::net::testing;
using namespace std::chrono_literals;

namespace {

using session_ptr = std::shared_ptr<websocket_session>;
using frame_handler = std::function<void(const session_ptr&, const std::string&, bool)>;

/// A WSS server whose behaviour per session and per frame the test supplies.
struct ws_peer {
  ws_peer(std::function<void(const session_ptr&)> on_open, frame_handler on_frame, bool deflate = false)
      : open_behaviour(std::move(on_open)), frame_behaviour(std::move(on_frame)) {
    http_server_options options{"127.0.0.1", 0, server_tls()};
    options.websocket_permessage_deflate = deflate;
    server = std::make_unique<http_server>(
        runtime.context(), options, [](server_request, responder reply) { reply.respond({404, {}, "", false}); },
        [this](const server_request& upgrade, session_ptr session) { accept(upgrade, std::move(session)); });
    runtime.start();
    auto started = server->start();
    REQUIRE(started.has_value());
    port = *started;
  }

  websocket_client_options client_options(const std::string& target = "/ws") const {
    websocket_client_options options;
    options.url = "wss://127.0.0.1:" + std::to_string(port) + target;
    options.server_name = "localhost";
    options.tls = client_tls();
    options.reconnect = {10ms, 100ms, 2.0, 0.0};
    options.backoff_seed = 1;
    return options;
  }

  // Everything the server's handlers touch is declared before the server, so it outlives it.
  std::function<void(const session_ptr&)> open_behaviour;
  frame_handler frame_behaviour;
  io_runtime runtime{2};
  collector<server_request> upgrades;
  collector<std::pair<std::string, bool>> received;
  collector<std::uint64_t> session_closes;
  std::unique_ptr<http_server> server;
  std::uint16_t port = 0;

 private:
  void accept(const server_request& upgrade, session_ptr session) {
    upgrades.push(upgrade);
    std::weak_ptr<websocket_session> weak = session;
    session->on_message = [this, weak](std::string payload, bool binary) {
      received.push({payload, binary});
      if (auto alive = weak.lock(); alive && frame_behaviour) frame_behaviour(alive, payload, binary);
    };
    session->on_close = [this, id = session->id()] { session_closes.push(id); };
    if (open_behaviour) open_behaviour(session);
  }
};

/// Records every client callback.
struct ws_events {
  collector<int> opens;
  collector<websocket_message> messages;
  collector<websocket_close_info> closes;

  websocket_callbacks callbacks(std::function<void()> also_on_open = {}) {
    return {[this, also_on_open] {
              opens.push(1);
              if (also_on_open) also_on_open();
            },
            [this](websocket_message m) { messages.push(std::move(m)); },
            [this](const websocket_close_info& info) { closes.push(info); }};
  }
};

const frame_handler echo = [](const session_ptr& s, const std::string& payload, bool binary) {
  if (binary) s->send_binary(payload);
  else s->send_text(payload);
};

const frame_handler drop_on_request = [](const session_ptr& s, const std::string& payload, bool) {
  if (payload == "drop-me") s->drop();
};

} // namespace

TEST_CASE("text and binary frames flow both ways") {
  ws_peer peer{[](const session_ptr& s) { s->send_text("welcome"); }, echo};
  ws_events events;
  websocket_client client{peer.runtime.context(), peer.client_options(), events.callbacks()};
  client.start();
  REQUIRE(events.opens.wait_for(1));
  CHECK(client.is_open());
  const std::string bytes{"\x00\x01\xfe\xff", 4};
  client.send_text("hello");
  client.send_binary(bytes);
  REQUIRE(events.messages.wait_for(3));
  const auto messages = events.messages.snapshot();
  CHECK(messages[0].payload == "welcome");
  CHECK_FALSE(messages[0].binary);
  CHECK(messages[1].payload == "hello");
  CHECK_FALSE(messages[1].binary);
  CHECK(messages[2].payload == bytes);
  CHECK(messages[2].binary);
  CHECK(messages[0].received.time_since_epoch().count() > 0);
  const auto received = peer.received.snapshot();
  REQUIRE(received.size() == 2);
  CHECK(received[1] == std::pair<std::string, bool>{bytes, true});
}

TEST_CASE("sends from several threads go out whole and in each thread's order") {
  ws_peer peer{{}, {}};
  ws_events events;
  websocket_client client{peer.runtime.context(), peer.client_options(), events.callbacks()};
  client.start();
  REQUIRE(events.opens.wait_for(1));
  collector<send_outcome> outcomes;
  constexpr int threads = 4, per_thread = 250;
  std::vector<std::thread> senders;
  for (int t = 0; t < threads; ++t)
    senders.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i)
        client.send_text(std::to_string(t) + ":" + std::to_string(i) + std::string(100, 'x'),
                         [&](send_outcome o) { outcomes.push(o); });
    });
  for (auto& sender : senders) sender.join();
  REQUIRE(peer.received.wait_for(threads * per_thread));
  std::map<int, int> next;
  for (const auto& [payload, binary] : peer.received.snapshot()) {
    const int thread = std::stoi(payload.substr(0, payload.find(':')));
    const int index = std::stoi(payload.substr(payload.find(':') + 1));
    CHECK(index == next[thread]++);
    CHECK(payload.size() == payload.find('x') + 100);
  }
  REQUIRE(outcomes.wait_for(threads * per_thread));
  for (auto outcome : outcomes.snapshot()) CHECK(outcome == send_outcome::written);
}

TEST_CASE("the application heartbeat is sent and its reply swallowed") {
  ws_peer peer{{}, [](const session_ptr& s, const std::string& payload, bool binary) {
                 if (payload == "ping") s->send_text("pong");
                 else echo(s, payload, binary);
               }};
  ws_events events;
  auto options = peer.client_options();
  options.heartbeat = app_heartbeat{40ms, "ping", false,
                                    [](std::string_view payload, bool) { return payload == "pong"; }, 2s};
  websocket_client client{peer.runtime.context(), options, events.callbacks()};
  client.start();
  REQUIRE(events.opens.wait_for(1));
  REQUIRE(peer.received.wait_until([](const auto& frames) {
    return std::count(frames.begin(), frames.end(), std::pair<std::string, bool>{"ping", false}) >= 3;
  }));
  client.send_text("data");
  REQUIRE(events.messages.wait_for(1));
  CHECK(events.messages.snapshot().front().payload == "data");
  REQUIRE(peer.received.wait_until([](const auto& frames) {
    return std::count(frames.begin(), frames.end(), std::pair<std::string, bool>{"ping", false}) >= 5;
  }));
  for (const auto& message : events.messages.snapshot()) CHECK(message.payload != "pong");
  CHECK(events.closes.size() == 0);
}

TEST_CASE("a missing heartbeat reply closes and reconnects") {
  ws_peer peer{{}, {}}; // never answers
  ws_events events;
  auto options = peer.client_options();
  options.heartbeat = app_heartbeat{30ms, "ping", false,
                                    [](std::string_view payload, bool) { return payload == "pong"; }, 150ms};
  websocket_client client{peer.runtime.context(), options, events.callbacks()};
  client.start();
  REQUIRE(events.opens.wait_for(2));
  const auto close = events.closes.snapshot().at(0);
  CHECK(close.error.code == net_errc::timeout);
  CHECK_THAT(close.error.message, Catch::Contains("heartbeat"));
  CHECK(close.was_open);
  CHECK(close.will_reconnect);
}

TEST_CASE("a stale stream is closed and reconnected, and on_open fires again") {
  ws_peer peer{[](const session_ptr& s) {
                 s->send_text("tick");
                 s->set_paused(true); // the feed goes silent while the connection stays up
                 s->send_text("never delivered");
               },
               {}};
  ws_events events;
  auto options = peer.client_options();
  options.stale_timeout = 200ms;
  websocket_client client{peer.runtime.context(), options, events.callbacks()};
  client.start();
  REQUIRE(events.opens.wait_for(2));
  const auto close = events.closes.snapshot().at(0);
  CHECK(close.error.code == net_errc::timeout);
  CHECK_THAT(close.error.message, Catch::Contains("stale"));
  CHECK(close.was_open);
  CHECK(close.will_reconnect);
  REQUIRE(events.messages.wait_for(2)); // one "tick" per connection
  for (const auto& message : events.messages.snapshot()) CHECK(message.payload == "tick");
}

TEST_CASE("an abrupt server-side drop reconnects") {
  ws_peer peer{{}, drop_on_request};
  ws_events events;
  std::atomic<bool> first{true};
  websocket_client* self = nullptr;
  websocket_client client{peer.runtime.context(), peer.client_options(), events.callbacks([&] {
                            if (first.exchange(false)) self->send_text("drop-me");
                          })};
  self = &client;
  client.start();
  REQUIRE(events.opens.wait_for(2));
  const auto close = events.closes.snapshot().at(0);
  CHECK(close.error.code == net_errc::closed_by_peer);
  CHECK(close.was_open);
  CHECK(close.will_reconnect);
  REQUIRE(peer.session_closes.wait_for(1));
  CHECK(peer.upgrades.size() == 2);
}

TEST_CASE("reconnect delays follow the configured backoff curve") {
  const bool stable = GENERATE(false, true);
  ws_peer peer{{}, drop_on_request};
  ws_events events;
  auto options = peer.client_options();
  options.reconnect = {5ms, 40ms, 2.0, 0.5};
  options.backoff_seed = 99;
  if (stable) options.stable_after = 0ns; // every drop follows a healthy connection: reset
  websocket_client* self = nullptr;
  websocket_client client{peer.runtime.context(), options,
                          events.callbacks([&] { self->send_text("drop-me"); })};
  self = &client;
  client.start();
  REQUIRE(events.closes.wait_for(6));
  auto reference = backoff::create(options.reconnect, seeded_uniform_source(99));
  REQUIRE(reference.has_value());
  const auto closes = events.closes.snapshot();
  for (std::size_t i = 0; i < 6; ++i) {
    INFO("close " << i);
    CHECK(closes[i].was_open);
    CHECK(closes[i].will_reconnect);
    if (stable) reference->reset();
    CHECK(closes[i].reconnect_delay == reference->next_delay());
  }
  if (!stable) CHECK(closes[5].reconnect_delay > 20ms); // grew towards the 40 ms cap
}

TEST_CASE("compressed binary frames are decompressed per the connection's option") {
  const auto format = GENERATE(compression_format::gzip, compression_format::raw_deflate);
  const std::string json = R"({"ch":"market.btcusdt.depth.step0","tick":{"bids":[[61737.63,0.5]]}})";
  ws_peer peer{[&](const session_ptr& s) {
                 s->send_binary(compress(json, format));
                 s->send_text("plain text stays as it is");
               },
               {}};
  ws_events events;
  auto options = peer.client_options();
  options.binary_compression = format;
  websocket_client client{peer.runtime.context(), options, events.callbacks()};
  client.start();
  REQUIRE(events.messages.wait_for(2));
  const auto messages = events.messages.snapshot();
  CHECK(messages[0].binary);
  CHECK(messages[0].payload == json);
  CHECK(messages[1].payload == "plain text stays as it is");
}

TEST_CASE("an undecodable compressed frame is a protocol error and reconnects") {
  ws_peer peer{[](const session_ptr& s) { s->send_binary("not gzip at all"); }, {}};
  ws_events events;
  auto options = peer.client_options();
  options.binary_compression = compression_format::gzip;
  websocket_client client{peer.runtime.context(), options, events.callbacks()};
  client.start();
  REQUIRE(events.closes.wait_for(1));
  const auto close = events.closes.snapshot().front();
  CHECK(close.error.code == net_errc::protocol_error);
  CHECK(close.will_reconnect);
  CHECK(events.messages.size() == 0);
}

TEST_CASE("permessage-deflate is negotiated when both sides enable it") {
  ws_peer peer{{}, echo, true};
  ws_events events;
  auto options = peer.client_options("/stream?streams=btcusdt@depth");
  options.permessage_deflate = true;
  options.handshake_headers = {{"X-Client", "tern-test"}};
  websocket_client client{peer.runtime.context(), options, events.callbacks()};
  client.start();
  REQUIRE(events.opens.wait_for(1));
  const std::string big(10'000, 'a');
  client.send_text(big);
  REQUIRE(events.messages.wait_for(1));
  CHECK(events.messages.snapshot().front().payload == big);
  const auto upgrade = peer.upgrades.snapshot().front();
  CHECK(upgrade.target == "/stream?streams=btcusdt@depth");
  CHECK(upgrade.header("X-Client") == "tern-test");
  CHECK_THAT(std::string{upgrade.header("Sec-WebSocket-Extensions").value_or("")},
             Catch::Contains("permessage-deflate"));
}

TEST_CASE("close() ends the stream for good, later sends are not sent") {
  ws_peer peer{{}, echo};
  ws_events events;
  websocket_client client{peer.runtime.context(), peer.client_options(), events.callbacks()};
  collector<send_outcome> early;
  client.send_text("too early", [&](send_outcome o) { early.push(o); });
  REQUIRE(early.wait_for(1));
  CHECK(early.snapshot().front() == send_outcome::not_sent);
  client.start();
  REQUIRE(events.opens.wait_for(1));
  client.close();
  REQUIRE(events.closes.wait_for(1));
  const auto close = events.closes.snapshot().front();
  CHECK(close.error.code == net_errc::cancelled);
  CHECK_FALSE(close.will_reconnect);
  REQUIRE(peer.session_closes.wait_for(1));
  collector<send_outcome> late;
  client.send_text("too late", [&](send_outcome o) { late.push(o); });
  REQUIRE(late.wait_for(1));
  CHECK(late.snapshot().front() == send_outcome::not_sent);
  CHECK_FALSE(client.is_open());
  CHECK(events.opens.size() == 1);
}

TEST_CASE("a refused connection retries with backoff until closed") {
  io_runtime runtime;
  runtime.start();
  ws_events events;
  websocket_client_options options;
  options.url = "wss://127.0.0.1:1/ws"; // port 1: nothing listens there
  options.tls = client_tls();
  options.reconnect = {5ms, 20ms, 2.0, 0.0};
  options.backoff_seed = 3;
  websocket_client client{runtime.context(), options, events.callbacks()};
  client.start();
  REQUIRE(events.closes.wait_for(3));
  client.close();
  REQUIRE(events.closes.wait_until([](const auto& closes) { return !closes.back().will_reconnect; }));
  const auto closes = events.closes.snapshot();
  CHECK(closes[0].error.code == net_errc::connect_failed);
  CHECK_FALSE(closes[0].was_open);
  CHECK(closes[0].will_reconnect);
  CHECK(closes[0].reconnect_delay == 5ms);
  CHECK(closes[1].reconnect_delay == 10ms);
  CHECK(closes.back().error.code == net_errc::cancelled);
  CHECK(events.opens.size() == 0);
}

TEST_CASE("an untrusted server certificate stops the client instead of retrying") {
  ws_peer peer{{}, echo};
  ws_events events;
  auto other_ca = certificate_authority::create("Not the simulator's CA");
  REQUIRE(other_ca.has_value());
  auto options = peer.client_options();
  options.tls = *make_client_tls_context({trust_source::ca_pem, "", other_ca->certificate_pem()});
  websocket_client client{peer.runtime.context(), options, events.callbacks()};
  client.start();
  REQUIRE(events.closes.wait_for(1));
  const auto close = events.closes.snapshot().front();
  CHECK(close.error.code == net_errc::certificate_verification_failed);
  CHECK(close.error.certificate == certificate_problem::untrusted);
  CHECK_FALSE(close.will_reconnect);
  CHECK(events.opens.size() == 0);
}

TEST_CASE("stopping the server ends its sessions, the client notices") {
  ws_peer peer{{}, echo};
  ws_events events;
  websocket_client client{peer.runtime.context(), peer.client_options(), events.callbacks()};
  client.start();
  REQUIRE(events.opens.wait_for(1));
  peer.server->stop();
  REQUIRE(events.closes.wait_for(1));
  CHECK(events.closes.snapshot().front().was_open);
  CHECK(events.closes.snapshot().front().will_reconnect);
}

TEST_CASE("bad client options are programming errors") {
  io_runtime runtime;
  websocket_client_options options;
  options.tls = client_tls();
  options.url = "https://127.0.0.1/ws";
  CHECK_THROWS_AS(websocket_client(runtime.context(), options, {}), std::invalid_argument);
  options.url = "wss://127.0.0.1/ws";
  options.reconnect.factor = 0.5;
  CHECK_THROWS_AS(websocket_client(runtime.context(), options, {}), std::invalid_argument);
  options.reconnect.factor = 2.0;
  options.tls = nullptr;
  CHECK_THROWS_AS(websocket_client(runtime.context(), options, {}), std::invalid_argument);
}
