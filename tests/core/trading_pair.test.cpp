#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/trading_pair.hpp"

using tern::trading_pair;

TEST_CASE("a BASE-QUOTE text parses into its base and quote") {
  auto pair = trading_pair::parse("BTC-USDT");
  REQUIRE(pair);
  CHECK(pair->base() == "BTC");
  CHECK(pair->quote() == "USDT");
  CHECK(pair->to_string() == "BTC-USDT");
  CHECK_FALSE(pair->empty());
}

TEST_CASE("lower-case pairs are normalised to the upper-case internal form") {
  auto lower = trading_pair::parse("btc-usdt");
  auto mixed = trading_pair::parse("Eth-uSdc");
  REQUIRE(lower);
  REQUIRE(mixed);
  CHECK(lower->to_string() == "BTC-USDT");
  CHECK(*lower == trading_pair::from_string("BTC-USDT"));
  CHECK(mixed->base() == "ETH");
  CHECK(mixed->quote() == "USDC");
}

TEST_CASE("asset symbols may hold digits and inner dots") {
  CHECK(trading_pair::parse("1000PEPE-USDT")->base() == "1000PEPE");
  CHECK(trading_pair::parse("ETH2.S-ETH")->base() == "ETH2.S");
  CHECK(trading_pair::parse("A-B")->quote() == "B");
}

TEST_CASE("texts that are not BASE-QUOTE are rejected with the input quoted") {
  struct bad_case {
    std::string text;
    std::string reason_part;
  };
  const std::vector<bad_case> cases = {
      {"BTCUSDT", "'-'"},
      {"-USDT", "base asset is empty"},
      {"BTC-", "quote asset is empty"},
      {"-", "base asset is empty"},
      {"", "'-'"},
      {"BTC-USDT-SWAP", "exactly one '-'"},
      {"BTC_USDT", "'-'"},
      {"BTC/USDT", "'-'"},
      {"BTC_X-USDT", "'_'"},
      {" BTC-USDT", "' '"},
      {"BTC-USDT ", "' '"},
      {".BTC-USDT", "begin and end"},
      {"BTC-USDT.", "begin and end"},
      {"BTC-US\xc3\x90T", "byte 0xc3"},
      {std::string(33, 'A') + "-USDT", "longer than 32"},
  };
  for (const auto& [text, reason_part] : cases) {
    INFO("input: " << text);
    auto parsed = trading_pair::parse(text);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().input == text);
    CHECK_THAT(parsed.error().reason, Catch::Contains(reason_part));
    CHECK_THAT(parsed.error().message(), Catch::Contains("\"" + text + "\""));
  }
}

TEST_CASE("an asset of exactly the maximum length is accepted") {
  auto longest = std::string(trading_pair::max_asset_length, 'Z');
  auto pair = trading_pair::parse(longest + "-USDT");
  REQUIRE(pair);
  CHECK(pair->base() == longest);
}

TEST_CASE("a pair built from its assets follows the parsing rules") {
  auto pair = trading_pair::from_assets("eth", "btc");
  REQUIRE(pair);
  CHECK(pair->to_string() == "ETH-BTC");

  auto dashed = trading_pair::from_assets("BTC-X", "USDT");
  REQUIRE_FALSE(dashed);
  CHECK_THAT(dashed.error().reason, Catch::Contains("base asset contains '-'"));
  CHECK_FALSE(trading_pair::from_assets("", "USDT"));
  CHECK_FALSE(trading_pair::from_assets("BTC", "US$D"));
}

TEST_CASE("from_string throws the parse message for bad literals") {
  CHECK(trading_pair::from_string("SOL-USDC").base() == "SOL");
  CHECK_THROWS_AS(trading_pair::from_string("SOLUSDC"), std::invalid_argument);
  CHECK_THROWS_WITH(trading_pair::from_string("SOLUSDC"), Catch::Contains("\"SOLUSDC\""));
}

TEST_CASE("pairs order as (base, quote) tuples") {
  std::vector<std::string> texts = {"ETH-BTC", "BTC1-USDT", "BTC-USDT", "BTC-USD",
                                    "BT-ZZZ",  "BTC.B-USD", "A-Z",      "BTC-USDC"};
  std::vector<trading_pair> pairs;
  for (const auto& text : texts) pairs.push_back(trading_pair::from_string(text));

  auto by_text = pairs;
  std::sort(by_text.begin(), by_text.end());
  auto by_tuple = pairs;
  std::sort(by_tuple.begin(), by_tuple.end(), [](const auto& a, const auto& b) {
    return std::pair{a.base(), a.quote()} < std::pair{b.base(), b.quote()};
  });
  CHECK(by_text == by_tuple);
  CHECK(trading_pair::from_string("BTC-USD") < trading_pair::from_string("BTC-USDT"));
  CHECK(trading_pair::from_string("BTC-USDT") != trading_pair::from_string("BTC-USDC"));
}

TEST_CASE("equal pairs hash equally and deduplicate in hashed containers") {
  std::unordered_set<trading_pair> set;
  set.insert(trading_pair::from_string("BTC-USDT"));
  set.insert(trading_pair::from_string("btc-usdt"));
  set.insert(trading_pair::from_string("ETH-USDT"));
  CHECK(set.size() == 2);
  CHECK(set.contains(trading_pair::from_string("Btc-Usdt")));
  CHECK(std::hash<trading_pair>{}(trading_pair::from_string("btc-usdt"))
        == std::hash<trading_pair>{}(trading_pair::from_string("BTC-USDT")));
}

TEST_CASE("a default pair is empty and sorts first") {
  trading_pair none;
  CHECK(none.empty());
  CHECK(none.base().empty());
  CHECK(none.quote().empty());
  CHECK(none < trading_pair::from_string("A-B"));
}

TEST_CASE("a pair prints as its text") {
  std::ostringstream out;
  out << trading_pair::from_string("eth-usdc");
  CHECK(out.str() == "ETH-USDC");
}
