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

// --- USD-M REST ------------------------------------------------------------------------------

// "Exchange Information" response. The page's example has two trailing commas (after MIN_NOTIONAL
// "notional" and after "marketTakeBound"), removed here.
inline constexpr const char* usd_m_exchange_info = R"({
  "exchangeFilters": [],
  "rateLimits": [
    {"interval": "MINUTE", "intervalNum": 1, "limit": 2400, "rateLimitType": "REQUEST_WEIGHT"},
    {"interval": "MINUTE", "intervalNum": 1, "limit": 1200, "rateLimitType": "ORDERS"}
  ],
  "serverTime": 1565613908500,
  "assets": [
    {"asset": "BTC", "marginAvailable": true, "autoAssetExchange": "-0.10"},
    {"asset": "USDT", "marginAvailable": true, "autoAssetExchange": "0"},
    {"asset": "BNB", "marginAvailable": false, "autoAssetExchange": null}
  ],
  "symbols": [
    {
      "symbol": "BLZUSDT", "pair": "BLZUSDT", "contractType": "PERPETUAL",
      "deliveryDate": 4133404800000, "onboardDate": 1598252400000, "status": "TRADING",
      "maintMarginPercent": "2.5000", "requiredMarginPercent": "5.0000", "baseAsset": "BLZ",
      "quoteAsset": "USDT", "marginAsset": "USDT", "pricePrecision": 5, "quantityPrecision": 0,
      "baseAssetPrecision": 8, "quotePrecision": 8, "underlyingType": "COIN",
      "underlyingSubType": ["STORAGE"], "settlePlan": 0, "triggerProtect": "0.15",
      "filters": [
        {"filterType": "PRICE_FILTER", "maxPrice": "300", "minPrice": "0.0001", "tickSize": "0.0001"},
        {"filterType": "LOT_SIZE", "maxQty": "10000000", "minQty": "1", "stepSize": "1"},
        {"filterType": "MARKET_LOT_SIZE", "maxQty": "590119", "minQty": "1", "stepSize": "1"},
        {"filterType": "MAX_NUM_ORDERS", "limit": 200},
        {"filterType": "MIN_NOTIONAL", "notional": "5.0"},
        {"filterType": "PERCENT_PRICE", "multiplierUp": "1.1500", "multiplierDown": "0.8500",
         "multiplierDecimal": "4"}
      ],
      "orderTypes": ["LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT",
                     "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"],
      "timeInForce": ["GTC", "IOC", "FOK", "GTX"],
      "liquidationFee": "0.010000",
      "marketTakeBound": "0.30"
    }
  ],
  "timezone": "UTC"
})";

// "Order Book" response.
inline constexpr const char* usd_m_depth = R"({
  "lastUpdateId": 1027024, "E": 1589436922972, "T": 1589436922959,
  "bids": [["4.00000000", "431.00000000"]], "asks": [["4.00000200", "12.00000000"]]
})";

// "New Order(TRADE)" response.
inline constexpr const char* usd_m_new_order = R"({
  "clientOrderId": "testOrder", "cumQty": "0", "cumQuote": "0", "executedQty": "0",
  "orderId": 22542179, "avgPrice": "0.00000", "origQty": "10", "price": "0", "reduceOnly": false,
  "side": "BUY", "positionSide": "SHORT", "status": "NEW", "stopPrice": "9300",
  "closePosition": false, "symbol": "BTCUSDT", "timeInForce": "GTD",
  "type": "TRAILING_STOP_MARKET", "origType": "TRAILING_STOP_MARKET", "activatePrice": "9020",
  "priceRate": "0.3", "updateTime": 1566818724722, "workingType": "CONTRACT_PRICE",
  "priceProtect": false, "priceMatch": "NONE", "selfTradePreventionMode": "NONE",
  "goodTillDate": 1693207680000
})";

// "Cancel Order (TRADE)" response.
inline constexpr const char* usd_m_cancel = R"({
  "clientOrderId": "myOrder1", "cumQty": "0", "cumQuote": "0", "executedQty": "0",
  "orderId": 283194212, "origQty": "11", "origType": "TRAILING_STOP_MARKET", "price": "0",
  "reduceOnly": false, "side": "BUY", "positionSide": "SHORT", "status": "CANCELED",
  "stopPrice": "9300", "closePosition": false, "symbol": "BTCUSDT", "timeInForce": "GTC",
  "type": "TRAILING_STOP_MARKET", "activatePrice": "9020", "priceRate": "0.3",
  "updateTime": 1571110484038, "workingType": "CONTRACT_PRICE", "priceProtect": false,
  "priceMatch": "NONE", "selfTradePreventionMode": "NONE", "goodTillDate": 1693207680000
})";

// "Cancel All Open Orders (TRADE)" response.
inline constexpr const char* usd_m_cancel_all = R"({"code": 200, "msg": "The operation of cancel all open order is done."})";

// "Account Trade List (USER_DATA)" response.
inline constexpr const char* usd_m_user_trades = R"([
  {"buyer": false, "commission": "-0.07819010", "commissionAsset": "USDT", "id": 698759,
   "maker": false, "orderId": 25851813, "price": "7819.01", "qty": "0.002", "quoteQty": "15.63802",
   "realizedPnl": "-0.91539999", "side": "SELL", "positionSide": "SHORT", "symbol": "BTCUSDT",
   "time": 1569514978020}
])";

// "Account Information V2(USER_DATA)" single-asset response. The page omits the commas after
// "maxWithdrawAmount" (top level) and after each asset's "crossUnPnl"; they are restored here.
inline constexpr const char* usd_m_account = R"({
  "feeTier": 0, "feeBurn": true, "canTrade": true, "canDeposit": true, "canWithdraw": true,
  "updateTime": 0, "multiAssetsMargin": false, "tradeGroupId": -1,
  "totalInitialMargin": "0.00000000", "totalMaintMargin": "0.00000000",
  "totalWalletBalance": "23.72469206", "totalUnrealizedProfit": "0.00000000",
  "totalMarginBalance": "23.72469206", "totalPositionInitialMargin": "0.00000000",
  "totalOpenOrderInitialMargin": "0.00000000", "totalCrossWalletBalance": "23.72469206",
  "totalCrossUnPnl": "0.00000000", "availableBalance": "23.72469206",
  "maxWithdrawAmount": "23.72469206",
  "assets": [
    {"asset": "USDT", "walletBalance": "23.72469206", "unrealizedProfit": "0.00000000",
     "marginBalance": "23.72469206", "maintMargin": "0.00000000", "initialMargin": "0.00000000",
     "positionInitialMargin": "0.00000000", "openOrderInitialMargin": "0.00000000",
     "crossWalletBalance": "23.72469206", "crossUnPnl": "0.00000000",
     "availableBalance": "23.72469206", "maxWithdrawAmount": "23.72469206",
     "marginAvailable": true, "updateTime": 1625474304765},
    {"asset": "BUSD", "walletBalance": "103.12345678", "unrealizedProfit": "0.00000000",
     "marginBalance": "103.12345678", "maintMargin": "0.00000000", "initialMargin": "0.00000000",
     "positionInitialMargin": "0.00000000", "openOrderInitialMargin": "0.00000000",
     "crossWalletBalance": "103.12345678", "crossUnPnl": "0.00000000",
     "availableBalance": "103.12345678", "maxWithdrawAmount": "103.12345678",
     "marginAvailable": true, "updateTime": 1625474304765}
  ],
  "positions": [
    {"symbol": "BTCUSDT", "initialMargin": "0", "maintMargin": "0",
     "unrealizedProfit": "0.00000000", "positionInitialMargin": "0",
     "openOrderInitialMargin": "0", "leverage": "100", "isolated": true,
     "entryPrice": "0.00000", "maxNotional": "250000", "bidNotional": "0", "askNotional": "0",
     "positionSide": "BOTH", "positionAmt": "0", "updateTime": 0}
  ]
})";

// "Position Information V2 (USER_DATA)" response, hedge position mode.
inline constexpr const char* usd_m_position_risk = R"([
  {"symbol": "BTCUSDT", "positionAmt": "0.001", "entryPrice": "22185.2", "breakEvenPrice": "0.0",
   "markPrice": "21123.05052574", "unRealizedProfit": "-1.06214947",
   "liquidationPrice": "19731.45529116", "leverage": "4", "maxNotionalValue": "100000000",
   "marginType": "cross", "isolatedMargin": "0.00000000", "isAutoAddMargin": "false",
   "positionSide": "LONG", "notional": "21.12305052", "isolatedWallet": "0",
   "updateTime": 1655217461579},
  {"symbol": "BTCUSDT", "positionAmt": "0.000", "entryPrice": "0.0", "breakEvenPrice": "0.0",
   "markPrice": "21123.05052574", "unRealizedProfit": "0.00000000", "liquidationPrice": "0",
   "leverage": "4", "maxNotionalValue": "100000000", "marginType": "cross",
   "isolatedMargin": "0.00000000", "isAutoAddMargin": "false", "positionSide": "SHORT",
   "notional": "0", "isolatedWallet": "0", "updateTime": 0}
])";

// "Change Initial Leverage(TRADE)" response.
inline constexpr const char* usd_m_leverage = R"({"leverage": 21, "maxNotionalValue": "1000000", "symbol": "BTCUSDT"})";

// "Get Current Position Mode(USER_DATA)" and "Change Position Mode(TRADE)" responses.
inline constexpr const char* usd_m_dual_side = R"({"dualSidePosition": true})";
inline constexpr const char* usd_m_dual_side_changed = R"({"code": 200, "msg": "success"})";

// "Mark Price" response.
inline constexpr const char* usd_m_premium_index = R"({
  "symbol": "BTCUSDT", "markPrice": "11793.63104562", "indexPrice": "11781.80495970",
  "estimatedSettlePrice": "11781.16138815", "lastFundingRate": "0.00038246",
  "interestRate": "0.00010000", "nextFundingTime": 1597392000000, "time": 1597370495002
})";

// "Get Income History (USER_DATA)" response: a transfer and a commission, no funding fee.
inline constexpr const char* usd_m_income = R"([
  {"symbol": "", "incomeType": "TRANSFER", "income": "-0.37500000", "asset": "USDT",
   "info": "TRANSFER", "time": 1570608000000, "tranId": 9689322392, "tradeId": ""},
  {"symbol": "BTCUSDT", "incomeType": "COMMISSION", "income": "-0.01000000", "asset": "USDT",
   "info": "COMMISSION", "time": 1570636800000, "tranId": 9689322392, "tradeId": "2059192"}
])";

// "Start User Data Stream (USER_STREAM)" response.
inline constexpr const char* usd_m_listen_key = R"({"listenKey": "pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1"})";

// --- USD-M user data stream ----------------------------------------------------------------

// "Event: Order Update" response example.
inline constexpr const char* order_trade_update = R"({
  "e": "ORDER_TRADE_UPDATE", "E": 1568879465651, "T": 1568879465650,
  "o": {"s": "BTCUSDT", "c": "TEST", "S": "SELL", "o": "TRAILING_STOP_MARKET", "f": "GTC",
        "q": "0.001", "p": "0", "ap": "0", "sp": "7103.04", "x": "NEW", "X": "NEW",
        "i": 8886774, "l": "0", "z": "0", "L": "0", "N": "USDT", "n": "0",
        "T": 1568879465650, "t": 0, "b": "0", "a": "9.91", "m": false, "R": false,
        "wt": "CONTRACT_PRICE", "ot": "TRAILING_STOP_MARKET", "ps": "LONG", "cp": false,
        "AP": "7476.89", "cr": "5.0", "pP": false, "si": 0, "ss": 0, "rp": "0",
        "V": "EXPIRE_TAKER", "pm": "OPPONENT", "gtd": 0, "er": "0"}
})";

// "Self Trade Prevention (STP) FAQ", "How do I know if an order expired due to STP?".
inline constexpr const char* order_trade_update_stp = R"({
  "e": "ORDER_TRADE_UPDATE", "E": 1568879465651, "T": 1568879465650,
  "o": {"s": "BTCUSDT", "c": "TEST", "S": "SELL", "o": "TRAILING_STOP_MARKET", "f": "GTC",
        "q": "0.001", "p": "0", "ap": "0", "sp": "7103.04", "x": "EXPIRED",
        "X": "EXPIRED_IN_MATCH", "i": 8886774, "l": "0", "z": "0", "L": "0", "N": "USDT",
        "n": "0", "T": 1568879465650, "t": 0, "b": "0", "a": "9.91", "m": false, "R": false,
        "wt": "CONTRACT_PRICE", "ot": "TRAILING_STOP_MARKET", "ps": "LONG", "cp": false,
        "AP": "7476.89", "cr": "5.0", "pP": false, "si": 0, "ss": 0, "rp": "0",
        "V": "EXPIRE_MAKER", "pm": "QUEUE", "gtd": 1768879465650}
})";

// "Event: Balance and Position Update" response example. The page separates the first two
// positions with a full-width comma (U+FF0C); an ASCII comma here.
inline constexpr const char* account_update = R"({
  "e": "ACCOUNT_UPDATE", "E": 1564745798939, "T": 1564745798938,
  "a": {
    "m": "ORDER",
    "B": [{"a": "USDT", "wb": "122624.12345678", "cw": "100.12345678", "bc": "50.12345678"},
          {"a": "BUSD", "wb": "1.00000000", "cw": "0.00000000", "bc": "-49.12345678"}],
    "P": [{"s": "BTCUSDT", "pa": "0", "ep": "0.00000", "bep": "0", "cr": "200", "up": "0",
           "mt": "isolated", "iw": "0.00000000", "ps": "BOTH"},
          {"s": "BTCUSDT", "pa": "20", "ep": "6563.66500", "bep": "0", "cr": "0",
           "up": "2850.21200", "mt": "isolated", "iw": "13200.70726908", "ps": "LONG"},
          {"s": "BTCUSDT", "pa": "-10", "ep": "6563.86000", "bep": "6563.6", "cr": "-45.04000000",
           "up": "-1423.15600", "mt": "isolated", "iw": "6570.42511771", "ps": "SHORT"}]
  }
})";

// "Event: User Data Stream Expired" response example.
inline constexpr const char* listen_key_expired = R"({
  "e": "listenKeyExpired", "E": "1736996475556",
  "listenKey": "WsCMN0a4KHUPTQuX6IUnqEZfB1inxmv1qR4kbf1LuEjur5VdbzqvyxqG9TSjVVxv"
})";

// "Event: Margin Call" response example (ignored on purpose).
inline constexpr const char* margin_call = R"({
  "e": "MARGIN_CALL", "E": 1587727187525, "cw": "3.16812045",
  "p": [{"s": "ETHUSDT", "ps": "LONG", "pa": "1.327", "mt": "CROSSED", "iw": "0",
         "mp": "187.17127", "up": "-1.166074", "mm": "1.614445"}]
})";

// "Mark Price Stream" response example, in the combined-stream envelope.
inline constexpr const char* mark_price = R"({"stream": "btcusdt@markPrice@1s", "data": {
  "e": "markPriceUpdate", "E": 1562305380000, "s": "BTCUSDT", "p": "11794.15000000",
  "ap": "11794.15000000", "i": "11784.62659091", "P": "11784.25641265", "r": "0.00038167",
  "T": 1562306400000}})";

// web-socket-streams.md "Subscribe to a stream" response, and the first row of "Error Messages"
// with its "%s" id filled in.
inline constexpr const char* subscribe_ack = R"({"result": null, "id": 1})";
inline constexpr const char* subscribe_error = R"({"code": 0, "msg": "Unknown property","id": 1})";

} // namespace tern::fixtures
