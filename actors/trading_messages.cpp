#include "actors/trading_messages.hpp"

namespace tern {

std::string_view to_string(order_notice_kind kind) noexcept {
  switch (kind) {
    case order_notice_kind::created: return "created";
    case order_notice_kind::filled: return "filled";
    case order_notice_kind::completed: return "completed";
    case order_notice_kind::cancelled: return "cancelled";
    case order_notice_kind::failed: return "failed";
    case order_notice_kind::recovered: return "recovered";
    case order_notice_kind::adopted: return "adopted";
    case order_notice_kind::state: return "state";
  }
  return "unknown";
}

} // namespace tern
