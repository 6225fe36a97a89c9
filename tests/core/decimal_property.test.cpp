// Property tests: decimal against a reference model built on arbitrary-precision integers.
// The model counts 10^-18 units in a boost::multiprecision::cpp_int, so nothing overflows or
// rounds by accident; each operation's exact result is rounded by a separate, plain
// implementation of each rounding mode.

#include <catch2/catch.hpp>

#include <boost/multiprecision/cpp_int.hpp>
#include <random>

#include "core/decimal.hpp"

using namespace tern;
using big = boost::multiprecision::cpp_int;

namespace {

const big unit = big{"1000000000000000000"};
const big range_max = (big{1} << 127) - 1;

big to_big(decimal value) {
  int128 raw = value.raw();
  bool negative = raw < 0;
  auto magnitude = negative ? static_cast<uint128>(-raw) : static_cast<uint128>(raw);
  big out = big{static_cast<std::uint64_t>(magnitude >> 64)};
  out <<= 64;
  out += big{static_cast<std::uint64_t>(magnitude)};
  return negative ? big{-out} : out;
}

// Floor division with a remainder that has the divisor's sign (divisor > 0 here).
big floor_div(const big& a, const big& b) {
  big q = a / b;
  if ((a % b != 0) && (a < 0))
    q -= 1;
  return q;
}

// The reference: exact a/b rounded to an integer by `mode` (b > 0).
big round_div(const big& a, const big& b, rounding mode) {
  big floor = floor_div(a, b);
  big remainder = a - floor * b;  // 0 <= remainder < b
  if (remainder == 0)
    return floor;
  big ceil = floor + 1;
  big twice = remainder * 2;
  switch (mode) {
    case rounding::floor: return floor;
    case rounding::ceiling: return ceil;
    case rounding::down: return a < 0 ? ceil : floor;
    case rounding::up: return a < 0 ? floor : ceil;
    case rounding::half_up:
      if (twice == b)
        return a < 0 ? floor : ceil;
      return twice < b ? floor : ceil;
    case rounding::half_even:
      if (twice == b)
        return (floor % 2 == 0) ? floor : ceil;
      return twice < b ? floor : ceil;
  }
  return floor;
}

bool in_range(const big& raw) {
  return raw <= range_max && raw >= -range_max;
}

constexpr rounding all_modes[] = {rounding::down,    rounding::up,      rounding::floor,
                                  rounding::ceiling, rounding::half_up, rounding::half_even};

struct generator {
  std::mt19937_64 engine;

  int uniform(int low, int high) { return std::uniform_int_distribution<int>{low, high}(engine); }

  std::string digits(int count) {
    std::string out;
    for (int i = 0; i < count; ++i)
      out += static_cast<char>('0' + uniform(0, 9));
    return out;
  }

  // A decimal of varied magnitude and precision, biased toward exchange-like values.
  decimal value() {
    int whole = uniform(0, 3) == 0 ? uniform(0, 20) : uniform(0, 7);
    int fraction = uniform(0, 18);
    std::string text = (uniform(0, 3) == 0 ? "-" : "") + (whole ? digits(whole) : "0");
    if (fraction)
      text += "." + digits(fraction);
    return decimal::from_string(text);
  }
};

} // namespace

TEST_CASE("decimal parse and format agree with the reference model") {
  auto seed = GENERATE(1u, 2u, 3u);
  generator gen{std::mt19937_64{seed}};
  INFO("seed " << seed);
  for (int i = 0; i < 20000; ++i) {
    int whole = gen.uniform(0, 24);
    int fraction = gen.uniform(0, 24);
    int exponent = gen.uniform(-25, 25);
    std::string whole_digits = gen.digits(whole);
    std::string fraction_digits = gen.digits(fraction);
    std::string text = gen.uniform(0, 1) ? "-" : "";
    text += whole_digits;
    if (fraction) {
      text += '.';
      text += fraction_digits;
    }
    if (whole == 0 && fraction == 0)
      text += '0';
    bool with_exponent = gen.uniform(0, 2) == 0;
    if (with_exponent) {
      text += 'e';
      text += std::to_string(exponent);
    }
    else
      exponent = 0;
    INFO(text);

    // Exact value in 10^-18 units, when it is an integer count of them.
    std::string all_digits = whole_digits + fraction_digits;
    // cpp_int reads a leading 0 as octal: strip leading zeros first.
    all_digits.erase(0, std::min(all_digits.find_first_not_of('0'), all_digits.size()));
    big mantissa{all_digits.empty() ? "0" : all_digits};
    if (text[0] == '-')
      mantissa = -mantissa;
    int shift = 18 - fraction + exponent;
    bool exact = true;
    big expected_raw;
    if (shift >= 0) {
      expected_raw = mantissa * boost::multiprecision::pow(big{10}, shift);
    } else {
      big divisor = boost::multiprecision::pow(big{10}, -shift);
      exact = mantissa % divisor == 0;
      expected_raw = mantissa / divisor;
    }
    auto parsed = decimal::parse(text);
    if (exact && in_range(expected_raw)) {
      REQUIRE(parsed.has_value());
      CHECK(to_big(*parsed) == expected_raw);
      // The canonical text parses back to the same value.
      CHECK(decimal::from_string(parsed->to_string()) == *parsed);
    } else {
      CHECK_FALSE(parsed.has_value());
    }
  }
}

TEST_CASE("decimal arithmetic agrees with the reference model") {
  auto seed = GENERATE(11u, 12u, 13u);
  generator gen{std::mt19937_64{seed}};
  INFO("seed " << seed);
  for (int i = 0; i < 20000; ++i) {
    decimal a = gen.value();
    decimal b = gen.value();
    rounding mode = all_modes[gen.uniform(0, 5)];
    INFO(a << " and " << b << " mode " << static_cast<int>(mode));
    big x = to_big(a), y = to_big(b);

    CHECK((a < b) == (x < y));
    CHECK((a == b) == (x == y));

    big sum = x + y;
    if (in_range(sum))
      CHECK(to_big(a + b) == sum);
    else
      CHECK_THROWS_AS(a + b, decimal_overflow);
    big difference = x - y;
    if (in_range(difference))
      CHECK(to_big(a - b) == difference);
    else
      CHECK_THROWS_AS(a - b, decimal_overflow);

    big product = round_div(x * y, unit, mode);
    if (in_range(product))
      CHECK(to_big(decimal::multiply(a, b, mode)) == product);
    else
      CHECK_THROWS_AS(decimal::multiply(a, b, mode), decimal_overflow);

    if (!b.is_zero()) {
      big numerator = x * unit;
      big quotient = y > 0 ? round_div(numerator, y, mode) : round_div(-numerator, -y, mode);
      if (in_range(quotient))
        CHECK(to_big(decimal::divide(a, b, mode)) == quotient);
      else
        CHECK_THROWS_AS(decimal::divide(a, b, mode), decimal_overflow);
    }

    decimal step = b.abs();
    if (!step.is_zero()) {
      big rounded = round_div(x, to_big(step), mode) * to_big(step);
      if (in_range(rounded))
        CHECK(to_big(a.round_to(step, mode)) == rounded);
    }

    int places = gen.uniform(0, 18);
    big scale = boost::multiprecision::pow(big{10}, 18 - places);
    big expected_rounded = round_div(x, scale, mode) * scale;
    decimal rounded = a.round(places, mode);
    CHECK(to_big(rounded) == expected_rounded);
    // Fixed-places text equals the rounded value, parsed back.
    CHECK(decimal::from_string(a.to_string(places, mode)) == rounded);
  }
}
