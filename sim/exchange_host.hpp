#pragma once

// One simulated exchange, served: its venue, market drivers and dialect live on one thread of
// their own (so the engine stays single-threaded), behind one TLS server that speaks REST and
// WebSocket on one port. Requests and stream messages arrive on io threads and are handed to
// the exchange thread as tasks; the thread also paces the market drivers in real time, runs
// the dialect's periodic work and delayed responses, and applies REST faults and recording.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/decimal.hpp"
#include "core/expected.hpp"
#include "net/http_server.hpp"
#include "net/tls.hpp"
#include "sim/capture_replay.hpp"
#include "sim/dialect.hpp"
#include "sim/market.hpp"
#include "sim/market_driver.hpp"
#include "sim/random_walk.hpp"
#include "sim/taker_flow.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace tern::sim {

/// One market and what moves it. Start times of the drivers are set when the exchange starts.
struct market_setup {
  market_spec spec;  ///< `symbol` may be left empty: the dialect names it from base and quote
  std::optional<random_walk_config> random_walk;
  std::optional<capture_replay_config> replay;
  std::optional<taker_flow_config> takers;
  /// Base units per contract where the dialect counts sizes in contracts (OKX swaps: ctVal);
  /// zero elsewhere. The engine always works in base units.
  decimal contract_value;
};

/// A user account: its credentials and opening balances.
struct account_setup {
  std::string api_key;
  std::string secret;
  std::vector<std::pair<std::string, decimal>> balances;
  std::string passphrase;  ///< OKX API keys come with one; empty elsewhere
};

struct exchange_setup {
  std::string name;     ///< unique among the simulator's exchanges
  std::string dialect;  ///< "binance", "binance_perpetual", "okx", "okx_perpetual"
  std::uint16_t port = 0;
  std::vector<market_setup> markets;
  std::vector<account_setup> accounts;
  /// The dialect's rate limits overridden by name (e.g. Binance "REQUEST_WEIGHT_1M").
  std::map<std::string, std::int64_t> rate_limits;
  /// Dialect settings by name (OKX: "books_checksum" = "zero" | "crc32").
  std::map<std::string, std::string, std::less<>> options;
};

/// What the server shares with its exchanges.
struct host_environment {
  boost::asio::io_context* io = nullptr;
  std::string host = "127.0.0.1";
  net::tls_context_ptr tls;
  fault_plan* faults = nullptr;
  recorder* records = nullptr;
  std::function<timestamp()> clock;  ///< the exchange clock, skew included
};

class exchange_host {
 public:
  /// Builds the venue, markets, accounts and drivers; fails naming what is wrong.
  static expected<std::unique_ptr<exchange_host>, std::string> create(exchange_setup setup,
                                                                     host_environment env);
  ~exchange_host();
  exchange_host(const exchange_host&) = delete;
  exchange_host& operator=(const exchange_host&) = delete;

  /// Listens and starts the exchange thread; returns the port.
  expected<std::uint16_t, std::string> start();
  /// Closes every connection and stops the thread. Idempotent.
  void stop();

  [[nodiscard]] const std::string& name() const noexcept { return setup_.name; }
  [[nodiscard]] const std::string& dialect_name() const noexcept { return setup_.dialect; }
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] std::vector<endpoint_info> endpoints() const;

  /// Stops / restarts the market drivers (requests are still served).
  void pause();
  void resume();
  [[nodiscard]] bool paused() const noexcept { return paused_.load(); }
  /// Performs the drivers' next `count` actions at once; returns how many there were.
  std::size_t step(std::size_t count);

  /// Runs `task` on the exchange thread and waits for it (tests and the control API use this
  /// to read the engine safely). Must not be called from the exchange thread.
  void run_sync(const std::function<void(exchange_state&)>& task);

 private:
  exchange_host(exchange_setup setup, host_environment env, std::unique_ptr<dialect> speaker);
  expected<void, std::string> build();
  expected<void, std::string> add_market(market_setup market);
  void post(std::function<void()> task);
  void loop();
  void pace();
  [[nodiscard]] std::chrono::nanoseconds next_wake(timestamp now) const;
  void publish();
  void serve_rest(net::server_request request, net::responder reply);
  void finish_rest(const std::optional<fault>& fired, rest_outcome outcome, request_record base,
                   net::responder reply);
  void open_stream(std::uint64_t id, std::string target,
                   std::shared_ptr<net::websocket_session> socket);

  exchange_setup setup_;
  host_environment env_;
  std::unique_ptr<dialect> dialect_;
  std::unique_ptr<exchange_state> state_;
  driver_set drivers_;
  std::unique_ptr<net::http_server> server_;
  std::uint16_t port_ = 0;

  // Exchange-thread state.
  std::multimap<timestamp, std::function<void()>> timers_;
  std::optional<timestamp> dialect_due_;
  timestamp driver_time_{};           ///< where the drivers were last advanced to
  std::chrono::nanoseconds lag_{0};   ///< driver time trails the clock by this after pauses

  std::atomic<bool> paused_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::thread thread_;
};

} // namespace tern::sim
