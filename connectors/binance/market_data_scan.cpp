// Direct readers for the exact text Binance sends, tried before the general simdjson path.
//
// A depth frame is ~1.3 KB of which nearly all is level arrays; indexing all of it (simdjson's
// stage 1) and walking it through the on-demand API cost more than reading the levels. These
// readers accept only compact JSON in Binance's shape, with no escapes and plain numbers, and
// return false on anything else without reporting why: the caller then runs the general path,
// which accepts every valid form and names what is wrong. For a frame they accept, both paths
// give the same result (tests/connectors/binance_market_data.test.cpp checks the captures).
//
// The text must be followed by readable padding (the decimal reader loads 16 bytes at a time).
// A read past the end can only be of padding and never makes a frame acceptable: a frame is
// accepted only when its closing brace is the last byte.

#include <bit>
#include <cstdint>
#include <optional>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "connectors/binance/market_data_impl.hpp"
#include "connectors/common/decimal_text.hpp"

namespace tern::binance {

// The quote mask reads 64 bytes from a position before the end; the decimal reader 48.
static_assert(market_data_parser::frame_padding >= 64);

namespace {

// Binance's field names in a depthUpdate, one bit each so that repeats can be refused.
enum depth_key : unsigned {
  key_event = 1U << 0,        // "e"
  key_event_time = 1U << 1,   // "E"
  key_trade_time = 1U << 2,   // "T"
  key_symbol = 1U << 3,       // "s"
  key_first = 1U << 4,        // "U"
  key_last = 1U << 5,         // "u"
  key_previous = 1U << 6,     // "pu"
  key_bids = 1U << 7,         // "b"
  key_asks = 1U << 8,         // "a"
};
constexpr unsigned required_keys = key_event | key_first | key_last | key_bids | key_asks;

// A key of one or two characters, as its bit; 0 for any other.
unsigned key_of(std::string_view key) {
  if (key.size() == 2)
    return key == "pu" ? key_previous : 0U;
  if (key.size() != 1)
    return 0U;
  switch (key[0]) {
    case 'e': return key_event;
    case 'E': return key_event_time;
    case 'T': return key_trade_time;
    case 's': return key_symbol;
    case 'U': return key_first;
    case 'u': return key_last;
    case 'b': return key_bids;
    case 'a': return key_asks;
    default: return 0U;
  }
}

// A JSON string without escapes or control characters at `cursor` (its opening quote); returns
// the position after the closing quote, or nullptr.
const char* scan_string(const char* cursor, const char* end, std::string_view& out) {
  if (cursor >= end || *cursor != '"')
    return nullptr;
  const char* start = ++cursor;
  while (cursor < end && *cursor != '"') {
    if (*cursor == '\\' || static_cast<unsigned char>(*cursor) < 0x20)
      return nullptr;
    ++cursor;
  }
  if (cursor >= end)
    return nullptr;
  out = std::string_view{start, static_cast<std::size_t>(cursor - start)};
  return cursor + 1;
}

// A non-negative JSON integer of at most 18 digits (so it cannot overflow), no leading zeros.
const char* scan_integer(const char* cursor, const char* end, std::int64_t& out) {
  const char* start = cursor;
  std::int64_t value = 0;
  while (cursor < end && detail::is_digit(*cursor) && cursor - start < 19)
    value = value * 10 + (*cursor++ - '0');
  std::ptrdiff_t digits = cursor - start;
  if (digits == 0 || digits > 18 || (digits > 1 && *start == '0'))
    return nullptr;
  out = value;
  return cursor;
}

// The fields of a depthUpdate object at `cursor` ('{'); returns the position after its '}'.
const char* scan_depth_object(const char* cursor, const char* end, const parse_context& context,
                              book_delta& out) {
  if (cursor >= end || *cursor != '{')
    return nullptr;
  std::int64_t event_ms = 0;
  std::int64_t transaction_ms = 0;
  unsigned seen = 0;
  ++cursor;
  while (true) {
    std::string_view key;
    cursor = scan_string(cursor, end, key);
    if (cursor == nullptr || cursor >= end || *cursor != ':')
      return nullptr;
    ++cursor;
    unsigned bit = key_of(key);
    if (bit == 0 || (seen & bit) != 0)
      return nullptr;
    seen |= bit;
    std::string_view text;
    switch (bit) {
      case key_bids: cursor = scan_levels(cursor, end, out.bids); break;
      case key_asks: cursor = scan_levels(cursor, end, out.asks); break;
      case key_first: cursor = scan_integer(cursor, end, out.first_sequence); break;
      case key_last: cursor = scan_integer(cursor, end, out.last_sequence); break;
      case key_previous: cursor = scan_integer(cursor, end, out.previous_sequence); break;
      case key_event_time: cursor = scan_integer(cursor, end, event_ms); break;
      case key_trade_time: cursor = scan_integer(cursor, end, transaction_ms); break;
      case key_event:
        cursor = scan_string(cursor, end, text);
        if (text != "depthUpdate")
          return nullptr;
        break;
      default:  // key_symbol
        cursor = scan_string(cursor, end, text);
        if (!context.exchange_symbol.empty() && text != context.exchange_symbol)
          return nullptr;
        break;
    }
    if (cursor == nullptr || cursor >= end)
      return nullptr;
    if (*cursor == '}')
      break;
    if (*cursor++ != ',')
      return nullptr;
  }
  if ((seen & required_keys) != required_keys)
    return nullptr;
  out.exchange_time = from_unix_ms(transaction_ms != 0 ? transaction_ms : event_ms);
  return cursor + 1;
}

// One level, ["price","size"], at `cursor`; returns the position after its ']', or nullptr.
// Each number is read from before `end`, so no read goes further past it than the decimal
// reader's 48 bytes, whatever the padding holds.
const char* scan_level(const char* cursor, const char* end, price_level& level) {
  if (cursor[0] != '[' || cursor[1] != '"')
    return nullptr;
  const char* stop = scan_plain_decimal_padded(cursor + 2, level.price);
  if (stop == nullptr || stop + 3 >= end || stop[0] != '"' || stop[1] != ',' || stop[2] != '"')
    return nullptr;
  stop = scan_plain_decimal_padded(stop + 3, level.size);
  if (stop == nullptr || stop + 2 >= end || stop[0] != '"' || stop[1] != ']')
    return nullptr;
  return stop + 2;
}

// A number whose extent is known: the usual short form in one load when the target has it.
inline const char* scan_number(const char* text, decimal& out) {
#if TERN_DECIMAL_TEXT_SSE
  if (const char* stop = detail::scan_short_decimal(text, out))
    return stop;
#endif
  return scan_plain_decimal_padded(text, out);
}

#if defined(__SSE2__)
// Bit i set where cursor[i] is a quote, for the 64 bytes from `cursor` (padding included).
std::uint64_t quote_mask(const char* cursor) {
  const __m128i quote = _mm_set1_epi8('"');
  std::uint64_t mask = 0;
  for (int block = 0; block < 4; ++block) {
    __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(cursor + 16 * block));
    auto bits = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, quote)));
    mask |= std::uint64_t{bits} << (16 * block);
  }
  return mask;
}

// scan_level for a level within 64 bytes, with its extent found first from where its quotes
// are: the next level's position then depends on one mask, not on reading both numbers, so
// the numbers of successive levels are read in parallel.
const char* scan_level_quick(const char* cursor, const char* end, price_level& level) {
  std::uint64_t quotes = quote_mask(cursor);
  if ((quotes & 3U) != 2U || cursor[0] != '[')
    return nullptr;
  quotes &= quotes - 1;
  int price_end = std::countr_zero(quotes);
  quotes &= quotes - 1;
  int size_start = std::countr_zero(quotes);
  quotes &= quotes - 1;
  int size_end = std::countr_zero(quotes);
  if (quotes == 0 || size_start != price_end + 2 || cursor[price_end + 1] != ','
      || cursor[size_end + 1] != ']' || cursor + size_end + 2 >= end)
    return nullptr;
  const char* price_stop = scan_number(cursor + 2, level.price);
  const char* size_stop = scan_number(cursor + size_start + 1, level.size);
  if (price_stop != cursor + price_end || size_stop != cursor + size_end)
    return nullptr;
  return cursor + size_end + 2;
}
#else
const char* scan_level_quick(const char*, const char*, price_level&) {
  return nullptr;
}
#endif

} // namespace

const char* scan_levels(const char* text, const char* end, std::vector<price_level>& out) {
  if (text + 1 >= end || *text != '[')
    return nullptr;
  std::size_t start = out.size();
  const char* cursor = text + 1;
  if (*cursor == ']')
    return cursor + 1;
  while (cursor + 1 < end) {
    // Read straight into the vector: a level built on the stack and copied in costs a
    // store-forwarding stall (two 8-byte halves written, one 16-byte load).
    price_level& level = out.emplace_back();
    const char* next = scan_level_quick(cursor, end, level);
    if (next == nullptr)
      next = scan_level(cursor, end, level);
    if (next == nullptr)
      break;
    cursor = next;
    if (*cursor == ']')
      return cursor + 1;
    if (*cursor++ != ',')
      break;
  }
  out.resize(start);
  return nullptr;
}

bool scan_depth_frame(std::string_view frame, const parse_context& context, book_delta& out) {
  constexpr std::string_view envelope = R"({"stream":)";
  constexpr std::string_view data_key = R"(,"data":)";
  const char* cursor = frame.data();
  const char* end = cursor + frame.size();
  bool enveloped = frame.substr(0, envelope.size()) == envelope;
  if (enveloped) {
    std::string_view stream;
    cursor = scan_string(cursor + envelope.size(), end, stream);
    if (cursor == nullptr || kind_of_stream(stream) != frame_kind::depth_update
        || std::string_view{cursor, static_cast<std::size_t>(end - cursor)}.substr(0, data_key.size())
               != data_key)
      return false;
    cursor += data_key.size();
  }
  out.pair.assign(context.pair);
  out.bids.clear();
  out.asks.clear();
  out.previous_sequence = -1;
  out.checksum.reset();
  out.received_time = context.received_time;
  cursor = scan_depth_object(cursor, end, context, out);
  if (cursor != nullptr && enveloped)
    cursor = cursor < end && *cursor == '}' ? cursor + 1 : nullptr;
  return cursor == end;
}

} // namespace tern::binance
