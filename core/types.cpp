#include "core/types.hpp"

#include "core/order_state.hpp"

namespace tern {

std::string_view to_string(side value) noexcept {
  return value == side::buy ? "buy" : "sell";
}

std::string_view to_string(market_kind value) noexcept {
  return value == market_kind::spot ? "spot" : "perpetual";
}

std::string_view to_string(order_type value) noexcept {
  switch (value) {
    case order_type::limit: return "limit";
    case order_type::limit_maker: return "limit_maker";
    case order_type::market: return "market";
  }
  return "unknown";
}

std::string_view to_string(time_in_force value) noexcept {
  switch (value) {
    case time_in_force::gtc: return "gtc";
    case time_in_force::ioc: return "ioc";
    case time_in_force::fok: return "fok";
  }
  return "unknown";
}

std::string_view to_string(position_action value) noexcept {
  switch (value) {
    case position_action::none: return "none";
    case position_action::open: return "open";
    case position_action::close: return "close";
  }
  return "unknown";
}

std::string_view to_string(position_mode value) noexcept {
  return value == position_mode::one_way ? "one_way" : "hedge";
}

std::string_view to_string(position_side value) noexcept {
  switch (value) {
    case position_side::both: return "both";
    case position_side::long_side: return "long";
    case position_side::short_side: return "short";
  }
  return "unknown";
}


std::string_view to_string(order_state state) noexcept {
  switch (state) {
    case order_state::pending_create: return "pending_create";
    case order_state::open: return "open";
    case order_state::partially_filled: return "partially_filled";
    case order_state::pending_cancel: return "pending_cancel";
    case order_state::cancelled: return "cancelled";
    case order_state::filled: return "filled";
    case order_state::failed: return "failed";
  }
  return "unknown";
}

} // namespace tern
