#include <catch2/catch.hpp>

#include <unordered_set>

#include "core/decimal.hpp"

using namespace tern;

namespace {

std::string canonical(std::string_view text) {
  return decimal::from_string(text).to_string();
}

std::string parse_error(std::string_view text) {
  auto parsed = decimal::parse(text);
  REQUIRE_FALSE(parsed.has_value());
  return parsed.error().message();
}

} // namespace

TEST_CASE("decimal parses the forms exchanges send") {
  CHECK(canonical("0.00012300") == "0.000123");
  CHECK(canonical("61737.63000000") == "61737.63");
  CHECK(canonical("-5") == "-5");
  CHECK(canonical("+5") == "5");
  CHECK(canonical("1e-8") == "0.00000001");
  CHECK(canonical("1E-8") == "0.00000001");
  CHECK(canonical("2.5E+3") == "2500");
  CHECK(canonical("2.5e3") == "2500");
  CHECK(canonical("12300e-2") == "123");
  CHECK(canonical("0") == "0");
  CHECK(canonical("-0") == "0");
  CHECK(canonical("0.0") == "0");
  CHECK(canonical("000123.4500") == "123.45");
  CHECK(canonical(".5") == "0.5");
  CHECK(canonical("5.") == "5");
  CHECK(canonical("0.000000000000000001") == "0.000000000000000001");
  CHECK(canonical("1000000000000") == "1000000000000");
  CHECK(canonical("123456789012345678901.5") == "123456789012345678901.5");
  CHECK(canonical("1.000000000000000000000000000000") == "1");
  CHECK(canonical("100000000000000000000") == "100000000000000000000");
}

TEST_CASE("decimal holds the stated range and resolution") {
  auto largest = decimal::from_string("170141183460469231731.687303715884105727");
  CHECK(largest == decimal::max());
  CHECK(largest.to_string() == "170141183460469231731.687303715884105727");
  CHECK(decimal::min().to_string() == "-170141183460469231731.687303715884105727");
  CHECK(decimal::from_string("1e-18").raw() == 1);
  CHECK(decimal::from_string("1000000000000.000000000000000001").to_string()
        == "1000000000000.000000000000000001");
}

TEST_CASE("decimal rejects garbage with an error that quotes the input") {
  CHECK(parse_error("") == "invalid decimal \"\": empty string");
  CHECK(parse_error("abc") == "invalid decimal \"abc\": unexpected character 'a' at position 0");
  CHECK(parse_error("1.2.3") == "invalid decimal \"1.2.3\": more than one decimal point");
  CHECK(parse_error("-") == "invalid decimal \"-\": no digits");
  CHECK(parse_error(".") == "invalid decimal \".\": no digits");
  CHECK(parse_error("1e") == "invalid decimal \"1e\": exponent has no digits");
  CHECK(parse_error("1e+") == "invalid decimal \"1e+\": exponent has no digits");
  CHECK(parse_error("1ex") == "invalid decimal \"1ex\": unexpected character 'x' in exponent");
  CHECK(parse_error(" 1") == "invalid decimal \" 1\": unexpected character ' ' at position 0");
  CHECK(parse_error("1 ") == "invalid decimal \"1 \": unexpected character ' ' at position 1");
  CHECK(parse_error("nan") == "invalid decimal \"nan\": unexpected character 'n' at position 0");
  CHECK(parse_error("0x10") == "invalid decimal \"0x10\": unexpected character 'x' at position 1");
  CHECK(parse_error("1e-19") == "invalid decimal \"1e-19\": more than 18 decimal places");
  CHECK(parse_error("0.0000000000000000001")
        == "invalid decimal \"0.0000000000000000001\": more than 18 decimal places");
  CHECK(parse_error("170141183460469231731.687303715884105728")
        == "invalid decimal \"170141183460469231731.687303715884105728\": magnitude out of range "
           "(max about 1.7e20)");
  CHECK(parse_error("1e21") == "invalid decimal \"1e21\": magnitude out of range (max about 1.7e20)");
  CHECK(parse_error("1e99999") == "invalid decimal \"1e99999\": magnitude out of range (max about 1.7e20)");
  CHECK_THROWS_WITH(decimal::from_string("12a"), "invalid decimal \"12a\": unexpected character 'a' at position 2");
}

TEST_CASE("decimal formats at a given number of places with rounding") {
  auto value = "2.345"_d;
  CHECK(value.to_string(2) == "2.34");  // half-even: 2.345 -> 2.34
  CHECK(value.to_string(2, rounding::half_up) == "2.35");
  CHECK(value.to_string(0) == "2");
  CHECK("2.5"_d.to_string(0) == "2");
  CHECK("3.5"_d.to_string(0) == "4");
  CHECK("-2.345"_d.to_string(2, rounding::floor) == "-2.35");
  CHECK("-2.345"_d.to_string(2, rounding::ceiling) == "-2.34");
  CHECK("1"_d.to_string(4) == "1.0000");
  CHECK("-0.001"_d.to_string(2, rounding::half_even) == "0.00");
  CHECK("0.1"_d.to_string(18) == "0.100000000000000000");
  CHECK_THROWS_AS("1"_d.to_string(19), std::invalid_argument);
}

TEST_CASE("decimal addition and subtraction are exact and detect overflow") {
  CHECK(("0.1"_d + "0.2"_d) == "0.3"_d);
  CHECK(("61737.63"_d - "0.01"_d).to_string() == "61737.62");
  CHECK((-"5"_d).to_string() == "-5");
  CHECK(("1.5"_d * 3).to_string() == "4.5");
  CHECK((-2 * "1.25"_d).to_string() == "-2.5");
  CHECK_THROWS_AS(decimal::max() + "0.000000000000000001"_d, decimal_overflow);
  CHECK_THROWS_AS(decimal::min() - "0.000000000000000001"_d, decimal_overflow);
  CHECK_THROWS_AS(decimal::max() * 2, decimal_overflow);
  CHECK_NOTHROW(decimal::max() + decimal::min());
}

TEST_CASE("decimal multiplication rounds explicitly") {
  CHECK(decimal::multiply("61737.63"_d, "0.00012300"_d, rounding::half_even).to_string()
        == "7.59372849");
  CHECK(decimal::multiply("0.000000000000000001"_d, "0.5"_d, rounding::half_even).is_zero());
  CHECK(decimal::multiply("0.000000000000000003"_d, "0.5"_d, rounding::half_even).raw() == 2);
  CHECK(decimal::multiply("0.000000000000000003"_d, "0.5"_d, rounding::down).raw() == 1);
  CHECK(decimal::multiply("0.000000000000000003"_d, "0.5"_d, rounding::up).raw() == 2);
  CHECK(decimal::multiply("-0.000000000000000003"_d, "0.5"_d, rounding::floor).raw() == -2);
  CHECK(decimal::multiply("-0.000000000000000003"_d, "0.5"_d, rounding::ceiling).raw() == -1);
  CHECK(decimal::multiply("100000000000"_d, "1000000000"_d, rounding::down).to_string()
        == "100000000000000000000");
  CHECK_THROWS_AS(decimal::multiply("100000000000"_d, "10000000000"_d, rounding::down),
                  decimal_overflow);
}

TEST_CASE("decimal division rounds explicitly and refuses zero") {
  CHECK(decimal::divide("1"_d, "3"_d, rounding::half_even).to_string() == "0.333333333333333333");
  CHECK(decimal::divide("2"_d, "3"_d, rounding::half_even).to_string() == "0.666666666666666667");
  CHECK(decimal::divide("2"_d, "3"_d, rounding::down).to_string() == "0.666666666666666666");
  CHECK(decimal::divide("-2"_d, "3"_d, rounding::floor).to_string() == "-0.666666666666666667");
  CHECK(decimal::divide("61737.63"_d, "0.000123"_d, rounding::half_even).to_string()
        == "501931951.21951219512195122");
  CHECK(decimal::divide("1"_d, "0.000000000000000001"_d, rounding::down).to_string()
        == "1000000000000000000");
  CHECK_THROWS_AS(decimal::divide("1"_d, decimal{}, rounding::down), std::domain_error);
  CHECK_THROWS_AS(decimal::divide("1000"_d, "0.000000000000000001"_d, rounding::down),
                  decimal_overflow);
}

TEST_CASE("decimal floors and ceils to a tick or step") {
  CHECK("61737.637"_d.floor_to("0.01"_d).to_string() == "61737.63");
  CHECK("61737.631"_d.ceil_to("0.01"_d).to_string() == "61737.64");
  CHECK("61737.63"_d.ceil_to("0.01"_d).to_string() == "61737.63");
  CHECK("0.123456"_d.floor_to("0.0001"_d).to_string() == "0.1234");
  CHECK("-1.25"_d.floor_to("0.1"_d).to_string() == "-1.3");
  CHECK("-1.25"_d.ceil_to("0.1"_d).to_string() == "-1.2");
  CHECK("17"_d.floor_to("5"_d).to_string() == "15");
  CHECK("1.25"_d.round_to("0.5"_d, rounding::half_even).to_string() == "1");
  CHECK("1.75"_d.round_to("0.5"_d, rounding::half_even).to_string() == "2");
  CHECK("0.3"_d.is_multiple_of("0.1"_d));
  CHECK_FALSE("0.35"_d.is_multiple_of("0.1"_d));
  CHECK_THROWS_AS("1"_d.floor_to(decimal{}), std::invalid_argument);
  CHECK_THROWS_AS("1"_d.floor_to("-0.1"_d), std::invalid_argument);
}

TEST_CASE("decimal compares and hashes by value") {
  CHECK("1.50"_d == "1.5"_d);
  CHECK("1.5"_d < "1.51"_d);
  CHECK("-1"_d < "0.000000000000000001"_d);
  CHECK(max("1"_d, "2"_d) == "2"_d);
  CHECK(min("1"_d, "2"_d) == "1"_d);
  std::unordered_set<decimal> set{"1.50"_d, "1.5"_d, "1.500000"_d, "2"_d};
  CHECK(set.size() == 2);
  CHECK(std::hash<decimal>{}("1.5"_d) == std::hash<decimal>{}("1.500"_d));
}

TEST_CASE("decimal builds from integers and scaled mantissas") {
  CHECK(decimal::from_integer(-42).to_string() == "-42");
  CHECK(decimal::from_scaled(12345, 2).to_string() == "123.45");
  CHECK(decimal::from_scaled(-1, 18).raw() == -1);
  CHECK_THROWS_AS(decimal::from_scaled(1, 19), std::invalid_argument);
  CHECK("0.5"_d.to_double() == 0.5);
  CHECK("-1234.25"_d.to_double() == -1234.25);
}
