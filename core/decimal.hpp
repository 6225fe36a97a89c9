#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace tern {

__extension__ using int128 = __int128;
__extension__ using uint128 = unsigned __int128;

/// How a result that falls between two representable values is resolved.
enum class rounding {
  down,      ///< toward zero
  up,        ///< away from zero
  floor,     ///< toward negative infinity
  ceiling,   ///< toward positive infinity
  half_up,   ///< to nearest, ties away from zero
  half_even, ///< to nearest, ties to the even neighbour (banker's rounding)
};

/// Thrown when a decimal result does not fit the range; never wraps silently.
class decimal_overflow : public std::overflow_error {
 public:
  using std::overflow_error::overflow_error;
};

/// Why a string is not a decimal. `message()` quotes the input.
struct decimal_parse_error {
  std::string input;
  std::string reason;
  [[nodiscard]] std::string message() const;
};

/// Exact signed fixed-point decimal for prices, sizes, fees and balances.
///
/// Representation: a 128-bit integer count of 10^-18 units.
/// - Resolution: 0.000000000000000001 (1e-18), enough for wei-denominated on-chain amounts.
/// - Range: +/-170141183460469231731.687303715884105727 (about 1.7e20), so any price, size or
///   notional up to 10^20 is exact.
/// Addition, subtraction and integer multiplication are exact and throw `decimal_overflow`
/// instead of wrapping. Multiplication and division of two decimals round with an explicit
/// `rounding` argument because their exact result may need more than 18 places.
class decimal {
 public:
  static constexpr int places = 18;
  static constexpr int128 one_raw = static_cast<int128>(1'000'000'000'000'000'000LL);

  constexpr decimal() noexcept = default;

  /// Builds a decimal from its raw count of 10^-18 units.
  static constexpr decimal from_raw(int128 raw) noexcept { return decimal{raw}; }
  static constexpr decimal from_integer(std::int64_t value) noexcept {
    return decimal{static_cast<int128>(value) * one_raw};
  }
  /// `mantissa` x 10^-`scale`, e.g. (12345, 2) is 123.45. Throws on overflow or scale > 18.
  static decimal from_scaled(std::int64_t mantissa, int scale);
  static constexpr decimal max() noexcept { return decimal{~(static_cast<int128>(1) << 127)}; }
  static constexpr decimal min() noexcept { return decimal{-max().raw_}; }

  /// Parses every form exchanges send: "0.00012300", "61737.63000000", "-5", "+5", "1e-8",
  /// "2.5E+3", ".5". Rejects anything else, and values needing more than 18 places or
  /// outside the range, with an error that quotes the input.
  static expected<decimal, decimal_parse_error> parse(std::string_view text) noexcept;

  /// Like parse, but throws std::invalid_argument with the error message. For literals and
  /// trusted input; wire data goes through `parse`.
  static decimal from_string(std::string_view text);

  [[nodiscard]] constexpr int128 raw() const noexcept { return raw_; }
  [[nodiscard]] constexpr bool is_zero() const noexcept { return raw_ == 0; }
  [[nodiscard]] constexpr bool is_negative() const noexcept { return raw_ < 0; }
  [[nodiscard]] constexpr bool is_positive() const noexcept { return raw_ > 0; }
  [[nodiscard]] constexpr int sign() const noexcept { return (raw_ > 0) - (raw_ < 0); }
  [[nodiscard]] constexpr decimal abs() const noexcept { return decimal{raw_ < 0 ? -raw_ : raw_}; }

  /// Canonical text: no trailing zeros, no exponent, "0" for zero ("1.5", "-0.0001", "42").
  [[nodiscard]] std::string to_string() const;
  /// Exactly `decimal_places` digits after the point, rounded with `mode`.
  [[nodiscard]] std::string to_string(int decimal_places, rounding mode = rounding::half_even) const;

  /// Rounds to `decimal_places` digits after the point (0..18).
  [[nodiscard]] decimal round(int decimal_places, rounding mode) const;
  /// The multiple of `step` (> 0) nearest below, above, or by `mode`. Used for tick and lot sizes.
  [[nodiscard]] decimal floor_to(decimal step) const { return round_to(step, rounding::floor); }
  [[nodiscard]] decimal ceil_to(decimal step) const { return round_to(step, rounding::ceiling); }
  [[nodiscard]] decimal round_to(decimal step, rounding mode) const;
  /// True when this is a whole multiple of `step` (> 0).
  [[nodiscard]] bool is_multiple_of(decimal step) const;

  /// a x b rounded to 18 places with `mode`.
  static decimal multiply(decimal a, decimal b, rounding mode);
  /// a / b rounded to 18 places with `mode`; throws std::domain_error when b is zero.
  static decimal divide(decimal a, decimal b, rounding mode);

  /// Approximation for display, charts and metrics only; never for money arithmetic.
  [[nodiscard]] double to_double() const noexcept;

  friend constexpr auto operator<=>(decimal, decimal) noexcept = default;
  friend constexpr bool operator==(decimal, decimal) noexcept = default;

  constexpr decimal operator-() const { return decimal{checked_negate(raw_)}; }
  decimal& operator+=(decimal other);
  decimal& operator-=(decimal other);
  decimal& operator*=(std::int64_t factor);
  friend decimal operator+(decimal a, decimal b) { return a += b; }
  friend decimal operator-(decimal a, decimal b) { return a -= b; }
  friend decimal operator*(decimal a, std::int64_t factor) { return a *= factor; }
  friend decimal operator*(std::int64_t factor, decimal a) { return a *= factor; }

 private:
  constexpr explicit decimal(int128 raw) noexcept : raw_(raw) {}
  static expected<decimal, decimal_parse_error> parse_general(std::string_view text) noexcept;
  static constexpr int128 checked_negate(int128 value) {
    // -min() is max(); the only unrepresentable negation is of -2^127, which no decimal holds.
    return -value;
  }

  int128 raw_ = 0;
};

std::ostream& operator<<(std::ostream& out, decimal value);

/// Smaller of two decimals.
[[nodiscard]] constexpr decimal min(decimal a, decimal b) noexcept { return b < a ? b : a; }
/// Larger of two decimals.
[[nodiscard]] constexpr decimal max(decimal a, decimal b) noexcept { return a < b ? b : a; }

inline namespace literals {
/// `"0.01"_d`: a decimal literal, checked when the program runs.
inline decimal operator""_d(const char* text, std::size_t size) {
  return decimal::from_string(std::string_view{text, size});
}
} // namespace literals

} // namespace tern

template <>
struct std::hash<tern::decimal> {
  std::size_t operator()(tern::decimal value) const noexcept {
    auto raw = static_cast<tern::uint128>(value.raw());
    auto low = static_cast<std::uint64_t>(raw);
    auto high = static_cast<std::uint64_t>(raw >> 64);
    return std::hash<std::uint64_t>{}(low ^ (high * 0x9e3779b97f4a7c15ULL));
  }
};
