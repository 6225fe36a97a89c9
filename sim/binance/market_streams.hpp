#pragma once

// Binance market-data WebSocket streams (web-socket-streams.md; USD-M futures market streams):
// raw (/ws/<stream>...) and combined (/stream?streams=a/b, frames wrapped in
// {"stream","data"}) connections, live SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS /
// SET_PROPERTY / GET_PROPERTY, and the streams themselves:
//   <symbol>@depth[@100ms|@250ms|@500ms|@0ms]  depthUpdate diffs with U/u (futures: pu, T),
//       aggregated over the interval (spot @depth: 1000 ms; futures @depth: 250 ms);
//   <symbol>@trade, <symbol>@aggTrade (futures), <symbol>@bookTicker, <symbol>@markPrice[@1s].
// A depth frame's U is the first update id of its first engine record and u the last of its
// last; futures frames chain with pu = the previous frame's u on that stream.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/decimal.hpp"
#include "sim/events.hpp"
#include "sim/exchange_state.hpp"
#include "sim/stream_hub.hpp"

namespace tern::sim::binance {

enum class flavour : std::uint8_t { spot, usdm };

class market_streams {
 public:
  explicit market_streams(flavour kind) : flavour_(kind) {}
  void attach(exchange_state& state) { state_ = &state; }

  /// Accepts /ws, /ws/<streams>, /stream?streams=... (futures also under /public, /market);
  /// false for any other path or an unknown stream in it.
  bool open(stream_session& session);
  /// A control message on a market-data connection.
  void on_message(stream_session& session, std::string_view payload);

  /// Engine events: depth records feed the aggregators, trades go out at once, and the book
  /// ticker follows the top of each book changed in the batch.
  void publish(const event_buffer& events);
  /// Flushes the depth aggregators and mark price streams that are due; returns the next due time.
  std::optional<timestamp> on_tick(timestamp now);

  /// The channel (normalised stream name) for `name`, or nullopt when it is not a stream here.
  [[nodiscard]] std::optional<std::string> channel_for(std::string_view name) const;

 private:
  struct depth_aggregator {
    std::string symbol;
    std::string channel;
    std::chrono::milliseconds interval{0};  ///< 0: one frame per engine record
    update_id first = 0;                    ///< 0: nothing pending
    update_id last = 0;
    update_id previous = 0;                 ///< u of the last frame sent (futures pu)
    timestamp transaction_time{};
    std::map<decimal, decimal, std::greater<>> bids;
    std::map<decimal, decimal> asks;
    timestamp next_flush{};
  };
  struct number_format {
    int price_places = 8;
    int quantity_places = 8;
  };

  void subscribe(stream_session& session, const std::string& channel);
  void unsubscribe(stream_session& session, const std::string& channel);
  void add_to(depth_aggregator& aggregator, const book_update& update);
  void flush(depth_aggregator& aggregator, timestamp now);
  void publish_trade(const public_trade& trade);
  void publish_book_ticker(const std::string& symbol, timestamp time);
  void publish_mark_price(const std::string& channel, const std::string& symbol, timestamp now);
  void send_frame(const std::string& channel, stream_kind kind, const std::string& data);
  [[nodiscard]] number_format format_of(const std::string& symbol) const;
  [[nodiscard]] std::string level_list(const std::string& symbol, const auto& levels) const;
  void control_reply(stream_session& session, const std::string& id_json, const std::string& result_json);

  flavour flavour_;
  exchange_state* state_ = nullptr;
  std::unordered_map<std::string, depth_aggregator> depth_;  ///< by channel
  std::unordered_map<std::string, std::vector<std::string>> depth_by_symbol_;
  std::map<std::string, timestamp> mark_price_due_;  ///< by channel
  std::unordered_map<std::string, std::pair<price_level, price_level>> last_top_;  ///< by symbol
};

} // namespace tern::sim::binance
