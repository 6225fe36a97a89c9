#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "net/http_server.hpp"
#include "net/io_runtime.hpp"
#include "net_test_support.hpp"

using namespace tern::net;
using namespace tern::net::testing;
using namespace std::chrono_literals;

namespace {

/// Sends raw bytes over plain TCP and reads until the server closes (at most 5 s): the
/// ops endpoint is plain HTTP, and a hand-written request shows exactly what goes over.
std::string exchange_raw(std::uint16_t port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  timeval limit{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
  std::string reply;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) reply.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  return reply;
}

using plain_peer = http_peer;

} // namespace

TEST_CASE("plain HTTP on an ephemeral port: the handler sees the request and answers") {
  plain_peer peer{[](server_request request, responder reply) {
    reply.respond({200, {{"Content-Type", "application/json"}}, R"({"status":"ok","path":")" + request.target + "\"}", false});
  }};
  CHECK(peer.port != 0);
  CHECK(peer.server->port() == peer.port);
  const auto reply = exchange_raw(peer.port, "GET /health?verbose=1 HTTP/1.1\r\nHost: ops\r\nX-Probe: 7\r\nConnection: close\r\n\r\n");
  CHECK_THAT(reply, Catch::StartsWith("HTTP/1.1 200 OK\r\n"));
  const std::string body = R"({"status":"ok","path":"/health?verbose=1"})";
  CHECK_THAT(reply, Catch::Contains("Content-Length: " + std::to_string(body.size()) + "\r\n"));
  CHECK_THAT(reply, Catch::EndsWith(body));
  const auto request = peer.seen.snapshot().at(0);
  CHECK(request.method == "GET");
  CHECK(request.target == "/health?verbose=1");
  CHECK(request.header("x-probe") == "7");
  CHECK_THAT(request.remote_address, Catch::StartsWith("127.0.0.1:"));
}

TEST_CASE("a response can be sent later from another thread") {
  plain_peer peer;
  auto& held = peer.held;
  std::thread late{[&] {
    // Catch's assertions are not thread-safe: the main thread checks the outcome instead.
    if (held.wait_for(1)) held.snapshot().front().respond({202, {}, "accepted later", true});
  }};
  const auto reply = exchange_raw(peer.port, "POST /order HTTP/1.1\r\nHost: sim\r\nContent-Length: 3\r\n\r\nabc");
  late.join();
  CHECK_THAT(reply, Catch::StartsWith("HTTP/1.1 202 Accepted\r\n"));
  CHECK_THAT(reply, Catch::EndsWith("accepted later"));
  CHECK(peer.seen.snapshot().at(0).body == "abc");
}

TEST_CASE("only the first answer counts") {
  plain_peer peer{[](server_request, responder reply) {
    reply.respond({200, {}, "first", true});
    reply.respond({500, {}, "second", true});
    reply.drop_connection();
  }};
  const auto reply = exchange_raw(peer.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK_THAT(reply, Catch::StartsWith("HTTP/1.1 200"));
  CHECK_THAT(reply, Catch::EndsWith("first"));
}

TEST_CASE("an abandoned request closes its connection without an answer") {
  plain_peer peer{[](server_request, responder) {}};
  CHECK(exchange_raw(peer.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").empty());
  CHECK(peer.seen.size() == 1);
}

TEST_CASE("a body over the limit never reaches the handler") {
  http_server_options options;
  options.body_limit = 1024;
  plain_peer peer{[](server_request, responder reply) { reply.respond({200, {}, "", true}); }, options};
  const std::string body(5000, 'x');
  const auto reply = exchange_raw(peer.port, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + body);
  CHECK(reply.find("200") == std::string::npos);
  CHECK(peer.seen.size() == 0);
}

TEST_CASE("keep-alive: two requests on one plain connection share a connection id") {
  plain_peer peer{[](server_request request, responder reply) {
    reply.respond({200, {}, request.target, request.target == "/second"});
  }};
  const auto reply = exchange_raw(peer.port,
                                  "GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK_THAT(reply, Catch::Contains("/first") && Catch::EndsWith("/second"));
  const auto seen = peer.seen.snapshot();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].connection_id == seen[1].connection_id);
  CHECK(peer.server->accepted_connections() == 1);
}

TEST_CASE("binding errors are reported, not thrown") {
  io_runtime runtime;
  http_server by_name{runtime.context(), {"localhost", 0, nullptr}, [](server_request, responder) {}};
  auto refused = by_name.start();
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == net_errc::invalid_argument);

  http_server first{runtime.context(), {}, [](server_request, responder) {}};
  auto port = first.start();
  REQUIRE(port.has_value());
  http_server second{runtime.context(), {"127.0.0.1", *port, nullptr}, [](server_request, responder) {}};
  auto taken = second.start();
  REQUIRE_FALSE(taken.has_value());
  CHECK_THAT(taken.error().message, Catch::Contains(std::to_string(*port)));
}

TEST_CASE("dropping an unknown connection id still runs the completion") {
  plain_peer peer{[](server_request, responder) {}};
  bool done = false;
  peer.server->drop_connection(987654, [&] { done = true; });
  CHECK(done);
}
