#pragma once

// Parsers for Binance's public market data (spot and USD-M futures): diff-depth updates,
// bookTicker, trades and the REST depth snapshot, into Tern's exchange-neutral events.
//
// Shapes (Binance API docs, "WebSocket Market Streams" and "Order Book" REST endpoint; the
// captures in ../shared/data/binance-captures show them on the wire):
//   depthUpdate  {"e":"depthUpdate","E":ms,"s":"BTCUSDT","U":first,"u":last,"b":[[p,q],..],"a":..}
//                USD-M adds "T" (transaction ms) and "pu" (the previous event's u).
//   bookTicker   spot {"u":id,"s":..,"b":p,"B":q,"a":p,"A":q}; USD-M adds "e","E","T".
//   trade        {"e":"trade","E":ms,"s":..,"t":id,"p":..,"q":..,"T":ms,"m":buyer_is_maker,..}
//   REST depth   {"lastUpdateId":id,"bids":[[p,q],..],"asks":..}; USD-M adds "E","T".
// Frames come either bare (/ws endpoint) or in the combined-stream envelope
// {"stream":"btcusdt@depth@100ms","data":{...}}.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/binance/constants.hpp"
#include "connectors/common/exchange_protocol.hpp"
#include "connectors/common/stream_events.hpp"
#include "connectors/common/symbol_map.hpp"
#include "core/events.hpp"
#include "core/expected.hpp"
#include "core/types.hpp"

namespace tern::binance {

/// Which event a public frame carried.
enum class frame_kind : std::uint8_t { depth_update, book_ticker, trade, depth_snapshot };

[[nodiscard]] std::string_view to_string(frame_kind kind) noexcept;

enum class market_data_errc : std::uint8_t {
  invalid_json,      ///< not JSON, truncated, or not an object
  missing_field,     ///< a required field is absent
  wrong_type,        ///< a field has the wrong JSON type (e.g. "b" not an array)
  bad_number,        ///< an id, time, price or size that is not a valid number
  unexpected_event,  ///< an event or stream this parser does not handle, or not the one asked for
  wrong_symbol,      ///< "s" is not the symbol the caller expected
};

[[nodiscard]] std::string_view to_string(market_data_errc code) noexcept;

/// Why a frame could not be parsed: the field concerned, what was wrong, and the frame's start.
struct market_data_error {
  market_data_errc code = market_data_errc::invalid_json;
  std::string field;   ///< e.g. "b", "lastUpdateId"; empty when the frame as a whole is wrong
  std::string detail;  ///< what was wrong, quoting the offending value
  std::string frame;   ///< the first 160 bytes of the frame
  [[nodiscard]] std::string message() const;
};

/// What the caller knows that the frame does not say.
struct parse_context {
  std::string_view pair;             ///< Tern pair written into events, e.g. "BTC-USDT"
  timestamp received_time{};         ///< when the frame arrived
  std::string_view exchange_symbol;  ///< if set, "s" must equal it (e.g. "BTCUSDT")
};

/// Caller-owned outputs, reused across frames so that parsing does not allocate once the
/// vectors have grown. `parse` fills the member named by the returned kind (depth, ticker,
/// trade_event or snapshot). The connector-neutral public_frame, so a stream parser passes its
/// caller's buffers straight through.
using market_frame = public_frame;

/// Parses Binance public market-data frames. Owns a simdjson parser and a padded copy buffer, so
/// after warm-up a frame is parsed without allocating. One parser per thread (not thread-safe).
/// Depth updates in Binance's usual compact shape are read directly, without simdjson; anything
/// else, and every error, goes through simdjson's on-demand API.
class market_data_parser {
 public:
  market_data_parser();
  ~market_data_parser();
  market_data_parser(market_data_parser&&) noexcept;
  market_data_parser& operator=(market_data_parser&&) noexcept;
  market_data_parser(const market_data_parser&) = delete;
  market_data_parser& operator=(const market_data_parser&) = delete;

  /// Parses any supported frame, bare or enveloped, into the matching member of `out`. With an
  /// envelope the stream name decides the kind; bare frames are recognised by "e", or by
  /// "lastUpdateId" (REST snapshot) or "u" (spot bookTicker, which has no "e").
  expected<frame_kind, market_data_error> parse(std::string_view frame,
                                                const parse_context& context, market_frame& out);

  /// Bytes that must be readable after a frame given to parse_padded; their values do not matter.
  static constexpr std::size_t frame_padding = 64;

  /// Like parse, without copying the frame when it is a depth update in Binance's usual compact
  /// shape: `frame` must be followed by frame_padding readable bytes (a receive buffer with that
  /// much spare capacity). Any other frame is copied and parsed as by parse.
  expected<frame_kind, market_data_error> parse_padded(std::string_view frame,
                                                       const parse_context& context,
                                                       market_frame& out);

  /// A depthUpdate diff. Sequence fields: first = U, last = u, previous = pu (-1 on spot).
  /// Exchange time is "T" when sent (USD-M), else "E".
  expected<void, market_data_error> parse_depth_update(std::string_view frame,
                                                       const parse_context& context,
                                                       book_delta& out);
  /// A bookTicker: sequence = u. Exchange time is "T", else "E", else zero (spot sends none).
  expected<void, market_data_error> parse_book_ticker(std::string_view frame,
                                                      const parse_context& context,
                                                      top_of_book& out);
  /// A trade: taker side is sell when the buyer was the maker ("m": true).
  expected<void, market_data_error> parse_trade(std::string_view frame,
                                                const parse_context& context, trade& out);
  /// The REST depth snapshot (GET /api/v3/depth, /fapi/v1/depth): sequence = lastUpdateId.
  expected<void, market_data_error> parse_depth_snapshot(std::string_view body,
                                                         const parse_context& context,
                                                         book_snapshot& out);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// --- Streams (market_data_stream.cpp) ------------------------------------------------------
// Live subscriptions (web-socket-streams.md "Live Subscribing/Unsubscribing to streams"):
// {"method":"SUBSCRIBE","params":["btcusdt@depth@100ms",...],"id":1} on the combined-stream
// endpoint, so every frame names its stream. Spot: depth@100ms, bookTicker and trade on one
// connection. USD-M live: depth@100ms and bookTicker on /public, trade and markPrice@1s on
// /market (one connection when the endpoints do not split them, as on testnet).

/// The connections and SUBSCRIBE messages for `symbols` (exchange symbols, any case), ids
/// counting up from `first_id`; at most 1000 streams a connection.
[[nodiscard]] std::vector<ws_connection_plan> market_subscriptions(
    venue api, const endpoints& urls, const std::vector<std::string>& symbols,
    std::int64_t first_id);

/// The public_stream_parser for Binance: routes each frame to its pair by the stream name (or
/// "s"; a bare REST snapshot goes to the only market), parses book, ticker and trade frames with
/// market_data_parser (no allocation after warm-up), and reads the rarer frames (subscription
/// acknowledgements and errors, markPriceUpdate, serverShutdown) with nlohmann.
[[nodiscard]] std::unique_ptr<public_stream_parser> make_market_stream_parser(symbol_map markets);

} // namespace tern::binance
