#pragma once

// OKX venue facts as data: URLs, paths, rate limits, error codes, the order-state map, client
// order id rules, keep-alive. Spot (instType SPOT) and perpetual swaps (instType SWAP) share one
// API (www.okx.com/api/v5) and differ in a few values kept side by side here.
//
// Source: OKX API v5 documentation (www.okx.com/docs-v5/en/), read in 2026; the section
// (its anchor) is named beside each fact.

#include <array>
#include <chrono>
#include <cstdint>
#include <string_view>

#include "core/order_state.hpp"

namespace tern::okx {

/// Which OKX product a connector trades.
enum class venue : std::uint8_t { spot, swap };

/// instType of a venue ("SPOT", "SWAP"), as requests and pushes spell it.
[[nodiscard]] constexpr std::string_view inst_type(venue v) noexcept {
  return v == venue::spot ? "SPOT" : "SWAP";
}

/// Endpoints (#overview-production-trading-services, #overview-demo-trading-services). Demo
/// trading uses the live REST origin with the header "x-simulated-trading: 1" and its own
/// WebSocket host; Tern's testnet environment is OKX demo trading.
struct default_urls {
  std::string_view rest;
  std::string_view public_ws;
  std::string_view private_ws;
};
inline constexpr default_urls live_urls{"https://www.okx.com", "wss://ws.okx.com:8443/ws/v5/public",
                                        "wss://ws.okx.com:8443/ws/v5/private"};
inline constexpr default_urls demo_urls{"https://www.okx.com",
                                        "wss://wspap.okx.com:8443/ws/v5/public",
                                        "wss://wspap.okx.com:8443/ws/v5/private"};
inline constexpr std::string_view demo_header = "x-simulated-trading";

// --- Signing (#overview-rest-authentication, #overview-websocket-login) --------------------
inline constexpr std::string_view header_key = "OK-ACCESS-KEY";
inline constexpr std::string_view header_sign = "OK-ACCESS-SIGN";
inline constexpr std::string_view header_timestamp = "OK-ACCESS-TIMESTAMP";
inline constexpr std::string_view header_passphrase = "OK-ACCESS-PASSPHRASE";
/// The WebSocket login signs timestamp + "GET" + this path.
inline constexpr std::string_view login_path = "/users/self/verify";

// --- REST paths (each endpoint's "HTTP Request": #public-data-rest-api-get-system-time,
// #public-data-rest-api-get-instruments, #order-book-trading-market-data-get-order-book,
// #order-book-trading-trade-post-place-order, #order-book-trading-trade-get-order-details,
// #order-book-trading-trade-post-cancel-order, ...) ------------------------------------------
namespace paths {
inline constexpr std::string_view time = "/api/v5/public/time";
inline constexpr std::string_view instruments = "/api/v5/public/instruments";
inline constexpr std::string_view books = "/api/v5/market/books";
inline constexpr std::string_view order = "/api/v5/trade/order";  // POST place, GET details
inline constexpr std::string_view cancel_order = "/api/v5/trade/cancel-order";
inline constexpr std::string_view orders_pending = "/api/v5/trade/orders-pending";
inline constexpr std::string_view fills_history = "/api/v5/trade/fills-history"; // last 3 months
inline constexpr std::string_view balance = "/api/v5/account/balance";
inline constexpr std::string_view positions = "/api/v5/account/positions";
inline constexpr std::string_view set_leverage = "/api/v5/account/set-leverage";
inline constexpr std::string_view config = "/api/v5/account/config";             // posMode
inline constexpr std::string_view set_position_mode = "/api/v5/account/set-position-mode";
inline constexpr std::string_view funding_rate = "/api/v5/public/funding-rate";
inline constexpr std::string_view bills_archive = "/api/v5/account/bills-archive"; // last 3 months
} // namespace paths

// --- Rate limits (each endpoint's "Rate Limit" line) ---------------------------------------
// OKX limits each endpoint on its own, per IP or per user (some per user and instrument, which
// one pool per endpoint meters conservatively). Every pool is "N requests per 2 seconds".
struct endpoint_limit {
  std::string_view id;  ///< "METHOD path", the prepared_request::limit_id
  std::uint32_t requests;
};
inline constexpr std::chrono::seconds limit_window{2};
inline constexpr std::array<endpoint_limit, 15> endpoint_limits{{
    {"GET /api/v5/public/time", 10},
    {"GET /api/v5/public/instruments", 20},
    {"GET /api/v5/market/books", 40},
    {"POST /api/v5/trade/order", 60},
    {"POST /api/v5/trade/cancel-order", 60},
    {"GET /api/v5/trade/order", 60},
    {"GET /api/v5/trade/orders-pending", 60},
    {"GET /api/v5/trade/fills-history", 10},
    {"GET /api/v5/account/balance", 10},
    {"GET /api/v5/account/positions", 10},
    {"POST /api/v5/account/set-leverage", 20},
    {"GET /api/v5/account/config", 5},
    {"POST /api/v5/account/set-position-mode", 5},
    {"GET /api/v5/public/funding-rate", 10},
    {"GET /api/v5/account/bills-archive", 5},
}};

/// Depth per side the books endpoint serves at most (#order-book-trading-market-data-get-order-book).
inline constexpr int max_rest_depth = 400;
/// Results per page of orders-pending, fills-history and bills-archive.
inline constexpr int page_limit = 100;

// --- Error codes (#error-code-rest-api-public, #error-code-websocket-public) ---------------
namespace codes {
inline constexpr int operation_failed = 1;         ///< the reason is in data[].sCode
inline constexpr int partially_succeeded = 2;
inline constexpr int service_unavailable = 50001;  ///< HTTP 503
inline constexpr int endpoint_timeout = 50004;     ///< time-out; "does not mean" success or failure
inline constexpr int rate_limited = 50011;         ///< HTTP 429 or 200
inline constexpr int systems_busy = 50013;         ///< HTTP 429
inline constexpr int system_error = 50026;         ///< HTTP 500
inline constexpr int too_frequent = 50040;
inline constexpr int order_rate_limit = 50061;
inline constexpr int timestamp_expired = 50102;    ///< outside the accepted window: clock skew
inline constexpr int auth_first = 50100;           ///< API class 50100..50122: keys, IPs, signature
inline constexpr int auth_last = 50122;
inline constexpr int no_permission = 50030;
inline constexpr int insufficient_balance = 51008; ///< 51008_xxxx: balance or margin
inline constexpr int request_timed_out = 51054;    ///< HTTP 500
inline constexpr int available_balance_zero = 51127;
inline constexpr int insufficient_balance_2 = 51131;
inline constexpr int order_timed_out = 51149;      ///< time-out; "does not mean" success or failure
inline constexpr int cancel_failed = 51400;        ///< filled, canceled or does not exist
inline constexpr int order_not_exist = 51603;
// WebSocket (#error-code-websocket-public)
inline constexpr int ws_timestamp_expired = 60006;
inline constexpr int ws_requests_too_frequent = 60014;
inline constexpr int ws_service_upgrade = 64008;   ///< "The connection will soon be closed"
} // namespace codes

// --- Order states (#order-book-trading-trade-get-order-details, "state") --------------------
struct state_entry {
  std::string_view state;
  order_state tern_state;
};
/// mmp_canceled: cancelled by market maker protection, an end by rule like a cancel.
inline constexpr std::array<state_entry, 5> order_states{{
    {"live", order_state::open},
    {"partially_filled", order_state::partially_filled},
    {"filled", order_state::filled},
    {"canceled", order_state::cancelled},
    {"mmp_canceled", order_state::cancelled},
}};

// --- Client order ids (#order-book-trading-trade-post-place-order, clOrdId) ----------------
// "A combination of case-sensitive alphanumerics, all numbers, or all letters of up to 32
// characters": no '-' or '_'. Hummingbot sends a broker code as prefix; Tern has none of its
// own, so the prefix is plain (a deployment's broker code goes in client_order_id_prefix).
inline constexpr std::string_view default_client_order_id_prefix = "tern";
inline constexpr std::size_t client_order_id_max_length = 32;

// --- WebSocket ------------------------------------------------------------------------------
/// #overview-websocket-connect: the server closes a connection silent for 30 s; send "ping"
/// after N < 30 s without a message and expect "pong".
inline constexpr std::string_view ping_message = "ping";
inline constexpr std::string_view pong_message = "pong";
inline constexpr std::chrono::seconds ping_after_idle{25};
/// #order-book-trading-market-data-ws-order-book-channel: "books" is 400 levels, snapshot then
/// deltas every 100 ms; fewer than 30 such channels a connection is recommended.
inline constexpr std::string_view book_channel = "books";
inline constexpr std::size_t markets_per_connection = 10;
/// The checksum covers the best 25 levels a side. OKX has announced that the field becomes 0
/// ("deprecated, fixed to 0"; seqId/prevSeqId remain), so 0 is read as "no checksum sent".
inline constexpr std::size_t checksum_depth = 25;

} // namespace tern::okx
