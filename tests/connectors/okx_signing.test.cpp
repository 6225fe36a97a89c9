#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "connectors/common/crc32.hpp"
#include "connectors/okx/market_data.hpp"
#include "connectors/okx/signer.hpp"
#include "connectors/okx/user_stream.hpp"
#include "tests/connectors/okx_fixtures_rest.hpp"

// OKX signing and the book checksum. The OKX docs publish the signing recipe and an example
// secret but no signature made with it, so the expected signatures here were computed
// independently with OpenSSL's command line:
//   printf '%s' PAYLOAD | openssl dgst -sha256 -hmac 22582BD0CFF14C41EDBF1AB98506286D -binary | base64
// The checksum values are the ones OKX's documentation gives for its own check strings.

using namespace tern;
using okx_fixtures::example_secret;
using okx_fixtures::example_timestamp;
using okx_fixtures::example_timestamp_ms;

TEST_CASE("OKX timestamps are ISO 8601 UTC with milliseconds, as the docs' example") {
  // #overview-rest-authentication: "2020-12-08T09:08:57.715Z".
  CHECK(okx::iso8601_ms(example_timestamp_ms) == example_timestamp);
  CHECK(okx::iso8601_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(okx::iso8601_ms(1709251199999) == "2024-02-29T23:59:59.999Z");  // a leap day
}

TEST_CASE("OKX REST signature of the docs' GET example (independent OpenSSL vector)") {
  // #overview-rest-authentication: timestamp + 'GET' + '/api/v5/account/balance?ccy=BTC'.
  CHECK(okx::sign(example_secret, example_timestamp, "GET", "/api/v5/account/balance?ccy=BTC", "")
        == "HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY=");
}

TEST_CASE("OKX REST signature covers the body of a POST (independent OpenSSL vector)") {
  // The docs' body example: {"instId":"BTC-USDT","lever":"5","mgnMode":"isolated"}.
  CHECK(okx::sign(example_secret, example_timestamp, "POST", "/api/v5/account/set-leverage",
                  R"({"instId":"BTC-USDT","lever":"5","mgnMode":"isolated"})")
        == "eCnnCgWLjlQ9XnpUkrcny3qNq3WW/81KNrDr/XR6Xv8=");
}

TEST_CASE("OKX auth headers carry key, signature, timestamp and passphrase") {
  credentials keys{"37c541a1-key", std::string{example_secret}, "passphrase-1"};
  auto headers = okx::auth_headers(keys, example_timestamp_ms, "GET",
                                   "/api/v5/account/balance?ccy=BTC", "");
  REQUIRE(headers.size() == 4);
  CHECK(headers[0] == std::pair<std::string, std::string>{"OK-ACCESS-KEY", "37c541a1-key"});
  CHECK(headers[1] == std::pair<std::string, std::string>{"OK-ACCESS-SIGN",
                                                          "HiZhvSfMtWJA3uUIVXV3a/bSXNPCWvYFXoGCVS8V4zY="});
  CHECK(headers[2] == std::pair<std::string, std::string>{"OK-ACCESS-TIMESTAMP",
                                                          std::string{example_timestamp}});
  CHECK(headers[3] == std::pair<std::string, std::string>{"OK-ACCESS-PASSPHRASE", "passphrase-1"});
}

TEST_CASE("OKX WebSocket login signs seconds + GET + /users/self/verify (independent vector)") {
  // #overview-websocket-login: the request example's timestamp "1538054050".
  CHECK(okx::login_signature(example_secret, "1538054050")
        == "+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=");
  credentials keys{"api-key-1", std::string{example_secret}, "pass-1"};
  auto login = nlohmann::json::parse(okx::login_message(signing_context{keys, 1538054050123, {}}));
  CHECK(login["op"] == "login");
  REQUIRE(login["args"].size() == 1);
  CHECK(login["args"][0]["apiKey"] == "api-key-1");
  CHECK(login["args"][0]["passphrase"] == "pass-1");
  CHECK(login["args"][0]["timestamp"] == "1538054050");  // whole seconds
  CHECK(login["args"][0]["sign"] == "+LdIr8lkkvhr5hoA3g9TMC0+uQJ849ftAcocA/ouu4M=");
}

TEST_CASE("CRC-32 matches the standard check value and is the same fed in pieces") {
  CHECK(crc32("123456789") == 0xCBF43926U);
  CHECK(crc32("") == 0U);
  CHECK(crc32_update(crc32_update(0, "12345"), "6789") == 0xCBF43926U);
}

namespace {

std::uint32_t checksum_of(const std::vector<level_text>& bids, const std::vector<level_text>& asks) {
  std::vector<const level_text*> bid_ptrs;
  std::vector<const level_text*> ask_ptrs;
  for (const auto& level : bids)
    bid_ptrs.push_back(&level);
  for (const auto& level : asks)
    ask_ptrs.push_back(&level);
  return okx::book_checksum(bid_ptrs, ask_ptrs);
}

std::int32_t as_signed(std::uint32_t value) { return static_cast<std::int32_t>(value); }

} // namespace

TEST_CASE("OKX book checksum reproduces the documented examples") {
  // #order-book-trading-market-data-ws-order-book-channel, "Calculate Checksum": check string
  // "3366.1:7:3366.8:9:3366:6:3368:8" for two levels a side, and
  // "3366.1:7:3366.8:9:3368:8:3372:8" for one bid and three asks. The values are those OKX's
  // earlier (v3) documentation gave for the same check strings: -1881014294 and 831078360.
  CHECK(as_signed(checksum_of({{"3366.1", "7"}, {"3366", "6"}}, {{"3366.8", "9"}, {"3368", "8"}}))
        == -1881014294);
  CHECK(as_signed(checksum_of({{"3366.1", "7"}}, {{"3366.8", "9"}, {"3368", "8"}, {"3372", "8"}}))
        == 831078360);
  CHECK(checksum_of({{"3366.1", "7"}, {"3366", "6"}}, {{"3366.8", "9"}, {"3368", "8"}})
        == crc32("3366.1:7:3366.8:9:3366:6:3368:8"));
}

TEST_CASE("OKX book checksum uses the text as sent: trailing zeros count") {
  CHECK(checksum_of({{"100.10", "0.500"}}, {{"100.20", "1"}})
        != checksum_of({{"100.1", "0.5"}}, {{"100.2", "1"}}));
  CHECK(checksum_of({{"100.10", "0.500"}}, {{"100.20", "1"}}) == crc32("100.10:0.500:100.20:1"));
  CHECK(checksum_of({}, {{"1", "2"}}) == crc32("1:2"));  // one side empty
}
