#pragma once

// The shape every strategy shares. The actor wrapper drives it with four inputs and carries
// out the returned actions; the base keeps the books, the strategy's own orders, the ledger and
// the kill switch, and calls the kind's decision hooks.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/order_book.hpp"
#include "strategies/ledger.hpp"
#include "strategies/types.hpp"

namespace tern::strategies {

/// Settings every strategy kind has.
struct common_params {
  std::string name;  ///< the strategy's config name
  /// Starts every client id. Empty: the name. An actor restarted after a crash passes
  /// something new per incarnation (name plus start time) so that no id is ever reused.
  std::string client_id_prefix;
  /// Stop and cancel everything when total P&L (realised + unrealised, in quote) falls to
  /// minus this amount. Unset: no kill switch.
  std::optional<decimal> kill_switch_loss;
};

/// One order the strategy placed and has not yet seen reach a final state.
struct tracked_order {
  place_order order;
  decimal filled;
  decimal filled_quote;  ///< sum of price x amount of the fills
  order_state state = order_state::pending_create;
  [[nodiscard]] decimal remaining() const { return order.amount - filled; }
};

/// Base of every strategy: see the file comment. Not thread-safe; its actor serialises calls.
class strategy {
 public:
  strategy(common_params common, std::string kind, std::vector<market_info> markets);
  virtual ~strategy() = default;
  strategy(const strategy&) = delete;
  strategy& operator=(const strategy&) = delete;

  /// A new depth picture of one market. A crossed or malformed book is dropped (the market is
  /// not traded until a good one arrives) and reported.
  actions on_book(const book_input& book, timestamp now);
  /// A state change or fill of one of this strategy's orders.
  actions on_order_event(const order_event& event, timestamp now);
  /// An account's balance as the exchange reports it.
  actions on_balance(const balance_input& balance, timestamp now);
  /// A timer tick: time-driven decisions (refresh, cooldown, re-tries) happen here.
  actions on_tick(timestamp now);
  /// Stops the strategy (a command, or the kill switch): cancels its orders, places no more.
  actions stop(const std::string& reason);
  /// Takes over orders a previous incarnation left open (the actor gets them from the order
  /// trackers after a restart). Their role in a round or ladder is not known any more, so each
  /// is cancelled; fills that still arrive for them are booked, and show in the exposure.
  actions adopt(const std::vector<tracked_order>& orders);

  [[nodiscard]] bool running() const noexcept { return running_; }
  [[nodiscard]] strategy_status status() const;
  [[nodiscard]] const ledger& books_ledger() const noexcept { return ledger_; }
  /// Orders not yet final, by client id.
  [[nodiscard]] const std::map<std::string, tracked_order>& open_orders() const noexcept { return orders_; }

 protected:
  /// A market's book changed (it is usable: both sides present, not crossed).
  virtual void book_changed(const market_id& market, timestamp now, actions& out) = 0;
  /// One of the strategy's orders changed; `order` is its state after the event (a final
  /// order is removed from `open_orders()` right after this returns).
  virtual void order_changed(const tracked_order& order, const order_event& event, timestamp now,
                             actions& out) = 0;
  virtual void tick(timestamp now, actions& out) = 0;
  /// The strategy is stopping; cancels of open orders are issued by the base afterwards.
  virtual void stopping(actions& /*out*/) {}
  /// Adds the kind's own figures to the status.
  virtual void add_status(strategy_status& /*status*/) const {}

  /// Issues a place action under a fresh client id and tracks the order; returns the id.
  std::string place(actions& out, place_order order);
  /// Issues a cancel for a tracked order (once: repeated calls while pending do nothing).
  void cancel(actions& out, const std::string& client_id);
  void count_opportunity() noexcept { ++opportunities_; }

  [[nodiscard]] const order_book* book(const market_id& market) const;
  [[nodiscard]] const market_info& info(const market_id& market) const;
  [[nodiscard]] const std::vector<market_info>& markets() const noexcept { return markets_; }
  [[nodiscard]] decimal available(const std::string& account, std::string_view asset) const {
    return ledger_.available(account, std::string{asset});
  }
  [[nodiscard]] const trading_pair& pair() const noexcept { return markets_.front().id.pair; }
  [[nodiscard]] const common_params& common() const noexcept { return common_; }

 private:
  void refresh_mark();
  void check_kill_switch(actions& out);

  common_params common_;
  std::string kind_;
  std::vector<market_info> markets_;
  std::map<market_id, order_book> books_;
  std::map<std::string, tracked_order> orders_;
  ledger ledger_;
  bool running_ = true;
  std::string stop_reason_;
  std::uint64_t next_id_ = 1;
  std::uint64_t opportunities_ = 0;
  std::uint64_t placed_ = 0;
  std::uint64_t fills_ = 0;
};

/// Mid of the best bid and ask, or nothing when a side is empty.
[[nodiscard]] std::optional<decimal> mid_price(const order_book& book);

} // namespace tern::strategies
