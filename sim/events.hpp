#pragma once

// What the simulated exchange tells the world, as plain structs. The engine appends these to an
// event_buffer during each operation; the exchange dialects render them as each exchange's wire
// frames (Binance executionReport, depthUpdate, trade, outboundAccountPosition, ...). Nothing
// here knows any wire format.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/decimal.hpp"
#include "core/events.hpp"
#include "core/types.hpp"

namespace tern::sim {

using account_id = std::uint32_t;
/// Engine-assigned order id, unique and increasing per market (like Binance's orderId).
using order_id = std::int64_t;
/// Engine-assigned trade id, unique and increasing per market.
using trade_id = std::int64_t;
/// Public book update id, increasing by one for every change of a level's total size.
using update_id = std::int64_t;

/// Self-trade prevention: what happens when a taker meets a resting order of its own account.
/// Self-trades never execute (Binance EXPIRE_TAKER, EXPIRE_MAKER, EXPIRE_BOTH).
enum class stp_mode : std::uint8_t {
  expire_taker, ///< the taker's remainder expires; the resting order stays
  expire_maker, ///< the resting order expires; the taker goes on matching
  expire_both,  ///< both expire
};

/// An order's status as exchanges report it.
enum class order_status : std::uint8_t {
  new_order,        ///< accepted; resting or about to match
  partially_filled, ///< some executed, still live
  filled,           ///< final: fully executed
  cancelled,        ///< final: cancelled by its owner
  expired,          ///< final: ended by the engine (IOC/FOK/market remainder, STP, reduce-only)
  /// Never stored: a rejected request gets no order id and comes back as an `error` from
  /// `matching_engine::place`. Dialects that report rejections on a stream use this value.
  rejected,
};

/// Why an order ended (or `none` while it lives). Dialects map these to exchange specifics,
/// e.g. Binance reports `self_trade_prevention` as status EXPIRED_IN_MATCH.
enum class end_reason : std::uint8_t {
  none,
  filled,
  cancelled_by_user,
  ioc_remainder,          ///< IOC or market order: the part that found no liquidity
  fok_unfillable,         ///< FOK: the whole quantity was not available; nothing executed
  self_trade_prevention,  ///< expired by STP (as taker or as maker)
  reduce_only_exhausted,  ///< a reduce-only / closing order reached a flat position
  post_only_would_take,   ///< a post-only order that would have taken, accepted and ended at
                          ///< once (OKX cancels it, cancelSource 31; see order_request)
};

/// What happened to an order in one event (Binance executionReport `x`).
enum class execution_kind : std::uint8_t {
  new_order, ///< accepted
  trade,     ///< a fill; `fill` is set
  cancelled, ///< cancelled by its owner
  expired,   ///< ended by the engine; `order.reason` says why
  amended,   ///< quantity reduced in place, priority kept
};

/// Everything about one order, as a query or an event reports it.
struct order_view {
  order_id id = 0;
  std::string client_order_id;
  account_id account = 0;
  std::string symbol;
  tern::side side = tern::side::buy;
  order_type type = order_type::limit;
  time_in_force tif = time_in_force::gtc;
  decimal price;               ///< limit price; zero for market orders
  decimal quantity;            ///< original quantity (base asset), reduced by amends
  decimal executed_quantity;   ///< base executed so far
  decimal cumulative_quote;    ///< quote executed so far (sum of price x quantity of fills)
  order_status status = order_status::new_order;
  end_reason reason = end_reason::none;
  stp_mode stp = stp_mode::expire_taker;
  bool reduce_only = false;
  position_side pos_side = position_side::both;
  int leverage = 0;            ///< perpetuals: leverage the order's margin was locked at
  timestamp created_time{};
  timestamp updated_time{};

  [[nodiscard]] decimal remaining() const { return quantity - executed_quantity; }
  [[nodiscard]] bool is_open() const {
    return status == order_status::new_order || status == order_status::partially_filled;
  }
};

/// One execution as seen by one of its two orders.
struct fill_detail {
  trade_id trade = 0;
  decimal price;
  decimal quantity;
  decimal quote_quantity;   ///< price x quantity
  std::string fee_asset;
  decimal fee;              ///< charged to this side, >= 0
  bool is_maker = false;
  decimal realized_pnl;     ///< perpetuals: profit or loss realised by the closing part
};

/// A change of one order (Binance executionReport / ORDER_TRADE_UPDATE).
struct order_event {
  execution_kind kind = execution_kind::new_order;
  order_view order;                 ///< the order after this event
  std::optional<fill_detail> fill;  ///< set for execution_kind::trade
  timestamp time{};
};

/// A public trade (Binance trade stream). `taker_side` is the aggressor's side.
struct public_trade {
  std::string symbol;
  trade_id trade = 0;
  decimal price;
  decimal quantity;
  decimal quote_quantity;
  tern::side taker_side = tern::side::buy;
  order_id buyer_order = 0;
  order_id seller_order = 0;
  timestamp time{};
};

/// The public L2 book changed. Each listed level carries its new total size (0 = removed).
/// Update ids `first_update`..`last_update` were consumed by this change; the next record
/// starts at `last_update + 1`. Applying records in order to a snapshot taken at id S (skipping
/// records whose `last_update` <= S) reproduces the engine's book exactly.
struct book_update {
  std::string symbol;
  update_id first_update = 0;
  update_id last_update = 0;
  std::vector<price_level> bids;  ///< best first
  std::vector<price_level> asks;  ///< best first
  timestamp time{};
};

/// An account's balance of one asset after an operation changed it (Binance
/// outboundAccountPosition). `locked` includes open-order locks and perpetual position margin.
struct balance_update {
  account_id account = 0;
  std::string asset;
  decimal free;
  decimal locked;
  timestamp time{};
};

/// A perpetual position after an operation changed it (Binance ACCOUNT_UPDATE positions).
struct position_update {
  account_id account = 0;
  std::string symbol;
  position_side pos_side = position_side::both;
  decimal amount;        ///< signed: negative is short
  decimal entry_price;   ///< average entry; zero when flat
  decimal margin;        ///< initial margin held for the position
  timestamp time{};
};

/// A funding payment settled on one position. Negative `amount` was paid (core convention).
struct funding_settlement {
  account_id account = 0;
  std::string symbol;
  std::string asset;
  position_side pos_side = position_side::both;
  decimal amount;
  decimal rate;
  decimal mark_price;
  timestamp time{};
};

using event = std::variant<order_event, public_trade, book_update, balance_update,
                           position_update, funding_settlement>;
/// Operations append their events here in the order they happened.
using event_buffer = std::vector<event>;

/// Why a request was refused. Names follow the situation, not one exchange's codes; the
/// comment gives the Binance error a dialect would map it to.
enum class error_code : std::uint8_t {
  unknown_account,
  invalid_api_key,           ///< empty
  duplicate_api_key,
  invalid_market,            ///< a market_spec that does not make sense
  duplicate_market,
  unknown_market,
  invalid_quantity,          ///< <= 0 or not a multiple of the step (-1013 LOT_SIZE)
  invalid_price,             ///< <= 0 or not a multiple of the tick (-1013 PRICE_FILTER)
  below_min_quantity,        ///< -1013 LOT_SIZE
  below_min_notional,        ///< -1013 NOTIONAL
  invalid_order,             ///< an impossible combination, e.g. limit-maker with IOC (-1106)
  duplicate_client_order_id, ///< -2010 "Duplicate order sent."
  post_only_would_take,      ///< -2010 "Order would immediately match and take."
  insufficient_balance,      ///< -2010 "Account has insufficient balance for requested action."
  reduce_only_rejected,      ///< -2022 "ReduceOnly Order is rejected."
  reduce_only_not_allowed,   ///< spot, or hedge mode (-1106 "reduceonly sent when not required")
  position_side_mismatch,    ///< -4061 "Order's position side does not match user's setting."
  unknown_order,             ///< -2011 "Unknown order sent." / -2013 "Order does not exist."
  invalid_amendment,         ///< new quantity not between executed and current quantity
  position_mode_unchanged,   ///< -4059 "No need to change position side."
  position_exists,           ///< -4068 "Position side cannot be changed if there exists position."
  open_orders_exist,         ///< -4067 "Position side cannot be changed if there exists open orders."
  leverage_out_of_range,     ///< -4028 "Leverage is not valid."
  not_perpetual,             ///< a perpetual-only request on a spot market
  invalid_amount,            ///< deposits and withdrawals: <= 0
};

[[nodiscard]] std::string_view to_string(error_code code) noexcept;
[[nodiscard]] std::string_view to_string(stp_mode mode) noexcept;
[[nodiscard]] std::string_view to_string(order_status status) noexcept;
[[nodiscard]] std::string_view to_string(end_reason reason) noexcept;
[[nodiscard]] std::string_view to_string(execution_kind kind) noexcept;

/// A refused request: what was wrong, with the offending input quoted in `message`.
struct error {
  error_code code = error_code::invalid_order;
  std::string message;
};

} // namespace tern::sim
