#pragma once

// An arbitrage strategy actor against the simulator over TLS: two Binance-dialect exchanges
// ("alpha" around 60000, "beta" around 60300, both paused so their books stay put), one
// account on each through the real account actors (books, user streams, trackers, exchange
// actors, journals), and the strategy buying on alpha and selling on beta. The fixture reads
// the simulator's balances, the trackers' and the strategy's, and every fill the strategy
// recorded, so the tests can check that they agree.

#include "tests/actors/trading_support.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/strategies.hpp"
#include "strategies/actors/strategy_actor.hpp"
#include "supervision/strategy_board.hpp"

namespace tern::testing {

struct venue_spec {
  const char* exchange;  ///< the simulator's name
  const char* account;   ///< the account's config name
  const char* mid;       ///< where its book starts
};
inline constexpr venue_spec alpha_venue{"alpha", "alpha_main", "60000.00"};
inline constexpr venue_spec beta_venue{"beta", "beta_main", "60300.00"};

/// Balances by account, then asset (totals).
using balance_sheet = std::map<std::string, std::map<std::string, decimal>>;

/// Stands in front of a real exchange actor as the strategy's "exchange": everything passes
/// through (the sender stays the strategy, so the tracker's notices reach it), except the
/// first placement, whose reply is lost (`lose_reply`: the exchange actor named, journalled
/// and sent the order) or which is lost itself (it never reaches the exchange actor).
caf::behavior lossy_exchange(caf::event_based_actor* self, caf::actor exchange, bool lose_reply);

/// What a notice_gate lets through: `drops` decides for each notice; the counts say what it did.
struct notice_filter {
  std::function<bool(const order_notice&)> drops;
  std::atomic<int> dropped{0};
  std::atomic<int> passed{0};
};

/// Stands in front of a real exchange actor as the strategy's "exchange" and subscribes itself
/// to its order notices in the strategy's stead, passing on those the filter keeps: notices a
/// dropped link would lose (CAF does not replay them). Everything else passes through.
caf::behavior notice_gate(caf::event_based_actor* self, caf::actor exchange,
                          std::shared_ptr<notice_filter> filter);

struct arbitrage_sim_fixture {
  explicit arbitrage_sim_fixture(config::leg_failure_action policy);
  ~arbitrage_sim_fixture();
  arbitrage_sim_fixture(const arbitrage_sim_fixture&) = delete;
  arbitrage_sim_fixture& operator=(const arbitrage_sim_fixture&) = delete;

  /// Starts the strategy actor.
  void start();
  /// The strategy's "exchange" on `account` becomes a lossy_exchange (before start()).
  void put_lossy_exchange(const std::string& account, bool lose_reply);
  /// The strategy's "exchange" on `account` becomes a notice_gate (before start()).
  std::shared_ptr<notice_filter> put_notice_gate(const std::string& account,
                                                 std::function<bool(const order_notice&)> drops);

  /// Waits (bounded) until the strategy shows `fills` fills and no open order.
  bool await_settled(std::size_t fills, std::chrono::milliseconds limit = 30s);
  /// Waits (bounded) until the strategy's status reason says `words`.
  bool await_reason(const std::string& words, std::chrono::milliseconds limit = 15s);
  /// Every fill the strategy recorded.
  [[nodiscard]] std::vector<supervision::fill_view> fills() const;
  [[nodiscard]] supervision::strategy_status status() const;
  /// The status in a few lines, for failure messages.
  [[nodiscard]] std::string describe() const;

  [[nodiscard]] balance_sheet simulator_balances();
  /// What the exchange actors' trackers hold (they follow the simulator's reports).
  [[nodiscard]] balance_sheet tracker_balances();
  /// The opening balances moved by every recorded fill and its fee.
  [[nodiscard]] balance_sheet expected_balances() const;
  /// What the strategy shows (it polls the exchange actors each tick).
  [[nodiscard]] balance_sheet strategy_balances() const;
  /// Waits (bounded) until the trackers' balances, and the strategy's, equal the simulator's.
  bool await_all_agree(std::chrono::milliseconds limit = 15s);

  /// The notices the tracker of `account` sent (a probe subscribed before the start).
  [[nodiscard]] std::vector<order_notice> notices(const std::string& account) const;

  supervision::strategy_board board;  // outlives the actor system, whose actors publish to it
  temp_folder folder;
  account_runtime accounts{1};
  std::unique_ptr<sim::server> simulator;
  supervision::health_board health;
  runtime rt{[] {
    runtime_options options;
    options.scheduler_threads = 2;
    return options;
  }()};
  caf::actor root;
  caf::actor sink;
  std::map<std::string, account_context_ptr> contexts;
  std::map<std::string, caf::actor> stand_ins;  ///< lossy exchanges by account
  std::map<std::string, std::shared_ptr<probe_inbox>> inboxes;
  std::vector<caf::actor> probes;
  std::shared_ptr<strategy_actors::strategy_actor_settings> settings =
      std::make_shared<strategy_actors::strategy_actor_settings>();
  caf::actor strategy;

 private:
  /// Both accounts' subtrees under one root, every actor ready.
  void start_accounts();
};

} // namespace tern::testing
