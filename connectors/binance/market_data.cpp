#include "connectors/binance/market_data.hpp"

#include "connectors/common/decimal_text.hpp"

#include <simdjson.h>

#include <charconv>
#include <cstring>
#include <optional>
#include <vector>

namespace tern::binance {

namespace ondemand = simdjson::ondemand;

namespace {

constexpr std::size_t frame_excerpt_length = 160;

// Keys are compared raw, without unescaping: Binance keys are plain ASCII and the input is padded.
bool key_is(const ondemand::raw_json_string& key, std::string_view name) {
  return key.unsafe_is_equal(name);
}

// "btcusdt@depth@100ms" -> depth_update; partial-book streams ("@depth20") are not diffs.
std::optional<frame_kind> kind_of_stream(std::string_view stream) {
  auto at = stream.find('@');
  if (at == std::string_view::npos)
    return std::nullopt;
  std::string_view channel = stream.substr(at + 1);
  if (channel == "bookTicker")
    return frame_kind::book_ticker;
  if (channel == "trade")
    return frame_kind::trade;
  if (channel.substr(0, 5) == "depth" && (channel.size() == 5 || channel[5] == '@'))
    return frame_kind::depth_update;
  return std::nullopt;
}

std::optional<frame_kind> kind_of_event(std::string_view event) {
  if (event == "depthUpdate")
    return frame_kind::depth_update;
  if (event == "bookTicker")
    return frame_kind::book_ticker;
  if (event == "trade")
    return frame_kind::trade;
  return std::nullopt;
}

// The text of a decimal: a JSON string's content (Binance quotes prices and sizes), or a bare
// JSON number. raw_json_token includes the quotes and any whitespace that follows.
std::string_view decimal_text(std::string_view token) {
  if (!token.empty() && token.front() == '"') {
    auto close = token.find('"', 1);
    return close == std::string_view::npos ? std::string_view{} : token.substr(1, close - 1);
  }
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r'
                            || token.back() == '\t'))
    token.remove_suffix(1);
  return token;
}

// Reads a level array of exactly the shape Binance sends, [["price","size"],...] without
// whitespace, from padded text: walking it through the on-demand API costs more than reading the
// numbers. Returns false, leaving `out` as it was, on any other shape; the caller then takes the
// general path, which accepts every valid form and reports errors.
bool scan_levels(const char* text, std::vector<price_level>& out) {
  std::size_t start = out.size();
  const char* cursor = text + 1;  // past '['
  if (*cursor == ']')
    return true;
  while (cursor[0] == '[' && cursor[1] == '"') {
    price_level level;
    const char* stop = scan_plain_decimal_padded(cursor + 2, level.price);
    if (stop == nullptr || stop[0] != '"' || stop[1] != ',' || stop[2] != '"')
      break;
    stop = scan_plain_decimal_padded(stop + 3, level.size);
    if (stop == nullptr || stop[0] != '"' || stop[1] != ']')
      break;
    out.push_back(level);
    cursor = stop + 2;
    if (*cursor == ']')
      return true;
    if (*cursor++ != ',')
      break;
  }
  out.resize(start);
  return false;
}

} // namespace

std::string_view to_string(frame_kind kind) noexcept {
  switch (kind) {
    case frame_kind::depth_update: return "depth_update";
    case frame_kind::book_ticker: return "book_ticker";
    case frame_kind::trade: return "trade";
    case frame_kind::depth_snapshot: return "depth_snapshot";
  }
  return "unknown";
}

std::string_view to_string(market_data_errc code) noexcept {
  switch (code) {
    case market_data_errc::invalid_json: return "invalid_json";
    case market_data_errc::missing_field: return "missing_field";
    case market_data_errc::wrong_type: return "wrong_type";
    case market_data_errc::bad_number: return "bad_number";
    case market_data_errc::unexpected_event: return "unexpected_event";
    case market_data_errc::wrong_symbol: return "wrong_symbol";
  }
  return "unknown";
}

std::string market_data_error::message() const {
  std::string text = "binance market data: ";
  text += to_string(code);
  if (!field.empty())
    text += " in \"" + field + "\"";
  text += ": " + detail + " (frame: " + frame + ")";
  return text;
}

// The parser state. Readers return false after recording a `problem`; the public functions turn
// it into a market_data_error, so the success path builds no strings.
struct market_data_parser::impl {
  struct problem {
    market_data_errc code = market_data_errc::invalid_json;
    std::string_view field;
    std::string_view detail;
    std::string_view value;  // the offending input, when there is one
  };

  ondemand::parser parser;
  ondemand::document document;
  std::vector<char> buffer;  // the frame, copied and followed by simdjson's padding
  std::string_view frame;
  problem issue;

  bool fail(market_data_errc code, std::string_view field, std::string_view detail,
            std::string_view value = {}) {
    issue = problem{code, field, detail, value};
    return false;
  }

  [[nodiscard]] unexpected<market_data_error> error() const {
    std::string detail{issue.detail};
    if (!issue.value.empty())
      detail += ": \"" + std::string{issue.value.substr(0, 80)} + "\"";
    return unexpected{market_data_error{issue.code, std::string{issue.field}, std::move(detail),
                                        std::string{frame.substr(0, frame_excerpt_length)}}};
  }

  bool load(std::string_view text);
  bool open_payload(std::string_view text, std::string_view& stream, ondemand::object& payload);
  bool classify_bare(frame_kind& kind, ondemand::object& root);
  bool expect_kind(std::string_view stream, frame_kind wanted);

  bool read_int(ondemand::value& value, std::string_view field, std::int64_t& out);
  bool read_decimal(ondemand::value& value, std::string_view field, decimal& out);
  bool read_levels(ondemand::value& value, std::string_view field, std::vector<price_level>& out);
  bool check_event(ondemand::value& value, std::string_view expected_event);
  bool check_symbol(ondemand::value& value, const parse_context& context);
  bool require(unsigned seen, unsigned wanted, const char* const names[], std::string_view what);

  // Walks an object's fields once, in whatever order they come, calling on_field(key, value).
  template <class OnField>
  bool for_each_field(ondemand::object& object, OnField&& on_field) {
    for (auto entry : object) {
      ondemand::field field;
      if (auto error = std::move(entry).get(field))
        return fail(market_data_errc::invalid_json, {}, simdjson::error_message(error));
      if (!on_field(field.key(), field.value()))
        return false;
    }
    return true;
  }

  bool depth_fields(ondemand::object& object, const parse_context& context, book_delta& out);
  bool ticker_fields(ondemand::object& object, const parse_context& context, top_of_book& out);
  bool trade_fields(ondemand::object& object, const parse_context& context, trade& out);
  bool snapshot_fields(ondemand::object& object, const parse_context& context,
                       book_snapshot& out);
  bool dispatch(frame_kind kind, ondemand::object& payload, const parse_context& context,
                market_frame& out);
};

bool market_data_parser::impl::load(std::string_view text) {
  frame = text;
  std::size_t needed = text.size() + simdjson::SIMDJSON_PADDING;
  if (buffer.size() < needed)
    buffer.resize(needed);
  std::memcpy(buffer.data(), text.data(), text.size());
  std::memset(buffer.data() + text.size(), 0, simdjson::SIMDJSON_PADDING);
  if (auto error = parser.iterate(buffer.data(), text.size(), buffer.size()).get(document))
    return fail(market_data_errc::invalid_json, {}, simdjson::error_message(error));
  return true;
}

// Leaves `payload` on the event object: the envelope's "data", or the root of a bare frame.
bool market_data_parser::impl::open_payload(std::string_view text, std::string_view& stream,
                                            ondemand::object& payload) {
  stream = {};
  if (!load(text))
    return false;
  ondemand::object root;
  if (auto error = document.get_object().get(root))
    return fail(market_data_errc::invalid_json, {}, simdjson::error_message(error));
  // Binance puts "stream" first, so an ordered lookup finds it at once.
  ondemand::value stream_value;
  auto error = root.find_field("stream").get(stream_value);
  if (error == simdjson::NO_SUCH_FIELD) {
    document.rewind();
    if (auto again = document.get_object().get(payload))
      return fail(market_data_errc::invalid_json, {}, simdjson::error_message(again));
    return true;
  }
  if (error)
    return fail(market_data_errc::invalid_json, "stream", simdjson::error_message(error));
  if (stream_value.get_string().get(stream))
    return fail(market_data_errc::wrong_type, "stream", "expected a string");
  error = root.find_field_unordered("data").get_object().get(payload);
  if (error == simdjson::NO_SUCH_FIELD)
    return fail(market_data_errc::missing_field, "data", "envelope without \"data\"");
  if (error)
    return fail(market_data_errc::wrong_type, "data", "expected an object");
  return true;
}

// A bare frame is recognised by "e", else "lastUpdateId" (REST) or "u" (spot bookTicker).
// Leaves `root` re-opened at the start of the frame.
bool market_data_parser::impl::classify_bare(frame_kind& kind, ondemand::object& root) {
  ondemand::value event;
  auto error = root.find_field_unordered("e").get(event);
  if (!error) {
    std::string_view name;
    if (event.get_string().get(name))
      return fail(market_data_errc::wrong_type, "e", "expected a string");
    auto found = kind_of_event(name);
    if (!found)
      return fail(market_data_errc::unexpected_event, "e", "event not handled", name);
    kind = *found;
  } else if (error == simdjson::NO_SUCH_FIELD) {
    document.rewind();
    if (document.get_object().get(root))
      return fail(market_data_errc::invalid_json, {}, "not an object");
    ondemand::value ignored;
    if (!root.find_field_unordered("lastUpdateId").get(ignored)) {
      kind = frame_kind::depth_snapshot;
    } else {
      document.rewind();
      if (document.get_object().get(root) || root.find_field_unordered("u").get(ignored))
        return fail(market_data_errc::unexpected_event, {},
                    "no \"e\", \"lastUpdateId\" or \"u\": not a market data event");
      kind = frame_kind::book_ticker;
    }
  } else {
    return fail(market_data_errc::invalid_json, {}, simdjson::error_message(error));
  }
  document.rewind();
  if (auto again = document.get_object().get(root))
    return fail(market_data_errc::invalid_json, {}, simdjson::error_message(again));
  return true;
}

bool market_data_parser::impl::expect_kind(std::string_view stream, frame_kind wanted) {
  if (stream.empty())
    return true;
  auto kind = kind_of_stream(stream);
  if (!kind || *kind != wanted)
    return fail(market_data_errc::unexpected_event, "stream", "stream carries another event",
                stream);
  return true;
}

bool market_data_parser::impl::read_int(ondemand::value& value, std::string_view field,
                                        std::int64_t& out) {
  if (value.get_int64().get(out))
    return fail(market_data_errc::bad_number, field, "expected an integer");
  return true;
}

bool market_data_parser::impl::read_decimal(ondemand::value& value, std::string_view field,
                                            decimal& out) {
  std::string_view token = value.raw_json_token();
  if (!token.empty() && token.front() == '"') {
    // The usual case: a quoted plain number, read in one pass up to its closing quote.
    // The token lies in the padded copy of the frame, so reading past it is safe.
    const char* stop = scan_plain_decimal_padded(token.data() + 1, out);
    if (stop != nullptr && *stop == '"')
      return true;
  }
  std::string_view text = decimal_text(token);
  auto parsed = decimal::parse(text);
  if (!parsed)
    return fail(market_data_errc::bad_number, field, "not a decimal", text.empty() ? token : text);
  out = *parsed;
  return true;
}

bool market_data_parser::impl::read_levels(ondemand::value& value, std::string_view field,
                                           std::vector<price_level>& out) {
  // The usual shape first, read straight from the padded text; the value is left unconsumed
  // and the object walk skips it.
  std::string_view token = value.raw_json_token();
  if (!token.empty() && token.front() == '[' && scan_levels(token.data(), out))
    return true;
  ondemand::array levels;
  if (value.get_array().get(levels))
    return fail(market_data_errc::wrong_type, field, "expected an array of [price, size]");
  for (auto entry : levels) {
    ondemand::array pair;
    if (entry.get_array().get(pair))
      return fail(market_data_errc::wrong_type, field, "expected a [price, size] pair");
    price_level level;
    int index = 0;
    for (auto item : pair) {
      ondemand::value element;
      if (std::move(item).get(element))
        return fail(market_data_errc::invalid_json, field, "unreadable level");
      if (index == 0 && !read_decimal(element, field, level.price))
        return false;
      if (index == 1 && !read_decimal(element, field, level.size))
        return false;
      ++index;
    }
    if (index < 2)
      return fail(market_data_errc::wrong_type, field, "a level needs a price and a size");
    out.push_back(level);
  }
  return true;
}

bool market_data_parser::impl::check_event(ondemand::value& value,
                                           std::string_view expected_event) {
  std::string_view name;
  if (value.get_string().get(name))
    return fail(market_data_errc::wrong_type, "e", "expected a string");
  if (name != expected_event)
    return fail(market_data_errc::unexpected_event, "e", "another event than asked for", name);
  return true;
}

bool market_data_parser::impl::check_symbol(ondemand::value& value,
                                            const parse_context& context) {
  if (context.exchange_symbol.empty())
    return true;
  std::string_view symbol;
  if (value.get_string().get(symbol))
    return fail(market_data_errc::wrong_type, "s", "expected a string");
  if (symbol != context.exchange_symbol)
    return fail(market_data_errc::wrong_symbol, "s", "not the expected symbol", symbol);
  return true;
}

bool market_data_parser::impl::require(unsigned seen, unsigned wanted, const char* const names[],
                                       std::string_view what) {
  for (unsigned bit = 0; (wanted >> bit) != 0; ++bit)
    if ((wanted >> bit & 1U) != 0 && (seen >> bit & 1U) == 0)
      return fail(market_data_errc::missing_field, names[bit], what);
  return true;
}


bool market_data_parser::impl::depth_fields(ondemand::object& object,
                                            const parse_context& context, book_delta& out) {
  static constexpr const char* names[] = {"U", "u", "b", "a"};
  out.pair.assign(context.pair);
  out.bids.clear();
  out.asks.clear();
  out.previous_sequence = -1;
  out.checksum.reset();
  out.received_time = context.received_time;
  std::int64_t event_ms = 0;
  std::int64_t transaction_ms = 0;
  unsigned seen = 0;
  bool ok = for_each_field(object, [&](auto key, ondemand::value& value) {
    if (key_is(key, "b"))
      return seen |= 4U, read_levels(value, "b", out.bids);
    if (key_is(key, "a"))
      return seen |= 8U, read_levels(value, "a", out.asks);
    if (key_is(key, "U"))
      return seen |= 1U, read_int(value, "U", out.first_sequence);
    if (key_is(key, "u"))
      return seen |= 2U, read_int(value, "u", out.last_sequence);
    if (key_is(key, "pu"))
      return read_int(value, "pu", out.previous_sequence);
    if (key_is(key, "E"))
      return read_int(value, "E", event_ms);
    if (key_is(key, "T"))
      return read_int(value, "T", transaction_ms);
    if (key_is(key, "e"))
      return check_event(value, "depthUpdate");
    if (key_is(key, "s"))
      return check_symbol(value, context);
    return true;
  });
  if (!ok || !require(seen, 15U, names, "a depthUpdate needs U, u, b and a"))
    return false;
  out.exchange_time = from_unix_ms(transaction_ms != 0 ? transaction_ms : event_ms);
  return true;
}

bool market_data_parser::impl::ticker_fields(ondemand::object& object,
                                             const parse_context& context, top_of_book& out) {
  static constexpr const char* names[] = {"u", "b", "B", "a", "A"};
  out.pair.assign(context.pair);
  out.received_time = context.received_time;
  std::int64_t event_ms = 0;
  std::int64_t transaction_ms = 0;
  unsigned seen = 0;
  bool ok = for_each_field(object, [&](auto key, ondemand::value& value) {
    if (key_is(key, "u"))
      return seen |= 1U, read_int(value, "u", out.sequence);
    if (key_is(key, "b"))
      return seen |= 2U, read_decimal(value, "b", out.bid.price);
    if (key_is(key, "B"))
      return seen |= 4U, read_decimal(value, "B", out.bid.size);
    if (key_is(key, "a"))
      return seen |= 8U, read_decimal(value, "a", out.ask.price);
    if (key_is(key, "A"))
      return seen |= 16U, read_decimal(value, "A", out.ask.size);
    if (key_is(key, "E"))
      return read_int(value, "E", event_ms);
    if (key_is(key, "T"))
      return read_int(value, "T", transaction_ms);
    if (key_is(key, "e"))
      return check_event(value, "bookTicker");
    if (key_is(key, "s"))
      return check_symbol(value, context);
    return true;
  });
  if (!ok || !require(seen, 31U, names, "a bookTicker needs u, b, B, a and A"))
    return false;
  out.exchange_time = from_unix_ms(transaction_ms != 0 ? transaction_ms : event_ms);
  return true;
}

bool market_data_parser::impl::trade_fields(ondemand::object& object,
                                            const parse_context& context, trade& out) {
  static constexpr const char* names[] = {"t", "p", "q", "m"};
  out.pair.assign(context.pair);
  out.received_time = context.received_time;
  std::int64_t event_ms = 0;
  std::int64_t trade_ms = 0;
  std::int64_t trade_id = 0;
  bool buyer_is_maker = false;
  unsigned seen = 0;
  bool ok = for_each_field(object, [&](auto key, ondemand::value& value) {
    if (key_is(key, "t"))
      return seen |= 1U, read_int(value, "t", trade_id);
    if (key_is(key, "p"))
      return seen |= 2U, read_decimal(value, "p", out.price);
    if (key_is(key, "q"))
      return seen |= 4U, read_decimal(value, "q", out.size);
    if (key_is(key, "m")) {
      seen |= 8U;
      return value.get_bool().get(buyer_is_maker) == simdjson::SUCCESS
             || fail(market_data_errc::wrong_type, "m", "expected true or false");
    }
    if (key_is(key, "T"))
      return read_int(value, "T", trade_ms);
    if (key_is(key, "E"))
      return read_int(value, "E", event_ms);
    if (key_is(key, "e"))
      return check_event(value, "trade");
    if (key_is(key, "s"))
      return check_symbol(value, context);
    return true;
  });
  if (!ok || !require(seen, 15U, names, "a trade needs t, p, q and m"))
    return false;
  char digits[24];
  auto written = std::to_chars(digits, digits + sizeof(digits), trade_id);
  out.trade_id.assign(digits, written.ptr);
  // The buyer made the market, so the seller took it.
  out.taker_side = buyer_is_maker ? side::sell : side::buy;
  out.exchange_time = from_unix_ms(trade_ms != 0 ? trade_ms : event_ms);
  return true;
}

bool market_data_parser::impl::snapshot_fields(ondemand::object& object,
                                               const parse_context& context,
                                               book_snapshot& out) {
  static constexpr const char* names[] = {"lastUpdateId", "bids", "asks"};
  out.pair.assign(context.pair);
  out.bids.clear();
  out.asks.clear();
  out.received_time = context.received_time;
  std::int64_t event_ms = 0;
  std::int64_t transaction_ms = 0;
  unsigned seen = 0;
  bool ok = for_each_field(object, [&](auto key, ondemand::value& value) {
    if (key_is(key, "bids"))
      return seen |= 2U, read_levels(value, "bids", out.bids);
    if (key_is(key, "asks"))
      return seen |= 4U, read_levels(value, "asks", out.asks);
    if (key_is(key, "lastUpdateId"))
      return seen |= 1U, read_int(value, "lastUpdateId", out.sequence);
    if (key_is(key, "E"))
      return read_int(value, "E", event_ms);
    if (key_is(key, "T"))
      return read_int(value, "T", transaction_ms);
    return true;
  });
  if (!ok || !require(seen, 7U, names, "a depth snapshot needs lastUpdateId, bids and asks"))
    return false;
  out.exchange_time = from_unix_ms(transaction_ms != 0 ? transaction_ms : event_ms);
  return true;
}

bool market_data_parser::impl::dispatch(frame_kind kind, ondemand::object& payload,
                                        const parse_context& context, market_frame& out) {
  switch (kind) {
    case frame_kind::depth_update: return depth_fields(payload, context, out.depth);
    case frame_kind::book_ticker: return ticker_fields(payload, context, out.ticker);
    case frame_kind::trade: return trade_fields(payload, context, out.trade_event);
    case frame_kind::depth_snapshot: return snapshot_fields(payload, context, out.snapshot);
  }
  return fail(market_data_errc::unexpected_event, {}, "unknown frame kind");
}

market_data_parser::market_data_parser() : impl_(std::make_unique<impl>()) {}
market_data_parser::~market_data_parser() = default;
market_data_parser::market_data_parser(market_data_parser&&) noexcept = default;
market_data_parser& market_data_parser::operator=(market_data_parser&&) noexcept = default;

expected<frame_kind, market_data_error> market_data_parser::parse(std::string_view frame,
                                                                  const parse_context& context,
                                                                  market_frame& out) {
  impl& state = *impl_;
  std::string_view stream;
  ondemand::object payload;
  if (!state.open_payload(frame, stream, payload))
    return state.error();
  frame_kind kind = frame_kind::depth_update;
  if (!stream.empty()) {
    auto found = kind_of_stream(stream);
    if (!found) {
      state.fail(market_data_errc::unexpected_event, "stream", "stream not handled", stream);
      return state.error();
    }
    kind = *found;
  } else if (!state.classify_bare(kind, payload)) {
    return state.error();
  }
  if (!state.dispatch(kind, payload, context, out))
    return state.error();
  return kind;
}

expected<void, market_data_error> market_data_parser::parse_depth_update(
    std::string_view frame, const parse_context& context, book_delta& out) {
  impl& state = *impl_;
  std::string_view stream;
  ondemand::object payload;
  if (!state.open_payload(frame, stream, payload)
      || !state.expect_kind(stream, frame_kind::depth_update)
      || !state.depth_fields(payload, context, out))
    return state.error();
  return {};
}

expected<void, market_data_error> market_data_parser::parse_book_ticker(
    std::string_view frame, const parse_context& context, top_of_book& out) {
  impl& state = *impl_;
  std::string_view stream;
  ondemand::object payload;
  if (!state.open_payload(frame, stream, payload)
      || !state.expect_kind(stream, frame_kind::book_ticker)
      || !state.ticker_fields(payload, context, out))
    return state.error();
  return {};
}

expected<void, market_data_error> market_data_parser::parse_trade(std::string_view frame,
                                                                  const parse_context& context,
                                                                  trade& out) {
  impl& state = *impl_;
  std::string_view stream;
  ondemand::object payload;
  if (!state.open_payload(frame, stream, payload) || !state.expect_kind(stream, frame_kind::trade)
      || !state.trade_fields(payload, context, out))
    return state.error();
  return {};
}

expected<void, market_data_error> market_data_parser::parse_depth_snapshot(
    std::string_view body, const parse_context& context, book_snapshot& out) {
  impl& state = *impl_;
  std::string_view stream;
  ondemand::object payload;
  if (!state.open_payload(body, stream, payload)
      || !state.expect_kind(stream, frame_kind::depth_snapshot)
      || !state.snapshot_fields(payload, context, out))
    return state.error();
  return {};
}

} // namespace tern::binance
