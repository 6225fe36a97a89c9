#pragma once

// Binance's documented example payloads, as test fixtures. Each names the page and section it
// comes from. The docs write them as JavaScript with // comments; the comments are removed here,
// and where a page's example is not valid JSON (a missing or doubled comma, a full-width comma)
// the fix is named beside it. Nothing else is changed unless a comment says so.
//
// Spot: public repository binance/binance-spot-api-docs (rest-api.md, user-data-stream.md,
// web-socket-api.md, filters.md, errors.md). USD-M: developers.binance.com/docs/derivatives/
// usds-margined-futures.

namespace tern::fixtures {

// --- Documented example keys ---------------------------------------------------------------
// rest-api.md "SIGNED Endpoint Examples for POST /api/v3/order - HMAC Keys" (web-socket-api.md
// "SIGNED request example (HMAC)" uses the same pair).
inline constexpr const char* spot_key = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
inline constexpr const char* spot_secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
// USD-M "SIGNED Endpoint Examples for POST /fapi/v1/order - HMAC Keys".
inline constexpr const char* futures_key = "dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83";
inline constexpr const char* futures_secret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";

// --- Spot REST (rest-api.md) ---------------------------------------------------------------

// "Exchange information" response, with the ETHBTC entry's "filters" (which the page leaves as
// "defined in the Filters section") filled with the filters.md examples of PRICE_FILTER,
// LOT_SIZE and NOTIONAL.
inline constexpr const char* spot_exchange_info = R"({
  "timezone": "UTC",
  "serverTime": 1565246363776,
  "rateLimits": [],
  "exchangeFilters": [],
  "symbols": [
    {
      "symbol": "ETHBTC",
      "status": "TRADING",
      "baseAsset": "ETH",
      "baseAssetPrecision": 8,
      "quoteAsset": "BTC",
      "quotePrecision": 8,
      "quoteAssetPrecision": 8,
      "baseCommissionPrecision": 8,
      "quoteCommissionPrecision": 8,
      "orderTypes": ["LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT",
                     "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"],
      "icebergAllowed": true,
      "ocoAllowed": true,
      "otoAllowed": true,
      "opoAllowed": true,
      "quoteOrderQtyMarketAllowed": true,
      "allowTrailingStop": false,
      "cancelReplaceAllowed": false,
      "amendAllowed": false,
      "pegInstructionsAllowed": true,
      "isSpotTradingAllowed": true,
      "isMarginTradingAllowed": true,
      "filters": [
        {"filterType": "PRICE_FILTER", "minPrice": "0.00000100", "maxPrice": "100000.00000000",
         "tickSize": "0.00000100"},
        {"filterType": "LOT_SIZE", "minQty": "0.00100000", "maxQty": "100000.00000000",
         "stepSize": "0.00100000"},
        {"filterType": "NOTIONAL", "minNotional": "10.00000000", "applyMinToMarket": false,
         "maxNotional": "10000.00000000", "applyMaxToMarket": false, "avgPriceMins": 5}
      ],
      "permissions": [],
      "permissionSets": [["SPOT", "MARGIN"]],
      "defaultSelfTradePreventionMode": "NONE",
      "allowedSelfTradePreventionModes": ["NONE"]
    }
  ],
  "sors": [{"baseAsset": "BTC", "symbols": ["BTCUSDT", "BTCUSDC"]}]
})";

// "Order book" response.
inline constexpr const char* spot_depth = R"({
  "lastUpdateId": 1027024,
  "bids": [["4.00000000", "431.00000000"]],
  "asks": [["4.00000200", "12.00000000"]]
})";

// "Check server time" response.
inline constexpr const char* server_time = R"({"serverTime": 1499827319559})";

// "New order (TRADE)" Response - ACK, - RESULT and - FULL.
inline constexpr const char* spot_order_ack = R"({
  "symbol": "BTCUSDT", "orderId": 28, "orderListId": -1,
  "clientOrderId": "6gCrw2kRUAF9CvJDGP16IP", "transactTime": 1507725176595
})";
inline constexpr const char* spot_order_result = R"({
  "symbol": "BTCUSDT", "orderId": 28, "orderListId": -1,
  "clientOrderId": "6gCrw2kRUAF9CvJDGP16IP", "transactTime": 1507725176595,
  "price": "0.00000000", "origQty": "10.00000000", "executedQty": "10.00000000",
  "origQuoteOrderQty": "0.000000", "cummulativeQuoteQty": "10.00000000", "status": "FILLED",
  "timeInForce": "GTC", "type": "MARKET", "side": "SELL", "workingTime": 1507725176595,
  "selfTradePreventionMode": "NONE"
})";
inline constexpr const char* spot_order_full = R"({
  "symbol": "BTCUSDT", "orderId": 28, "orderListId": -1,
  "clientOrderId": "6gCrw2kRUAF9CvJDGP16IP", "transactTime": 1507725176595,
  "price": "0.00000000", "origQty": "10.00000000", "executedQty": "10.00000000",
  "origQuoteOrderQty": "0.000000", "cummulativeQuoteQty": "10.00000000", "status": "FILLED",
  "timeInForce": "GTC", "type": "MARKET", "side": "SELL", "workingTime": 1507725176595,
  "selfTradePreventionMode": "NONE",
  "fills": [
    {"price": "4000.00000000", "qty": "1.00000000", "commission": "4.00000000",
     "commissionAsset": "USDT", "tradeId": 56},
    {"price": "3999.00000000", "qty": "5.00000000", "commission": "19.99500000",
     "commissionAsset": "USDT", "tradeId": 57},
    {"price": "3998.00000000", "qty": "2.00000000", "commission": "7.99600000",
     "commissionAsset": "USDT", "tradeId": 58},
    {"price": "3997.00000000", "qty": "1.00000000", "commission": "3.99700000",
     "commissionAsset": "USDT", "tradeId": 59},
    {"price": "3995.00000000", "qty": "1.00000000", "commission": "3.99500000",
     "commissionAsset": "USDT", "tradeId": 60}
  ]
})";

// "Cancel order (TRADE)" response.
inline constexpr const char* spot_cancel = R"({
  "symbol": "LTCBTC", "origClientOrderId": "myOrder1", "orderId": 4, "orderListId": -1,
  "clientOrderId": "cancelMyOrder1", "transactTime": 1684804350068, "price": "2.00000000",
  "origQty": "1.00000000", "executedQty": "0.00000000", "origQuoteOrderQty": "0.000000",
  "cummulativeQuoteQty": "0.00000000", "status": "CANCELED", "timeInForce": "GTC",
  "type": "LIMIT", "side": "BUY", "selfTradePreventionMode": "NONE"
})";

// "Cancel All Open Orders on a Symbol (TRADE)" response: two orders and one OCO list.
inline constexpr const char* spot_cancel_all = R"([
  {"symbol": "BTCUSDT", "origClientOrderId": "E6APeyTJvkMvLMYMqu1KQ4", "orderId": 11,
   "orderListId": -1, "clientOrderId": "pXLV6Hz6mprAcVYpVMTGgx", "transactTime": 1684804350068,
   "price": "0.089853", "origQty": "0.178622", "executedQty": "0.000000",
   "origQuoteOrderQty": "0.000000", "cummulativeQuoteQty": "0.000000", "status": "CANCELED",
   "timeInForce": "GTC", "type": "LIMIT", "side": "BUY", "selfTradePreventionMode": "NONE"},
  {"symbol": "BTCUSDT", "origClientOrderId": "A3EF2HCwxgZPFMrfwbgrhv", "orderId": 13,
   "orderListId": -1, "clientOrderId": "pXLV6Hz6mprAcVYpVMTGgx", "transactTime": 1684804350069,
   "price": "0.090430", "origQty": "0.178622", "executedQty": "0.000000",
   "origQuoteOrderQty": "0.000000", "cummulativeQuoteQty": "0.000000", "status": "CANCELED",
   "timeInForce": "GTC", "type": "LIMIT", "side": "BUY", "selfTradePreventionMode": "NONE"},
  {"orderListId": 1929, "contingencyType": "OCO", "listStatusType": "ALL_DONE",
   "listOrderStatus": "ALL_DONE", "listClientOrderId": "2inzWQdDvZLHbbAmAozX2N",
   "transactionTime": 1585230948299, "symbol": "BTCUSDT",
   "orders": [{"symbol": "BTCUSDT", "orderId": 20, "clientOrderId": "CwOOIPHSmYywx6jZX77TdL"},
              {"symbol": "BTCUSDT", "orderId": 21, "clientOrderId": "461cPg51vQjV3zIMOXNz39"}],
   "orderReports": [
     {"symbol": "BTCUSDT", "origClientOrderId": "CwOOIPHSmYywx6jZX77TdL", "orderId": 20,
      "orderListId": 1929, "clientOrderId": "pXLV6Hz6mprAcVYpVMTGgx", "transactTime": 1688005070874,
      "price": "0.668611", "origQty": "0.690354", "executedQty": "0.000000",
      "origQuoteOrderQty": "0.000000", "cummulativeQuoteQty": "0.000000", "status": "CANCELED",
      "timeInForce": "GTC", "type": "STOP_LOSS_LIMIT", "side": "BUY", "stopPrice": "0.378131",
      "icebergQty": "0.017083", "selfTradePreventionMode": "NONE"},
     {"symbol": "BTCUSDT", "origClientOrderId": "461cPg51vQjV3zIMOXNz39", "orderId": 21,
      "orderListId": 1929, "clientOrderId": "pXLV6Hz6mprAcVYpVMTGgx", "transactTime": 1688005070874,
      "price": "0.008791", "origQty": "0.690354", "executedQty": "0.000000",
      "origQuoteOrderQty": "0.000000", "cummulativeQuoteQty": "0.000000", "status": "CANCELED",
      "timeInForce": "GTC", "type": "LIMIT_MAKER", "side": "BUY", "icebergQty": "0.639962",
      "selfTradePreventionMode": "NONE"}
   ]}
])";

// "Query order (USER_DATA)" response.
inline constexpr const char* spot_query_order = R"({
  "symbol": "LTCBTC", "orderId": 1, "orderListId": -1, "clientOrderId": "myOrder1",
  "price": "0.1", "origQty": "1.0", "executedQty": "0.0", "cummulativeQuoteQty": "0.0",
  "status": "NEW", "timeInForce": "GTC", "type": "LIMIT", "side": "BUY", "stopPrice": "0.0",
  "icebergQty": "0.0", "time": 1499827319559, "updateTime": 1499827319559, "isWorking": true,
  "workingTime": 1499827319559, "origQuoteOrderQty": "0.000000", "selfTradePreventionMode": "NONE"
})";

// "Account trade list (USER_DATA)" response.
inline constexpr const char* spot_my_trades = R"([
  {"symbol": "BNBBTC", "id": 28457, "orderId": 100234, "orderListId": -1, "price": "4.00000100",
   "qty": "12.00000000", "quoteQty": "48.000012", "commission": "10.10000000",
   "commissionAsset": "BNB", "time": 1499865549590, "isBuyer": true, "isMaker": false,
   "isBestMatch": true}
])";

// "Account information (USER_DATA)" response.
inline constexpr const char* spot_account = R"({
  "makerCommission": 15, "takerCommission": 15, "buyerCommission": 0, "sellerCommission": 0,
  "commissionRates": {"maker": "0.00150000", "taker": "0.00150000", "buyer": "0.00000000",
                      "seller": "0.00000000"},
  "canTrade": true, "canWithdraw": true, "canDeposit": true, "brokered": false,
  "requireSelfTradePrevention": false, "preventSor": false, "updateTime": 123456789,
  "accountType": "SPOT",
  "balances": [
    {"asset": "BTC", "free": "4723846.89208129", "locked": "0.00000000"},
    {"asset": "LTC", "free": "4763368.68006011", "locked": "0.00000000"}
  ],
  "permissions": ["SPOT"], "uid": 354937868
})";

// "Error Codes" sample payload.
inline constexpr const char* error_invalid_symbol = R"({"code": -1121, "msg": "Invalid symbol."})";

// --- Spot user data stream (user-data-stream.md; web-socket-api.md) -----------------------

// "Order Update" payload.
inline constexpr const char* execution_report = R"({
  "subscriptionId": 0,
  "event": {
    "e": "executionReport", "E": 1499405658658, "s": "ETHBTC", "c": "mUvoqJxFIILMdfAW5iGSOW",
    "S": "BUY", "o": "LIMIT", "f": "GTC", "q": "1.00000000", "p": "0.10264410",
    "P": "0.00000000", "F": "0.00000000", "g": -1, "C": "", "x": "NEW", "X": "NEW", "r": "NONE",
    "i": 4293153, "l": "0.00000000", "z": "0.00000000", "L": "0.00000000", "n": "0", "N": null,
    "T": 1499405658657, "t": -1, "v": 3, "I": 8641984, "w": true, "m": false, "M": false,
    "O": 1499405658657, "Z": "0.00000000", "Y": "0.00000000", "Q": "0.00000000",
    "W": 1499405658657, "V": "NONE"
  }
})";

// "Account Update" payload.
inline constexpr const char* outbound_account_position = R"({
  "subscriptionId": 0,
  "event": {"e": "outboundAccountPosition", "E": 1564034571105, "u": 1564034571073,
            "B": [{"a": "ETH", "f": "10000.000000", "l": "0.000000"}]}
})";

// web-socket-api.md "Event format" example: two balances with locked amounts.
inline constexpr const char* event_format_example = R"({
  "subscriptionId": 0,
  "event": {"e": "outboundAccountPosition", "E": 1728972148778, "u": 1728972148778,
            "B": [{"a": "BTC", "f": "11818.00000000", "l": "182.00000000"},
                  {"a": "USDT", "f": "10580.00000000", "l": "70.00000000"}]}
})";

// "Balance Update" payload.
inline constexpr const char* balance_update = R"({
  "subscriptionId": 0,
  "event": {"e": "balanceUpdate", "E": 1573200697110, "a": "BTC", "d": "100.00000000",
            "T": 1573200697068}
})";

// "Event Stream Terminated" payload.
inline constexpr const char* event_stream_terminated = R"({
  "subscriptionId": 0, "event": {"e": "eventStreamTerminated", "E": 1728973001334}
})";

// "External Lock Update" payload.
inline constexpr const char* external_lock_update = R"({
  "subscriptionId": 0,
  "event": {"e": "externalLockUpdate", "E": 1581557507324, "a": "NEO", "d": "10.00000000",
            "T": 1581557507268}
})";

// web-socket-api.md "Server Shutdown".
inline constexpr const char* server_shutdown = R"({"event": {"e": "serverShutdown", "E": 1770123456789}})";

// web-socket-api.md "Subscribe to User Data Stream through signature subscription" response.
inline constexpr const char* ws_api_subscribed = R"({
  "id": "d3df8a22-98ea-4fe0-9f4e-0fcea5d418b7", "status": 200, "result": {"subscriptionId": 0}
})";

// web-socket-api.md "Response format", example of failed response.
inline constexpr const char* ws_api_failed = R"({
  "id": "e2a85d9f-07a5-4f94-8d5f-789dc3deb097", "status": 400,
  "error": {"code": -2010, "msg": "Account has insufficient balance for requested action."},
  "rateLimits": [
    {"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": 50, "count": 13},
    {"rateLimitType": "ORDERS", "interval": "DAY", "intervalNum": 1, "limit": 160000, "count": 4044},
    {"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": 6000,
     "count": 322}
  ]
})";

// web-socket-api.md "IP limits": the response of a banned IP (HTTP status 418 in the frame).
inline constexpr const char* ws_api_banned = R"({
  "id": "fc93a61a-a192-4cf4-bb2a-a8f0f0c51e06", "status": 418,
  "error": {"code": -1003,
            "msg": "Way too much request weight used; IP banned until 1659146400000. Please use WebSocket Streams for live updates to avoid bans.",
            "data": {"serverTime": 1659142907531, "retryAfter": 1659146400000}}
})";

// web-socket-streams.md "Kline/Candlestick Streams for UTC" payload: a stream Tern does not read.
inline constexpr const char* kline = R"({"stream": "bnbbtc@kline_1m", "data": {
  "e": "kline", "E": 1672515782136, "s": "BNBBTC",
  "k": {"t": 1672515780000, "T": 1672515839999, "s": "BNBBTC", "i": "1m", "f": 100, "L": 200,
        "o": "0.0010", "c": "0.0020", "h": "0.0025", "l": "0.0015", "v": "1000", "n": 100,
        "x": false, "q": "1.0000", "V": "500", "Q": "0.500", "B": "123456"}}})";

// web-socket-streams.md "Trade Streams" and "Diff. Depth Stream" payloads, in the
// combined-stream envelope.
inline constexpr const char* spot_trade = R"({"stream": "bnbbtc@trade", "data": {
  "e": "trade", "E": 1672515782136, "s": "BNBBTC", "t": 12345, "p": "0.001", "q": "100",
  "T": 1672515782136, "m": true, "M": true}})";
inline constexpr const char* spot_depth_update = R"({"stream": "bnbbtc@depth@100ms", "data": {
  "e": "depthUpdate", "E": 1672515782136, "s": "BNBBTC", "U": 157, "u": 160,
  "b": [["0.0024", "10"]], "a": [["0.0026", "100"]]}})";

} // namespace tern::fixtures

#include "tests/connectors/binance_fixtures_usd_m.hpp"  // IWYU pragma: export
