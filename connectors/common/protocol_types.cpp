#include "connectors/common/protocol_types.hpp"

#include "connectors/common/tracker_inputs.hpp"

namespace tern {

std::string_view to_string(book_sync_kind value) noexcept {
  switch (value) {
    case book_sync_kind::rest_snapshot_sequenced_diffs: return "rest_snapshot_sequenced_diffs";
    case book_sync_kind::ws_snapshot_then_deltas: return "ws_snapshot_then_deltas";
    case book_sync_kind::ws_full_snapshots: return "ws_full_snapshots";
    case book_sync_kind::rest_polling: return "rest_polling";
  }
  return "unknown";
}

std::string_view to_string(user_stream_kind value) noexcept {
  switch (value) {
    case user_stream_kind::ws_api_signature: return "ws_api_signature";
    case user_stream_kind::listen_key: return "listen_key";
    case user_stream_kind::ws_login: return "ws_login";
  }
  return "unknown";
}

expected<void, request_error> check_order(const order_request& order, market_kind kind) {
  if (!order.amount.is_positive())
    return unexpected{request_error{"order amount must be positive, got " + order.amount.to_string()}};
  if (order.type != order_type::market && !order.price.is_positive())
    return unexpected{request_error{std::string{to_string(order.type)}
                                    + " order needs a positive price, got "
                                    + order.price.to_string()}};
  if (order.type != order_type::limit && order.tif != time_in_force::gtc)
    return unexpected{request_error{"time in force " + std::string{to_string(order.tif)}
                                    + " applies to limit orders only"}};
  if (kind == market_kind::spot && order.action != position_action::none)
    return unexpected{request_error{"spot orders take no position action"}};
  if (kind == market_kind::perpetual && order.action == position_action::none)
    return unexpected{request_error{"perpetual orders need position action open or close"}};
  return {};
}

order_update order_report::to_update() const {
  return to_exchange_order(*this).to_update();
}

} // namespace tern
