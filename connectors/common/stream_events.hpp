#pragma once

// What a connector's stream parsers hand to actors: core events (core/events.hpp) plus the
// few stream-level facts that are not market or account data (a subscription acknowledged,
// a stream that must be reconnected). Exchange-neutral; each connector fills them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "connectors/common/exchange_error.hpp"
#include "core/decimal.hpp"
#include "core/events.hpp"
#include "core/types.hpp"

namespace tern {

/// A balance moved by `delta` outside trading (deposit, withdrawal, transfer; Binance
/// balanceUpdate). The absolute balance follows in a balance event or the next poll.
struct balance_delta {
  std::string asset;
  decimal delta;
  timestamp time{};
};

enum class stream_control_kind : std::uint8_t {
  subscribed,         ///< a subscribe or login request was acknowledged
  request_failed,     ///< a subscribe or login request was refused; `error` says why
  stream_terminated,  ///< the exchange ended the stream (token expired, subscription closed):
                      ///< reconnect, and poll to cover the gap
  server_shutdown,    ///< the server is about to close the connection: reconnect now
  heartbeat,          ///< the answer to an application-level keep-alive (OKX "pong"): the
                      ///< connection is alive; nothing else to do
};

[[nodiscard]] std::string_view to_string(stream_control_kind value) noexcept;

/// A stream-level message: acknowledgements, refusals and terminations.
struct stream_control {
  stream_control_kind kind = stream_control_kind::subscribed;
  std::string request_id;  ///< the id of the request answered, when the message names one
  std::string detail;      ///< the exchange's event name or reason
  std::optional<exchange_error> error;  ///< set for request_failed
};

/// One event from a private stream frame. A frame may carry several (an execution report is
/// an order update and a fill; an account update lists balances and positions).
using private_event =
    std::variant<order_update, fill, balance, balance_delta, position, stream_control>;

/// Why a frame yielded no events: a frame the connector does not handle (`unknown`, a new
/// event type, harmless) or one it handles but could not read (`malformed`, a bug or a changed
/// format). Parsers return this instead of throwing.
struct frame_problem {
  enum class kind_type : std::uint8_t { unknown, malformed };
  kind_type kind = kind_type::unknown;
  std::string channel;  ///< the stream or event name, e.g. "btcusdt@kline_1m", "executionReport"
  std::string detail;   ///< what was wrong, quoting the offending value
  /// "unknown frame on channel X: detail" / "malformed frame on channel X: detail".
  [[nodiscard]] std::string message() const;
};

/// Which member of `public_frame` a public parser filled.
enum class public_event_kind : std::uint8_t {
  book_delta,
  book_snapshot,
  top_of_book,
  trade,
  funding_info,
  control,
};

[[nodiscard]] std::string_view to_string(public_event_kind value) noexcept;

/// One book level as the exchange wrote it. Checksums over wire text (OKX, Bitget) must see the
/// price and size exactly as sent ("0.10" is not "0.1"), which decimals do not keep.
struct level_text {
  std::string price;
  std::string size;
  friend bool operator==(const level_text&, const level_text&) = default;
};

/// The wire text of a book snapshot's or delta's levels, in the same order as its bids and asks,
/// and the checksum the exchange sent with the message (none when it sent none, or sent the
/// value it uses for "not computed").
struct book_levels_text {
  std::vector<level_text> bids;
  std::vector<level_text> asks;
  std::optional<std::uint32_t> checksum;
  /// Empties the lists but keeps their capacity, for reuse across frames.
  void clear() noexcept {
    bids.clear();
    asks.clear();
    checksum.reset();
  }
};

/// Caller-owned outputs of a public stream parser, reused across frames so parsing does not
/// allocate once the vectors have grown. The member names match the kinds.
struct public_frame {
  book_delta depth;
  top_of_book ticker;
  trade trade_event;
  book_snapshot snapshot;
  tern::funding_info funding;
  stream_control control;
  /// The wire text of `depth` or `snapshot` (meaningful with those kinds only), filled by
  /// parsers of exchanges whose book checksum covers the text as sent (OKX); left empty by the
  /// others.
  book_levels_text levels;
};

} // namespace tern
