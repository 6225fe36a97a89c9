// The pure parts of the cluster: certificates (created, verified, refused across CAs, keys
// private), the hello check, the schema hash, reconnect delays, the "nodes" JSON, and the
// topology's TLS rules.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include "cluster/certs.hpp"
#include "cluster/directory.hpp"
#include "cluster/messages.hpp"
#include "cluster/peers.hpp"
#include "config/loader.hpp"
#include "supervision/health_board.hpp"
#include "supervision/health_json.hpp"
#include "tests/cluster/node_process.hpp"

using namespace tern;
using namespace tern::cluster;
using namespace std::chrono_literals;

TEST_CASE("certs: a CA and node certificates that verify against it and not against another") {
  testing::temp_folder folder;
  const auto written = create_certificates({folder.path / "one", {{"a", "127.0.0.1"},
                                                                  {"b", "book-b.example"}}, 30,
                                            false});
  REQUIRE(written);
  CHECK(written->size() == 6);
  CHECK(verify_certificate(folder.path / "one/a.pem", folder.path / "one/ca.pem"));
  CHECK(verify_certificate(folder.path / "one/b.pem", folder.path / "one/ca.pem"));
  REQUIRE(create_certificates({folder.path / "two", {{"a", "127.0.0.1"}}, 30, false}));
  const auto foreign = verify_certificate(folder.path / "two/a.pem", folder.path / "one/ca.pem");
  REQUIRE_FALSE(foreign);
  CHECK(foreign.error().find("issuer") != std::string::npos);

  struct stat info {};
  REQUIRE(::stat((folder.path / "one/a.key").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  REQUIRE(::stat((folder.path / "one/ca.key").c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  // An existing CA is never replaced by accident.
  const auto again = create_certificates({folder.path / "one", {{"a", "127.0.0.1"}}, 30, false});
  REQUIRE_FALSE(again);
  CHECK(again.error().find("exists") != std::string::npos);
}

TEST_CASE("certs: the node's host is in the subjectAltName") {
  testing::temp_folder folder;
  REQUIRE(create_certificates({folder.path, {{"a", "10.1.2.3"}, {"b", "node-b.example"}}, 1,
                               false}));
  const auto shown = [&](const std::string& file) {
    const auto command = "openssl x509 -noout -ext subjectAltName -in " + file + " 2>&1";
    std::string out;
    if (auto* pipe = ::popen(command.c_str(), "r")) {
      char buffer[512];
      while (std::fgets(buffer, sizeof buffer, pipe) != nullptr)
        out += buffer;
      ::pclose(pipe);
    }
    return out;
  };
  CHECK(shown((folder.path / "a.pem").string()).find("IP Address:10.1.2.3") != std::string::npos);
  CHECK(shown((folder.path / "b.pem").string()).find("DNS:node-b.example") != std::string::npos);
}

TEST_CASE("hello: the same build links and another schema or protocol or version is refused") {
  const auto local = local_hello("a");
  CHECK(local.schema == message_schema_hash());
  CHECK(local.schema != 0);
  CHECK_FALSE(hello_mismatch(local, local_hello("b")));

  auto other_schema = local_hello("b", 1);
  const auto schema = hello_mismatch(local, other_schema);
  REQUIRE(schema);
  CHECK(schema->find("node 'b'") != std::string::npos);
  CHECK(schema->find("message schema") != std::string::npos);

  auto other_protocol = local_hello("b");
  other_protocol.protocol += 1;
  REQUIRE(hello_mismatch(local, other_protocol));
  CHECK(hello_mismatch(local, other_protocol)->find("link protocol") != std::string::npos);

  auto other_build = local_hello("b");
  other_build.build = "9.9.9";
  REQUIRE(hello_mismatch(local, other_build));
  CHECK(hello_mismatch(local, other_build)->find("9.9.9") != std::string::npos);
}

TEST_CASE("reconnect delays double from the minimum up to the cap") {
  CHECK(reconnect_delay(100ms, 1000ms, 0) == 100ms);
  CHECK(reconnect_delay(100ms, 1000ms, 1) == 200ms);
  CHECK(reconnect_delay(100ms, 1000ms, 3) == 800ms);
  CHECK(reconnect_delay(100ms, 1000ms, 4) == 1000ms);
  CHECK(reconnect_delay(100ms, 1000ms, 60) == 1000ms);
}

TEST_CASE("peer states become supervision's node links, and /health's nodes array reads back") {
  peer_status up{"a", "127.0.0.1:4401", peer_state::connected, 412us, std::nullopt, "", 0};
  peer_status down{"c", "127.0.0.1:4403", peer_state::lost, std::nullopt,
                   timestamp{std::chrono::milliseconds{1'795'000'000'000}}, "link lost", 2};
  const auto links = to_node_links({up, down});
  REQUIRE(links.size() == 2);
  CHECK(links[0].state == supervision::link_state::connected);
  CHECK(links[0].latency_us == 412);
  CHECK_FALSE(links[0].last_loss.has_value());
  CHECK(links[1].state == supervision::link_state::lost);
  CHECK_FALSE(links[1].latency_us.has_value());
  CHECK(links[1].last_loss == down.last_loss);
  CHECK(links[1].reason == "link lost");
  CHECK(links[1].losses == 2);

  // What /health serves for them (supervision/health_json.cpp), read back.
  supervision::board_snapshot snapshot;
  supervision::health_node tree;
  tree.name = "n";
  snapshot.tree = std::make_shared<const supervision::health_node>(tree);
  snapshot.nodes = std::make_shared<const std::vector<supervision::node_link>>(links);
  const auto back = parse_nodes_json(supervision::render_health_json(snapshot, timestamp{}));
  INFO((back ? std::string{} : back.error()));
  REQUIRE(back);
  REQUIRE(back->size() == 2);
  CHECK((*back)[0].state == peer_state::connected);
  CHECK((*back)[0].latency == std::chrono::nanoseconds{412us});
  CHECK((*back)[1].state == peer_state::lost);
  CHECK((*back)[1].last_loss == down.last_loss);
  CHECK((*back)[1].reason == "link lost");
  CHECK((*back)[1].losses == 2);
}

namespace {

const char* const two_nodes_plain = R"({
  "nodes": [{"name": "a", "host": "127.0.0.1", "port": 4401},
            {"name": "b", "host": "127.0.0.1", "port": 4402}],
  "exchanges": [{"connector": "binance", "node": "a", "markets": ["BTC-USDT"]}]%s
})";

std::string with(const std::string& extra) {
  std::string text = two_nodes_plain;
  text.replace(text.find("%s"), 2, extra);
  return text;
}

} // namespace

TEST_CASE("config: several nodes need TLS unless plaintext is allowed for development") {
  const auto refused = config::load_topology(with(""), "/etc/tern");
  REQUIRE_FALSE(refused.value);
  REQUIRE_FALSE(refused.diagnostics.empty());
  CHECK(refused.diagnostics.front().to_string().find("tern certs init") != std::string::npos);

  const auto allowed = config::load_topology(with(R"(, "cluster": {"allow_plaintext": true})"),
                                             "/etc/tern");
  REQUIRE(allowed.value);
  CHECK_FALSE(uses_tls(*allowed.value));

  const auto bad_timeout = config::load_topology(
      with(R"(, "cluster": {"allow_plaintext": true, "heartbeat_ms": 500,
                            "connection_timeout_ms": 400})"),
      "/etc/tern");
  CHECK_FALSE(bad_timeout.value);
}

TEST_CASE("config: TLS paths resolve against the config's folder and names are placed by node") {
  const auto text = R"({
    "nodes": [{"name": "a", "host": "127.0.0.1", "port": 4401,
               "tls": {"ca": "certs/ca.pem", "cert": "certs/a.pem", "key": "/keys/a.key"}},
              {"name": "b", "host": "127.0.0.1", "port": 4402,
               "tls": {"ca": "certs/ca.pem", "cert": "certs/b.pem", "key": "certs/b.key"}}],
    "exchanges": [{"name": "binance_main", "connector": "binance", "node": "a",
                   "markets": ["BTC-USDT"]}]
  })";
  const auto loaded = config::load_topology(text, "/etc/tern");
  REQUIRE(loaded.value);
  const auto& a = *loaded.value->find_node("a");
  REQUIRE(a.tls);
  CHECK(a.tls->ca == "/etc/tern/certs/ca.pem");
  CHECK(a.tls->key == "/keys/a.key");
  CHECK(uses_tls(*loaded.value));
  CHECK(owner_of(*loaded.value, book_name("binance_main", "BTC-USDT")) == "a");
  CHECK(owner_of(*loaded.value, exchange_name("binance_main")) == "a");
  CHECK(owner_of(*loaded.value, "nowhere/exchange").empty());

  const auto options = directory_for(*loaded.value, "b", local_hello("b"));
  REQUIRE(options.peers.size() == 1);
  CHECK(options.peers[0].name == "a");
  CHECK(options.peers[0].port == 4401);
  CHECK(options.tls);
  CHECK(options.owner("binance_main/BTC-USDT/book") == "a");

  const auto missing = config::load_topology(
      R"({"nodes": [{"name": "a", "host": "h", "port": 1, "tls": {"ca": "x"}}]})", "/etc");
  CHECK_FALSE(missing.value);
}
