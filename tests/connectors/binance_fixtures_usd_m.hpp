#pragma once

// Binance USD-M documented example payloads (developers.binance.com/docs/derivatives/
// usds-margined-futures), as test fixtures; binance_fixtures.hpp says how they were taken.

namespace tern::fixtures {

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
