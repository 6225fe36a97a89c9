// The ops client's endpoint syntax and its errors; requests against the real ops server are
// in ops_server.test.cpp.

#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "supervision/ops_client.hpp"

using namespace tern::supervision;

TEST_CASE("endpoints are host:port, bracketed IPv6 or an http URL") {
  auto plain = parse_endpoint("127.0.0.1:9180");
  REQUIRE(plain);
  CHECK(plain->host == "127.0.0.1");
  CHECK(plain->port == 9180);
  auto url = parse_endpoint("http://localhost:8080/");
  REQUIRE(url);
  CHECK(url->host == "localhost");
  CHECK(url->port == 8080);
  auto v6 = parse_endpoint("[::1]:9180");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(parse_endpoint("localhost").error() == "endpoint 'localhost' is not host:port");
  CHECK(parse_endpoint("host:0").error() == "endpoint 'host:0' has no valid port (1..65535)");
  CHECK(parse_endpoint("host:70000").error()
        == "endpoint 'host:70000' has no valid port (1..65535)");
  CHECK_FALSE(parse_endpoint("host:80x"));
}

TEST_CASE("a closed port is reported as such, naming the endpoint") {
  // Bind to an ephemeral port, note it, close it: nothing listens there now.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t size = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0);
  ::close(fd);
  const auto port = ntohs(address.sin_port);
  const auto result = fetch({"127.0.0.1", port}, "GET", "/health");
  REQUIRE_FALSE(result);
  CHECK(result.error()
        == "cannot connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
}
