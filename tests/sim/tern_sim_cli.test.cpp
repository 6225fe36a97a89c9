// `tern sim` as a child process: it prints its endpoints, serves signed requests over TLS with
// the CA it wrote, answers its control API, and exits cleanly on SIGTERM.

#include "tests/sim/server_support.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/control_client.hpp"

extern char** environ;

namespace tern::sim::testing {

namespace {

/// A child process with its stdout on a pipe; killed if the test ends early.
class child_process {
 public:
  child_process(const std::string& program, const std::vector<std::string>& args, const std::vector<std::string>& env) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::vector<char*> argv{const_cast<char*>(program.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    REQUIRE(::posix_spawn(&pid_, program.c_str(), &actions, nullptr, argv.data(), envp.data()) == 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    out_ = fds[0];
  }
  ~child_process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// Reads stdout until a line starts with `prefix` (true) or EOF / `limit` (false).
  bool read_until(std::string_view prefix, std::chrono::milliseconds limit = 20s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
      for (auto line = lines_.begin(); line != lines_.end(); ++line)
        if (line->starts_with(prefix)) return true;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !read_some(static_cast<int>(left.count()))) return false;
    }
  }
  /// Waits for the process to end (its stdout closes first) and returns its exit status.
  int wait_exit(std::chrono::milliseconds limit = 20s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (out_ >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return -1;
      if (!read_some(static_cast<int>(left.count()))) break;
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  void signal(int number) const { ::kill(pid_, number); }
  [[nodiscard]] const std::vector<std::string>& lines() const { return lines_; }

 private:
  bool read_some(int timeout_ms) {
    pollfd fd{out_, POLLIN, 0};
    if (::poll(&fd, 1, timeout_ms) <= 0) return false;
    char chunk[4096];
    ssize_t got = ::read(out_, chunk, sizeof chunk);
    if (got <= 0) {
      ::close(out_);
      out_ = -1;
      return false;
    }
    partial_.append(chunk, static_cast<std::size_t>(got));
    for (auto end = partial_.find('\n'); end != std::string::npos; end = partial_.find('\n')) {
      lines_.push_back(partial_.substr(0, end));
      partial_.erase(0, end + 1);
    }
    return true;
  }

  pid_t pid_ = -1;
  int out_ = -1;
  std::string partial_;
  std::vector<std::string> lines_;
};

std::string write_config(const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  auto file = folder / "sim.json";
  std::ofstream{file} << R"({
    "nodes": [{"name": "main", "host": "127.0.0.1", "port": 4300}],
    "exchanges": [{"connector": "binance", "markets": ["BTC-USDT"],
                   "credentials": {"api_key_env": "TERN_TEST_SIM_KEY", "secret_env": "TERN_TEST_SIM_SECRET"}}],
    "simulator": {
      "ca_file": "ca/ca.pem",
      "exchanges": [{
        "dialect": "binance",
        "markets": [{"market": "BTC-USDT", "tick": "0.01", "step": "0.00001", "min_notional": "5",
                     "random_walk": {"initial_mid": "60000.00", "level_size": "0.5", "step_ms": 50}}],
        "accounts": [{"api_key_env": "TERN_TEST_SIM_KEY", "secret_env": "TERN_TEST_SIM_SECRET",
                      "balances": {"USDT": "5000"}}]
      }]
    }
  })";
  return file.string();
}

} // namespace

TEST_CASE("tern sim prints its endpoints, serves signed requests and stops on SIGTERM", "[sim][cli]") {
  auto folder = std::filesystem::temp_directory_path() / ("tern-sim-cli-" + std::to_string(::getpid()));
  std::string config = write_config(folder);
  child_process tern{std::string{TERN_BINARY_DIR} + "/apps/tern", {"sim", "--config", config},
                     {"TERN_TEST_SIM_KEY=" + std::string{doc_api_key}, "TERN_TEST_SIM_SECRET=" + std::string{doc_secret}}};
  REQUIRE(tern.read_until("serving"));
  std::map<std::string, std::string> endpoints;
  for (const auto& line : tern.lines())
    if (auto colon = line.find(": "); colon != std::string::npos) endpoints[line.substr(0, colon)] = line.substr(colon + 2);
  INFO(endpoints.size());
  REQUIRE(endpoints.contains("binance rest"));
  REQUIRE(endpoints.contains("binance ws"));
  REQUIRE(endpoints.contains("binance ws-api"));
  REQUIRE(endpoints.contains("control"));
  CHECK(endpoints["ca"] == (folder / "ca" / "ca.pem").string());
  REQUIRE(endpoints["binance rest"].starts_with("https://127.0.0.1:"));
  auto port = static_cast<std::uint16_t>(std::stoi(endpoints["binance rest"].substr(18)));

  net::tls_client_options trust;
  trust.trust = net::trust_source::ca_file;
  trust.ca_file = endpoints["ca"];
  net::io_runtime runtime{1};
  runtime.start();
  net::https_client http{runtime.context(), {"127.0.0.1", port, "", *net::make_client_tls_context(trust)}};
  std::string payload = "timestamp=" + std::to_string(wall_ms());
  net::http_request request{"GET", "/api/v3/account?" + payload + "&signature=" + sign(doc_secret, payload),
                            {{"X-MBX-APIKEY", std::string{doc_api_key}}}, "", 10s};
  std::promise<net::https_result> answer;
  auto done = answer.get_future();
  http.async_request(request, [&](net::https_result r) { answer.set_value(std::move(r)); });
  REQUIRE(done.wait_for(15s) == std::future_status::ready);
  auto account = body_of(done.get());
  std::string usdt;
  for (const auto& balance : account["balances"])
    if (balance["asset"] == "USDT") usdt = balance["free"];
  CHECK(usdt == "5000.00000000");
  http.close();

  auto control_port = static_cast<std::uint16_t>(std::stoi(endpoints["control"].substr(17)));
  auto status = control_client{"127.0.0.1", control_port}.status();
  REQUIRE(status.has_value());
  CHECK((*status)["exchanges"][0]["name"] == "binance");

  tern.signal(SIGTERM);
  CHECK(tern.wait_exit() == 0);
  CHECK(tern.lines().back().starts_with("stopped"));
  std::filesystem::remove_all(folder);
}

} // namespace tern::sim::testing
