#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

#include "net/http_server.hpp"
#include "net/https_client.hpp"
#include "net/io_runtime.hpp"
#include "net_test_support.hpp"

using namespace tern::net;
using namespace tern::net::testing;
using namespace std::chrono_literals;

namespace {

/// An HTTPS server answering "ok", and a way to send one GET with given client settings.
struct tls_peer {
  io_runtime runtime{2};
  http_server server{runtime.context(), {"127.0.0.1", 0, server_tls()},
                     [](server_request, responder reply) { reply.respond({200, {}, "ok", false}); }};
  std::uint16_t port = 0;

  tls_peer() {
    runtime.start();
    auto started = server.start();
    REQUIRE(started.has_value());
    port = *started;
  }

  https_result get(tls_context_ptr trust, std::string server_name) {
    https_client client{runtime.context(), {"127.0.0.1", port, std::move(server_name), std::move(trust)}};
    collector<https_result> results;
    client.async_request({}, [&](https_result r) { results.push(std::move(r)); });
    REQUIRE(results.wait_for(1));
    return results.snapshot().front();
  }
};

void check_refused(const https_result& result, certificate_problem expected) {
  REQUIRE_FALSE(result.has_value());
  INFO(result.error().describe());
  CHECK(result.error().code == net_errc::certificate_verification_failed);
  CHECK(result.error().certificate == expected);
  CHECK(result.error().phase == net_phase::tls_handshake);
  CHECK_FALSE(result.error().request_written);
  CHECK(classify(result.error()) == outcome_class::fatal);
}

} // namespace

TEST_CASE("TLS succeeds when the client trusts the server's CA, by IP and by name") {
  tls_peer peer;
  auto by_ip = peer.get(client_tls(), "");
  REQUIRE(by_ip.has_value());
  CHECK(by_ip->status == 200);
  CHECK(by_ip->body == "ok");
  auto by_name = peer.get(client_tls(), "localhost"); // connect to 127.0.0.1, verify "localhost"
  REQUIRE(by_name.has_value());
  CHECK(by_name->body == "ok");
}

TEST_CASE("TLS refuses a certificate issued for another host name") {
  tls_peer peer;
  check_refused(peer.get(client_tls(), "api.exchange.example"), certificate_problem::hostname_mismatch);
}

TEST_CASE("TLS refuses a certificate issued for another IP address") {
  tls_peer peer;
  check_refused(peer.get(client_tls(), "127.0.0.2"), certificate_problem::hostname_mismatch);
}

TEST_CASE("TLS refuses a server whose CA the client does not trust") {
  tls_peer peer;
  auto other_ca = certificate_authority::create("Some other CA");
  REQUIRE(other_ca.has_value());
  tls_client_options options{trust_source::ca_pem, "", other_ca->certificate_pem()};
  auto context = make_client_tls_context(options);
  REQUIRE(context.has_value());
  check_refused(peer.get(*context, ""), certificate_problem::untrusted);
}

TEST_CASE("the system trust store does not trust the simulator's CA") {
  tls_peer peer;
  auto context = make_client_tls_context({});
  REQUIRE(context.has_value());
  check_refused(peer.get(*context, ""), certificate_problem::untrusted);
}

TEST_CASE("a CA written to a file is trusted through trust_source::ca_file") {
  tls_peer peer;
  const auto path = std::filesystem::temp_directory_path() / "tern_net_test_ca.pem";
  REQUIRE(test_pki::get().ca.write_certificate_pem(path.string()).has_value());
  auto context = make_client_tls_context({trust_source::ca_file, path.string(), ""});
  std::filesystem::remove(path);
  REQUIRE(context.has_value());
  auto result = peer.get(*context, "localhost");
  REQUIRE(result.has_value());
  CHECK(result->body == "ok");
}

TEST_CASE("a missing or empty trust store is an error, never an unverified context") {
  auto missing = make_client_tls_context({trust_source::ca_file, "/nonexistent/ca.pem", ""});
  REQUIRE_FALSE(missing.has_value());
  CHECK_THAT(missing.error().message, Catch::Contains("/nonexistent/ca.pem"));
  CHECK_FALSE(make_client_tls_context({trust_source::ca_file, "", ""}).has_value());
  CHECK_FALSE(make_client_tls_context({trust_source::ca_pem, "", ""}).has_value());
  CHECK_FALSE(make_client_tls_context({trust_source::ca_pem, "", "not a certificate"}).has_value());
}

TEST_CASE("a server key that does not parse is refused") {
  auto context = make_server_tls_context(test_pki::get().server.certificate_pem, "garbage");
  REQUIRE_FALSE(context.has_value());
  CHECK_THAT(context.error().message, Catch::Contains("private key"));
}
