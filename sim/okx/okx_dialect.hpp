#pragma once

// OKX v5, spot ("okx") and perpetual swap ("okx_perpetual"), written from OKX's v5 API docs.
// The two flavours share every endpoint and channel; they differ in the instrument type (SPOT /
// SWAP), instrument ids (BTC-USDT / BTC-USDT-SWAP), size units (base / contracts of ctVal base
// each, converted here: the engine works in base units) and what only swaps have (positions,
// leverage, position mode, funding, mark price).
//
//  - REST (sim/okx/public_rest.cpp, trading.cpp, orders.cpp, account.cpp): a table of routes
//    with OKX's per-endpoint rate limits; every request goes parse, authentication (private
//    endpoints), rate limit, handler; answers are {"code","msg","data"} envelopes, order failures per item (sCode).
//    account.cpp also keeps the bills OKX lists under account/bills and bills-archive; the
//    simulator records funding fees (type 8) only.
//  - WebSocket (public_streams.cpp, private_streams.cpp): /ws/v5/public (books, books5,
//    bbo-tbt, trades, mark-price, funding-rate) and /ws/v5/private (login, then
//    orders, account, positions); "ping" is answered "pong".

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "sim/dialect.hpp"
#include "sim/okx/auth.hpp"
#include "sim/okx/limits.hpp"
#include "sim/okx/wire.hpp"

namespace tern::sim::okx {

enum class flavour : std::uint8_t { spot, swap };

class okx_dialect final : public dialect {
 public:
  explicit okx_dialect(flavour kind);

  [[nodiscard]] std::string_view name() const noexcept override;
  [[nodiscard]] market_kind kind() const noexcept override;
  [[nodiscard]] std::string symbol_for(std::string_view base, std::string_view quote) const override;
  expected<void, std::string> attach(exchange_state& state) override;
  rest_outcome handle_rest(const net::server_request& raw) override;
  net::server_response fault_response(const fault& applied) override;
  bool open_stream(stream_session& session) override;
  void on_stream_message(stream_session& session, std::string_view payload) override;
  void on_stream_closed(stream_session& session) override;
  void publish(const event_buffer& events) override;
  std::optional<timestamp> on_tick(timestamp now) override;
  [[nodiscard]] std::vector<endpoint_info> endpoints(std::string_view host, std::uint16_t port) const override;

 private:
  /// A successful answer: data, and the top-level code ("0"; "2" when a batch partly failed).
  struct answer {
    json data = json::array();
    std::string code = "0";
    std::string msg;
    bool gateway_times = false;  ///< add inTime / outTime (trade endpoints)
  };
  struct call {
    const request& req;
    const account_credentials* account;  ///< null for public endpoints
    request_record& record;
    timestamp now;
  };
  using handler = std::function<expected<answer, api_error>(call&)>;
  struct route {
    std::string method;
    std::string path;
    bool is_private = false;
    limit_rule limit;
    bool new_order = false;
    handler handle;
  };
  /// What OKX reports about an order that the engine does not keep.
  struct order_extras {
    std::string trade_mode;   ///< tdMode
    decimal fee;              ///< accumulated, charged (reported negative)
    std::string fee_asset;
    decimal pnl;
  };
  /// One bill (account/bills): the simulator records funding fees only (type 8, subType 173
  /// expense or 174 income).
  struct bill {
    std::int64_t id = 0;
    std::string symbol;
    std::string asset;
    position_side pos_side = position_side::both;
    decimal change;   ///< balChg and pnl: negative was paid
    decimal balance;  ///< bal: the asset's balance after the bill
    decimal size;     ///< sz: the position's size, base units
    decimal mark;     ///< px: the mark price funding was charged at
    timestamp time{};
  };
  struct private_subscription {
    std::string channel;      ///< orders, account, positions
    std::string inst_type;    ///< SPOT, SWAP, ANY ("" for account)
    std::string inst_id;
    std::string ccy;
    json arg;                 ///< as subscribed, echoed in pushes with the uid
  };
  struct connection {
    bool is_private = false;
    std::optional<account_id> account;
    std::vector<private_subscription> subscriptions;
    std::string conn_id;
  };
  /// books: incremental frames chained by seqId / prevSeqId, flushed every 100 ms.
  struct book_feed {
    std::string symbol;
    std::string channel;      ///< the hub's channel ("books:BTC-USDT")
    update_id last_sent = 0;  ///< seqId of the last frame
    std::map<decimal, decimal, std::greater<>> bids;  ///< changed since the last frame
    std::map<decimal, decimal> asks;
    timestamp last_frame{};
  };
  /// books5 / bbo-tbt: snapshots of the top levels, pushed when they change.
  struct top_feed {
    std::string symbol;
    std::string channel;
    std::size_t depth = 5;
    std::string last_levels;  ///< the levels last sent, to push only changes
  };

  // okx_dialect.cpp: routing and the REST flow
  void add_route(route entry) { routes_.push_back(std::move(entry)); }
  [[nodiscard]] const route* find_route(const std::string& method, const std::string& path, bool& known) const;
  rest_outcome refuse(const api_error& error, request_record record);
  [[nodiscard]] std::string scope_key(const route& entry, const request& req, const account_credentials* account) const;
  void check_options(std::vector<std::string>& problems);

  // public_rest.cpp: instruments and public market data over REST; sizes
  void add_public_routes();
  expected<answer, api_error> instruments(call& current);
  expected<answer, api_error> books(call& current);
  expected<answer, api_error> funding_rate(call& current);
  expected<answer, api_error> mark_price(call& current);
  [[nodiscard]] json instrument_json(const matching_engine& engine) const;
  [[nodiscard]] json funding_json(const matching_engine& engine, timestamp now) const;
  [[nodiscard]] json level_list(const matching_engine& engine, side s, const std::vector<price_level>& levels) const;
  [[nodiscard]] expected<matching_engine*, api_error> instrument_of(const request& req) const;
  [[nodiscard]] std::string inst_type() const { return flavour_ == flavour::spot ? "SPOT" : "SWAP"; }
  /// Base units per contract (1 on spot, where sizes are in the base asset).
  [[nodiscard]] decimal contract_value(std::string_view symbol) const;
  [[nodiscard]] decimal to_venue_size(std::string_view symbol, decimal base) const;
  /// Base units for a size in OKX's units; nullopt when it is not a whole number of the engine's step.
  [[nodiscard]] std::optional<decimal> to_base(std::string_view symbol, decimal size) const;
  [[nodiscard]] std::string size_text(std::string_view symbol, decimal base) const {
    return number(to_venue_size(symbol, base));
  }

  // trading.cpp: orders
  void add_trading_routes();
  expected<answer, api_error> place(call& current);
  expected<order_request, item_error> read_order(call& current, const json& item, matching_engine& engine,
                                                 order_extras& extras);
  expected<answer, api_error> cancel(call& current);
  expected<answer, api_error> cancel_batch(call& current);
  json cancel_item(call& current, const json& item, item_error& failure);
  expected<answer, api_error> amend(call& current);
  expected<answer, api_error> order_details(call& current);
  expected<answer, api_error> pending_orders(call& current);
  expected<answer, api_error> fills(call& current);
  /// The order an item names by ordId or clOrdId (open or recently finished).
  expected<order_view, item_error> find_named(call& current, const json& item, matching_engine& engine) const;

  // orders.cpp: order ids, what the engine does not keep, and rendering
  [[nodiscard]] std::string order_id_text(const order_view& order) const;
  [[nodiscard]] std::optional<order_id> engine_order_id(std::string_view symbol, std::string_view text) const;
  /// An order as OKX reports it; `push` adds the orders channel's fields (fill of this event).
  [[nodiscard]] json order_json(const order_view& order, const fill_detail* fill, bool push) const;
  [[nodiscard]] const order_extras* extras_of(const order_view& order) const;
  void remember(const order_view& order, order_extras extras);
  /// Adds a fill's fee and PnL to its order's extras (publish, event by event).
  void track_fill(const order_event& change);
  [[nodiscard]] std::string uid_of(account_id account) const;

  // account.cpp: balances, positions, leverage, position mode
  void add_account_routes();
  expected<answer, api_error> balance(call& current);
  expected<answer, api_error> positions(call& current);
  expected<answer, api_error> set_leverage(call& current);
  expected<answer, api_error> set_position_mode(call& current);
  expected<answer, api_error> account_config(call& current);
  [[nodiscard]] json balance_detail(account_id account, const std::string& asset, timestamp now) const;
  [[nodiscard]] json balance_json(account_id account, const std::vector<std::string>& assets, timestamp now) const;
  [[nodiscard]] json position_json(account_id account, const matching_engine& engine, const position_view& position,
                                   timestamp now) const;
  /// A position as its update reports it (flat ones included, as pos "0").
  [[nodiscard]] json position_json(const position_update& update) const;
  expected<answer, api_error> bills(call& current);
  /// Keeps the funding settlements of user accounts among `events` as bills.
  void record_bills(const event_buffer& events);

  // public_streams.cpp: public channels
  /// Subscribes (or unsubscribes) one public channel: the ack, then the channel's first push.
  void subscribe_public(stream_session& session, const connection& conn, const json& arg, const std::string& id,
                        bool add);
  void initial_public(stream_session& session, const std::string& channel, const json& arg);
  void publish_market(const event_buffer& events);
  void flush_book(book_feed& feed, timestamp now);
  void send_book_snapshot(stream_session& session, book_feed& feed, timestamp now);
  void push_top(top_feed& feed, stream_session* only);
  void publish_trades(const event_buffer& events);
  void push_mark_price(const std::string& symbol, timestamp now, stream_session* only);
  void push_funding_rate(const std::string& symbol, timestamp now, stream_session* only);
  std::optional<timestamp> tick_market(timestamp now);
  /// The books checksum: CRC32 of the top 25 levels, bid and ask interleaved, as a signed int.
  [[nodiscard]] std::int32_t checksum(const matching_engine& engine) const;
  [[nodiscard]] json levels_json(const matching_engine& engine, side s, std::size_t depth) const;

  // private_streams.cpp: login and private channels
  void on_json(stream_session& session, const json& message);
  void login(stream_session& session, connection& conn, const json& message);
  void subscribe(stream_session& session, connection& conn, const json& message, bool add);
  void subscribe_private(stream_session& session, connection& conn, const json& arg, const std::string& id, bool add);
  void ws_error(stream_session& session, const connection& conn, const std::string& code, const std::string& msg,
                const std::string& id = {});
  [[nodiscard]] json ack(const connection& conn, const json& arg, const std::string& id, bool add) const;
  void publish_private(const event_buffer& events);
  void push_private(account_id account, std::string_view channel, std::string_view inst_id, const json& data);
  void send_private_snapshot(stream_session& session, connection& conn, const private_subscription& sub);
  [[nodiscard]] std::string private_frame(const private_subscription& sub, account_id account, const json& data) const;

  flavour flavour_;
  exchange_state* state_ = nullptr;
  std::vector<route> routes_;
  rate_limits limits_;
  std::map<std::string, std::int64_t> limit_overrides_;
  bool crc32_checksums_ = true;  ///< "books_checksum": "crc32" (default) or "zero"
  std::map<std::string, int, std::less<>> market_numbers_;  ///< symbol -> 1.., for order ids

  std::unordered_map<std::string, order_extras> extras_;    ///< by order_id_text
  std::deque<std::string> extras_fifo_;

  std::unordered_map<std::uint64_t, connection> connections_;
  std::map<std::string, book_feed> book_feeds_;   ///< by channel
  std::map<std::string, top_feed> top_feeds_;     ///< by channel
  std::map<std::string, timestamp> mark_due_;     ///< by symbol
  std::map<std::string, decimal> mark_sent_;      ///< by symbol
  std::map<std::string, timestamp> funding_due_;  ///< by symbol
  timestamp next_book_flush_{};
  std::unordered_map<account_id, std::deque<bill>> bills_;  ///< newest last
  std::int64_t next_bill_id_ = 1;
};

} // namespace tern::sim::okx
