#pragma once

// Binance private streams: how they are opened and how their frames read.
//
// Spot (user-data-stream.md; web-socket-api.md "User Data Stream requests"): connect to the
// WebSocket API and send userDataStream.subscribe.signature, signed like every WS API request
// (signer.hpp). Events arrive wrapped: {"subscriptionId":0,"event":{...}}. Listen keys are
// gone from spot; "eventStreamTerminated" ends a subscription and calls for a new one.
//
// USD-M ("User Data Streams Connect"): POST /fapi/v1/listenKey for a key, PUT it every 30
// minutes, connect to the private URL with the key in it (live: /private/ws?listenKey=<key>;
// testnet: /ws/<key>). Events arrive bare; "listenKeyExpired" means the key died and a new one
// is needed.
//
// Events read (everything else known is ignored on purpose; anything new is "unknown"):
//   executionReport          -> order_update, plus a fill when x is TRADE
//   outboundAccountPosition  -> balance per asset (total free + locked, available free)
//   balanceUpdate            -> balance_delta
//   ORDER_TRADE_UPDATE       -> order_update, plus a fill when x is TRADE
//   ACCOUNT_UPDATE           -> balance per asset (total wb, available cw), position per entry
//   eventStreamTerminated, listenKeyExpired -> stream_control stream_terminated
//   serverShutdown           -> stream_control server_shutdown
//   WS API responses         -> stream_control subscribed / request_failed

#include <string>
#include <string_view>
#include <vector>

#include "connectors/binance/constants.hpp"
#include "connectors/common/protocol_types.hpp"
#include "connectors/common/stream_events.hpp"
#include "core/expected.hpp"

namespace tern::binance {

/// A signed WebSocket API request as JSON text: `params` plus apiKey, timestamp and
/// (when set) recvWindow, signed over all of them sorted by name. timestamp and recvWindow are
/// sent as numbers, everything else as strings.
[[nodiscard]] std::string ws_api_request(std::string_view method, query_params params,
                                         const signing_context& signing,
                                         std::string_view request_id);

/// The spot user-stream subscription: ws_api_request("userDataStream.subscribe.signature").
[[nodiscard]] std::string user_data_subscription(const signing_context& signing,
                                                 std::string_view request_id);

/// The USD-M user stream URL for a listen key: `private_ws` with "{listenKey}" replaced by the
/// key, or, for a URL without the placeholder, "<private_ws>/<listenKey>".
[[nodiscard]] std::string listen_key_stream_url(std::string_view private_ws,
                                                std::string_view listen_key);

/// Reads one private frame (either venue's events; the event names do not overlap).
[[nodiscard]] expected<std::vector<private_event>, frame_problem> parse_user_frame(
    std::string_view frame, const symbol_map& symbols);

} // namespace tern::binance
