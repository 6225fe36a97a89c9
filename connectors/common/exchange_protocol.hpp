#pragma once

// The interface every connector implements: everything Tern knows about one exchange's wire
// protocol, as data and pure functions. Actors (connection, order book, order tracker,
// exchange) hold an `exchange_protocol` and do only I/O and bookkeeping around it:
//
//   exchange actor:  auto request = protocol.place_order(symbol, order, signing);
//                    ... rate limiter (request->limit_id), https client (request->http) ...
//                    auto ack = protocol.parse_place_order(response, symbols);
//   order book:      auto parser = protocol.make_public_parser(markets);
//                    parser->parse(frame, now, out) -> book_delta -> sequenced_book_sync
//   user stream:     protocol.private_stream(signing, token, id) -> connect, send messages
//                    protocol.parse_private_frame(frame, symbols, now) -> private_event list
//
// Why a virtual interface rather than a struct of function pointers or templates: one object
// per connector carries its endpoints and options, actors are written once against the base
// class, and a call costs one indirect jump next to a network round trip. The hot path (public
// frames) goes through `public_stream_parser`, one virtual call per frame, with parsing state
// owned by the parser object.
//
// Contract for implementations:
// - Pure: no I/O, no clock (times come in as arguments), no exceptions for bad input. Bad
//   exchange data becomes `exchange_error` (REST) or `frame_problem` (streams).
// - Thread-safe for concurrent calls of const members (they hold no mutable state); a
//   public_stream_parser is used by one thread at a time.
// - Perpetual-only calls have defaults that report `unsupported`; `info().caps` says which
//   calls a connector offers.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/common/protocol_types.hpp"
#include "connectors/common/stream_events.hpp"
#include "core/client_order_id.hpp"
#include "core/expected.hpp"
#include "net/http_types.hpp"
#include "net/rate_limiter.hpp"

namespace tern {

/// Parses one public stream connection's frames (books, tickers, trades, funding). Holds
/// parsing state (buffers, the markets it serves); one per connection, one thread at a time.
class public_stream_parser {
 public:
  virtual ~public_stream_parser() = default;
  /// Fills the member of `out` named by the returned kind. Unknown streams and unreadable
  /// frames come back as a frame_problem naming the channel.
  virtual expected<public_event_kind, frame_problem> parse(std::string_view frame,
                                                           timestamp received,
                                                           public_frame& out) = 0;
};

class exchange_protocol {
 public:
  virtual ~exchange_protocol() = default;

  // --- Who and where -------------------------------------------------------------------
  [[nodiscard]] virtual const connector_info& info() const noexcept = 0;
  [[nodiscard]] virtual const endpoints& urls() const noexcept = 0;
  /// Pools and endpoint weights for net::rate_limiter; every prepared_request names one.
  [[nodiscard]] virtual net::rate_limit_table rate_limits() const = 0;
  [[nodiscard]] virtual book_sync_spec book_sync() const = 0;
  /// Client order id rules (§A4) for core's client_order_id_generator.
  [[nodiscard]] virtual client_order_id_format client_order_ids() const = 0;
  /// The exchange's usual symbol for a pair, for tools and tests that have no market list.
  /// Live code maps through the symbol_map from parse_trading_rules instead.
  [[nodiscard]] virtual std::string default_symbol(const trading_pair& pair) const = 0;

  // --- Public REST ---------------------------------------------------------------------
  [[nodiscard]] virtual prepared_request server_time() const = 0;
  [[nodiscard]] virtual prepared_request trading_rules() const = 0;
  /// `depth` levels a side; connectors round up to a depth the exchange offers.
  [[nodiscard]] virtual prepared_request depth_snapshot(std::string_view symbol,
                                                        int depth) const = 0;

  // --- Private REST (signed) -----------------------------------------------------------
  [[nodiscard]] virtual expected<prepared_request, request_error> place_order(
      std::string_view symbol, const order_request& order, const signing_context& signing) const = 0;
  [[nodiscard]] virtual expected<prepared_request, request_error> cancel_order(
      std::string_view symbol, std::string_view client_order_id,
      const signing_context& signing) const = 0;
  [[nodiscard]] virtual expected<prepared_request, request_error> cancel_all(
      std::string_view symbol, const signing_context& signing) const = 0;
  [[nodiscard]] virtual expected<prepared_request, request_error> order_status(
      std::string_view symbol, std::string_view client_order_id,
      const signing_context& signing) const = 0;
  [[nodiscard]] virtual expected<prepared_request, request_error> open_orders(
      std::string_view symbol, const signing_context& signing) const = 0;
  /// The account's fills on a market from `since` on (oldest first, as many as one page holds).
  [[nodiscard]] virtual expected<prepared_request, request_error> fills_since(
      std::string_view symbol, timestamp since, const signing_context& signing) const = 0;
  [[nodiscard]] virtual expected<prepared_request, request_error> balances(
      const signing_context& signing) const = 0;

  // --- Perpetuals (default: unsupported) ------------------------------------------------
  [[nodiscard]] virtual expected<prepared_request, request_error> positions(
      const signing_context& signing) const;
  [[nodiscard]] virtual expected<prepared_request, request_error> set_leverage(
      std::string_view symbol, int leverage, const signing_context& signing) const;
  [[nodiscard]] virtual expected<prepared_request, request_error> position_mode(
      const signing_context& signing) const;
  [[nodiscard]] virtual expected<prepared_request, request_error> set_position_mode(
      tern::position_mode mode, const signing_context& signing) const;
  [[nodiscard]] virtual expected<prepared_request, request_error> funding_info(
      std::string_view symbol) const;
  [[nodiscard]] virtual expected<prepared_request, request_error> funding_payments(
      std::string_view symbol, timestamp since, const signing_context& signing) const;

  // --- REST responses --------------------------------------------------------------------
  // Each takes the whole response: a non-2xx status or an error body becomes an
  // exchange_error classified for the request's kind.
  [[nodiscard]] virtual expected<timestamp, exchange_error> parse_server_time(
      const net::http_response& response) const = 0;
  /// `account` names the connector account in the instruments ("binance_main").
  [[nodiscard]] virtual expected<instrument_list, exchange_error> parse_trading_rules(
      const net::http_response& response, std::string_view account) const = 0;
  [[nodiscard]] virtual expected<book_snapshot, exchange_error> parse_depth_snapshot(
      const net::http_response& response, const trading_pair& pair, timestamp received) const = 0;
  [[nodiscard]] virtual expected<order_ack, exchange_error> parse_place_order(
      const net::http_response& response, const symbol_map& symbols) const = 0;
  [[nodiscard]] virtual expected<order_report, exchange_error> parse_cancel_order(
      const net::http_response& response, const symbol_map& symbols) const = 0;
  [[nodiscard]] virtual expected<cancel_all_result, exchange_error> parse_cancel_all(
      const net::http_response& response, const symbol_map& symbols) const = 0;
  [[nodiscard]] virtual expected<order_report, exchange_error> parse_order_status(
      const net::http_response& response, const symbol_map& symbols) const = 0;
  [[nodiscard]] virtual expected<std::vector<order_report>, exchange_error> parse_open_orders(
      const net::http_response& response, const symbol_map& symbols) const = 0;
  [[nodiscard]] virtual expected<std::vector<fill>, exchange_error> parse_fills(
      const net::http_response& response, const symbol_map& symbols) const = 0;
  [[nodiscard]] virtual expected<std::vector<balance>, exchange_error> parse_balances(
      const net::http_response& response) const = 0;

  [[nodiscard]] virtual expected<std::vector<position>, exchange_error> parse_positions(
      const net::http_response& response, const symbol_map& symbols) const;
  /// The leverage the exchange confirmed.
  [[nodiscard]] virtual expected<int, exchange_error> parse_set_leverage(
      const net::http_response& response) const;
  [[nodiscard]] virtual expected<tern::position_mode, exchange_error> parse_position_mode(
      const net::http_response& response) const;
  [[nodiscard]] virtual expected<void, exchange_error> parse_set_position_mode(
      const net::http_response& response) const;
  [[nodiscard]] virtual expected<tern::funding_info, exchange_error> parse_funding_info(
      const net::http_response& response, const trading_pair& pair) const;
  [[nodiscard]] virtual expected<std::vector<funding_payment>, exchange_error>
  parse_funding_payments(const net::http_response& response, const symbol_map& symbols) const;

  /// Reads any failed response (non-2xx, or an error body) as an exchange_error for a request
  /// of `kind`. The parsers above call it; actors call it for responses they do not parse.
  [[nodiscard]] virtual exchange_error classify_error(const net::http_response& response,
                                                      request_kind kind) const = 0;

  // --- Public streams --------------------------------------------------------------------
  /// The connections to open and the subscribe messages to send for `symbols`, request ids
  /// counting up from `first_request_id`.
  [[nodiscard]] virtual std::vector<ws_connection_plan> public_streams(
      const std::vector<std::string>& symbols, std::int64_t first_request_id) const = 0;
  /// A parser for frames of the public connections, naming events by the pairs in `markets`
  /// (and converting contract sizes by its contract_size).
  [[nodiscard]] virtual std::unique_ptr<public_stream_parser> make_public_parser(
      symbol_map markets) const = 0;
  /// For ws_snapshot_then_deltas books: the messages that make the stream send a fresh snapshot
  /// of `symbol`'s book on its open connection (unsubscribe, then subscribe), after the book
  /// sync asked for a resync. Empty where a resync is a REST snapshot (the default).
  [[nodiscard]] virtual std::vector<std::string> book_resubscription(
      std::string_view symbol, std::int64_t request_id) const;

  // --- Private stream ----------------------------------------------------------------------
  [[nodiscard]] virtual user_stream_plan user_stream() const = 0;
  /// REST requests for the stream token (listen key); unsupported where none is needed.
  [[nodiscard]] virtual expected<prepared_request, request_error> user_stream_token(
      const credentials& keys) const;
  [[nodiscard]] virtual expected<prepared_request, request_error> user_stream_keepalive(
      const credentials& keys, std::string_view token) const;
  [[nodiscard]] virtual expected<prepared_request, request_error> user_stream_close(
      const credentials& keys, std::string_view token) const;
  [[nodiscard]] virtual expected<std::string, exchange_error> parse_user_stream_token(
      const net::http_response& response) const;
  /// The private connection: URL (with the token, where the exchange wants one) and the
  /// messages to send once connected (signed subscribe, login), signed with `signing`.
  /// `request_id` tags the request so its acknowledgement can be matched.
  [[nodiscard]] virtual expected<ws_connection_plan, request_error> private_stream(
      const signing_context& signing, std::string_view token,
      std::string_view request_id) const = 0;
  /// Reads one private frame into events. Frames the connector ignores on purpose yield an
  /// empty list; unknown and malformed frames a frame_problem.
  [[nodiscard]] virtual expected<std::vector<private_event>, frame_problem> parse_private_frame(
      std::string_view frame, const symbol_map& symbols, timestamp received) const = 0;

 protected:
  /// "<call> is not supported by <connector>", for the defaults above.
  [[nodiscard]] request_error unsupported_request(std::string_view call) const;
  [[nodiscard]] exchange_error unsupported_response(std::string_view call) const;
};

} // namespace tern
