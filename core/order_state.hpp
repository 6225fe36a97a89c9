#pragma once

#include <cstdint>
#include <string_view>

namespace tern {

/// The states of an in-flight order (../shared/reference/exchanges.md §A5). Hummingbot's
/// approval states (PENDING_APPROVAL, APPROVED, CREATED, COMPLETED) belong to AMM token
/// approvals, not CLOB orders, and are not modelled.
enum class order_state : std::uint8_t {
  pending_create,   ///< created locally, not yet acknowledged by the exchange
  open,             ///< resting on the book
  partially_filled, ///< resting, some executed
  pending_cancel,   ///< cancel requested, not yet confirmed
  cancelled,        ///< final
  filled,           ///< final
  failed,           ///< final: rejected, or declared lost after reconciliation
};

[[nodiscard]] std::string_view to_string(order_state state) noexcept;

/// Pending create, open, partially filled and pending cancel are open.
[[nodiscard]] constexpr bool is_open(order_state state) noexcept {
  return state == order_state::pending_create || state == order_state::open
         || state == order_state::partially_filled || state == order_state::pending_cancel;
}

[[nodiscard]] constexpr bool is_final(order_state state) noexcept {
  return !is_open(state);
}

} // namespace tern
