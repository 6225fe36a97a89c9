// The field readers of the Binance market-data parser: one pass over each event object, in
// whatever order its fields come.

#include <charconv>
#include <vector>

#include "connectors/binance/market_data_impl.hpp"
#include "connectors/common/decimal_text.hpp"

namespace tern::binance {

namespace {

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

} // namespace

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
  if (!token.empty() && token.front() == '['
      && scan_levels(token.data(), buffer.data() + frame.size(), out) != nullptr)
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

} // namespace tern::binance
