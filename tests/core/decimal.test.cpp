#include <catch2/catch.hpp>
#include "core/decimal.hpp"
using namespace tern;
TEST_CASE("smoke") {
  CHECK(decimal::from_string("61737.63000000").to_string() == "61737.63");
  CHECK(decimal::from_string("1e-8").to_string() == "0.00000001");
  CHECK(decimal::multiply("1.5"_d, "2.5"_d, rounding::half_even).to_string() == "3.75");
  CHECK(decimal::divide("1"_d, "3"_d, rounding::half_even).to_string() == "0.333333333333333333");
  // 61737.63 / 0.000123 = 501931951.219512195121951219512...; half-even to 18 places (Python decimal).
  CHECK(decimal::divide("61737.63"_d, "0.00012300"_d, rounding::half_even).to_string() == "501931951.21951219512195122");
}
