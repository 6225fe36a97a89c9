#pragma once

// One market of the simulated exchange: a price-time priority matching engine that locks and
// settles balances in a shared ledger, keeps perpetual positions, and reports everything it
// does as plain events (sim/events.hpp). Time is passed in; nothing here reads a clock.

#include <cstddef>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/decimal.hpp"
#include "core/events.hpp"
#include "core/expected.hpp"
#include "core/types.hpp"
#include "sim/accounts.hpp"
#include "sim/events.hpp"
#include "sim/market.hpp"
#include "sim/order_book.hpp"
#include "sim/perpetuals.hpp"

namespace tern::sim {

/// A new order as a dialect hands it over after parsing and authenticating the request.
struct order_request {
  account_id account = 0;
  /// Unique per account among open orders; empty means none (the dialect generates one
  /// where the exchange would).
  std::string client_order_id;
  tern::side side = tern::side::buy;
  order_type type = order_type::limit;
  time_in_force tif = time_in_force::gtc;  ///< ignored for market orders (they never rest)
  decimal price;                           ///< limit price; ignored for market orders
  decimal quantity;                        ///< base asset
  stp_mode stp = stp_mode::expire_taker;
  bool reduce_only = false;                     ///< perpetuals, one-way mode only
  position_side pos_side = position_side::both; ///< perpetuals: long/short in hedge mode
  /// Post-only orders that would take: false refuses them (`post_only_would_take`, Binance
  /// -2010); true accepts them and ends them at once, unfilled, as OKX does (the order gets an
  /// id, a new_order event and an expired event with end_reason::post_only_would_take).
  bool post_only_expires = false;
};

/// Tunables that are not part of the market's public description.
struct engine_options {
  /// Finished orders kept for queries (oldest forgotten first), like an exchange's archive.
  std::size_t retained_finished_orders = 100'000;
};

/// Price-time priority matching for one market.
class matching_engine {
 public:
  /// Throws std::invalid_argument when `spec` fails `validate`.
  matching_engine(market_spec spec, ledger& accounts, engine_options options = {});
  matching_engine(const matching_engine&) = delete;
  matching_engine& operator=(const matching_engine&) = delete;

  [[nodiscard]] const market_spec& spec() const noexcept { return spec_; }

  /// Validates, locks funds, matches and rests or expires the order. On success returns the
  /// order as it stands after matching; events (new, trades, expiry, book, balances,
  /// positions) are appended to `out`. A rejection changes nothing and appends nothing.
  expected<order_view, error> place(const order_request& request, timestamp now,
                                    event_buffer& out);
  /// Publishes a trade of the rest of the market (a replayed capture's trade): it takes a
  /// trade id and becomes the last price, but touches no order and no balance (its effect on
  /// the book comes with the depth changes). Buyer and seller order ids are 0.
  public_trade publish_external_trade(decimal price, decimal quantity, side taker_side,
                                      timestamp now, event_buffer& out);
  /// Cancels an open order of `account`; unlocks what it held.
  expected<order_view, error> cancel(account_id account, order_id id, timestamp now,
                                     event_buffer& out);
  expected<order_view, error> cancel_by_client_id(account_id account,
                                                  std::string_view client_order_id,
                                                  timestamp now, event_buffer& out);
  /// Cancels every open order of `account` in this market; returns them, oldest first.
  std::vector<order_view> cancel_all(account_id account, timestamp now, event_buffer& out);
  /// Lowers an open order's quantity to `new_quantity` (executed < new < quantity) keeping
  /// its place in the queue (Binance order amend keepPriority).
  expected<order_view, error> amend_keep_priority(account_id account, order_id id,
                                                  decimal new_quantity, timestamp now,
                                                  event_buffer& out);

  /// An open or recently finished order of `account`.
  [[nodiscard]] expected<order_view, error> find_order(account_id account, order_id id) const;
  /// The most recent order of `account` with that client order id.
  [[nodiscard]] expected<order_view, error> find_order_by_client_id(
      account_id account, std::string_view client_order_id) const;
  /// Open orders of `account`, oldest first.
  [[nodiscard]] std::vector<order_view> open_orders(account_id account) const;
  [[nodiscard]] bool has_open_orders(account_id account) const;
  [[nodiscard]] std::size_t open_order_count() const noexcept { return open_.size(); }

  /// The public book, up to `depth` levels a side, with the update id it is valid at.
  [[nodiscard]] book_snapshot snapshot(
      std::size_t depth = std::numeric_limits<std::size_t>::max()) const;
  [[nodiscard]] std::optional<price_level> best_bid() const { return book_.best(side::buy); }
  [[nodiscard]] std::optional<price_level> best_ask() const { return book_.best(side::sell); }
  [[nodiscard]] update_id last_update() const noexcept { return book_.last_update(); }
  /// Orders resting at one price (OKX depth levels report the count).
  [[nodiscard]] std::size_t orders_at(side s, decimal price) const { return book_.order_count(s, price); }
  [[nodiscard]] trade_id last_trade() const noexcept { return last_trade_; }
  /// Price of the last trade, if any.
  [[nodiscard]] std::optional<decimal> last_price() const noexcept { return last_price_; }

  // Perpetuals. On a spot market these return error_code::not_perpetual or nothing.

  /// Leverage (1..max_leverage) for the account's future orders in this market.
  expected<void, error> set_leverage(account_id account, int leverage);
  [[nodiscard]] int leverage(account_id account) const { return positions_.leverage(account); }
  /// The account's non-flat positions.
  [[nodiscard]] std::vector<position_view> positions(account_id account) const;
  [[nodiscard]] bool has_position(account_id account) const {
    return positions_.has_position(account);
  }
  /// Mark price used for unrealised PnL (set by the market driver).
  void set_mark_price(decimal mark) { mark_price_ = mark; }
  [[nodiscard]] decimal mark_price() const noexcept { return mark_price_; }
  /// Funding at `rate` and `mark`: every position pays or receives |size| x mark x rate
  /// (rounded down to the fee places); longs pay when the rate is positive.
  expected<void, error> settle_funding(decimal rate, decimal mark, timestamp now,
                                       event_buffer& out);

  // Audit support (used by venue::audit and tests).

  /// Signed cost of all positions (0 on spot); see position_book::signed_cost.
  [[nodiscard]] decimal signed_position_cost() const { return positions_.signed_cost(); }
  /// What this market holds locked for `account` in `asset`: open-order locks and margin.
  [[nodiscard]] decimal locked_by(account_id account, asset_id asset) const;
  [[nodiscard]] asset_id base_asset() const noexcept { return base_; }
  [[nodiscard]] asset_id quote_asset() const noexcept { return quote_; }

 private:
  struct plan_step {
    live_order* maker = nullptr;
    decimal quantity;                     ///< to fill; zero for a step that only expires
    end_reason expire_after = end_reason::none;  ///< expire the maker's remainder after
  };
  struct projected_position {
    account_id account;
    position_side side;
    decimal size;
  };
  /// What matching a taker against the book will do, computed before anything changes.
  struct match_plan {
    std::vector<plan_step> steps;
    decimal quantity;         ///< total to fill
    decimal cost;             ///< sum of each fill's quote quantity
    bool taker_stopped = false;  ///< STP expires the taker before it is done
    std::vector<projected_position> projections;  ///< perpetual makers' positions as planned
  };
  struct client_key {
    account_id account;
    std::string id;
    friend bool operator==(const client_key&, const client_key&) = default;
  };
  struct client_key_hash {
    std::size_t operator()(const client_key& key) const noexcept;
  };

  // matching_engine.cpp: requests and bookkeeping
  expected<void, error> validate(const order_request& request) const;
  expected<void, error> validate_position(const order_request& request, bool& closing,
                                          decimal& cap) const;
  /// Every reason to refuse `request` before planning; sets `closing` and its `cap`.
  expected<void, error> admissible(const order_request& request, bool& closing,
                                   decimal& cap) const;
  /// A post-only request whose price reaches the best opposite price.
  [[nodiscard]] bool post_only_takes(const order_request& request) const;
  end_reason plan_taker(const order_request& request, bool closing, decimal cap,
                        live_order& candidate);
  live_order& admit(const order_request& request, bool closing, timestamp now);
  /// Ends an open order: out of the book, locks released, archived. Returns its last view.
  order_view finish(live_order& order, order_status status, end_reason reason, timestamp now,
                    event_buffer& out, bool report);
  void flush(timestamp now, event_buffer& out);
  void emit(execution_kind kind, const live_order& order, timestamp now, event_buffer& out,
            std::optional<fill_detail> fill = std::nullopt);
  live_order* open_order_of(account_id account, order_id id);

  // matching.cpp: planning and executing a taker
  void build_plan(const live_order& taker, decimal max_quantity);
  decimal& projection(account_id account, position_side side);
  void execute(live_order& taker, timestamp now, event_buffer& out);
  void execute_fill(live_order& taker, live_order& maker, decimal quantity, timestamp now,
                    event_buffer& out);
  /// After matching: rests the remainder (`leftover` none) or ends the order.
  order_view conclude_taker(live_order& taker, end_reason leftover, timestamp now,
                            event_buffer& out);

  // settlement.cpp: money
  [[nodiscard]] decimal lock_for(const live_order& order, decimal cost, decimal quantity) const;
  [[nodiscard]] decimal resting_requirement(const live_order& order) const;
  [[nodiscard]] asset_id lock_asset_of(const live_order& order) const;
  void release_excess(live_order& order, decimal keep);
  fill_detail settle(live_order& order, decimal quantity, decimal price, decimal quote,
                     bool is_maker);
  fill_detail settle_spot(live_order& order, decimal quantity, decimal quote, decimal rate);
  fill_detail settle_perpetual(live_order& order, decimal quantity, decimal price,
                               decimal quote, decimal rate);
  decimal close_position(live_order& order, position_state& position, decimal quantity,
                         decimal value);
  [[nodiscard]] position_side position_key(const live_order& order) const;
  [[nodiscard]] decimal closable(account_id account, side order_side, position_side key) const;

  market_spec spec_;
  ledger& ledger_;
  engine_options options_;
  asset_id base_;
  asset_id quote_;
  order_book book_;
  position_book positions_;
  std::unordered_map<order_id, live_order> open_;
  std::unordered_map<account_id, std::set<order_id>> open_by_account_;
  std::unordered_map<client_key, order_id, client_key_hash> client_ids_;
  std::unordered_map<order_id, order_view> finished_;
  std::deque<order_id> finished_fifo_;
  match_plan plan_;
  order_id last_order_ = 0;
  trade_id last_trade_ = 0;
  std::optional<decimal> last_price_;
  decimal mark_price_;
};

} // namespace tern::sim
