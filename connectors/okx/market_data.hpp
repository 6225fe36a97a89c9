#pragma once

// OKX public streams (/ws/v5/public): subscriptions, the book checksum, and the
// public_stream_parser.
//
// Subscriptions (#overview-websocket-subscribe, and each channel's "Request Example"):
//   {"id":"1","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"},
//                                      {"channel":"trades","instId":"BTC-USDT"}, ...]}
// per connection at most markets_per_connection markets (books, trades, and for swaps
// funding-rate), every frame naming its channel and instrument in "arg".
//
// Frames read (everything else is an unknown problem naming the channel):
//   books, action "snapshot"  -> book_snapshot (sequence seqId) and the levels' wire text
//   books, action "update"    -> book_delta (first = last = seqId, previous = prevSeqId,
//                                checksum unless 0) and the levels' wire text
//   trades                    -> trade (taker side "side"; one trade a frame)
//   funding-rate              -> funding_info (rate fundingRate, next time fundingTime)
//   {"event":"subscribe"|"unsubscribe"} -> control subscribed (detail: the event)
//   {"event":"error"}         -> control request_failed with the classified error
//   {"event":"notice","code":"64008"} -> control server_shutdown (closing for an upgrade)
//   "pong"                    -> control heartbeat (the answer to our "ping")
// Swap sizes (book levels, trades) are contracts on the wire and base amounts in the events:
// the parser multiplies them by the market's contract size (symbol_map::contract_size); the
// wire text keeps the contracts, as the checksum needs.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/common/exchange_protocol.hpp"
#include "connectors/common/stream_events.hpp"
#include "connectors/common/symbol_map.hpp"
#include "connectors/okx/constants.hpp"

namespace tern::okx {

/// OKX's book checksum (#order-book-trading-market-data-ws-order-book-channel, "Checksum"):
/// CRC-32 of the best 25 bids and asks as "bidPx:bidSz:askPx:askSz:..." alternating, a side's
/// missing levels left out, using the strings as received. OKX sends the 32 bits as a signed
/// integer; this returns the same bits unsigned.
[[nodiscard]] std::uint32_t book_checksum(std::span<const level_text* const> bids,
                                          std::span<const level_text* const> asks);

/// The book-sync policy of OKX "books": chained sequence ids, checksum over 25 levels.
[[nodiscard]] snapshot_delta_policy book_policy();

/// The connections and subscribe messages for `symbols` (OKX instIds), request ids counting
/// up from `first_id`; swaps add the funding-rate channel. Each connection keeps alive with
/// "ping" after ping_after_idle of silence.
[[nodiscard]] std::vector<ws_connection_plan> market_subscriptions(
    venue api, const std::string& public_ws, const std::vector<std::string>& symbols,
    std::int64_t first_id);

/// Unsubscribe and subscribe again to `symbol`'s book, which makes OKX send a new snapshot.
[[nodiscard]] std::vector<std::string> book_resubscription(std::string_view symbol,
                                                           std::int64_t first_id);

/// The "channel" an OKX frame names ({"arg":{"channel":"orders",...}), found by text scan, so a
/// frame too broken to parse still says what it was; empty when there is none.
[[nodiscard]] std::string_view frame_channel(std::string_view frame);

/// The public_stream_parser for OKX (simdjson; reuses its buffers across frames).
[[nodiscard]] std::unique_ptr<public_stream_parser> make_market_stream_parser(symbol_map markets);

} // namespace tern::okx
