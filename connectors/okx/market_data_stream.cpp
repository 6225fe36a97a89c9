// The OKX public_stream_parser (market_data.hpp): routes each frame by its "arg" channel and
// instrument and reads books, trades and funding-rate pushes with simdjson's DOM parser, whose
// strings are views of the frame: the levels' wire text is copied once into the caller's
// book_levels_text, and nothing is allocated per frame once the buffers have grown.

#include <simdjson.h>

#include <charconv>
#include <cstdint>
#include <cstring>

#include "connectors/common/decimal_text.hpp"
#include "connectors/okx/errors.hpp"
#include "connectors/okx/market_data.hpp"
#include "connectors/okx/responses.hpp"

namespace tern::okx {

namespace {

namespace dom = simdjson::dom;
using result = expected<public_event_kind, frame_problem>;

frame_problem malformed(std::string_view channel, std::string detail) {
  return frame_problem{frame_problem::kind_type::malformed, std::string{channel}, std::move(detail)};
}

frame_problem unknown(std::string_view channel, std::string detail) {
  return frame_problem{frame_problem::kind_type::unknown, std::string{channel}, std::move(detail)};
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\r'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

// Milliseconds written as a string of digits ("ts": "1597026383085").
bool read_ms(dom::object object, const char* field, timestamp& out) {
  std::string_view text;
  if (object[field].get(text) != simdjson::SUCCESS)
    return false;
  std::int64_t ms = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (error != std::errc{} || end != text.data() + text.size() || text.empty())
    return false;
  out = from_unix_ms(ms);
  return true;
}

bool read_decimal(dom::object object, const char* field, decimal& out) {
  std::string_view text;
  if (object[field].get(text) != simdjson::SUCCESS)
    return false;
  auto value = parse_decimal_text(text);
  if (!value)
    return false;
  out = *value;
  return true;
}

class market_stream_parser final : public public_stream_parser {
 public:
  explicit market_stream_parser(symbol_map markets) : markets_(std::move(markets)) {}

  result parse(std::string_view frame, timestamp received, public_frame& out) override {
    if (trim(frame) == pong_message) {
      out.control = stream_control{stream_control_kind::heartbeat, {}, std::string{pong_message}, {}};
      return public_event_kind::control;
    }
    dom::object root;
    if (auto problem = load(frame, root))
      return unexpected{std::move(*problem)};
    std::string_view event;
    if (root["event"].get(event) == simdjson::SUCCESS)
      return read_event(root, event, out);
    dom::object arg;
    std::string_view channel;
    std::string_view symbol;
    if (root["arg"].get(arg) != simdjson::SUCCESS || arg["channel"].get(channel) != simdjson::SUCCESS)
      return unexpected{unknown("", "no \"event\" and no \"arg\".\"channel\": "
                                        + std::string{frame.substr(0, 80)})};
    if (channel != book_channel && channel != "trades" && channel != "funding-rate")
      return unexpected{unknown(channel, "channel not handled")};
    if (arg["instId"].get(symbol) != simdjson::SUCCESS)
      return unexpected{malformed(channel, "field \"arg\".\"instId\": missing or not a string")};
    const trading_pair* pair = markets_.pair_of(symbol);
    if (pair == nullptr)
      return unexpected{unknown(channel, "symbol \"" + std::string{symbol}
                                             + "\" is not one of the connector's markets")};
    dom::object data;
    if (first_data(root, data) != simdjson::SUCCESS)
      return unexpected{malformed(channel, "field \"data\": expected an array of objects")};
    pair_text_ = pair->to_string();
    if (channel == book_channel)
      return read_book(root, data, symbol, received, out);
    if (channel == "trades")
      return read_trade(root, data, symbol, received, out);
    return read_funding(data, out);
  }

 private:
  std::optional<frame_problem> load(std::string_view frame, dom::object& root) {
    buffer_.resize(frame.size() + simdjson::SIMDJSON_PADDING);
    std::memcpy(buffer_.data(), frame.data(), frame.size());
    std::memset(buffer_.data() + frame.size(), 0, simdjson::SIMDJSON_PADDING);
    dom::element document;
    if (auto error = parser_.parse(buffer_.data(), frame.size(), false).get(document))
      return malformed(frame_channel(frame), std::string{"not JSON ("} + simdjson::error_message(error)
                                              + "): " + std::string{frame.substr(0, 80)});
    if (document.get(root) != simdjson::SUCCESS)
      return malformed("", "not a JSON object: " + std::string{frame.substr(0, 80)});
    return std::nullopt;
  }

  static simdjson::error_code first_data(dom::object root, dom::object& out) {
    dom::array data;
    if (auto error = root["data"].get(data))
      return error;
    if (data.size() == 0)
      return simdjson::INDEX_OUT_OF_BOUNDS;
    return data.at(0).get(out);
  }

  result read_event(dom::object root, std::string_view event, public_frame& out) {
    stream_control control;
    std::string_view text;
    if (root["id"].get(text) == simdjson::SUCCESS)
      control.request_id = std::string{text};
    control.detail = std::string{event};
    std::string code;
    std::string message;
    if (root["code"].get(text) == simdjson::SUCCESS)
      code = std::string{text};
    if (root["msg"].get(text) == simdjson::SUCCESS)
      message = std::string{text};
    if (event == "subscribe" || event == "unsubscribe" || event == "login") {
      control.kind = stream_control_kind::subscribed;
    } else if (event == "error") {
      control.kind = stream_control_kind::request_failed;
      control.detail = message;
      control.error = ws_error(code, message, request_kind::account_change);
    } else if (event == "notice" && code == std::to_string(codes::ws_service_upgrade)) {
      control.kind = stream_control_kind::server_shutdown;
      control.detail = message;
    } else {
      return unexpected{unknown(event, "event not handled" + (code.empty() ? "" : ", code " + code))};
    }
    out.control = std::move(control);
    return public_event_kind::control;
  }

  // Levels [[price, size, "0", orders], ...] into decimals (sizes in base) and wire text.
  std::optional<std::string> read_levels(dom::object data, const char* field,
                                         std::optional<decimal> contract_size,
                                         std::vector<price_level>& levels,
                                         std::vector<level_text>& text) {
    dom::array list;
    if (data[field].get(list) != simdjson::SUCCESS)
      return "field \"" + std::string{field} + "\": missing or not an array";
    levels.resize(list.size());
    text.resize(list.size());
    std::size_t i = 0;
    for (dom::element entry : list) {
      std::string_view price;
      std::string_view size;
      dom::array level;
      if (entry.get(level) != simdjson::SUCCESS || level.at(0).get(price) != simdjson::SUCCESS
          || level.at(1).get(size) != simdjson::SUCCESS)
        return "field \"" + std::string{field} + "\": expected [price, size, ...] strings";
      auto price_value = parse_decimal_text(price);
      auto size_value = parse_decimal_text(size);
      if (!price_value || !size_value)
        return "field \"" + std::string{field} + "\": bad number \""
               + std::string{price_value ? size : price} + "\"";
      levels[i].price = *price_value;
      levels[i].size = contract_size
                           ? decimal::multiply(*size_value, *contract_size, rounding::half_even)
                           : *size_value;
      text[i].price.assign(price);
      text[i].size.assign(size);
      ++i;
    }
    return std::nullopt;
  }

  // The contract size a swap's sizes need; nothing on spot. A swap without one is a problem.
  expected<std::optional<decimal>, frame_problem> contract_size(std::string_view channel,
                                                                std::string_view symbol) const {
    if (auto size = markets_.contract_size(symbol))
      return std::optional<decimal>{*size};
    auto check = detail::to_base(markets_, symbol, decimal{});
    if (!check)
      return unexpected{malformed(channel, check.error())};
    return std::optional<decimal>{};
  }

  result read_book(dom::object root, dom::object data, std::string_view symbol,
                   timestamp received, public_frame& out) {
    std::string_view action;
    if (root["action"].get(action) != simdjson::SUCCESS || (action != "snapshot" && action != "update"))
      return unexpected{malformed(book_channel, "field \"action\": expected snapshot or update")};
    auto size = contract_size(book_channel, symbol);
    if (!size)
      return unexpected{std::move(size).error()};
    bool snapshot = action == "snapshot";
    auto& bids = snapshot ? out.snapshot.bids : out.depth.bids;
    auto& asks = snapshot ? out.snapshot.asks : out.depth.asks;
    if (auto problem = read_levels(data, "bids", *size, bids, out.levels.bids))
      return unexpected{malformed(book_channel, std::move(*problem))};
    if (auto problem = read_levels(data, "asks", *size, asks, out.levels.asks))
      return unexpected{malformed(book_channel, std::move(*problem))};
    std::int64_t sequence = 0;
    std::int64_t previous = 0;
    std::int64_t checksum = 0;
    timestamp time{};
    if (data["seqId"].get(sequence) != simdjson::SUCCESS
        || data["prevSeqId"].get(previous) != simdjson::SUCCESS || !read_ms(data, "ts", time))
      return unexpected{
          malformed(book_channel, "fields \"seqId\", \"prevSeqId\" and \"ts\" are required")};
    out.levels.checksum.reset();
    if (data["checksum"].get(checksum) == simdjson::SUCCESS && checksum != 0) {
      if (checksum < INT32_MIN || checksum > INT32_MAX)
        return unexpected{malformed(book_channel, "field \"checksum\": not a 32-bit integer")};
      // OKX sends the CRC's 32 bits as a signed integer; 0 means "not computed" since the
      // field's deprecation.
      out.levels.checksum = static_cast<std::uint32_t>(static_cast<std::int32_t>(checksum));
    }
    if (snapshot) {
      out.snapshot.pair = pair_text_;
      out.snapshot.sequence = sequence;
      out.snapshot.exchange_time = time;
      out.snapshot.received_time = received;
      return public_event_kind::book_snapshot;
    }
    out.depth.pair = pair_text_;
    out.depth.first_sequence = sequence;
    out.depth.last_sequence = sequence;
    out.depth.previous_sequence = previous;
    out.depth.checksum = out.levels.checksum;
    out.depth.exchange_time = time;
    out.depth.received_time = received;
    return public_event_kind::book_delta;
  }

  result read_trade(dom::object root, dom::object data, std::string_view symbol,
                    timestamp received, public_frame& out) {
    dom::array all;
    if (root["data"].get(all) == simdjson::SUCCESS && all.size() > 1)
      return unexpected{malformed("trades", "frame carries " + std::to_string(all.size())
                                                + " trades; one a frame is read")};
    auto size = contract_size("trades", symbol);
    if (!size)
      return unexpected{std::move(size).error()};
    std::string_view trade_id;
    std::string_view taker;
    trade& t = out.trade_event;
    if (data["tradeId"].get(trade_id) != simdjson::SUCCESS
        || data["side"].get(taker) != simdjson::SUCCESS
        || !read_decimal(data, "px", t.price) || !read_decimal(data, "sz", t.size)
        || !read_ms(data, "ts", t.exchange_time) || (taker != "buy" && taker != "sell"))
      return unexpected{
          malformed("trades", "fields tradeId, px, sz, side (buy|sell) and ts are required")};
    if (*size)
      t.size = decimal::multiply(t.size, **size, rounding::half_even);
    t.pair = pair_text_;
    t.trade_id.assign(trade_id);
    t.taker_side = taker == "buy" ? side::buy : side::sell;
    t.received_time = received;
    return public_event_kind::trade;
  }

  result read_funding(dom::object data, public_frame& out) {
    funding_info& info = out.funding;
    if (!read_decimal(data, "fundingRate", info.rate)
        || !read_ms(data, "fundingTime", info.next_funding_time))
      return unexpected{malformed("funding-rate", "fields fundingRate and fundingTime are required")};
    info.pair = pair_text_;
    info.index_price = decimal{};
    info.mark_price = decimal{};
    return public_event_kind::funding_info;
  }

  symbol_map markets_;
  dom::parser parser_;
  std::vector<char> buffer_;
  std::string pair_text_;
};

} // namespace

std::string_view frame_channel(std::string_view frame) {
  constexpr std::string_view key = "\"channel\"";
  std::size_t at = frame.find(key);
  if (at == std::string_view::npos)
    return {};
  at = frame.find('"', frame.find(':', at + key.size()));
  if (at == std::string_view::npos)
    return {};
  std::size_t end = frame.find('"', at + 1);
  return end == std::string_view::npos ? std::string_view{} : frame.substr(at + 1, end - at - 1);
}

std::unique_ptr<public_stream_parser> make_market_stream_parser(symbol_map markets) {
  return std::make_unique<market_stream_parser>(std::move(markets));
}

} // namespace tern::okx
