#include "sim/events.hpp"

namespace tern::sim {

std::string_view to_string(error_code code) noexcept {
  switch (code) {
    case error_code::unknown_account: return "unknown_account";
    case error_code::invalid_api_key: return "invalid_api_key";
    case error_code::duplicate_api_key: return "duplicate_api_key";
    case error_code::invalid_market: return "invalid_market";
    case error_code::duplicate_market: return "duplicate_market";
    case error_code::unknown_market: return "unknown_market";
    case error_code::invalid_quantity: return "invalid_quantity";
    case error_code::invalid_price: return "invalid_price";
    case error_code::below_min_quantity: return "below_min_quantity";
    case error_code::below_min_notional: return "below_min_notional";
    case error_code::invalid_order: return "invalid_order";
    case error_code::duplicate_client_order_id: return "duplicate_client_order_id";
    case error_code::post_only_would_take: return "post_only_would_take";
    case error_code::insufficient_balance: return "insufficient_balance";
    case error_code::reduce_only_rejected: return "reduce_only_rejected";
    case error_code::reduce_only_not_allowed: return "reduce_only_not_allowed";
    case error_code::position_side_mismatch: return "position_side_mismatch";
    case error_code::unknown_order: return "unknown_order";
    case error_code::invalid_amendment: return "invalid_amendment";
    case error_code::position_mode_unchanged: return "position_mode_unchanged";
    case error_code::position_exists: return "position_exists";
    case error_code::open_orders_exist: return "open_orders_exist";
    case error_code::leverage_out_of_range: return "leverage_out_of_range";
    case error_code::not_perpetual: return "not_perpetual";
    case error_code::invalid_amount: return "invalid_amount";
  }
  return "unknown";
}

std::string_view to_string(stp_mode mode) noexcept {
  switch (mode) {
    case stp_mode::expire_taker: return "expire_taker";
    case stp_mode::expire_maker: return "expire_maker";
    case stp_mode::expire_both: return "expire_both";
  }
  return "unknown";
}

std::string_view to_string(order_status status) noexcept {
  switch (status) {
    case order_status::new_order: return "new";
    case order_status::partially_filled: return "partially_filled";
    case order_status::filled: return "filled";
    case order_status::cancelled: return "cancelled";
    case order_status::expired: return "expired";
    case order_status::rejected: return "rejected";
  }
  return "unknown";
}

std::string_view to_string(end_reason reason) noexcept {
  switch (reason) {
    case end_reason::none: return "none";
    case end_reason::filled: return "filled";
    case end_reason::cancelled_by_user: return "cancelled_by_user";
    case end_reason::ioc_remainder: return "ioc_remainder";
    case end_reason::fok_unfillable: return "fok_unfillable";
    case end_reason::self_trade_prevention: return "self_trade_prevention";
    case end_reason::reduce_only_exhausted: return "reduce_only_exhausted";
    case end_reason::post_only_would_take: return "post_only_would_take";
  }
  return "unknown";
}

std::string_view to_string(execution_kind kind) noexcept {
  switch (kind) {
    case execution_kind::new_order: return "new";
    case execution_kind::trade: return "trade";
    case execution_kind::cancelled: return "cancelled";
    case execution_kind::expired: return "expired";
    case execution_kind::amended: return "amended";
  }
  return "unknown";
}

} // namespace tern::sim
