#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "connectors/common/decimal_text.hpp"

using namespace tern;

namespace {

// The text followed by a terminator and 64 bytes of junk, as in a padded frame buffer.
std::string padded(const std::string& text, char terminator = '"') {
  std::string out;
  out.reserve(text.size() + 65);
  out.append(text);
  out.push_back(terminator);
  out.append(64, '7');
  return out;
}

// Every fast path must agree with decimal::parse, or decline.
void check_agrees(const std::string& text, char terminator) {
  INFO("text \"" << text << "\" then '" << terminator << "'");
  auto reference = decimal::parse(text);
  std::string buffer = padded(text, terminator);
  decimal fast;
  const char* end = scan_plain_decimal_padded(buffer.data(), fast);
  if (end != nullptr) {
    // It read a number and stopped at the first character that does not continue it.
    auto consumed = decimal::parse(std::string_view{buffer.data(), static_cast<std::size_t>(end - buffer.data())});
    REQUIRE(consumed);
    CHECK(fast == *consumed);
    CHECK_FALSE(detail::is_digit(*end));
    if (end == buffer.data() + text.size())
      CHECK(fast == reference.value());
  }
  decimal scalar;
  const char* scalar_end = scan_plain_decimal(buffer.data(), buffer.data() + text.size(), scalar);
  if (scalar_end != nullptr && scalar_end == buffer.data() + text.size()) {
    REQUIRE(reference);
    CHECK(scalar == *reference);
  }
  auto text_result = parse_decimal_text(text);
  REQUIRE(text_result.has_value() == reference.has_value());
  if (reference)
    CHECK(*text_result == *reference);
}

std::string digits(std::mt19937_64& rng, int count) {
  std::string out;
  for (int i = 0; i < count; ++i)
    out.push_back(static_cast<char>('0' + rng() % 10));
  return out;
}

} // namespace

TEST_CASE("wire decimals in the forms exchanges send are read exactly") {
  for (const char* text : {"61737.63000000", "0.00000000", "0.001", "42", "1.54698000", "61800.30",
                           "0.000000000000000001", "123456789012345678.5", "99999999999999999999"})
    check_agrees(text, '"');
  std::string price = padded("61737.63000000");
  decimal value;
  REQUIRE(scan_plain_decimal_padded(price.data(), value) == price.data() + 14);
  CHECK(value == decimal::from_scaled(6173763, 2));
}

TEST_CASE("forms that are not plain go to decimal::parse, errors included") {
  for (const char* text : {"1.", ".5", "1e-8", "2.5E+3", "-5", "+5", "", "1.2.3", "0x10", "1 2",
                           "0.1234567890123456789", "1234567890123456789012"})
    check_agrees(text, '"');
  decimal value;
  std::string exponent = padded("1e5");
  CHECK(scan_plain_decimal_padded(exponent.data(), value) == nullptr);
  CHECK(parse_decimal_text("1e5").value() == decimal::from_integer(100000));
  CHECK_FALSE(parse_decimal_text("12a"));
}

TEST_CASE("random plain numbers of every length agree with decimal::parse") {
  std::mt19937_64 rng{20240808};  // fixed seed: the same numbers every run
  for (int round = 0; round < 20'000; ++round) {
    int whole = static_cast<int>(rng() % 22);
    int fraction = static_cast<int>(rng() % 21);
    std::string text = digits(rng, whole);
    if (fraction > 0 || rng() % 4 == 0) {
      text.push_back('.');
      text.append(digits(rng, fraction));
    }
    const char terminators[] = {'"', ',', ']', '}', ' ', '\0', 'x', '.'};
    check_agrees(text, terminators[rng() % sizeof(terminators)]);
  }
}
