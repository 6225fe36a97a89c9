#pragma once

// What the order tracker (core/order_tracker.hpp) takes, from what connectors parse: an
// order_ack becomes a place_ack, an order_report an exchange_order. The tracker is pure core
// and cannot see connector types; the actor converts with these on the way in.

#include "connectors/common/protocol_types.hpp"
#include "core/order_tracker.hpp"

namespace tern {

/// The placement answer for order_tracker::place_acknowledged.
[[nodiscard]] place_ack to_place_ack(const order_ack& ack);

/// The reported order for order_tracker::apply_status and reconcile_open_orders. The
/// exchange's order type text maps to Tern's: "MARKET"/"market" -> market, types naming a
/// maker or post-only order ("LIMIT_MAKER", "post_only") -> limit_maker, others -> limit.
[[nodiscard]] exchange_order to_exchange_order(const order_report& report);

/// Order type text as exchanges write it, mapped as above.
[[nodiscard]] order_type order_type_from_exchange_text(std::string_view text) noexcept;

} // namespace tern
