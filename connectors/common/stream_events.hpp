#pragma once

// What a connector's stream parsers hand to actors: core events (core/events.hpp) plus the
// few stream-level facts that are not market or account data (a subscription acknowledged,
// a stream that must be reconnected). Exchange-neutral; each connector fills them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

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

/// Caller-owned outputs of a public stream parser, reused across frames so parsing does not
/// allocate once the vectors have grown. The member names match the kinds.
struct public_frame {
  book_delta depth;
  top_of_book ticker;
  trade trade_event;
  book_snapshot snapshot;
  tern::funding_info funding;
  stream_control control;
};

} // namespace tern
