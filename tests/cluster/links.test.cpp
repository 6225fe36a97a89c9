// Nodes as separate processes on loopback, linked over mutual TLS: a counter on one node
// receives a ticker's updates from another through the directory; a killed, hung or
// restarted node is seen in /health and the counter degrades and recovers; a node with a
// certificate from another CA, or of another message schema, is refused visibly.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cluster/certs.hpp"
#include "cluster/peers.hpp"
#include "supervision/health_json.hpp"
#include "supervision/ops_client.hpp"
#include "tests/cluster/node_process.hpp"

using namespace tern;
using namespace tern::testing;
using namespace std::chrono_literals;

namespace {

struct node_spec {
  std::string name;
  std::uint16_t port = 0;
  std::string cert_stem; ///< "a" -> certs/a.pem; the CA file is ca_file
  std::string ca_file = "certs/ca.pem";
};

/// Three exchanges' books on nodes a and c, the counter (an arbitrage strategy) on b.
std::string topology_json(const std::vector<node_spec>& nodes) {
  std::ostringstream out;
  out << R"({"nodes": [)";
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const auto& n = nodes[i];
    out << (i ? "," : "") << R"({"name": ")" << n.name << R"(", "host": "127.0.0.1", "port": )"
        << n.port << R"(, "tls": {"ca": ")" << n.ca_file << R"(", "cert": "certs/)" << n.cert_stem
        << R"(.pem", "key": "certs/)" << n.cert_stem << R"(.key"}})";
  }
  const std::string far = nodes.size() > 2 ? "c" : "a";
  out << R"(],
  "cluster": {"heartbeat_ms": 250, "connection_timeout_ms": 1000, "ping_interval_ms": 200,
              "reconnect_min_ms": 100, "reconnect_max_ms": 800, "lookup_timeout_ms": 1000},
  "exchanges": [
    {"name": "ex1", "connector": "binance", "node": "a", "markets": ["BTC-USDT"],
     "credentials": {"api_key_env": "TERN_T_KEY", "secret_env": "TERN_T_SECRET"}},
    {"name": "ex2", "connector": "okx", "node": ")" << far << R"(", "markets": ["BTC-USDT"],
     "credentials": {"api_key_env": "TERN_T_KEY", "secret_env": "TERN_T_SECRET",
                     "passphrase_env": "TERN_T_PASS"}}],
  "strategies": [{"name": "arb", "kind": "arbitrage", "node": "b", "min_profitability": "0.003",
                  "order_amount": "0.01", "markets": [{"exchange": "ex1", "market": "BTC-USDT"},
                                                      {"exchange": "ex2", "market": "BTC-USDT"}]}],
  "logging": {"level": "info", "console": true}
})";
  return out.str();
}

/// A topology of `names` in a temporary folder, with certificates from one CA.
struct cluster_files {
  temp_folder folder;
  std::vector<node_spec> nodes;
  std::filesystem::path config;

  explicit cluster_files(const std::vector<std::string>& names) {
    cluster::cert_request request{folder.path / "certs", {}, 2, false};
    for (const auto& name : names) {
      request.nodes.push_back({name, "127.0.0.1"});
      nodes.push_back({name, free_port(), name});
    }
    REQUIRE(cluster::create_certificates(request));
    config = folder.path / "topology.json";
  }
  void write() const { std::ofstream{config} << topology_json(nodes); }
};

struct running {
  std::unique_ptr<node_process> process;
  supervision::ops_endpoint ops;
};

running start_node(const cluster_files& files, const std::string& name,
                   std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--config", files.config.string(), "--name", name, "--ops-port",
                                "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  running out;
  out.process = std::make_unique<node_process>(
      TERN_CLUSTER_TEST_NODE, args,
      std::vector<std::string>{"TERN_T_KEY=test-api-key-0001", "TERN_T_SECRET=test-api-secret-0001",
                               "TERN_T_PASS=test-passphrase-0001"});
  REQUIRE(out.process->started());
  const auto line = out.process->await_line("ops: ", 20s);
  REQUIRE(line.rfind("ops: http://", 0) == 0);
  auto endpoint = supervision::parse_endpoint(line.substr(5));
  REQUIRE(endpoint);
  out.ops = *endpoint;
  return out;
}

std::optional<cluster::peer_status> peer(const supervision::ops_endpoint& ops,
                                         const std::string& name) {
  const auto response = supervision::fetch(ops, "GET", "/health", 1s);
  if (!response)
    return std::nullopt;
  const auto peers = cluster::parse_nodes_json(response->body);
  if (!peers)
    return std::nullopt;
  for (const auto& item : *peers)
    if (item.name == name)
      return item;
  return std::nullopt;
}

bool peer_in(const supervision::ops_endpoint& ops, const std::string& name,
             cluster::peer_state state) {
  const auto found = peer(ops, name);
  return found && found->state == state;
}

/// The value of a metric line `name{label="value"} N`, or -1.
double metric(const supervision::ops_endpoint& ops, const std::string& series) {
  const auto response = supervision::fetch(ops, "GET", "/metrics", 1s);
  if (!response)
    return -1;
  std::istringstream lines{response->body};
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(series + " ", 0) == 0)
      return std::stod(line.substr(series.size() + 1));
  return -1;
}

double updates(const supervision::ops_endpoint& ops, const std::string& exchange) {
  return metric(ops, "tern_test_updates_total{book=\"" + exchange + "/BTC-USDT/book\"}");
}

/// The counter's state and reason in node b's tree.
std::pair<supervision::health_state, std::string> counter_health(
    const supervision::ops_endpoint& ops) {
  const auto response = supervision::fetch(ops, "GET", "/health", 1s);
  if (!response)
    return {supervision::health_state::failed, "no /health"};
  const auto document = supervision::parse_health_json(response->body);
  if (!document)
    return {supervision::health_state::failed, document.error()};
  const auto* node = supervision::find_node(document->tree, "b/strategies/arb/arbitrage");
  if (node == nullptr)
    return {supervision::health_state::failed, "no counter"};
  return {node->state, node->reason};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// Runs a shell command; its exit status and stdout.
std::pair<int, std::string> run_command(const std::string& command) {
  std::pair<int, std::string> out{-1, {}};
  if (std::FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[1024];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr)
      out.second += buffer;
    const int status = ::pclose(pipe);
    out.first = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  return out;
}

} // namespace

TEST_CASE("three nodes link over mutual TLS and a killed or hung node is lost then relinked") {
  cluster_files files{{"a", "b", "c"}};
  files.write();
  auto a = start_node(files, "a");
  auto b = start_node(files, "b");
  auto c = start_node(files, "c");

  // The counter on b gets both books' updates, from a and from c, through b's directory.
  REQUIRE(eventually([&] { return updates(b.ops, "ex1") > 10 && updates(b.ops, "ex2") > 10; },
                     15s));
  CHECK(eventually([&] { return counter_health(b.ops).first
                                == supervision::health_state::ready; }, 5s));
  REQUIRE(eventually([&] { return peer_in(b.ops, "a", cluster::peer_state::connected); }, 5s));
  CHECK(eventually([&] { auto p = peer(b.ops, "a"); return p && p->latency.has_value(); }, 5s));
  CHECK(metric(b.ops, "tern_node_link_state{node=\"a\",state=\"connected\"}") == 1);
  CHECK(peer_in(a.ops, "c", cluster::peer_state::connected));
  // a dialed b before b listened; once linked, those failed attempts are not shown as a reason.
  CHECK(peer(a.ops, "b")->reason.empty());

  SECTION("kill -9: the loss shows and the counter degrades naming the node until a restart relinks") {
    a.process->kill_now();
    const auto lost_at = std::chrono::steady_clock::now();
    REQUIRE(eventually([&] { return peer_in(b.ops, "a", cluster::peer_state::lost); }, 5s));
    const auto noticed = std::chrono::steady_clock::now() - lost_at;
    CHECK(noticed < 2s);
    WARN("killed node noticed after "
         << std::chrono::duration_cast<std::chrono::milliseconds>(noticed).count() << " ms");
    const auto lost = peer(b.ops, "a");
    REQUIRE(lost);
    CHECK(lost->last_loss.has_value());
    CHECK(lost->losses == 1);
    CHECK(metric(b.ops, "tern_node_link_state{node=\"a\",state=\"connected\"}") == 0);
    REQUIRE(eventually([&] { return counter_health(b.ops).first
                                    == supervision::health_state::degraded; }, 5s));
    CHECK(eventually([&] { return contains(counter_health(b.ops).second, "node 'a'"); }, 5s));
    // c's updates keep coming while a is away.
    const auto from_c = updates(b.ops, "ex2");
    CHECK(eventually([&] { return updates(b.ops, "ex2") > from_c + 5; }, 5s));

    const auto before = updates(b.ops, "ex1");
    a = start_node(files, "a");
    REQUIRE(eventually([&] { return peer_in(b.ops, "a", cluster::peer_state::connected); }, 10s));
    CHECK(contains(peer(b.ops, "a")->reason, "link lost")); // the last loss, still shown
    CHECK(eventually([&] { return updates(b.ops, "ex1") > before + 10; }, 10s));
    CHECK(eventually([&] { return counter_health(b.ops).first
                                  == supervision::health_state::ready; }, 5s));
  }

  SECTION("SIGSTOP: a hung node is noticed within the timeout and SIGCONT recovers") {
    a.process->signal(SIGSTOP);
    const auto stopped_at = std::chrono::steady_clock::now();
    REQUIRE(eventually([&] { return peer_in(b.ops, "a", cluster::peer_state::lost); }, 5s));
    // Connection timeout 1 s (the default), plus a heartbeat period and polling slack.
    const auto noticed = std::chrono::steady_clock::now() - stopped_at;
    CHECK(noticed < 2s);
    WARN("hung node noticed after "
         << std::chrono::duration_cast<std::chrono::milliseconds>(noticed).count() << " ms");
    const auto before = updates(b.ops, "ex1");
    a.process->signal(SIGCONT);
    REQUIRE(eventually([&] { return peer_in(b.ops, "a", cluster::peer_state::connected); }, 10s));
    CHECK(eventually([&] { return updates(b.ops, "ex1") > before + 10; }, 10s));
  }
}

TEST_CASE("a node whose certificate comes from another CA is refused visibly in /health") {
  cluster_files files{{"a", "b"}};
  cluster::cert_request rogue{files.folder.path / "rogue", {{"b", "127.0.0.1"}}, 2, false};
  REQUIRE(cluster::create_certificates(rogue));
  files.nodes[1].cert_stem = "../rogue/b";
  files.nodes[1].ca_file = "rogue/ca.pem";
  files.write();
  auto a = start_node(files, "a");
  auto b = start_node(files, "b");
  REQUIRE(eventually([&] { return peer_in(a.ops, "b", cluster::peer_state::refused); }, 10s));
  const auto refused = peer(a.ops, "b");
  REQUIRE(refused);
  CHECK(contains(refused->reason, "TLS handshake failed"));
  CHECK(metric(a.ops, "tern_node_link_state{node=\"b\",state=\"refused\"}") == 1);
  // And never linked: the counter on b cannot reach a's book.
  CHECK_FALSE(eventually([&] { return updates(b.ops, "ex1") > 0; }, 1s));
}

TEST_CASE("a node of another message schema is refused with a clear error on both sides") {
  cluster_files files{{"a", "b"}};
  files.write();
  auto a = start_node(files, "a");
  auto b = start_node(files, "b", {"--schema-salt", "1"});
  REQUIRE(eventually([&] { return peer_in(a.ops, "b", cluster::peer_state::refused); }, 10s));
  REQUIRE(eventually([&] { return peer_in(b.ops, "a", cluster::peer_state::refused); }, 10s));
  CHECK(contains(peer(a.ops, "b")->reason, "message schema"));
  CHECK(contains(peer(b.ops, "a")->reason, "message schema"));
  CHECK(eventually([&] { return contains(counter_health(b.ops).second, "node 'a'"); }, 5s));
}

TEST_CASE("tern certs init and tern status: certificates a node runs with and peers in the status") {
  temp_folder folder;
  const auto certs = folder.path / "certs";
  const auto made = run_command(std::string{TERN_EXECUTABLE} + " certs init --dir " + certs.string()
                                + " --nodes a,b=127.0.0.1 --days 2");
  REQUIRE(made.first == 0);
  CHECK(contains(made.second, "ca.pem"));
  CHECK(cluster::verify_certificate(certs / "b.pem", certs / "ca.pem"));
  const auto again = run_command(std::string{TERN_EXECUTABLE} + " certs init --dir "
                                 + certs.string() + " --nodes a 2>&1");
  CHECK(again.first == 1);
  CHECK(contains(again.second, "exists"));

  cluster_files files{{"a", "b"}};
  files.write();
  auto a = start_node(files, "a");
  auto b = start_node(files, "b");
  REQUIRE(eventually([&] { return peer_in(a.ops, "b", cluster::peer_state::connected); }, 10s));
  const auto status = run_command(std::string{TERN_EXECUTABLE} + " status --color never --endpoint "
                                  + a.ops.host + ":" + std::to_string(a.ops.port));
  CHECK(contains(status.second, "nodes:"));
  CHECK(contains(status.second, "b  127.0.0.1:" + std::to_string(files.nodes[1].port)
                                    + "  connected"));
}
