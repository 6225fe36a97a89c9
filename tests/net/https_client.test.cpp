#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/compression.hpp"
#include "net/https_client.hpp"
#include "net_test_support.hpp"

using namespace tern::net;
using namespace tern::net::testing;
using namespace std::chrono_literals;

namespace {

/// An HTTPS peer with the test CA's certificate, and client options that trust it.
struct https_peer : http_peer {
  explicit https_peer(request_handler handler = {})
      : http_peer(std::move(handler), http_server_options{"127.0.0.1", 0, server_tls()}) {}
  https_client_options client_options() const { return {"127.0.0.1", port, "localhost", client_tls()}; }
};

const request_handler echo_target = [](server_request request, responder reply) {
  reply.respond({200, {{"Content-Type", "text/plain"}}, request.method + " " + request.target, false});
};

https_result request_once(https_client& client, http_request request) {
  collector<https_result> results;
  client.async_request(std::move(request), [&](https_result r) { results.push(std::move(r)); });
  REQUIRE(results.wait_for(1));
  return results.snapshot().front();
}

/// A port with nothing listening: bound once by the kernel, then released.
std::uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

} // namespace

TEST_CASE("sequential requests reuse one keep-alive connection") {
  https_peer peer{echo_target};
  https_client client{peer.runtime.context(), peer.client_options()};
  for (int i = 0; i < 5; ++i) {
    auto result = request_once(client, {"GET", "/api/v3/ping?i=" + std::to_string(i), {}, "", {}});
    REQUIRE(result.has_value());
    CHECK(result->status == 200);
    CHECK(result->body == "GET /api/v3/ping?i=" + std::to_string(i));
    CHECK(result->connection_reused == (i > 0));
  }
  const auto seen = peer.seen.snapshot();
  REQUIRE(seen.size() == 5);
  for (const auto& request : seen) CHECK(request.connection_id == seen.front().connection_id);
  CHECK(peer.server->accepted_connections() == 1);
  CHECK(client.stats().connections_opened == 1);
  CHECK(client.stats().requests_on_reused_connections == 4);
}

TEST_CASE("the request carries method, headers and body, Host and Accept-Encoding are added") {
  https_peer peer{echo_target};
  https_client client{peer.runtime.context(), peer.client_options()};
  auto result = request_once(client, {"POST", "/api/v3/order", {{"X-MBX-APIKEY", "key"}}, "symbol=BTCUSDT", {}});
  REQUIRE(result.has_value());
  CHECK(result->body == "POST /api/v3/order");
  const auto request = peer.seen.snapshot().at(0);
  CHECK(request.body == "symbol=BTCUSDT");
  CHECK(request.header("x-mbx-apikey") == "key");
  CHECK(request.header("Host") == "127.0.0.1:" + std::to_string(peer.port));
  CHECK(request.header("Accept-Encoding") == "gzip");
}

TEST_CASE("a gzip-encoded response body is decoded") {
  const std::string json = R"({"symbol":"BTCUSDT","bids":[["61737.63","0.5"]],"asks":[]})";
  https_peer peer{[&](server_request, responder reply) {
    reply.respond({200, {{"Content-Encoding", "gzip"}}, compress(json, compression_format::gzip), false});
  }};
  https_client client{peer.runtime.context(), peer.client_options()};
  auto result = request_once(client, {});
  REQUIRE(result.has_value());
  CHECK(result->body == json);
  CHECK(result->header("content-encoding") == "gzip");
}

TEST_CASE("a corrupt gzip body is a protocol error after the write: outcome unknown") {
  https_peer peer{[](server_request, responder reply) {
    reply.respond({200, {{"Content-Encoding", "gzip"}}, "definitely not gzip", false});
  }};
  https_client client{peer.runtime.context(), peer.client_options()};
  auto result = request_once(client, {});
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == net_errc::protocol_error);
  CHECK(result.error().request_written);
  CHECK(classify(result.error()) == outcome_class::outcome_unknown);
}

TEST_CASE("a response later than the timeout: timeout during read, request written") {
  https_peer peer;
  auto& held = peer.held;
  https_client client{peer.runtime.context(), peer.client_options()};
  auto result = request_once(client, {"POST", "/api/v3/order", {}, "", 200ms});
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == net_errc::timeout);
  CHECK(result.error().phase == net_phase::read);
  CHECK(result.error().request_written);
  CHECK(classify(result.error()) == outcome_class::outcome_unknown);
  REQUIRE(held.wait_for(1)); // the server did receive it: exactly why this is not a rejection
  held.snapshot().front().respond({200, {}, "too late", false});
}

TEST_CASE("connecting to a closed port fails before writing: retryable") {
  io_runtime runtime;
  runtime.start();
  https_client client{runtime.context(), {"127.0.0.1", closed_port(), "localhost", client_tls()}};
  auto result = request_once(client, {});
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == net_errc::connect_failed);
  CHECK(result.error().phase == net_phase::connect);
  CHECK_FALSE(result.error().request_written);
  CHECK(classify(result.error()) == outcome_class::retryable);
}

TEST_CASE("the server closing the connection instead of answering: outcome unknown") {
  https_peer peer{[](server_request, responder reply) { reply.drop_connection(); }};
  https_client client{peer.runtime.context(), peer.client_options()};
  auto result = request_once(client, {});
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().code == net_errc::closed_by_peer);
  CHECK(result.error().request_written);
  CHECK(classify(result.error()) == outcome_class::outcome_unknown);
}

TEST_CASE("an HTTP error status is a response, its classification is separate") {
  https_peer peer{[](server_request request, responder reply) {
    reply.respond({request.target == "/busy" ? 503U : 400U, {}, R"({"code":-1121})", false});
  }};
  https_client client{peer.runtime.context(), peer.client_options()};
  auto busy = request_once(client, {"GET", "/busy", {}, "", {}});
  REQUIRE(busy.has_value());
  CHECK(busy->status == 503);
  CHECK(classify_http_status(busy->status) == outcome_class::outcome_unknown);
  auto bad = request_once(client, {"GET", "/bad", {}, "", {}});
  REQUIRE(bad.has_value());
  CHECK(bad->status == 400);
  CHECK(classify_http_status(bad->status) == outcome_class::fatal);
}

TEST_CASE("a pooled connection the server reset is dropped, not reused") {
  https_peer peer{echo_target};
  https_client client{peer.runtime.context(), peer.client_options()};
  REQUIRE(request_once(client, {}).has_value());
  collector<bool> dropped;
  peer.server->drop_connection(peer.seen.snapshot().at(0).connection_id, [&] { dropped.push(true); });
  REQUIRE(dropped.wait_for(1));
  auto second = request_once(client, {});
  REQUIRE(second.has_value()); // a safe request on a fresh connection, not an ambiguous failure
  CHECK_FALSE(second->connection_reused);
  CHECK(client.stats().broken_idle_connections_dropped == 1);
  CHECK(peer.server->accepted_connections() == 2);
}

TEST_CASE("the pool is bounded: extra requests wait for a free connection") {
  https_peer peer;
  auto& held = peer.held;
  auto options = peer.client_options();
  options.max_connections = 2;
  https_client client{peer.runtime.context(), options};
  collector<https_result> results;
  for (int i = 0; i < 4; ++i) client.async_request({}, [&](https_result r) { results.push(std::move(r)); });
  REQUIRE(held.wait_for(2));
  CHECK_FALSE(held.wait_for(3, 200ms)); // the other two wait for a connection
  CHECK(peer.server->accepted_connections() == 2);
  for (const auto& reply : held.snapshot()) reply.respond({200, {}, "first", false});
  REQUIRE(held.wait_for(4));
  for (std::size_t i = 2; i < 4; ++i) held.snapshot()[i].respond({200, {}, "second", false});
  REQUIRE(results.wait_for(4));
  for (const auto& result : results.snapshot()) CHECK(result.has_value());
  CHECK(peer.server->accepted_connections() == 2);
}

TEST_CASE("a request that waits too long for a connection times out unwritten") {
  https_peer peer;
  auto& held = peer.held;
  auto options = peer.client_options();
  options.max_connections = 1;
  https_client client{peer.runtime.context(), options};
  collector<https_result> first;
  client.async_request({"GET", "/slow", {}, "", 5s}, [&](https_result r) { first.push(std::move(r)); });
  REQUIRE(held.wait_for(1));
  auto queued = request_once(client, {"GET", "/queued", {}, "", 100ms});
  REQUIRE_FALSE(queued.has_value());
  CHECK(queued.error().code == net_errc::timeout);
  CHECK(queued.error().phase == net_phase::queue);
  CHECK_FALSE(queued.error().request_written);
  CHECK(classify(queued.error()) == outcome_class::retryable);
  held.snapshot().front().respond({200, {}, "done", false});
  REQUIRE(first.wait_for(1));
  CHECK(first.snapshot().front().has_value());
}

TEST_CASE("close fails waiting and in-flight requests with the right written flag") {
  https_peer peer;
  auto& held = peer.held;
  auto options = peer.client_options();
  options.max_connections = 1;
  https_client client{peer.runtime.context(), options};
  collector<https_result> in_flight, waiting;
  client.async_request({}, [&](https_result r) { in_flight.push(std::move(r)); });
  REQUIRE(held.wait_for(1));
  client.async_request({}, [&](https_result r) { waiting.push(std::move(r)); });
  client.close();
  REQUIRE(in_flight.wait_for(1));
  REQUIRE(waiting.wait_for(1));
  const auto flown = in_flight.snapshot().front();
  REQUIRE_FALSE(flown.has_value());
  CHECK(flown.error().code == net_errc::cancelled);
  CHECK(classify(flown.error()) == outcome_class::outcome_unknown);
  const auto queued = waiting.snapshot().front();
  REQUIRE_FALSE(queued.has_value());
  CHECK(classify(queued.error()) == outcome_class::retryable);
  auto after = request_once(client, {});
  REQUIRE_FALSE(after.has_value());
  CHECK(after.error().code == net_errc::cancelled);
}

TEST_CASE("malformed requests are refused before anything is sent") {
  https_peer peer{echo_target};
  https_client client{peer.runtime.context(), peer.client_options()};
  auto bad_method = request_once(client, {"FETCH", "/", {}, "", {}});
  REQUIRE_FALSE(bad_method.has_value());
  CHECK(bad_method.error().code == net_errc::invalid_argument);
  auto injected = request_once(client, {"GET", "/", {{"X-Evil", "a\r\nHost: other"}}, "", {}});
  REQUIRE_FALSE(injected.has_value());
  CHECK(classify(injected.error()) == outcome_class::fatal);
  CHECK(peer.seen.size() == 0);
}
