#pragma once

// What the actors of one exchange account share, and what must outlive any one of them. The
// account's supervisor restarts its children; this object stays, so a restarted actor finds
// the same HTTPS pool, rate limiter, clock offset, trading rules and subscribers:
//
//   services ─ loads trading rules and the server-time offset into `markets` and `clock`
//   connection ─ public streams → book.<PAIR> (one per market) → book subscribers
//   user_stream ─ private stream → orders (the tracker: journal, state machines, balances)
//   exchange ─ the API strategies call (place, cancel, balances, ...) → orders + REST
//
// Siblings find each other's current incarnation through `directory`: the factories register
// every actor they start under its child name, so a restarted sibling is found at once.
// Thread-safe throughout: actors of the account run on CAF's threads, network callbacks on
// the io threads.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/actor.hpp>
#include <caf/weak_intrusive_ptr.hpp>

#include "connectors/common/credentials.hpp"
#include "connectors/common/exchange_protocol.hpp"
#include "core/expected.hpp"
#include "core/instrument.hpp"
#include "net/clock_sync.hpp"
#include "net/https_client.hpp"
#include "net/rate_limiter.hpp"
#include "net/tls.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace tern {

/// Timings of one account's actors. Defaults suit a live exchange; tests shorten them.
struct account_timings {
  /// REST requests other than order placement: connect, write and read within this.
  std::chrono::milliseconds request_timeout{10'000};
  /// Order placement: past this the outcome is unknown and the order stays in flight.
  std::chrono::milliseconds place_timeout{10'000};
  /// Signed requests ask the exchange to refuse them after this long (recvWindow).
  std::chrono::milliseconds receive_window{5'000};
  /// How often in-flight orders with an unknown outcome (and lost orders, §A6) are queried.
  std::chrono::milliseconds status_poll{5'000};
  /// A full reconciliation (open orders, fills, balances, positions): this often while the
  /// user stream is quiet (§A2: 5 s without a message for 60 s) ...
  std::chrono::milliseconds quiet_poll{5'000};
  /// ... and this often while it is live (§A2: 120 s).
  std::chrono::milliseconds live_poll{120'000};
  /// How long the user stream counts as live after its last message.
  std::chrono::milliseconds stream_quiet_after{60'000};
  /// The server-time offset is sampled this often (§A13).
  std::chrono::milliseconds clock_poll{60'000};
  /// Trading rules are reloaded this often (§A2: every 30 min).
  std::chrono::milliseconds rules_poll{1'800'000};
  /// A public stream silent for this long is reconnected (0: never).
  std::chrono::milliseconds stale_stream{30'000};
  /// Retry delays for actors waiting on a sibling or on a failed request.
  std::chrono::milliseconds retry_delay{500};
  /// A filled order whose fills do not cover its amount gets its completed event after this
  /// (§A5: 5 s).
  std::chrono::milliseconds completion_wait{5'000};
};

/// Everything that configures one account, from the topology (or a test).
struct account_settings {
  std::string name;       ///< the account ("binance_main"), the supervisor's name
  std::string connector;  ///< "binance", "binance_perpetual", "okx", "okx_perpetual"
  std::vector<std::string> markets;  ///< "BTC-USDT"
  std::optional<credentials> keys;   ///< none: market data only
  protocol_options protocol;         ///< endpoints (e.g. the simulator's)
  net::tls_client_options trust;     ///< whose certificates to trust
  std::filesystem::path journal;     ///< the order journal (SQLite); accounts with keys only
  /// fsync every journal commit (config "journal_sync": "full"); see config/topology.hpp.
  bool journal_full_sync = false;
  account_timings timings;
  /// Fee rate the budget check reserves on top of an order's cost (§A16).
  decimal fee_reserve = decimal::from_scaled(1, 3);  // 0.001
  /// Depth levels the books keep in the snapshots they push to depth subscribers.
  std::size_t depth_levels = 20;
};

/// The account's markets as the exchange lists them: rules and the symbol map. Replaced as a
/// whole when rules are reloaded.
struct market_catalog {
  std::vector<instrument> instruments;
  symbol_map symbols;
  timestamp loaded{};
  [[nodiscard]] const instrument* find(std::string_view pair) const;
  [[nodiscard]] const std::string* symbol_of(std::string_view pair) const;
};

/// One round trip to the exchange's time endpoint: our time before, its time, our time after.
struct clock_sample {
  timestamp before{};
  timestamp server{};
  timestamp after{};
};

/// What a request refused for its timestamp does next (server_clock::join_resync).
enum class resync_role {
  retry_now, ///< the clock was resynced after the request was signed: sign again and send
  wait,      ///< a resync is running: the wake-up runs when it ends
  run,       ///< the caller resyncs, then calls end_resync
};

/// The exchange's clock as far as we know it: net::clock_sync behind a lock, and the account's
/// one resync at a time after timestamp refusals. Every actor of the account signs with this
/// clock, so when several requests are refused at once, one time query corrects them all.
class server_clock {
 public:
  using wake_up = std::function<void()>;

  /// A periodic sample: joins the estimate.
  void add_sample(timestamp before, timestamp server, timestamp after);
  /// The exchange's time now (local time before the first sample).
  [[nodiscard]] timestamp now() const;
  [[nodiscard]] bool synced() const;
  /// Advances each time a resync replaces the estimate; requests note it when they are signed.
  [[nodiscard]] std::uint64_t generation() const;

  /// A request signed at `signed_at` (a generation) was refused for its timestamp. A resync
  /// running for longer than `stale_after` is taken over: the actor running it may have died.
  /// With resync_role::run, `*ticket` names this resync for end_resync.
  [[nodiscard]] resync_role join_resync(std::uint64_t signed_at, wake_up wake,
                                        std::chrono::steady_clock::time_point now,
                                        std::chrono::steady_clock::duration stale_after,
                                        std::uint64_t* ticket = nullptr);
  /// Ends the resync `ticket`. With a sample the estimate restarts from it alone: the refusal
  /// proved the older samples wrong (the exchange's clock jumped, or ours did). Every waiter
  /// is woken, with or without a sample (each then makes its one retry). A resync that was
  /// taken over still gives its sample, but the one that took over ends the wait.
  void end_resync(std::uint64_t ticket, const std::optional<clock_sample>& sample);

 private:
  mutable std::mutex mutex_;
  net::clock_sync sync_;
  std::uint64_t generation_ = 0;
  bool resyncing_ = false;
  std::uint64_t ticket_ = 0;  ///< the running (or last) resync's
  std::chrono::steady_clock::time_point resync_started_{};
  std::vector<wake_up> waiters_;
};

/// Names → the running incarnation of each actor of the account.
class actor_directory {
 public:
  void put(const std::string& name, const caf::actor& actor);
  /// The actor last registered under `name`, or a null handle.
  [[nodiscard]] caf::actor get(std::string_view name) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, caf::actor, std::less<>> actors_;
};

/// A list of subscribers that survives restarts of the actor publishing to it. Held weakly: a
/// subscriber that ended is dropped at the next publication.
class subscriber_list {
 public:
  void add(const caf::actor& subscriber);
  void remove(const caf::actor_addr& subscriber);
  /// The live subscribers now.
  [[nodiscard]] std::vector<caf::actor> current() const;
  [[nodiscard]] bool empty() const;

 private:
  mutable std::mutex mutex_;
  std::vector<caf::weak_actor_ptr> subscribers_;
};

/// What one account's actors share. Built once per account by account_components; lives as
/// long as the process (or the test).
class account_context {
 public:
  /// Builds the protocol, the TLS context, the HTTPS client for the REST origin and the rate
  /// limiter. Fails naming the connector, URL or trust store that is wrong.
  static expected<std::shared_ptr<account_context>, std::string> create(
      account_settings settings, boost::asio::io_context& io);

  [[nodiscard]] const account_settings& settings() const noexcept { return settings_; }
  [[nodiscard]] const std::string& name() const noexcept { return settings_.name; }
  [[nodiscard]] const exchange_protocol& protocol() const noexcept { return *protocol_; }
  [[nodiscard]] boost::asio::io_context& io() const noexcept { return *io_; }
  [[nodiscard]] const net::tls_context_ptr& tls() const noexcept { return tls_; }
  [[nodiscard]] net::https_client& rest() const noexcept { return *rest_; }
  [[nodiscard]] net::shared_rate_limiter& limiter() const noexcept { return *limiter_; }
  [[nodiscard]] bool trades() const noexcept { return settings_.keys.has_value(); }
  [[nodiscard]] const credentials& keys() const;
  [[nodiscard]] const account_timings& timings() const noexcept { return settings_.timings; }

  server_clock clock;
  actor_directory directory;
  /// Strategies that get order notices (the tracker publishes, the exchange actor adds).
  subscriber_list order_subscribers;
  /// Subscribers of one market's book, by pair.
  [[nodiscard]] subscriber_list& book_subscribers(std::string_view pair);

  /// The markets once the services actor has loaded them; null before.
  [[nodiscard]] std::shared_ptr<const market_catalog> markets() const;
  void set_markets(std::shared_ptr<const market_catalog> catalog);

  /// After a 429/418 every request of the account waits until this instant (steady clock).
  void back_off_until(std::chrono::steady_clock::time_point until);
  [[nodiscard]] std::chrono::steady_clock::time_point backed_off_until() const;

  /// Perpetuals: the account's position mode as last read from or set at the exchange; none
  /// until the exchange actor has read it. Orders name their position side from it (hedge
  /// mode needs Binance positionSide / OKX posSide), so it outlives a restarted actor.
  [[nodiscard]] std::optional<tern::position_mode> position_mode() const;
  void set_position_mode(tern::position_mode mode);

  /// Closes the HTTPS pool (requests in flight fail as cancelled). Call before the io_context
  /// stops.
  void close();

  ~account_context();

 private:
  account_context(account_settings settings, boost::asio::io_context& io);

  account_settings settings_;
  boost::asio::io_context* io_;
  std::unique_ptr<exchange_protocol> protocol_;
  net::tls_context_ptr tls_;
  std::unique_ptr<net::https_client> rest_;
  std::shared_ptr<net::shared_rate_limiter> limiter_;
  mutable std::mutex mutex_;
  std::shared_ptr<const market_catalog> markets_;
  std::map<std::string, std::unique_ptr<subscriber_list>, std::less<>> book_subscribers_;
  std::atomic<std::int64_t> backoff_until_ns_{0};
  std::atomic<int> position_mode_{-1};  ///< -1: not known yet, else the enumerator
};

using account_context_ptr = std::shared_ptr<account_context>;

} // namespace tern
