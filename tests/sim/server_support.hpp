#pragma once

// Shared by the simulator server tests: a running simulator on 127.0.0.1 with real TLS, a
// manual clock, an HTTPS client that waits (bounded) for answers, Binance request signing
// written here from the docs' description (rest-api.md "SIGNED Endpoint Examples": HMAC-SHA256
// of the query string and body, hex), and WebSocket readers. No sleeps: every wait is bounded.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "net/https_client.hpp"
#include "net/io_runtime.hpp"
#include "net/tls.hpp"
#include "net/websocket_client.hpp"
#include "sim/server.hpp"
#include "tests/net/net_test_support.hpp"
#include "tests/sim/sim_fixtures.hpp"

namespace tern::sim::testing {

using net::testing::collector;
using namespace std::chrono_literals;

/// rest-api.md "SIGNED Endpoint Examples for POST /api/v3/order - HMAC Keys": the documented
/// example key pair (published by Binance for illustration; not a real account).
inline constexpr std::string_view doc_api_key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
inline constexpr std::string_view doc_secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

/// Hex HMAC-SHA256, as the docs' `openssl dgst -sha256 -hmac` step computes it.
inline std::string sign(std::string_view secret, std::string_view payload) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), digest, &length);
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    static constexpr char digits[] = "0123456789abcdef";
    hex += digits[digest[i] >> 4U];
    hex += digits[digest[i] & 15U];
  }
  return hex;
}

/// A clock tests move by hand.
struct manual_clock {
  std::shared_ptr<std::atomic<std::int64_t>> ms = std::make_shared<std::atomic<std::int64_t>>(0);
  explicit manual_clock(std::int64_t start_ms) { ms->store(start_ms); }
  [[nodiscard]] std::function<timestamp()> function() const {
    return [value = ms] { return from_unix_ms(value->load()); };
  }
  void advance(std::chrono::milliseconds by) const { ms->fetch_add(by.count()); }
  [[nodiscard]] std::int64_t now_ms() const { return ms->load(); }
};

inline std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// Binance spot BTCUSDT's rules, moved by a random walk around 60000 (or still, paused).
inline market_setup btcusdt_walk(std::chrono::milliseconds step = 20ms, std::uint64_t seed = 5) {
  market_setup market;
  market.spec = binance_btcusdt_spot();
  market.spec.symbol.clear();  // the dialect names it
  random_walk_config walk;
  walk.seed = seed;
  walk.jump_seed = seed + 1;
  walk.initial_mid = "60000.00"_d;
  walk.volatility_bps = 2.0;
  walk.step_interval = step;
  walk.levels_per_side = 15;
  walk.level_size = "0.50000"_d;
  walk.size_jitter = 0.5;
  market.random_walk = walk;
  return market;
}

/// A user account keyed with the docs' example key.
inline account_setup doc_account() {
  account_setup account;
  account.api_key = std::string{doc_api_key};
  account.secret = std::string{doc_secret};
  account.balances = {{"USDT", "1000000"_d}, {"BTC", "10"_d}, {"LTC", "100"_d}};
  return account;
}

/// A simulator plus a client side: TLS trusting its CA, an HTTPS client for one exchange.
struct sim_fixture {
  explicit sim_fixture(server_options options, std::string exchange = "binance") {
    auto started = server::start(std::move(options));
    if (!started) FAIL("simulator did not start: " << started.error());
    sim = std::move(*started);
    host = sim->exchange(exchange);
    REQUIRE(host != nullptr);
    net::tls_client_options trust;
    trust.trust = net::trust_source::ca_pem;
    trust.ca_pem = sim->ca_certificate_pem();
    tls = *net::make_client_tls_context(trust);
    runtime.start();
    http = std::make_unique<net::https_client>(runtime.context(),
                                               net::https_client_options{"127.0.0.1", host->port(), "", tls});
  }
  ~sim_fixture() {
    http->close();
    http.reset();
    sim->stop();
  }

  /// One request; the answer, or a failed test after 10 s.
  /// `api_key` goes in X-MBX-APIKEY; empty sends no key.
  net::https_result call(std::string method, std::string target, std::string body = {},
                         std::string api_key = std::string{doc_api_key}, std::chrono::nanoseconds timeout = 10s) {
    net::http_request request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.timeout = timeout;
    if (!api_key.empty()) request.headers.emplace_back("X-MBX-APIKEY", std::move(api_key));
    if (!request.body.empty()) request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    auto promise = std::make_shared<std::promise<net::https_result>>();
    auto answer = promise->get_future();
    http->async_request(std::move(request), [promise](net::https_result r) { promise->set_value(std::move(r)); });
    REQUIRE(answer.wait_for(15s) == std::future_status::ready);
    return answer.get();
  }

  /// A signed request: `query` plus timestamp, signed with the docs' secret.
  net::https_result signed_call(std::string method, std::string path, std::string query,
                                std::int64_t timestamp_ms) {
    std::string payload = query + (query.empty() ? "" : "&") + "timestamp=" + std::to_string(timestamp_ms);
    return call(std::move(method), path + "?" + payload + "&signature=" + sign(doc_secret, payload));
  }

  [[nodiscard]] std::string wss(std::string_view path) const {
    return "wss://127.0.0.1:" + std::to_string(host->port()) + std::string{path};
  }

  std::unique_ptr<server> sim;
  exchange_host* host = nullptr;
  net::io_runtime runtime{1};
  net::tls_context_ptr tls;
  std::unique_ptr<net::https_client> http;
};

/// The JSON body of an answer (fails the test when it is not JSON).
inline nlohmann::json body_of(const net::https_result& result) {
  REQUIRE(result.has_value());
  auto parsed = nlohmann::json::parse(result->body, nullptr, false);
  INFO(result->body);
  REQUIRE(!parsed.is_discarded());
  return parsed;
}

/// A WebSocket client that keeps every text frame it receives.
struct ws_reader {
  ws_reader(sim_fixture& fixture, std::string_view path, bool reconnect = false,
            std::chrono::nanoseconds stale_timeout = {}) {
    net::websocket_client_options options;
    options.url = fixture.wss(path);
    options.tls = fixture.tls;
    options.auto_reconnect = reconnect;
    options.stale_timeout = stale_timeout;
    options.reconnect = {std::chrono::milliseconds{20}, std::chrono::milliseconds{100}, 2.0, 0.0};
    options.backoff_seed = 1;
    client = std::make_unique<net::websocket_client>(
        fixture.runtime.context(), options,
        net::websocket_callbacks{[this] { opens.push(1); },
                                 [this](net::websocket_message m) {
                                   // Answers to sync() are kept apart, so frames hold the stream only.
                                   if (m.payload.find(R"("id":"sync-)") != std::string::npos) replies.push(std::move(m.payload));
                                   else frames.push(std::move(m.payload));
                                 },
                                 [this](const net::websocket_close_info& info) { closes.push(info); }});
    client->start();
    REQUIRE(opens.wait_for(1));
    if (path.find("/ws-api/") == std::string_view::npos) sync();
  }
  ~ws_reader() { client->close(); }

  /// Waits until the exchange has registered this connection: the client sees the upgrade
  /// answer before the exchange thread has taken the session in, so events right after the
  /// open could miss it. A control request is answered only after the registration.
  void sync() {
    std::string id = "sync-" + std::to_string(++syncs);
    send(R"({"method":"LIST_SUBSCRIPTIONS","id":")" + id + R"("})");
    REQUIRE(replies.wait_for(static_cast<std::size_t>(syncs)));
  }

  void send(std::string text) { client->send_text(std::move(text)); }

  /// Frames that parse as JSON and satisfy `match`, waiting until `count` arrived.
  std::vector<nlohmann::json> wait_json(std::size_t count, const std::function<bool(const nlohmann::json&)>& match,
                                        std::chrono::milliseconds limit = 10s) {
    auto select = [&](const std::vector<std::string>& all) {
      std::vector<nlohmann::json> out;
      for (const auto& text : all) {
        auto parsed = nlohmann::json::parse(text, nullptr, false);
        if (!parsed.is_discarded() && match(parsed)) out.push_back(std::move(parsed));
      }
      return out;
    };
    frames.wait_until([&](const std::vector<std::string>& all) { return select(all).size() >= count; }, limit);
    return select(frames.snapshot());
  }

  int syncs = 0;
  collector<int> opens;
  collector<std::string> frames;
  collector<std::string> replies;
  collector<net::websocket_close_info> closes;
  std::unique_ptr<net::websocket_client> client;
};

} // namespace tern::sim::testing
