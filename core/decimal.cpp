#include "core/decimal.hpp"

#include <array>
#include <cmath>
#include <ostream>

#include "core/wide_math.hpp"

namespace tern {

namespace {

constexpr int max_places = decimal::places;
constexpr uint128 int128_max_magnitude = (static_cast<uint128>(1) << 127) - 1;

constexpr std::array<std::uint64_t, 20> pow10_u64 = [] {
  std::array<std::uint64_t, 20> table{};
  std::uint64_t value = 1;
  for (auto& entry : table) {
    entry = value;
    value *= 10;
  }
  return table;
}();

constexpr uint128 pow10_u128(int exponent) {
  uint128 value = 1;
  for (int i = 0; i < exponent; ++i)
    value *= 10;
  return value;
}

expected<decimal, decimal_parse_error> fail(std::string_view text, std::string reason) {
  return unexpected{decimal_parse_error{std::string{text}, std::move(reason)}};
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Rounds the exact quotient `q + r/d` (all magnitudes) of a value whose sign is `negative`.
uint128 round_quotient(uint128 q, uint128 r, uint128 d, bool negative, rounding mode) {
  if (r == 0)
    return q;
  bool increment = false;
  switch (mode) {
    case rounding::down:
      break;
    case rounding::up:
      increment = true;
      break;
    case rounding::floor:
      increment = negative;
      break;
    case rounding::ceiling:
      increment = !negative;
      break;
    case rounding::half_up:
      increment = r >= d - r;
      break;
    case rounding::half_even: {
      uint128 rest = d - r;
      increment = r > rest || (r == rest && (q & 1) != 0);
      break;
    }
  }
  return increment ? q + 1 : q;
}

int128 to_signed(uint128 magnitude, bool negative, const char* what) {
  if (magnitude > int128_max_magnitude)
    throw decimal_overflow{std::string{"decimal overflow in "} + what};
  auto value = static_cast<int128>(magnitude);
  return negative ? -value : value;
}

uint128 magnitude(int128 value) {
  return value < 0 ? static_cast<uint128>(-value) : static_cast<uint128>(value);
}

// Writes the decimal digits of `value` into a string.
std::string to_digits(uint128 value) {
  char buffer[40];
  char* end = buffer + sizeof(buffer);
  char* cursor = end;
  do {
    *--cursor = static_cast<char>('0' + static_cast<int>(value % 10));
    value /= 10;
  } while (value != 0);
  return std::string{cursor, end};
}

} // namespace

std::string decimal_parse_error::message() const {
  return "invalid decimal \"" + input + "\": " + reason;
}

decimal decimal::from_scaled(std::int64_t mantissa, int scale) {
  if (scale < 0 || scale > max_places)
    throw std::invalid_argument{"decimal scale must be within 0..18, got " + std::to_string(scale)};
  return decimal{static_cast<int128>(mantissa) * static_cast<int128>(pow10_u64[max_places - scale])};
}

expected<decimal, decimal_parse_error> decimal::parse(std::string_view text) noexcept {
  // Fast path for what exchanges send nearly always: [-]digits[.digits], at most 19 digits in
  // all and 18 after the point. Everything else takes the general path below.
  const char* cursor = text.data();
  const char* const end = cursor + text.size();
  bool negative = cursor != end && *cursor == '-';
  cursor += negative;
  const char* const digits_begin = cursor;
  std::uint64_t mantissa = 0;
  while (cursor != end && is_digit(*cursor))
    mantissa = mantissa * 10 + static_cast<unsigned>(*cursor++ - '0');
  long fraction = 0;
  bool has_point = cursor != end && *cursor == '.';
  if (has_point) {
    const char* const fraction_begin = ++cursor;
    while (cursor != end && is_digit(*cursor))
      mantissa = mantissa * 10 + static_cast<unsigned>(*cursor++ - '0');
    fraction = cursor - fraction_begin;
  }
  long digit_count = cursor - digits_begin - has_point;
  if (cursor == end && digit_count > 0 && digit_count <= 19 && fraction <= max_places) {
    auto raw = static_cast<int128>(static_cast<uint128>(mantissa)
                                   * pow10_u64[static_cast<std::size_t>(max_places - fraction)]);
    return decimal{negative ? -raw : raw};
  }
  return parse_general(text);
}

expected<decimal, decimal_parse_error> decimal::parse_general(std::string_view text) noexcept {
  const char* cursor = text.data();
  const char* const end = cursor + text.size();
  if (cursor == end)
    return fail(text, "empty string");

  bool negative = false;
  if (*cursor == '-' || *cursor == '+') {
    negative = *cursor == '-';
    ++cursor;
  }

  // Fast path: up to 19 significant digits accumulate in 64 bits.
  std::uint64_t small = 0;
  uint128 wide = 0;
  bool use_wide = false;
  int significant = 0;  // digits held in the mantissa, leading zeros excluded
  int fraction = 0;     // digits after the point held in the mantissa
  bool seen_point = false;
  bool seen_digit = false;

  for (; cursor != end; ++cursor) {
    char c = *cursor;
    if (is_digit(c)) {
      seen_digit = true;
      unsigned digit = static_cast<unsigned>(c - '0');
      if (significant == 0 && digit == 0) {
        if (seen_point)
          ++fraction;
        continue;
      }
      if (significant < 19) {
        small = small * 10 + digit;
      } else {
        if (!use_wide) {
          wide = small;
          use_wide = true;
        }
        uint128 next = 0;
        if (__builtin_mul_overflow(wide, 10u, &next) || __builtin_add_overflow(next, digit, &next)) {
          if (!seen_point)
            return fail(text, "magnitude out of range (max about 1.7e20)");
          if (digit != 0)
            return fail(text, "more than 18 decimal places");
          continue;  // a trailing zero past the mantissa's capacity changes nothing
        }
        wide = next;
      }
      ++significant;
      if (seen_point)
        ++fraction;
    } else if (c == '.') {
      if (seen_point)
        return fail(text, "more than one decimal point");
      seen_point = true;
    } else if (c == 'e' || c == 'E') {
      break;
    } else {
      return fail(text, std::string{"unexpected character '"} + c + "' at position "
                          + std::to_string(cursor - text.data()));
    }
  }
  if (!seen_digit)
    return fail(text, "no digits");

  int exponent = 0;
  if (cursor != end) {  // at 'e' or 'E'
    ++cursor;
    bool exponent_negative = false;
    if (cursor != end && (*cursor == '-' || *cursor == '+')) {
      exponent_negative = *cursor == '-';
      ++cursor;
    }
    if (cursor == end)
      return fail(text, "exponent has no digits");
    for (; cursor != end; ++cursor) {
      if (!is_digit(*cursor))
        return fail(text, std::string{"unexpected character '"} + *cursor + "' in exponent");
      if (exponent < 10000)
        exponent = exponent * 10 + (*cursor - '0');
    }
    if (exponent_negative)
      exponent = -exponent;
  }

  // value = mantissa x 10^(exponent - fraction); raw = value x 10^18.
  int shift = max_places - fraction + exponent;
  if (!use_wide && shift >= 0 && shift <= max_places) {
    uint128 raw = static_cast<uint128>(small) * pow10_u64[static_cast<std::size_t>(shift)];
    auto value = static_cast<int128>(raw);
    return decimal{negative ? -value : value};
  }

  uint128 mantissa = use_wide ? wide : small;
  if (mantissa == 0)
    return decimal{};
  if (shift >= 0) {
    // 10^39 exceeds the range, so larger shifts of a non-zero mantissa always overflow.
    if (shift > 38)
      return fail(text, "magnitude out of range (max about 1.7e20)");
    uint128 factor = pow10_u128(shift);
    if (mantissa > int128_max_magnitude / factor)
      return fail(text, "magnitude out of range (max about 1.7e20)");
    auto value = static_cast<int128>(mantissa * factor);
    return decimal{negative ? -value : value};
  }
  if (shift < -38)
    return fail(text, "more than 18 decimal places");
  uint128 divisor = pow10_u128(-shift);
  if (mantissa % divisor != 0)
    return fail(text, "more than 18 decimal places");
  auto value = static_cast<int128>(mantissa / divisor);
  return decimal{negative ? -value : value};
}

decimal decimal::from_string(std::string_view text) {
  auto parsed = parse(text);
  if (!parsed)
    throw std::invalid_argument{parsed.error().message()};
  return *parsed;
}

std::string decimal::to_string() const {
  uint128 value = magnitude(raw_);
  auto unit = static_cast<uint128>(one_raw);
  std::string out = raw_ < 0 ? "-" : "";
  out += to_digits(value / unit);
  auto fraction = static_cast<std::uint64_t>(value % unit);
  if (fraction != 0) {
    char digits[max_places];
    for (int i = max_places - 1; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + fraction % 10);
      fraction /= 10;
    }
    int length = max_places;
    while (digits[length - 1] == '0')
      --length;
    out += '.';
    out.append(digits, static_cast<std::size_t>(length));
  }
  return out;
}

std::string decimal::to_string(int decimal_places, rounding mode) const {
  decimal rounded = round(decimal_places, mode);
  uint128 value = magnitude(rounded.raw_);
  auto unit = static_cast<uint128>(one_raw);
  std::string out = rounded.raw_ < 0 ? "-" : "";
  out += to_digits(value / unit);
  if (decimal_places > 0) {
    auto fraction = static_cast<std::uint64_t>(value % unit);
    char digits[max_places];
    for (int i = max_places - 1; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + fraction % 10);
      fraction /= 10;
    }
    out += '.';
    out.append(digits, static_cast<std::size_t>(decimal_places));
  }
  return out;
}

decimal decimal::round(int decimal_places, rounding mode) const {
  if (decimal_places < 0 || decimal_places > max_places)
    throw std::invalid_argument{"decimal places must be within 0..18, got "
                                + std::to_string(decimal_places)};
  auto step = static_cast<int128>(pow10_u64[static_cast<std::size_t>(max_places - decimal_places)]);
  return round_to(decimal{step}, mode);
}

decimal decimal::round_to(decimal step, rounding mode) const {
  if (step.raw_ <= 0)
    throw std::invalid_argument{"rounding step must be positive, got " + step.to_string()};
  uint128 value = magnitude(raw_);
  auto divisor = static_cast<uint128>(step.raw_);
  uint128 quotient = round_quotient(value / divisor, value % divisor, divisor, raw_ < 0, mode);
  if (quotient != 0 && quotient > int128_max_magnitude / divisor)
    throw decimal_overflow{"decimal overflow rounding " + to_string() + " to " + step.to_string()};
  return decimal{to_signed(quotient * divisor, raw_ < 0, "round_to")};
}

bool decimal::is_multiple_of(decimal step) const {
  if (step.raw_ <= 0)
    throw std::invalid_argument{"step must be positive, got " + step.to_string()};
  return raw_ % step.raw_ == 0;
}

decimal decimal::multiply(decimal a, decimal b, rounding mode) {
  bool negative = (a.raw_ < 0) != (b.raw_ < 0);
  wide::uint256 product = wide::multiply(magnitude(a.raw_), magnitude(b.raw_));
  auto [quotient, remainder] = wide::divide_small(product, static_cast<std::uint64_t>(one_raw));
  if (quotient.high != 0)
    throw decimal_overflow{"decimal overflow in multiply"};
  uint128 rounded = round_quotient(quotient.low, remainder, static_cast<uint128>(one_raw), negative,
                                   mode);
  if (rounded < quotient.low)
    throw decimal_overflow{"decimal overflow in multiply"};
  return decimal{to_signed(rounded, negative, "multiply")};
}

decimal decimal::divide(decimal a, decimal b, rounding mode) {
  if (b.raw_ == 0)
    throw std::domain_error{"decimal division by zero (" + a.to_string() + " / 0)"};
  bool negative = (a.raw_ < 0) != (b.raw_ < 0);
  wide::uint256 numerator = wide::multiply(magnitude(a.raw_), static_cast<uint128>(one_raw));
  uint128 divisor = magnitude(b.raw_);
  if (numerator.high >= divisor)
    throw decimal_overflow{"decimal overflow in divide"};
  auto [quotient, remainder] = wide::divide(numerator, divisor);
  uint128 rounded = round_quotient(quotient, remainder, divisor, negative, mode);
  if (rounded < quotient)
    throw decimal_overflow{"decimal overflow in divide"};
  return decimal{to_signed(rounded, negative, "divide")};
}

double decimal::to_double() const noexcept {
  auto unit = static_cast<int128>(one_raw);
  auto whole = static_cast<double>(raw_ / unit);
  auto fraction = static_cast<double>(static_cast<std::int64_t>(raw_ % unit)) / 1e18;
  return whole + fraction;
}

decimal& decimal::operator+=(decimal other) {
  if (__builtin_add_overflow(raw_, other.raw_, &raw_) || raw_ == -(max().raw_) - 1)
    throw decimal_overflow{"decimal overflow in addition"};
  return *this;
}

decimal& decimal::operator-=(decimal other) {
  if (__builtin_sub_overflow(raw_, other.raw_, &raw_) || raw_ == -(max().raw_) - 1)
    throw decimal_overflow{"decimal overflow in subtraction"};
  return *this;
}

decimal& decimal::operator*=(std::int64_t factor) {
  if (__builtin_mul_overflow(raw_, static_cast<int128>(factor), &raw_)
      || raw_ == -(max().raw_) - 1)
    throw decimal_overflow{"decimal overflow in multiplication by " + std::to_string(factor)};
  return *this;
}

std::ostream& operator<<(std::ostream& out, decimal value) {
  return out << value.to_string();
}

} // namespace tern
