#pragma once

// Binance venue facts as data: URLs, paths, rate limits and endpoint weights, error codes, the
// order-state map, client order id rules. Spot (api.binance.com/api/v3) and USD-M perpetual
// (fapi.binance.com/fapi) side by side; the code in this folder reads from here and branches
// as little as it can.
//
// Sources (Binance API docs, public repository binance/binance-spot-api-docs and
// developers.binance.com/docs/derivatives/usds-margined-futures), the section named beside
// each fact. Rate-limit capacities are what exchangeInfo reports (../shared/reference/
// exchanges.md §D); the account's real values come from exchangeInfo at run time.

#include <array>
#include <chrono>
#include <cstdint>
#include <string_view>

#include "core/order_state.hpp"

namespace tern::binance {

/// Which Binance API a connector speaks.
enum class venue : std::uint8_t { spot, usd_m };

/// Header carrying the API key on every signed or keyed request (both venues).
inline constexpr std::string_view api_key_header = "X-MBX-APIKEY";

/// Default endpoints. Spot: rest-api.md "General API Information", web-socket-streams.md
/// "General WSS information", web-socket-api.md "General API Information". USD-M: "General
/// Info", "User Data Streams Connect", and "Important WebSocket Change Notice - Base URL Split":
/// live USD-M splits streams by path, /public (depth, bookTicker), /market (trades, mark
/// price), /private (user data, "ws mode": /private/ws?listenKey=<key>). The USD-M private URL
/// is a template: "{listenKey}" is replaced by the key (user_stream.hpp).
struct default_urls {
  std::string_view rest;
  std::string_view public_ws;
  std::string_view market_ws;
  std::string_view private_ws;
};
inline constexpr default_urls spot_live{"https://api.binance.com",
                                        "wss://stream.binance.com:9443/stream", "",
                                        "wss://ws-api.binance.com:443/ws-api/v3"};
inline constexpr default_urls spot_testnet{"https://testnet.binance.vision",
                                           "wss://stream.testnet.binance.vision/stream", "",
                                           "wss://ws-api.testnet.binance.vision/ws-api/v3"};
inline constexpr default_urls usd_m_live{"https://fapi.binance.com",
                                         "wss://fstream.binance.com/public/stream",
                                         "wss://fstream.binance.com/market/stream",
                                         "wss://fstream.binance.com/private/ws?listenKey={listenKey}"};
inline constexpr default_urls usd_m_testnet{"https://demo-fapi.binance.com",
                                            "wss://fstream.binancefuture.com/stream", "",
                                            "wss://fstream.binancefuture.com/ws/{listenKey}"};

/// REST paths. Empty where the venue has no such endpoint.
struct api_paths {
  std::string_view server_time;
  std::string_view exchange_info;
  std::string_view depth;
  std::string_view order;        ///< POST place, DELETE cancel, GET status
  std::string_view open_orders;  ///< GET open orders
  std::string_view cancel_all;   ///< DELETE every open order on a symbol
  std::string_view fills;        ///< the account's trades
  std::string_view account;      ///< balances
  std::string_view positions;
  std::string_view leverage;
  std::string_view position_mode;  ///< GET and POST (dualSidePosition)
  std::string_view premium_index;  ///< mark, index, funding rate
  std::string_view income;         ///< funding payments (incomeType=FUNDING_FEE)
  std::string_view listen_key;     ///< POST create, PUT keep alive, DELETE close
};
inline constexpr api_paths spot_paths{
    "/api/v3/time",    "/api/v3/exchangeInfo", "/api/v3/depth",   "/api/v3/order",
    "/api/v3/openOrders", "/api/v3/openOrders", "/api/v3/myTrades", "/api/v3/account",
    "", "", "", "", "", ""};
inline constexpr api_paths usd_m_paths{
    "/fapi/v1/time",       "/fapi/v1/exchangeInfo",     "/fapi/v1/depth",
    "/fapi/v1/order",      "/fapi/v1/openOrders",       "/fapi/v1/allOpenOrders",
    "/fapi/v1/userTrades", "/fapi/v2/account",          "/fapi/v2/positionRisk",
    "/fapi/v1/leverage",   "/fapi/v1/positionSide/dual", "/fapi/v1/premiumIndex",
    "/fapi/v1/income",     "/fapi/v1/listenKey"};

[[nodiscard]] constexpr const api_paths& paths(venue v) noexcept {
  return v == venue::spot ? spot_paths : usd_m_paths;
}

// --- Rate limits (§A12) ------------------------------------------------------------------
// A pool is metered per IP (request weight, raw requests) or per account (orders). Every REST
// endpoint draws its weight from the IP weight pool; order placement also draws 1 from each
// order pool. Endpoint ids are "METHOD path", plus the depth bucket for order books.

struct pool_spec {
  std::string_view id;
  std::uint32_t capacity;
  std::chrono::seconds interval;
};

/// One endpoint: its IP weight (0: none) and whether it counts as an order. On spot every REST
/// request also draws 1 from RAW_REQUESTS.
struct endpoint_spec {
  std::string_view id;
  std::uint32_t weight;
  bool is_order = false;
};

inline constexpr std::string_view request_weight_pool = "REQUEST_WEIGHT";
inline constexpr std::string_view raw_requests_pool = "RAW_REQUESTS";

// Spot: enums.md "Rate limiters" (REQUEST_WEIGHT 6000/min, RAW_REQUESTS 61000/5min) and
// exchanges.md §D (ORDERS 100/10s, 200000/day). Weights: rest-api.md, each endpoint's
// "Weight"; the WS API subscribe costs 2 (web-socket-api.md "User Data Stream requests").
inline constexpr std::array<pool_spec, 4> spot_pools{{
    {"REQUEST_WEIGHT", 6000, std::chrono::seconds{60}},
    {"RAW_REQUESTS", 61000, std::chrono::seconds{300}},
    {"ORDERS_10S", 100, std::chrono::seconds{10}},
    {"ORDERS_1D", 200000, std::chrono::seconds{86400}},
}};
inline constexpr std::array<endpoint_spec, 14> spot_endpoints{{
    {"GET /api/v3/time", 1},
    {"GET /api/v3/exchangeInfo", 20},
    {"GET /api/v3/depth limit=100", 5},
    {"GET /api/v3/depth limit=500", 25},
    {"GET /api/v3/depth limit=1000", 50},
    {"GET /api/v3/depth limit=5000", 250},
    {"POST /api/v3/order", 1, true},
    {"DELETE /api/v3/order", 1},
    {"DELETE /api/v3/openOrders", 1},
    {"GET /api/v3/order", 4},
    {"GET /api/v3/openOrders", 6},
    {"GET /api/v3/myTrades", 20},
    {"GET /api/v3/account", 20},
    {"WS userDataStream.subscribe.signature", 2},
}};

// USD-M: "Exchange Information" rateLimits (REQUEST_WEIGHT 2400/min, ORDERS 1200/min) and the
// WS API's reported ORDERS 300/10s. "New Order": 0 IP weight, 1 on each order limit.
inline constexpr std::array<pool_spec, 3> usd_m_pools{{
    {"REQUEST_WEIGHT", 2400, std::chrono::seconds{60}},
    {"ORDERS_10S", 300, std::chrono::seconds{10}},
    {"ORDERS_1M", 1200, std::chrono::seconds{60}},
}};
inline constexpr std::array<endpoint_spec, 22> usd_m_endpoints{{
    {"GET /fapi/v1/time", 1},
    {"GET /fapi/v1/exchangeInfo", 1},
    {"GET /fapi/v1/depth limit=50", 2},
    {"GET /fapi/v1/depth limit=100", 5},
    {"GET /fapi/v1/depth limit=500", 10},
    {"GET /fapi/v1/depth limit=1000", 20},
    {"POST /fapi/v1/order", 0, true},
    {"DELETE /fapi/v1/order", 1},
    {"DELETE /fapi/v1/allOpenOrders", 1},
    {"GET /fapi/v1/order", 1},
    {"GET /fapi/v1/openOrders", 1},
    {"GET /fapi/v1/userTrades", 5},
    {"GET /fapi/v2/account", 5},
    {"GET /fapi/v2/positionRisk", 5},
    {"POST /fapi/v1/leverage", 1},
    {"GET /fapi/v1/positionSide/dual", 30},
    {"POST /fapi/v1/positionSide/dual", 1},
    {"GET /fapi/v1/premiumIndex", 1},
    {"GET /fapi/v1/income", 30},
    {"POST /fapi/v1/listenKey", 1},
    {"PUT /fapi/v1/listenKey", 1},
    {"DELETE /fapi/v1/listenKey", 1},
}};

/// Order-book depths each venue serves, smallest first (rest-api.md "Order book";
/// USD-M "Order Book": 5, 10 and 20 weigh as 50).
inline constexpr std::array<int, 4> spot_depths{100, 500, 1000, 5000};
inline constexpr std::array<int, 4> usd_m_depths{50, 100, 500, 1000};

// --- Error codes (errors.md; USD-M "Error Codes") ------------------------------------------
namespace codes {
inline constexpr int unknown = -1000;
inline constexpr int disconnected = -1001;
inline constexpr int unauthorized = -1002;
inline constexpr int too_many_requests = -1003;
inline constexpr int unexpected_response = -1006;  ///< "Execution status unknown."
inline constexpr int timeout = -1007;              ///< "Send status unknown; execution status unknown."
inline constexpr int server_busy = -1008;
inline constexpr int too_many_orders = -1015;
inline constexpr int invalid_timestamp = -1021;    ///< outside recvWindow: clock skew
inline constexpr int invalid_signature = -1022;
inline constexpr int invalid_listen_key = -1125;
inline constexpr int new_order_rejected = -2010;   ///< reason in the message
inline constexpr int cancel_rejected = -2011;      ///< "Unknown order sent." when not found
inline constexpr int no_such_order = -2013;
inline constexpr int bad_api_key_format = -2014;
inline constexpr int rejected_api_key = -2015;
inline constexpr int balance_not_sufficient = -2018;  ///< USD-M
inline constexpr int margin_not_sufficient = -2019;   ///< USD-M
inline constexpr int order_archived = -2026;
inline constexpr int fok_rejected = -5021;            ///< USD-M
inline constexpr int post_only_rejected = -5022;      ///< USD-M GTX would take
} // namespace codes

/// Messages that make -2010/-2011 specific (errors.md "Messages for -1010 ... -2011").
inline constexpr std::string_view message_unknown_order = "Unknown order sent.";
inline constexpr std::string_view message_insufficient_balance =
    "Account has insufficient balance for requested action.";
inline constexpr std::string_view message_would_take = "Order would immediately match and take.";

// --- Order states (enums.md "Order status"; USD-M "Common Definition") ---------------------
struct state_entry {
  std::string_view status;
  order_state state;
};
/// PENDING_NEW (spot order lists) is accepted, not yet working: open. EXPIRED and
/// EXPIRED_IN_MATCH end an order by rule (IOC/FOK remainder, self-trade prevention), not by
/// refusal: cancelled, keeping the fills it had. REJECTED is the only failure.
inline constexpr std::array<state_entry, 9> order_states{{
    {"NEW", order_state::open},
    {"PENDING_NEW", order_state::open},
    {"PARTIALLY_FILLED", order_state::partially_filled},
    {"FILLED", order_state::filled},
    {"PENDING_CANCEL", order_state::pending_cancel},
    {"CANCELED", order_state::cancelled},
    {"EXPIRED", order_state::cancelled},
    {"EXPIRED_IN_MATCH", order_state::cancelled},
    {"REJECTED", order_state::failed},
}};

// --- Client order ids (§A4) ----------------------------------------------------------------
// Binance accepts up to 36 of [A-Za-z0-9_-] (spot) or [.A-Z:/a-z0-9_-] (USD-M); §A4 keeps 32.
// Binance attributes orders to a broker by an "x-<broker id>" prefix. Tern has no broker id of
// its own and does not borrow another project's, so the default prefix is plain; a deployment
// with a broker id passes it as protocol_options::client_order_id_prefix.
inline constexpr std::string_view default_client_order_id_prefix = "tern";
inline constexpr std::size_t client_order_id_max_length = 32;

/// Listen keys live 60 minutes; keeping them alive every 30 leaves room for one failed attempt
/// (§D Binance USD-M).
inline constexpr std::chrono::minutes listen_key_keepalive{30};

} // namespace tern::binance
