# ctest entries that run `tern request`, `tern parse` and `tern replay` (included by
# tests/connectors/CMakeLists.txt).
set(tern_connectors_cli "${CMAKE_CURRENT_LIST_DIR}/run_cli.cmake")
set(tern_captures "${TERN_SHARED_DIR}/data/binance-captures")

# Binance's documented signing examples (rest-api.md and the USD-M "SIGNED Endpoint Examples
# for POST /fapi/v1/order - HMAC Keys"): the printed request carries the documented signature,
# the API key header, and never the secret.
set(spot_key vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A)
set(spot_secret NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j)
set(futures_key dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83)
set(futures_secret 2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9)

add_test(NAME "tern request binance place-order: the documented example's signed request"
  COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern>
    "-DARGS=request|binance|place-order|--param|market=LTC-BTC|--param|side=buy|--param|type=limit|--param|price=0.1|--param|amount=1|--key|${spot_key}|--secret|${spot_secret}|--timestamp|1499827319559|--dry-run"
    -DEXPECTED_EXIT=0
    "-DSTDOUT_HAS=\"url\": \"https://api.binance.com/api/v3/order?symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71\"@@\"X-MBX-APIKEY\": \"${spot_key}\"@@\"method\": \"POST\""
    "-DSTDOUT_LACKS=${spot_secret}"
    -P ${tern_connectors_cli})

add_test(NAME "tern request binance_perpetual place-order: the documented example's signed request"
  COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern>
    "-DARGS=request|binance_perpetual|place-order|--param|market=BTC-USDT|--param|side=buy|--param|price=9000|--param|amount=1|--key|${futures_key}|--secret|${futures_secret}|--timestamp|1591702613943|--dry-run"
    -DEXPECTED_EXIT=0
    "-DSTDOUT_HAS=https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943&signature=3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9"
    "-DSTDOUT_LACKS=${futures_secret}"
    -P ${tern_connectors_cli})

add_test(NAME "tern request binance balances and cancel-order: signed GET and DELETE"
  COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern>
    "-DARGS=request|binance|cancel-order|--param|market=LTC-BTC|--param|client_id=myOrder1|--key|${spot_key}|--secret|${spot_secret}|--timestamp|1499827319559|--recv-window|0|--dry-run"
    -DEXPECTED_EXIT=0
    "-DSTDOUT_HAS=\"method\": \"DELETE\"@@/api/v3/order?symbol=LTCBTC&origClientOrderId=myOrder1&timestamp=1499827319559&signature="
    "-DSTDOUT_LACKS=${spot_secret}@@recvWindow"
    -P ${tern_connectors_cli})

# Perpetual account and funding calls: the income history (FUNDING_FEE) signed like any USD-M
# query, OKX's public funding rate unsigned.
add_test(NAME "tern request binance_perpetual funding-payments: the signed income query"
  COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern>
    "-DARGS=request|binance_perpetual|funding-payments|--param|market=BTC-USDT|--param|since=1700000000000|--key|${futures_key}|--secret|${futures_secret}|--timestamp|1591702613943|--dry-run"
    -DEXPECTED_EXIT=0
    "-DSTDOUT_HAS=https://fapi.binance.com/fapi/v1/income?symbol=BTCUSDT&incomeType=FUNDING_FEE&startTime=1700000000000&limit=1000&recvWindow=5000&timestamp=1591702613943&signature=@@\"method\": \"GET\""
    "-DSTDOUT_LACKS=${futures_secret}"
    -P ${tern_connectors_cli})

add_test(NAME "tern request okx_perpetual funding-info: the public funding rate of the swap"
  COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern>
    "-DARGS=request|okx_perpetual|funding-info|--param|market=BTC-USDT|--key|k|--secret|${futures_secret}|--passphrase|pp|--timestamp|1|--dry-run"
    -DEXPECTED_EXIT=0
    "-DSTDOUT_HAS=\"url\": \"https://www.okx.com/api/v5/public/funding-rate?instId=BTC-USDT-SWAP\""
    -P ${tern_connectors_cli})

# Misuse exits 2: no --dry-run, a bad side, an unknown connector or call, a parameter the call
# does not take, a perpetual-only parameter or call on spot, a since that is not milliseconds.
foreach(case IN ITEMS
    "request|binance|balances|--key|k|--secret|s|--timestamp|1"
    "request|binance|place-order|--param|market=BTC-USDT|--param|side=up|--param|price=1|--param|amount=1|--key|k|--secret|s|--timestamp|1|--dry-run"
    "request|kraken|balances|--key|k|--secret|s|--timestamp|1|--dry-run"
    "request|binance|withdraw|--key|k|--secret|s|--timestamp|1|--dry-run"
    "request|binance|balances|--param|market=BTC-USDT|--key|k|--secret|s|--timestamp|1|--dry-run"
    "request|binance|place-order|--param|market=BTC-USDT|--param|side=buy|--param|price=1|--param|amount=1|--param|action=close|--key|k|--secret|s|--timestamp|1|--dry-run"
    "request|binance|position-mode|--key|k|--secret|s|--timestamp|1|--dry-run"
    "request|binance_perpetual|funding-payments|--param|market=BTC-USDT|--param|since=soon|--key|k|--secret|s|--timestamp|1|--dry-run")
  string(REPLACE "|" " " shown "${case}")
  add_test(NAME "tern ${shown}: exits 2"
    COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern> "-DARGS=${case}" -DEXPECTED_EXIT=2
      -P ${tern_connectors_cli})
endforeach()

# A parameter that would echo the secret is refused, not printed.
add_test(NAME "tern request: a request containing the secret is never printed"
  COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern>
    "-DARGS=request|binance|place-order|--param|market=BTC-USDT|--param|side=buy|--param|price=1|--param|amount=1|--param|client_id=${spot_secret}|--key|${spot_key}|--secret|${spot_secret}|--timestamp|1|--dry-run"
    -DEXPECTED_EXIT=1 "-DSTDOUT_LACKS=${spot_secret}"
    -P ${tern_connectors_cli})

add_test(NAME "tern parse binance: documented frames become events; unknown and malformed go to stderr"
  COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern> "-DARGS=parse|binance|--market|ETH-BTC"
    -DINPUT=${CMAKE_CURRENT_LIST_DIR}/fixtures/binance_frames.txt -DEXPECTED_EXIT=0
    "-DLAST_LINES={\"event\":\"order_update\",\"pair\":\"ETH-BTC\",\"client_order_id\":\"mUvoqJxFIILMdfAW5iGSOW\",\"exchange_order_id\":\"4293153\",\"state\":\"open\",\"time_ms\":1499405658657}@@{\"event\":\"book_delta\",\"pair\":\"ETH-BTC\",\"first\":157,\"last\":160,\"previous\":-1,\"time_ms\":1672515782136,\"bids\":[[\"0.0024\",\"10\"]],\"asks\":[[\"0.0026\",\"100\"]]}@@{\"event\":\"balance\",\"asset\":\"BTC\",\"total\":\"12000\",\"available\":\"11818\"}@@{\"event\":\"balance\",\"asset\":\"USDT\",\"total\":\"10650\",\"available\":\"10580\"}"
    "-DSTDERR_HAS=frame 3: unknown frame on channel \"ethbtc@kline_1m\"@@frame 4: malformed frame on channel \"executionReport\"@@5 frames, 4 events, 1 unknown, 1 malformed"
    -P ${tern_connectors_cli})

# Replays of the captures: one line per diff applied after the snapshot (3449 and 6547, counted
# independently from the capture: diffs with u above the snapshot's lastUpdateId), no gap, and
# the final top of book (computed independently with Python's decimal module).
add_test(NAME "tern replay binance: the spot capture syncs with no gap to the expected top"
  COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern>
    "-DARGS=replay|binance|--market|BTC-USDT|${tern_captures}/spot/btcusdt_20240808.gz"
    -DEXPECTED_EXIT=0 "-DLINE_PREFIX={\"u\":" -DLINE_COUNT=3449
    "-DLAST_LINES={\"u\":50093421584,\"bid\":\"61685.99\",\"bid_qty\":\"1.0087\",\"ask\":\"61686\",\"ask_qty\":\"2.29327\"}@@{\"summary\":{\"messages\":41249,\"diffs\":3451,\"applied\":3449,\"snapshots\":1,\"gaps\":0,\"unknown\":0,\"malformed\":0,*"
    -P ${tern_connectors_cli})

add_test(NAME "tern replay binance_perpetual: the USD-M capture syncs with no gap to the expected top"
  COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern>
    "-DARGS=replay|binance_perpetual|--market|BTC-USDT|${tern_captures}/usdm/btcusdt_20240808.gz"
    -DEXPECTED_EXIT=0 "-DLINE_PREFIX={\"u\":" -DLINE_COUNT=6547
    "-DLAST_LINES={\"u\":5123135475514,\"bid\":\"61659.7\",\"bid_qty\":\"1.486\",\"ask\":\"61659.8\",\"ask_qty\":\"0.981\"}@@{\"summary\":{\"messages\":93954,\"diffs\":6551,\"applied\":6547,\"snapshots\":1,\"gaps\":0,\"unknown\":0,\"malformed\":0,*"
    -P ${tern_connectors_cli})

add_test(NAME "tern replay: a missing capture exits 1"
  COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern> "-DARGS=replay|binance|--market|BTC-USDT|no_such_capture.gz"
    -DEXPECTED_EXIT=1 "-DSTDERR_HAS=cannot open no_such_capture.gz" -P ${tern_connectors_cli})

# OKX. The docs' example secret (#overview-rest-authentication) signs the documented spot order
# (#order-book-trading-trade-post-place-order); the expected signature is an independent
# OpenSSL vector (tests/connectors/okx_signing.test.cpp says how). The passphrase is printed
# masked, the secret never.
set(okx_secret 22582BD0CFF14C41EDBF1AB98506286D)
add_test(NAME "tern request okx place-order: the documented spot order, signed, passphrase masked"
  COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern>
    "-DARGS=request|okx|place-order|--param|market=BTC-USDT|--param|side=buy|--param|price=2.15|--param|amount=2|--param|client_id=b15|--key|37c541a1-key|--secret|${okx_secret}|--passphrase|PassPhrase1|--timestamp|1607418537715|--dry-run"
    -DEXPECTED_EXIT=0
    "-DSTDOUT_HAS=\"url\": \"https://www.okx.com/api/v5/trade/order\"@@\"OK-ACCESS-SIGN\": \"dI6rrL9rXW/HdaPKJ/6LC1OgvH4/PYju6R3CqixMTNQ=\"@@\"OK-ACCESS-TIMESTAMP\": \"2020-12-08T09:08:57.715Z\"@@\"OK-ACCESS-PASSPHRASE\": \"***\"@@{\\\"instId\\\":\\\"BTC-USDT\\\",\\\"tdMode\\\":\\\"cash\\\",\\\"clOrdId\\\":\\\"b15\\\",\\\"side\\\":\\\"buy\\\",\\\"ordType\\\":\\\"limit\\\",\\\"px\\\":\\\"2.15\\\",\\\"sz\\\":\\\"2\\\"}"
    "-DSTDOUT_LACKS=${okx_secret}@@PassPhrase1"
    -P ${tern_connectors_cli})

add_test(NAME "tern request okx_perpetual place-order: base amount in contracts, reduce-only close"
  COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern>
    "-DARGS=request|okx_perpetual|place-order|--param|market=BTC-USDT|--param|side=sell|--param|price=60000|--param|amount=0.05|--param|action=close|--param|contract_size=0.01|--key|k|--secret|${okx_secret}|--passphrase|PassPhrase1|--timestamp|1607418537715|--dry-run"
    -DEXPECTED_EXIT=0
    "-DSTDOUT_HAS=\\\"instId\\\":\\\"BTC-USDT-SWAP\\\",\\\"tdMode\\\":\\\"cross\\\",\\\"side\\\":\\\"sell\\\",\\\"ordType\\\":\\\"limit\\\",\\\"px\\\":\\\"60000\\\",\\\"sz\\\":\\\"5\\\",\\\"reduceOnly\\\":true"
    -P ${tern_connectors_cli})

add_test(NAME "tern request okx_perpetual place-order without a contract size exits 2"
  COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern>
    "-DARGS=request|okx_perpetual|place-order|--param|market=BTC-USDT|--param|side=buy|--param|price=1|--param|amount=1|--key|k|--secret|s|--passphrase|p|--timestamp|1|--dry-run"
    -DEXPECTED_EXIT=2 "-DSTDERR_HAS=swap orders are sized in contracts" -P ${tern_connectors_cli})

# Documented OKX frames (tests/connectors/fixtures/okx_frames.txt: the trades, books update,
# orders, account and books-failure examples of okx_fixtures_ws.hpp, compacted, plus a
# funding-rate push for a market not named, a truncated orders push and "pong").
add_test(NAME "tern parse okx: documented frames become events; unknown and malformed go to stderr"
  COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern> "-DARGS=parse|okx|--market|BTC-USDT"
    -DINPUT=${CMAKE_CURRENT_LIST_DIR}/fixtures/okx_frames.txt -DEXPECTED_EXIT=0
    "-DLAST_LINES={\"event\":\"trade\",\"pair\":\"BTC-USDT\",\"trade_id\":\"130639474\",\"price\":\"42219.9\",\"size\":\"0.12060306\",\"taker_side\":\"buy\",\"time_ms\":1630048897897}@@{\"event\":\"book_delta\",\"pair\":\"BTC-USDT\",\"first\":123457,\"last\":123457,\"previous\":123456,\"time_ms\":1597026383085,*@@{\"event\":\"order_update\",\"pair\":\"BTC-USDT\",\"client_order_id\":\"\",\"exchange_order_id\":\"452197707845865472\",\"state\":\"filled\",\"time_ms\":1654084353264}@@{\"event\":\"fill\",\"pair\":\"BTC-USDT\",\"trade_id\":\"242589207\",\"client_order_id\":\"\",\"exchange_order_id\":\"452197707845865472\",\"side\":\"sell\",\"price\":\"31527.1\",\"base_amount\":\"0.001\",\"quote_amount\":\"31.5271\",\"fee_asset\":\"USDT\",\"fee_amount\":\"0.02522168\",\"taker\":false,\"time_ms\":1654084353263}@@{\"event\":\"balance\",\"asset\":\"USDT\",\"total\":\"4892.951170691435\",\"available\":\"4734.371190691436\"}@@{\"event\":\"stream_control\",\"kind\":\"request_failed\",\"request_id\":\"1512\",*@@{\"event\":\"stream_control\",\"kind\":\"heartbeat\",\"detail\":\"pong\"}"
    "-DSTDERR_HAS=frame 6: unknown frame on channel \"funding-rate\": symbol \"BTC-USD-SWAP\" is not one of the connector's markets@@frame 7: malformed frame on channel \"orders\"@@8 frames, 7 events, 1 unknown, 1 malformed"
    -P ${tern_connectors_cli})

add_test(NAME "tern replay okx: no capture; says why and exits 2"
  COMMAND ${CMAKE_COMMAND} -DTERN=$<TARGET_FILE:tern>
    "-DARGS=replay|okx|--market|BTC-USDT|${tern_captures}/spot/btcusdt_20240808.gz"
    -DEXPECTED_EXIT=2
    "-DSTDERR_HAS=tern replay: okx keeps its book as ws_snapshot_then_deltas@@there is no okx capture to replay"
    -P ${tern_connectors_cli})
