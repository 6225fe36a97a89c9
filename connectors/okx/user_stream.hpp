#pragma once

// OKX private stream (/ws/v5/private): a login, then subscriptions, on one connection
// (#overview-websocket-login, #order-book-trading-trade-ws-order-channel,
// #trading-account-websocket-account-channel, #trading-account-websocket-positions-channel).
//
//   {"op":"login","args":[{"apiKey":..,"passphrase":..,"timestamp":"<Unix s>","sign":..}]}
//   {"id":"<request id>","op":"subscribe","args":[{"channel":"orders","instType":"SPOT"},
//                                                 {"channel":"account"}]}
//   (swap: orders and positions with instType SWAP, and account)
// The subscription is sent once the login is acknowledged (ws_connection_plan). The stream
// keeps alive with "ping" after 25 s of silence.
//
// Frames read (everything else is an unknown problem naming the channel or event):
//   orders    -> order_update per order; plus a fill when the push carries one (tradeId and a
//                non-zero fillSz): price fillPx, size fillSz, fee -fillFee in fillFeeCcy, taker
//                when execType is T
//   account   -> balance per currency (total eq, available availBal or availEq)
//   positions -> position per instrument (closed ones too, with amount 0)
//   {"event":"login"|"subscribe"|"unsubscribe"} -> stream_control subscribed
//   {"event":"error"} -> stream_control request_failed (login failures are authentication)
//   {"event":"notice","code":"64008"} -> stream_control server_shutdown
//   {"event":"channel-conn-count"} -> nothing (a count of connections, informational)
//   "pong" -> stream_control heartbeat
// Orders and positions on markets not in the symbol map are left out; a push of only such is
// an unknown problem naming the instrument.

#include <string>
#include <string_view>
#include <vector>

#include "connectors/common/protocol_types.hpp"
#include "connectors/common/stream_events.hpp"
#include "connectors/okx/constants.hpp"
#include "core/expected.hpp"

namespace tern::okx {

/// The login message, signed at signing.timestamp_ms (sent in whole seconds).
[[nodiscard]] std::string login_message(const signing_context& signing);

/// The private subscriptions of a venue, tagged with `request_id`.
[[nodiscard]] std::string private_subscription(venue api, std::string_view request_id);

/// Reads one private frame.
[[nodiscard]] expected<std::vector<private_event>, frame_problem> parse_user_frame(
    std::string_view frame, const symbol_map& symbols);

} // namespace tern::okx
