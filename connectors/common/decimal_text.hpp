#pragma once

// Exact decimals from exchange wire text, fast for the form exchanges actually send.
//
// Why not only decimal::parse: it accepts every form (signs, exponents, 38 digits) and checks
// each, which costs ~20 ns a number; a depth frame carries ~70 numbers. Prices and sizes on the
// wire are almost always plain ("61737.63000000", "0.001", "42"), and those are read here in one
// pass. Anything else falls back to decimal::parse, so the result is the same either way.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/decimal.hpp"
#include "core/expected.hpp"

#if defined(__SSSE3__) && defined(__SSE4_1__)
#include <array>
#include <smmintrin.h>
#include <tmmintrin.h>
#define TERN_DECIMAL_TEXT_SSE 1
#endif

namespace tern {

namespace detail {

inline constexpr std::uint64_t pow10_table[19] = {
    1ULL,
    10ULL,
    100ULL,
    1'000ULL,
    10'000ULL,
    100'000ULL,
    1'000'000ULL,
    10'000'000ULL,
    100'000'000ULL,
    1'000'000'000ULL,
    10'000'000'000ULL,
    100'000'000'000ULL,
    1'000'000'000'000ULL,
    10'000'000'000'000ULL,
    100'000'000'000'000ULL,
    1'000'000'000'000'000ULL,
    10'000'000'000'000'000ULL,
    100'000'000'000'000'000ULL,
    1'000'000'000'000'000'000ULL,
};

[[nodiscard]] inline bool is_digit(char c) noexcept {
  return static_cast<unsigned char>(c - '0') <= 9;
}

// How many of the 8 bytes in `chunk` (first byte lowest) are ASCII digits before the first
// other byte. Bytes of 0xFA and up never occur in the valid UTF-8 the parsers see.
[[nodiscard]] inline int leading_digits(std::uint64_t chunk) noexcept {
  constexpr std::uint64_t high_nibbles = 0xF0F0F0F0F0F0F0F0ULL;
  constexpr std::uint64_t threes = 0x3030303030303030ULL;
  // A byte is a digit when its high nibble is 3 and its low nibble stays below 10 after + 6.
  std::uint64_t other = ((chunk & high_nibbles) ^ threes)
                        | (((chunk + 0x0606060606060606ULL) & high_nibbles) ^ threes);
  // High bit of each byte set where `other` is non-zero.
  std::uint64_t flags = (other | ((other & 0x7F7F7F7F7F7F7F7FULL) + 0x7F7F7F7F7F7F7F7FULL))
                        & 0x8080808080808080ULL;
  return flags == 0 ? 8 : std::countr_zero(flags) / 8;
}

// The value of 8 ASCII digits, first byte most significant (Lemire's SWAR reduction).
[[nodiscard]] inline std::uint64_t eight_digits(std::uint64_t chunk) noexcept {
  chunk = ((chunk & 0x0F0F0F0F0F0F0F0FULL) * 2561) >> 8;
  chunk = ((chunk & 0x00FF00FF00FF00FFULL) * 6553601) >> 16;
  return ((chunk & 0x0000FFFF0000FFFFULL) * 42949672960001ULL) >> 32;
}

// The value of the `count` (0..8) leading digits of `chunk`.
[[nodiscard]] inline std::uint64_t leading_value(std::uint64_t chunk, int count) noexcept {
  if (count == 0)
    return 0;
  // Shifting left drops the bytes after the digits and fills zeros in front of them.
  return eight_digits(chunk << (8 * (8 - count)));
}

// Reads up to 16 digits at `text` 8 at a time; returns how many. Needs 16 readable bytes.
[[nodiscard]] inline int read_digits(const char* text, std::uint64_t& value) noexcept {
  std::uint64_t chunk;
  std::memcpy(&chunk, text, sizeof(chunk));
  int count = leading_digits(chunk);
  if (count < 8) {
    value = leading_value(chunk, count);
    return count;
  }
  std::uint64_t high = eight_digits(chunk);
  std::memcpy(&chunk, text + 8, sizeof(chunk));
  int more = leading_digits(chunk);
  value = high * pow10_table[more] + leading_value(chunk, more);
  return 8 + more;
}

#if TERN_DECIMAL_TEXT_SSE
// Shuffles that gather `whole` integer digits and `fraction` fraction digits (skipping the point)
// right-aligned into 16 bytes, zero bytes in front: [whole * 16 + fraction].
inline constexpr auto digit_gather = [] {
  std::array<std::array<std::uint8_t, 16>, 256> table{};
  for (int whole = 0; whole < 16; ++whole) {
    for (int fraction = 0; fraction < 16; ++fraction) {
      int digits = whole + fraction;
      for (int byte = 0; byte < 16; ++byte) {
        int index = byte - (16 - digits);
        int source = index < whole ? index : index + 1;
        table[static_cast<std::size_t>(whole * 16 + fraction)][static_cast<std::size_t>(byte)] =
            index < 0 || digits > 15 ? 0x80 : static_cast<std::uint8_t>(source);
      }
    }
  }
  return table;
}();

// The plain number at `text` within one 16-byte load: the lengths come from byte masks and the
// value from one shuffle and three multiply-adds. nullptr when it does not fit in 15 bytes.
[[nodiscard]] inline const char* scan_short_decimal(const char* text, decimal& out) noexcept {
  __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text));
  __m128i digits = _mm_sub_epi8(chunk, _mm_set1_epi8('0'));
  __m128i is_digit = _mm_cmpeq_epi8(_mm_min_epu8(digits, _mm_set1_epi8(9)), digits);
  auto digit_mask = static_cast<unsigned>(_mm_movemask_epi8(is_digit));
  auto point_mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('.'))));
  int whole = std::countr_zero(~digit_mask);
  if (whole == 0 || whole >= 15)
    return nullptr;
  int fraction = 0;
  const char* end = text + whole;
  if ((point_mask >> whole & 1U) != 0) {
    fraction = std::countr_zero(~(digit_mask >> (whole + 1)));
    if (fraction == 0 || whole + 1 + fraction >= 16)
      return nullptr;
    end += 1 + fraction;
  }
  if (*end == 'e' || *end == 'E')
    return nullptr;
  const auto& gather = digit_gather[static_cast<std::size_t>(whole * 16 + fraction)];
  __m128i packed = _mm_shuffle_epi8(digits, _mm_loadu_si128(reinterpret_cast<const __m128i*>(gather.data())));
  __m128i pairs = _mm_maddubs_epi16(packed, _mm_setr_epi8(10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1));
  __m128i quads = _mm_madd_epi16(pairs, _mm_setr_epi16(100, 1, 100, 1, 100, 1, 100, 1));
  __m128i quads16 = _mm_packus_epi32(quads, quads);
  __m128i eights = _mm_madd_epi16(quads16, _mm_setr_epi16(10000, 1, 10000, 1, 10000, 1, 10000, 1));
  auto high = static_cast<std::uint32_t>(_mm_cvtsi128_si32(eights));
  auto low = static_cast<std::uint32_t>(_mm_extract_epi32(eights, 1));
  std::uint64_t mantissa = std::uint64_t{high} * 100'000'000ULL + low;
  out = decimal::from_raw(static_cast<int128>(mantissa)
                          * static_cast<int128>(pow10_table[decimal::places - fraction]));
  return end;
}
#endif

} // namespace detail

/// Like scan_plain_decimal, for text inside a padded buffer: reads the digits eight at a time
/// and needs 48 readable bytes from `text` (simdjson's padding guarantees 64 past the document).
/// Plain numbers of more than 16 digits on either side of the point return nullptr.
[[nodiscard]] inline const char* scan_plain_decimal_padded(const char* text, decimal& out) noexcept {
#if TERN_DECIMAL_TEXT_SSE
  if (const char* end = detail::scan_short_decimal(text, out))
    return end;
#endif
  if constexpr (std::endian::native != std::endian::little) {
    return nullptr;  // the byte tricks assume the first character is the lowest byte
  } else {
    std::uint64_t whole = 0;
    int whole_digits = detail::read_digits(text, whole);
    const char* cursor = text + whole_digits;
    if (whole_digits == 0 || detail::is_digit(*cursor))
      return nullptr;
    std::uint64_t fraction = 0;
    int fraction_digits = 0;
    if (*cursor == '.') {
      fraction_digits = detail::read_digits(cursor + 1, fraction);
      cursor += 1 + fraction_digits;
      if (fraction_digits == 0 || detail::is_digit(*cursor))
        return nullptr;
    }
    if (*cursor == 'e' || *cursor == 'E')
      return nullptr;
    int128 raw = static_cast<int128>(whole) * decimal::one_raw
                 + static_cast<int128>(fraction * detail::pow10_table[decimal::places - fraction_digits]);
    out = decimal::from_raw(raw);
    return cursor;
  }
}

/// Reads a plain non-negative decimal (1 to 19 integer digits, optionally '.' and 1 to 18
/// fraction digits) starting at `text` and stopping at the first other character, which is
/// returned. Returns nullptr, leaving `out` alone, when the number there is not plain.
[[nodiscard]] inline const char* scan_plain_decimal(const char* text, const char* end,
                                                    decimal& out) noexcept {
  const char* cursor = text;
  std::uint64_t whole = 0;
  while (cursor != end && detail::is_digit(*cursor))
    whole = whole * 10 + static_cast<std::uint64_t>(*cursor++ - '0');
  std::ptrdiff_t whole_digits = cursor - text;
  if (whole_digits == 0 || whole_digits > 19)
    return nullptr;
  std::uint64_t fraction = 0;
  std::ptrdiff_t fraction_digits = 0;
  if (cursor != end && *cursor == '.') {
    const char* fraction_start = ++cursor;
    while (cursor != end && detail::is_digit(*cursor))
      fraction = fraction * 10 + static_cast<std::uint64_t>(*cursor++ - '0');
    fraction_digits = cursor - fraction_start;
    if (fraction_digits == 0 || fraction_digits > decimal::places)
      return nullptr;
  }
  if (cursor != end && (*cursor == 'e' || *cursor == 'E'))
    return nullptr;  // an exponent: not plain
  // whole < 10^19 and fraction x 10^(18 - digits) < 10^18: both fit, and so does the sum.
  int128 raw = static_cast<int128>(whole) * decimal::one_raw
               + static_cast<int128>(fraction * detail::pow10_table[decimal::places - fraction_digits]);
  out = decimal::from_raw(raw);
  return cursor;
}

/// Parses decimal text as exchanges send it: the plain form in one pass, every other form
/// (signs, exponents, long mantissas) and every error through decimal::parse.
[[nodiscard]] inline expected<decimal, decimal_parse_error> parse_decimal_text(
    std::string_view text) noexcept {
  decimal value;
  const char* end = text.data() + text.size();
  if (!text.empty() && scan_plain_decimal(text.data(), end, value) == end)
    return value;
  return decimal::parse(text);
}

} // namespace tern
