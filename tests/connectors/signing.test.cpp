#include <catch2/catch.hpp>

#include <sstream>

#include "connectors/binance/signer.hpp"
#include "connectors/binance/user_stream.hpp"
#include "connectors/common/credentials.hpp"
#include "connectors/common/hmac.hpp"
#include "connectors/common/query_string.hpp"
#include "tests/connectors/binance_fixtures.hpp"

// Signatures checked against published vectors only: RFC 4231 and Binance's documented
// examples. Nothing here recomputes an expected value with the code under test.

using namespace tern;

using fixtures::futures_key;
using fixtures::futures_secret;
using fixtures::spot_key;
using fixtures::spot_secret;

TEST_CASE("HMAC-SHA256 matches RFC 4231 test case 2 in hex and base64") {
  // RFC 4231 section 4.3: key "Jefe", data "what do ya want for nothing?".
  CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?")
        == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // The same 32 bytes in standard base64.
  CHECK(hmac_sha256_base64("Jefe", "what do ya want for nothing?")
        == "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
}

TEST_CASE("HMAC-SHA256 with keys taking turns matches RFC 4231 each time") {
  // Each thread keeps a context keyed with the last key (hmac.cpp): a change of key, and a
  // return to an earlier one, must each sign as a fresh context would.
  const std::string case1_key(20, '\x0b');  // RFC 4231 section 4.2: data "Hi There"
  const std::string case1 = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
  const std::string case2 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  for (int round = 0; round < 2; ++round) {
    CHECK(hmac_sha256_hex(case1_key, "Hi There") == case1);
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") == case2);
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") == case2);
  }
}

TEST_CASE("Binance spot REST: the documented HMAC example signs to the documented signature") {
  // rest-api.md, first example (ASCII symbol).
  credentials keys{spot_key, spot_secret};
  query_params params{{"symbol", "LTCBTC"}, {"side", "BUY"},    {"type", "LIMIT"},
                      {"timeInForce", "GTC"}, {"quantity", "1"}, {"price", "0.1"}};
  std::string query = binance::signed_query(params, signing_context{keys, 1499827319559, 5000});
  CHECK(query
        == "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000"
           "&timestamp=1499827319559&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
}

TEST_CASE("Binance spot REST: a non-ASCII symbol is percent-encoded before signing") {
  // rest-api.md, second example: symbol "１２３４５６" (full-width digits).
  credentials keys{spot_key, spot_secret};
  query_params params{{"symbol", "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94\xEF\xBC\x95\xEF\xBC\x96"},
                      {"side", "BUY"},    {"type", "LIMIT"}, {"timeInForce", "GTC"},
                      {"quantity", "1"},  {"price", "0.1"}};
  std::string query = binance::signed_query(params, signing_context{keys, 1499827319559, 5000});
  CHECK(query
        == "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT"
           "&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"
           "&signature=e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3");
}

TEST_CASE("Binance USD-M REST: the documented HMAC example signs to the documented signature") {
  // "Example 1: As a query string": quantity and price come before timeInForce.
  credentials keys{futures_key, futures_secret};
  query_params params{{"symbol", "BTCUSDT"}, {"side", "BUY"},  {"type", "LIMIT"},
                      {"quantity", "1"},     {"price", "9000"}, {"timeInForce", "GTC"}};
  std::string query = binance::signed_query(params, signing_context{keys, 1591702613943, 5000});
  CHECK(query
        == "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000"
           "&timestamp=1591702613943&signature=3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9");
}

TEST_CASE("Binance USD-M: example 3's payload (query and body run together) signs as documented") {
  // "Example 3: Mixed query string and request body": the payload is the query string
  // immediately followed by the body, with no '&' between "GTC" and "quantity=1". The page's
  // payload also has a space after "timestamp=", and its signature is of exactly that text.
  CHECK(binance::sign(futures_secret,
                      "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTCquantity=1&price=9000"
                      "&recvWindow=5000&timestamp= 1591702613943")
        == "f9d0ae5e813ef6ccf15c2b5a434047a0181cb5a342b903b367ca6d27a66e36f2");
}

TEST_CASE("Binance WS API: parameters sorted by name, apiKey included, sign as documented") {
  // web-socket-api.md "SIGNED request example (HMAC)", ASCII example: order.place.
  query_params params{{"symbol", "BTCUSDT"},     {"side", "SELL"},   {"type", "LIMIT"},
                      {"timeInForce", "GTC"},    {"quantity", "0.01000000"},
                      {"price", "52000.00"},     {"recvWindow", "100"},
                      {"timestamp", "1645423376532"}, {"apiKey", spot_key}};
  std::string payload = binance::ws_api_payload(params);
  CHECK(payload
        == std::string{"apiKey="} + spot_key
               + "&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT"
                 "&timeInForce=GTC&timestamp=1645423376532&type=LIMIT");
  CHECK(binance::sign(spot_secret, payload)
        == "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24");
}

TEST_CASE("Binance WS API: a non-ASCII value is signed as UTF-8, not percent-encoded") {
  // web-socket-api.md, second example.
  query_params params{{"symbol", "\xEF\xBC\x91\xEF\xBC\x92\xEF\xBC\x93\xEF\xBC\x94\xEF\xBC\x95\xEF\xBC\x96"},
                      {"side", "BUY"}, {"type", "LIMIT"}, {"timeInForce", "GTC"},
                      {"quantity", "1.00000000"}, {"price", "0.10000000"},
                      {"recvWindow", "5000"}, {"timestamp", "1645423376532"}, {"apiKey", spot_key}};
  CHECK(binance::sign(spot_secret, binance::ws_api_payload(params))
        == "b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd");
}

TEST_CASE("Binance WS API: ws_api_request builds the documented signed order.place request") {
  credentials keys{spot_key, spot_secret};
  query_params params{{"symbol", "BTCUSDT"}, {"side", "SELL"}, {"type", "LIMIT"},
                      {"timeInForce", "GTC"}, {"quantity", "0.01000000"}, {"price", "52000.00"}};
  std::string text = binance::ws_api_request("order.place", params,
                                             signing_context{keys, 1645423376532, 100},
                                             "4885f793-e5ad-4c3b-8f6c-55d891472b71");
  CHECK(text
        == std::string{R"({"id":"4885f793-e5ad-4c3b-8f6c-55d891472b71","method":"order.place","params":)"}
               + R"({"symbol":"BTCUSDT","side":"SELL","type":"LIMIT","timeInForce":"GTC",)"
               + R"("quantity":"0.01000000","price":"52000.00","apiKey":")" + spot_key
               + R"(","recvWindow":100,"timestamp":1645423376532,)"
               + R"("signature":"aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24"}})");
}

TEST_CASE("percent-encoding keeps RFC 3986 unreserved characters only") {
  CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(percent_encode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
  CHECK(encode_query({}) == "");
  CHECK(encode_query({{"x", "1"}, {"y z", "2+3"}}) == "x=1&y%20z=2%2B3");
}

TEST_CASE("credentials never print the secret or the passphrase") {
  credentials keys{spot_key, spot_secret, "my passphrase"};
  std::ostringstream out;
  out << keys;
  std::string text = out.str();
  CHECK(text.find(spot_secret) == std::string::npos);
  CHECK(text.find("my passphrase") == std::string::npos);
  CHECK(text.find(spot_key) == std::string::npos);  // the key is masked too
  CHECK(text == "api key vmPU...Eh8A, secret ***, passphrase ***");
  CHECK(masked_api_key("short") == "***");
}

TEST_CASE("a moved-from credentials holds no secret") {
  credentials keys{spot_key, spot_secret};
  credentials moved{std::move(keys)};
  CHECK(moved.reveal_secret() == spot_secret);
  CHECK(keys.reveal_secret().empty());  // NOLINT(bugprone-use-after-move): the point of the test
  CHECK(keys.empty());
}
