#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/client_order_id.hpp"
#include "core/decimal.hpp"
#include "core/md5.hpp"

using namespace tern;

namespace {

// Expected ids below follow §A4 by hand: prefix + side + first/last of base and quote +
// hex(nonce) + instance digest, cut to the maximum; the hashed suffixes and the numeric ids
// were computed with Python's hashlib and int(), independently of this code.
const std::string instance = "tern-host-4242-1";
const std::string digest = "76fdfaf8f53d17444a2c9a95f0f06faf";  // md5 of `instance`
constexpr std::uint64_t nonce = 1'700'000'000'000'000;           // hex 60a24181e4000
const timestamp nonce_time = from_unix_ns(static_cast<std::int64_t>(nonce) * 1000);

const trading_pair btc_usdt = trading_pair::from_string("BTC-USDT");

client_order_id_format binance() {
  return {"x-MG43PCSN", 32, character_set::alphanumeric_and(".:/_-")};
}
client_order_id_format okx() { return {"93027a12dac34fBC", 32, character_set::alphanumeric()}; }
client_order_id_format gate() { return {"t-HBOT", 30, character_set::alphanumeric_and("-_.")}; }

client_order_id_generator make(client_order_id_format format) {
  auto generator = client_order_id_generator::create(std::move(format), instance);
  REQUIRE(generator);
  return std::move(generator).value();
}

/// The reference the numeric id is checked against: the decimal digits of the digest and of
/// the nonce, reduced modulo 2^64 one digit at a time (unsigned arithmetic wraps modulo 2^64).
std::uint64_t numeric_by_digits(const std::string& hex_digest, std::uint64_t n, int bits) {
  uint128 value = 0;  // the whole 128-bit digest, not just its low 64 bits
  for (char c : hex_digest) {
    value = value * 16 + static_cast<unsigned>(std::stoi(std::string(1, c), nullptr, 16));
  }
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  } while (value != 0);
  digits += std::to_string(n);
  std::uint64_t reduced = 0;
  for (char d : digits) reduced = reduced * 10 + static_cast<std::uint64_t>(d - '0');
  return bits == 64 ? reduced : reduced & ((std::uint64_t{1} << bits) - 1);
}

} // namespace

TEST_CASE("the instance digest is the md5 of the instance text") {
  CHECK(md5_hex(instance) == digest);
  CHECK(make(binance()).instance_digest() == digest);
}

TEST_CASE("nonces are written in lower-case hex without a prefix") {
  CHECK(to_hex(0) == "0");
  CHECK(to_hex(255) == "ff");
  CHECK(to_hex(nonce) == "60a24181e4000");
  CHECK(to_hex(std::numeric_limits<std::uint64_t>::max()) == "ffffffffffffffff");
}

TEST_CASE("nonces are the time in microseconds and strictly increase") {
  nonce_generator nonces;
  CHECK(nonces.next(nonce_time) == nonce);
  CHECK(nonces.next(nonce_time) == nonce + 1);                                // same microsecond
  CHECK(nonces.next(nonce_time + std::chrono::nanoseconds{999}) == nonce + 2);  // still the same
  CHECK(nonces.next(nonce_time - std::chrono::seconds{1}) == nonce + 3);      // clock stepped back
  CHECK(nonces.next(nonce_time + std::chrono::seconds{1}) == nonce + 1'000'000);
  CHECK(nonces.last() == nonce + 1'000'000);
}

TEST_CASE("a restarted generator continues above the last nonce it issued") {
  nonce_generator nonces{nonce + 500};
  CHECK(nonces.next(nonce_time) == nonce + 501);
  nonce_generator before_epoch;
  CHECK(before_epoch.next(from_unix_ns(-5'000)) == 1);
}

TEST_CASE("a Binance id keeps the whole nonce and cuts the digest to 32 characters") {
  auto buy = make_client_order_id("x-MG43PCSN", side::buy, btc_usdt, nonce, digest, 32);
  CHECK(buy == "x-MG43PCSNBBCUT60a24181e400076fd");
  CHECK(buy.size() == 32);
  auto sell = make_client_order_id("x-MG43PCSN", side::sell, trading_pair::from_string("ETH-BTC"),
                                   nonce + 1, digest, 32);
  CHECK(sell == "x-MG43PCSNSEHBC60a24181e400176fd");
}

TEST_CASE("an OKX id, with too little room for the nonce, ends in a hash of nonce and digest") {
  // 16 prefix + 5 leaves 11 characters, fewer than the 13 nonce digits.
  auto id = make_client_order_id("93027a12dac34fBC", side::buy, btc_usdt, nonce, digest, 32);
  CHECK(id == "93027a12dac34fBCBBCUT933d0deeb5e");
  CHECK(id == "93027a12dac34fBCBBCUT" + md5_hex("60a24181e4000" + digest).substr(0, 11));
}

TEST_CASE("the nonce is kept whole exactly when the room holds all its digits") {
  // "x-MG43PCSNBBCUT" is 15 characters; 13 nonce digits fit in 28, not in 27.
  CHECK(make_client_order_id("x-MG43PCSN", side::buy, btc_usdt, nonce, digest, 28)
        == "x-MG43PCSNBBCUT60a24181e4000");
  CHECK(make_client_order_id("x-MG43PCSN", side::buy, btc_usdt, nonce, digest, 27)
        == "x-MG43PCSNBBCUT" + md5_hex("60a24181e4000" + digest).substr(0, 12));
}

TEST_CASE("a Gate id fits 30 characters and takes the first and last letters of each asset") {
  auto id = make_client_order_id("t-HBOT", side::sell, trading_pair::from_string("1000PEPE-USDT"),
                                 nonce, digest, 30);
  CHECK(id == "t-HBOTS1EUT60a24181e400076fdfa");
}

TEST_CASE("without a maximum length the id carries the whole digest") {
  CHECK(make_client_order_id("", side::buy, btc_usdt, nonce, digest, 0)
        == "BBCUT60a24181e400076fdfaf8f53d17444a2c9a95f0f06faf");
}

TEST_CASE("ids are stable and id_for does not consume a nonce") {
  auto generator = make(binance());
  auto peek = generator.id_for(side::buy, btc_usdt, nonce);
  CHECK(peek == generator.id_for(side::buy, btc_usdt, nonce));
  CHECK(generator.last_nonce() == 0);
  CHECK(generator.next(side::buy, btc_usdt, nonce_time) == peek);
  CHECK(generator.last_nonce() == nonce);
}

TEST_CASE("100,000 ids drawn in one microsecond are unique, within length and charset") {
  for (const auto& format : {binance(), okx(), gate()}) {
    INFO("prefix " << format.prefix);
    auto generator = make(format);
    std::unordered_set<std::string> ids;
    for (int i = 0; i < 100'000; ++i) {
      auto id = generator.next(i % 2 ? side::buy : side::sell, btc_usdt, nonce_time);
      REQUIRE(id.size() <= format.max_length);
      REQUIRE(format.allowed.first_outside(id) == '\0');
      ids.insert(std::move(id));
    }
    CHECK(ids.size() == 100'000);
  }
}

TEST_CASE("two instances give different ids for the same nonce") {
  auto other = client_order_id_generator::create(binance(), "tern-host-4243-1");
  REQUIRE(other);
  for (const auto& format : {binance(), okx(), gate()}) {
    auto mine = make(format);
    auto theirs = client_order_id_generator::create(format, "tern-host-4243-1");
    REQUIRE(theirs);
    CHECK(mine.id_for(side::buy, btc_usdt, nonce) != theirs->id_for(side::buy, btc_usdt, nonce));
  }
}

TEST_CASE("formats the exchange would refuse are rejected when the generator is made") {
  auto dash_on_okx = okx();
  dash_on_okx.prefix = "x-MG43";
  auto bad_prefix = client_order_id_generator::create(dash_on_okx, instance);
  REQUIRE_FALSE(bad_prefix);
  CHECK_THAT(bad_prefix.error().message, Catch::Contains("\"x-MG43\" contains '-'"));

  auto no_letters = binance();
  no_letters.allowed = character_set{};
  no_letters.prefix.clear();
  CHECK_FALSE(client_order_id_generator::create(no_letters, instance));

  auto cramped = binance();
  cramped.max_length = 22;  // 10 + 5 leaves 7
  auto too_short = client_order_id_generator::create(cramped, instance);
  REQUIRE_FALSE(too_short);
  CHECK_THAT(too_short.error().message, Catch::Contains("maximum length 22"));
  cramped.max_length = 23;
  CHECK(client_order_id_generator::create(cramped, instance));
}

TEST_CASE("character sets hold letters, digits and the extras given") {
  auto gate_set = character_set::alphanumeric_and("-_.");
  CHECK(gate_set.contains('a'));
  CHECK(gate_set.contains('Z'));
  CHECK(gate_set.contains('7'));
  CHECK(gate_set.contains('.'));
  CHECK_FALSE(gate_set.contains('/'));
  CHECK_FALSE(character_set::alphanumeric().contains('-'));
  CHECK(gate_set.first_outside("t-ab/c") == '/');
  CHECK(gate_set.first_outside("t-abc") == '\0');
  CHECK(gate_set.first_outside("\xc3\xa9") == '\xc3');
}

TEST_CASE("numeric ids match the digits-then-nonce number reduced to its low bits") {
  CHECK(make_numeric_client_order_id(digest, nonce, 31) == 739'065'856);
  CHECK(make_numeric_client_order_id(digest, nonce, 32) == 739'065'856);
  CHECK(make_numeric_client_order_id(digest, nonce, 64) == 8'157'458'474'390'601'728ULL);
  CHECK(make_numeric_client_order_id(digest, 0, 31) == 1'768'185'046);
  CHECK(make_numeric_client_order_id(digest, 7, 31) == 1'768'185'053);
}

TEST_CASE("numeric ids agree with a digit-by-digit reduction for many inputs") {
  const std::vector<std::string> digests = {digest, md5_hex("a"), md5_hex(""), "ff", "0",
                                            "ffffffffffffffffffffffffffffffff"};
  const std::vector<std::uint64_t> nonces = {0, 9, 10, 99, 12345, nonce, nonce + 987'654,
                                             std::numeric_limits<std::uint64_t>::max()};
  for (const auto& d : digests) {
    for (auto n : nonces) {
      for (int bits : {1, 31, 32, 53, 63, 64}) {
        INFO(d << " " << n << " " << bits);
        CHECK(make_numeric_client_order_id(d, n, bits) == numeric_by_digits(d, n, bits));
      }
    }
  }
}

TEST_CASE("100,000 numeric ids of 31 bits are in range and unique") {
  auto generator = make(binance());
  std::unordered_set<std::uint64_t> ids;
  for (int i = 0; i < 100'000; ++i) {
    auto id = generator.next_numeric(nonce_time, 31);
    REQUIRE(id < (std::uint64_t{1} << 31));
    ids.insert(id);
  }
  CHECK(ids.size() == 100'000);
}

TEST_CASE("numeric ids refuse bad digests and bit counts") {
  CHECK_THROWS_AS(make_numeric_client_order_id(digest, nonce, 0), std::invalid_argument);
  CHECK_THROWS_AS(make_numeric_client_order_id(digest, nonce, 65), std::invalid_argument);
  CHECK_THROWS_AS(make_numeric_client_order_id("", nonce, 31), std::invalid_argument);
  CHECK_THROWS_AS(make_numeric_client_order_id("xyz", nonce, 31), std::invalid_argument);
  CHECK_THROWS_AS(make_numeric_client_order_id(digest + "0", nonce, 31), std::invalid_argument);
}
