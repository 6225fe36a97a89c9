#pragma once

// The vocabulary of exchange_protocol (connectors/common/exchange_protocol.hpp): what a
// connector says about itself, the requests it builds and the results its parsers return.
// Exchange-neutral: every connector fills these, actors consume them.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/common/credentials.hpp"
#include "connectors/common/exchange_error.hpp"
#include "connectors/common/query_string.hpp"
#include "connectors/common/sequenced_book_sync.hpp"
#include "connectors/common/snapshot_delta_book_sync.hpp"
#include "connectors/common/symbol_map.hpp"
#include "core/decimal.hpp"
#include "core/events.hpp"
#include "core/instrument.hpp"
#include "core/order_state.hpp"
#include "core/types.hpp"
#include "net/http_types.hpp"

namespace tern {

/// Which deployment the default endpoints point at. The simulator is not one of them: it
/// passes its own `endpoints`.
enum class environment : std::uint8_t { live, testnet };

/// Where a connector connects. A plain struct so config or the simulator can fill it.
struct endpoints {
  std::string rest;        ///< REST origin, e.g. "https://api.binance.com"
  std::string public_ws;   ///< public stream: books and tickers (all public data if no market_ws)
  std::string market_ws;   ///< second public stream where the exchange splits them (Binance
                           ///< USD-M: trades, mark price); empty when public_ws carries all
  std::string private_ws;  ///< private stream, or the WebSocket API serving the user stream;
                           ///< where a token goes in the URL, "{listenKey}" marks its place
  friend bool operator==(const endpoints&, const endpoints&) = default;
};

/// How a connector is set up: where it connects and how it names orders. Built from config
/// by the app; tools and tests use the defaults.
struct protocol_options {
  environment env = environment::live;
  /// Replaces the environment's default endpoints when set (the simulator, a proxy).
  std::optional<endpoints> urls;
  /// Replaces the connector's default client order id prefix when set (a broker id).
  std::optional<std::string> client_order_id_prefix;
};

/// How the order book is kept in step (§A8 variants).
enum class book_sync_kind : std::uint8_t {
  rest_snapshot_sequenced_diffs,  ///< REST snapshot + WS diffs with ids (sequenced_book_sync)
  ws_snapshot_then_deltas,        ///< the stream sends a snapshot, then deltas
  ws_full_snapshots,              ///< every message is a whole book
  rest_polling,                   ///< no stream: poll snapshots
};

/// How the private stream is opened (§A9).
enum class user_stream_kind : std::uint8_t {
  ws_api_signature,  ///< a signed subscribe request on a WebSocket API connection
  listen_key,        ///< a REST-created token in the stream URL, kept alive over REST
  ws_login,          ///< a signed login on the private stream, then subscriptions
};

[[nodiscard]] std::string_view to_string(book_sync_kind value) noexcept;
[[nodiscard]] std::string_view to_string(user_stream_kind value) noexcept;

/// What a connector supports. Actors consult it before asking; docs/connectors/<exchange>.md
/// shows it as a table.
struct capabilities {
  bool limit = true;
  bool limit_maker = false;            ///< post-only orders
  bool market = false;
  bool ioc = false;                    ///< immediate-or-cancel limit orders
  bool fok = false;                    ///< fill-or-kill limit orders
  bool cancel_all = false;             ///< one request cancels every order on a market
  bool cancel_is_synchronous = false;  ///< a successful cancel response means cancelled (§A5)
  bool one_way_mode = false;           ///< perpetuals: one position per market
  bool hedge_mode = false;             ///< perpetuals: long and short positions side by side
  bool set_leverage = false;
  bool funding = false;                ///< funding info and payments
  bool balance_push = false;           ///< the private stream reports balances
  book_sync_kind book_sync = book_sync_kind::rest_snapshot_sequenced_diffs;
  user_stream_kind user_stream = user_stream_kind::ws_login;
};

/// Who a connector is.
struct connector_info {
  std::string_view name;      ///< Hummingbot's connector name: "binance", "binance_perpetual"
  std::string_view exchange;  ///< the exchange: "binance"
  market_kind kind = market_kind::spot;
  capabilities caps;
};

/// The book-sync rule and the snapshot depth it fetches.
struct book_sync_spec {
  book_sync_kind kind = book_sync_kind::rest_snapshot_sequenced_diffs;
  book_sync_policy policy;  ///< for rest_snapshot_sequenced_diffs (sequenced_book_sync)
  int snapshot_depth = 1000;
  /// For ws_snapshot_then_deltas (snapshot_delta_book_sync): the sequence and checksum rules.
  snapshot_delta_policy stream_policy;
};

/// A request ready to send: the HTTP request (target holds path and query), the origin it goes
/// to, the rate-limit endpoint it draws on, and what kind of request it is (which decides what
/// its failure means).
struct prepared_request {
  net::http_request http;
  std::string base_url;  ///< origin, e.g. "https://api.binance.com"
  std::string limit_id;  ///< id of the endpoint in the connector's rate_limit_table
  request_kind kind = request_kind::query;
  /// base_url + target.
  [[nodiscard]] std::string url() const { return base_url + http.target; }
};

/// Why a request could not be built (a missing price, a call the connector lacks). Names the
/// parameter; never carries a secret.
struct request_error {
  std::string message;
};

/// What signing needs besides the request: credentials and the time. The time is an argument
/// (exchange server time as estimated by net::clock_sync), never read here.
struct signing_context {
  const credentials& keys;
  std::int64_t timestamp_ms = 0;
  /// How long the exchange may accept the request after `timestamp_ms`; not sent when empty.
  std::optional<std::int64_t> recv_window_ms;
};

/// An order to place, already validated and quantized (core/instrument.hpp validate_order).
struct order_request {
  /// Sent to the exchange. Empty only from tools: the exchange then makes one up, and the order
  /// cannot be matched to its reports before the ack.
  std::string client_order_id;
  side order_side = side::buy;
  order_type type = order_type::limit;
  time_in_force tif = time_in_force::gtc;  ///< for limit orders
  decimal price;                           ///< limit price; ignored for market orders
  decimal amount;                          ///< base amount
  position_action action = position_action::none;  ///< perpetuals: open or close
  position_mode mode = position_mode::one_way;     ///< perpetuals: the account's mode
  /// Base amount of one contract, for markets the exchange sizes in contracts (OKX swaps:
  /// ctVal), from symbol_map::contract_size. Connectors for such markets convert `amount` with it
  /// and refuse an order without it; others ignore it.
  std::optional<decimal> contract_size;
  /// Exchange-specific parameters passed through as given, after the standard ones. A name
  /// the connector already sends is refused rather than sent twice.
  query_params extra;
};

/// What every connector checks before building an order: a positive amount, a positive price
/// unless it is a market order, a time in force other than GTC on limit orders only, and a
/// position action on perpetual orders and none on spot ones. The error says which.
[[nodiscard]] expected<void, request_error> check_order(const order_request& order,
                                                        market_kind kind);

/// The exchange's answer to an order placement.
struct order_ack {
  std::string pair;
  std::string client_order_id;
  std::string exchange_order_id;
  order_state state = order_state::open;  ///< open unless the response says more
  timestamp exchange_time{};
  decimal executed_base;
  std::vector<fill> fills;  ///< executions carried in the response (Binance spot FULL)
};

/// An order as a status query, open-orders list or cancel response reports it.
struct order_report {
  std::string pair;
  std::string client_order_id;
  std::string exchange_order_id;
  order_state state = order_state::open;
  side order_side = side::buy;
  std::string type;  ///< the exchange's order type, as sent (may be one Tern does not place)
  decimal price;
  decimal amount;
  decimal executed_base;
  decimal executed_quote;
  timestamp update_time{};
  /// Why the exchange ended the order, where it says (OKX cancelSource "31" and its meaning);
  /// empty for orders the owner cancelled and exchanges that give no reason.
  std::string end_code;
  std::string end_reason;
  /// The report as an order update for in_flight_order::reconcile.
  [[nodiscard]] order_update to_update() const;
};

/// The markets an exchange lists, with their rules, and the symbol map built from them.
struct instrument_list {
  std::vector<instrument> instruments;  ///< tradable markets only, sorted by pair
  symbol_map symbols;                   ///< both ways for every instrument
  /// One line per malformed market entry (§A3: logged and skipped, never fatal), e.g.
  /// "ETHBTC: LOT_SIZE: field \"stepSize\": ...". Markets that are not trading, or are another
  /// product (a quarterly future, a margin-only pair), are left out silently.
  std::vector<std::string> skipped;
};

/// The answer to cancel-all: the orders reported cancelled, when the exchange lists them
/// (Binance spot does; USD-M only confirms).
struct cancel_all_result {
  std::vector<order_report> cancelled;
};

/// A WebSocket connection to open: its URL and the text messages to send once it is up. The
/// messages go in order, each after the one before was acknowledged (the stream parser's
/// stream_control `subscribed`), so a login precedes the subscriptions that need it (OKX);
/// a `request_failed` stops the sequence.
struct ws_connection_plan {
  std::string url;
  std::vector<std::string> messages;
  /// An application-level keep-alive: send `ping_message` as a text frame whenever nothing has
  /// been received for `ping_after_idle`, and expect a stream_control heartbeat back (OKX:
  /// "ping" within 30 s of silence, answered by "pong"). Empty where WebSocket pings suffice.
  std::string ping_message;
  std::chrono::seconds ping_after_idle{};
};

/// How the private stream is kept: its kind, and how often a keep-alive must be sent (zero
/// when the exchange needs none beyond WebSocket pings).
struct user_stream_plan {
  user_stream_kind kind = user_stream_kind::ws_login;
  std::chrono::seconds keepalive_interval{};
};

} // namespace tern
