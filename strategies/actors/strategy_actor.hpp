#pragma once

// The actor that runs one strategy ("<kind>" under the strategy's supervisor): a thin shell
// around the pure state machine of strategies/.
//
//   connecting ──rules of every market in──► trading ──kill / loss limit──► stopped
//       ▲  (degraded: names the missing book,      │ (degraded while a book or exchange
//       │   exchange or rules)                     │  it needs is missing or silent)
//
// - It finds the book actor ("book.<PAIR>") and exchange actor ("exchange") of each market's
//   account through an actor_lookup, on every tick, so restarted siblings are found again;
//   it subscribes to depth ((subscribe_atom, pair, levels)) and to the account's order notices
//   ((subscribe_atom)), asks for trading rules ((rules_atom, pair)) and balances.
// - Book snapshots, order notices, balances and a timer tick feed the strategy; the actions it
//   returns are carried out: (place_atom, order_intent), (cancel_atom, client order id), each
//   with a finite timeout. A refused placement fails the order for the strategy (its leg-failure
//   path runs). No answer is never taken as a rejection: the order stays in flight, shown as
//   unconfirmed in the health reason, until an order notice or the tracker's open orders show
//   it, or the tracker shows it never recorded it (unconfirmed.cpp).
// - Status goes to the strategy board once a second and after every fill; fills are recorded.
// - The orders it placed are remembered in `strategy_memory`, which outlives the actor: after a
//   restart it asks each exchange actor for open orders ((orders_atom)) and hands the ones it
//   placed to the strategy (strategy::adopt), which cancels them and books their fills. So are
//   placements not yet named (in flight or unanswered when it died): an open order no
//   incarnation named that matches one is adopted too.
// - (stratkill_atom, reason) -> std::string: stops the strategy, cancels all its orders and every
//   open order of its markets ((cancel_all_atom, pair)); replies once the exchanges answered.
//   A stopped strategy stays stopped across restarts.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/fwd.hpp>

#include "actors/trading_messages.hpp"
#include "config/topology.hpp"
#include "strategies/types.hpp"
#include "supervision/child.hpp"
#include "supervision/strategy_status.hpp"

namespace tern::supervision {
class strategy_board;
} // namespace tern::supervision

namespace tern::strategy_actors {

// Atoms the exchange API answers to (actors/exchange_actor.hpp). CAF 0.17 atoms are values:
// these are the same messages as tern::orders_atom and tern::rules_atom.
using orders_atom = caf::atom_constant<caf::atom("orders")>;
using rules_atom = caf::atom_constant<caf::atom("rules")>;
/// (stratkill_atom, reason) -> std::string: the kill switch, for one strategy.
using stratkill_atom = caf::atom_constant<caf::atom("stratkill")>;
/// The strategy's own timer.
using strattick_atom = caf::atom_constant<caf::atom("strattick")>;

/// Where a strategy finds the actor `name` ("exchange", "book.BTC-USDT") of account `account`;
/// a null handle while there is none. The one place that knows how actors are found (the
/// account runtime's directories today, a cluster directory later).
using actor_lookup = std::function<caf::actor(const std::string& account, const std::string& name)>;

/// A placement sent and not yet named by the exchange actor's answer: the strategy's id for it,
/// its account and what was asked.
struct pending_placement {
  std::string id;
  std::string account;
  order_intent intent;
};

/// What a strategy actor keeps across its restarts. Thread-safe.
class strategy_memory {
 public:
  /// A placement on its way (kept until its answer names it or proves it never placed): an
  /// incarnation that dies before then leaves it here for the next to find among the open orders.
  void remember_pending(pending_placement placement);
  void forget_pending(const std::string& id);
  [[nodiscard]] std::vector<pending_placement> pending() const;
  /// The exchange's client order id of an order placed on `account`, with the strategy's own id.
  void remember(const std::string& account, const std::string& client_order_id);
  void forget(const std::string& account, const std::string& client_order_id);
  [[nodiscard]] bool placed(const std::string& account, const std::string& client_order_id) const;
  /// Why the strategy was stopped for good (kill switch), or empty.
  void set_stopped(std::string reason);
  [[nodiscard]] std::string stopped() const;

 private:
  mutable std::mutex mutex_;
  std::set<std::pair<std::string, std::string>> orders_;
  std::vector<pending_placement> pending_;
  std::string stopped_;
};

struct strategy_actor_settings {
  config::strategy_config config;
  actor_lookup lookup;
  supervision::strategy_board* board = nullptr;  ///< where status goes; may be null
  std::shared_ptr<strategy_memory> memory = std::make_shared<strategy_memory>();
  std::chrono::milliseconds tick{1000};
  /// Every request to another actor (place, cancel, rules, balances, orders) gets this long.
  std::chrono::milliseconds request_timeout{5000};
  /// A market whose book sent nothing for this long counts as missing (degraded).
  std::chrono::milliseconds book_silence{15000};
  std::size_t depth_levels = 10;
};

/// Starts one incarnation of the strategy actor (a child factory's body).
[[nodiscard]] caf::actor spawn_strategy(caf::actor_system& system,
                                        std::shared_ptr<const strategy_actor_settings> settings,
                                        const supervision::child_context& child);

/// The dashboard's view of a strategy's status.
[[nodiscard]] supervision::strategy_status to_board_status(const strategies::strategy_status& status,
                                                           bool degraded, std::string reason);

} // namespace tern::strategy_actors
