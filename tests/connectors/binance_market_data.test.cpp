#include <catch2/catch.hpp>

#include <string>

#include "connectors/binance/market_data.hpp"

using namespace tern;
using namespace tern::binance;

namespace {

// Payload examples from Binance's docs. Spot: binance-spot-api-docs web-socket-streams.md,
// sections "Diff. Depth Stream", "Individual Symbol Book Ticker Streams", "Trade Streams";
// rest-api.md "Order book". USD-M: developers.binance.com, USDS-M Futures, WebSocket Market
// Streams, "Diff. Book Depth Streams".
constexpr std::string_view spot_depth_doc =
    R"({"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,)"
    R"("b":[["0.0024","10"]],"a":[["0.0026","100"]]})";
constexpr std::string_view usdm_depth_doc =
    R"({"e":"depthUpdate","E":123456789,"T":123456788,"s":"BTCUSDT","U":157,"u":160,"pu":149,)"
    R"("b":[["0.0024","10"]],"a":[["0.0026","100"]]})";
constexpr std::string_view spot_book_ticker_doc =
    R"({"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000",)"
    R"("A":"40.66000000"})";
constexpr std::string_view spot_trade_doc =
    R"({"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100",)"
    R"("T":1672515782136,"m":true,"M":true})";
constexpr std::string_view rest_depth_doc =
    R"({"lastUpdateId":1027024,"bids":[["4.00000000","431.00000000"]],)"
    R"("asks":[["4.00000200","12.00000000"]]})";

const parse_context context{"BNB-BTC", from_unix_ns(1'700'000'000'123'456'789), {}};

std::string enveloped(std::string_view stream, std::string_view payload) {
  return R"({"stream":")" + std::string{stream} + R"(","data":)" + std::string{payload} + "}";
}

} // namespace

TEST_CASE("a spot depthUpdate becomes a book delta with U, u and no pu") {
  market_data_parser parser;
  book_delta delta;
  REQUIRE(parser.parse_depth_update(spot_depth_doc, context, delta));
  CHECK(delta.pair == "BNB-BTC");
  CHECK(delta.first_sequence == 157);
  CHECK(delta.last_sequence == 160);
  CHECK(delta.previous_sequence == -1);
  CHECK(delta.bids == std::vector{price_level{"0.0024"_d, "10"_d}});
  CHECK(delta.asks == std::vector{price_level{"0.0026"_d, "100"_d}});
  CHECK(delta.exchange_time == from_unix_ms(1672515782136));
  CHECK(delta.received_time == context.received_time);
}

TEST_CASE("a USD-M depthUpdate carries pu and the transaction time") {
  market_data_parser parser;
  book_delta delta;
  REQUIRE(parser.parse_depth_update(usdm_depth_doc, context, delta));
  CHECK(delta.previous_sequence == 149);
  CHECK(delta.first_sequence == 157);
  CHECK(delta.exchange_time == from_unix_ms(123456788));
}

TEST_CASE("enveloped and bare frames are recognised and routed") {
  market_data_parser parser;
  market_frame out;
  auto depth = parser.parse(enveloped("bnbbtc@depth@100ms", spot_depth_doc), context, out);
  REQUIRE(depth);
  CHECK(*depth == frame_kind::depth_update);
  CHECK(out.depth.last_sequence == 160);

  auto ticker = parser.parse(spot_book_ticker_doc, context, out);  // bare, no "e"
  REQUIRE(ticker);
  CHECK(*ticker == frame_kind::book_ticker);
  CHECK(out.ticker.sequence == 400900217);
  CHECK(out.ticker.bid == price_level{"25.3519"_d, "31.21"_d});
  CHECK(out.ticker.ask == price_level{"25.3652"_d, "40.66"_d});
  CHECK(out.ticker.exchange_time == timestamp{});  // spot bookTicker has no time
  CHECK(out.ticker.received_time == context.received_time);

  auto trade_kind = parser.parse(enveloped("bnbbtc@trade", spot_trade_doc), context, out);
  REQUIRE(trade_kind);
  CHECK(*trade_kind == frame_kind::trade);
  CHECK(out.trade_event.trade_id == "12345");
  CHECK(out.trade_event.price == "0.001"_d);
  CHECK(out.trade_event.size == "100"_d);
  CHECK(out.trade_event.taker_side == side::sell);  // the buyer was the maker
  CHECK(out.trade_event.exchange_time == from_unix_ms(1672515782136));

  auto snapshot = parser.parse(rest_depth_doc, context, out);
  REQUIRE(snapshot);
  CHECK(*snapshot == frame_kind::depth_snapshot);
  CHECK(out.snapshot.sequence == 1027024);
  CHECK(out.snapshot.bids == std::vector{price_level{"4"_d, "431"_d}});
  CHECK(out.snapshot.asks == std::vector{price_level{"4.000002"_d, "12"_d}});
}

TEST_CASE("the typed parsers read the documented bookTicker, trade and REST depth") {
  market_data_parser parser;
  top_of_book ticker;
  REQUIRE(parser.parse_book_ticker(enveloped("bnbusdt@bookTicker", spot_book_ticker_doc),
                                   context, ticker));
  CHECK(ticker.sequence == 400900217);
  trade print;
  REQUIRE(parser.parse_trade(spot_trade_doc, context, print));
  CHECK(print.trade_id == "12345");
  book_snapshot snapshot;
  REQUIRE(parser.parse_depth_snapshot(rest_depth_doc, context, snapshot));
  CHECK(snapshot.sequence == 1027024);
  CHECK(snapshot.received_time == context.received_time);
}

TEST_CASE("fields are read in any order") {
  constexpr std::string_view reordered =
      R"({"a":[["0.0026","100"]],"u":160,"b":[["0.0024","10"]],"U":157,"s":"BNBBTC",)"
      R"("E":1672515782136,"e":"depthUpdate"})";
  market_data_parser parser;
  book_delta delta;
  REQUIRE(parser.parse_depth_update(reordered, context, delta));
  CHECK(delta.first_sequence == 157);
  CHECK(delta.last_sequence == 160);
  CHECK(delta.asks.size() == 1);
}

TEST_CASE("a reused delta is cleared and keeps its capacity") {
  constexpr std::string_view two_levels =
      R"({"e":"depthUpdate","E":1,"s":"BNBBTC","U":1,"u":2,)"
      R"("b":[["0.0024","10"],["0.0023","0"]],"a":[]})";
  market_data_parser parser;
  book_delta delta;
  REQUIRE(parser.parse_depth_update(two_levels, context, delta));
  CHECK(delta.bids.size() == 2);
  CHECK(delta.asks.empty());
  const price_level* storage = delta.bids.data();
  REQUIRE(parser.parse_depth_update(spot_depth_doc, context, delta));
  CHECK(delta.bids.size() == 1);
  CHECK(delta.bids.data() == storage);  // no reallocation
}

TEST_CASE("malformed frames give errors naming the field and quoting the input") {
  market_data_parser parser;
  book_delta delta;
  auto truncated = parser.parse_depth_update(spot_depth_doc.substr(0, 40), context, delta);
  REQUIRE_FALSE(truncated);
  CHECK(truncated.error().code == market_data_errc::invalid_json);

  auto missing = parser.parse_depth_update(
      R"({"e":"depthUpdate","E":1,"s":"BNBBTC","U":157,"b":[],"a":[]})", context, delta);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == market_data_errc::missing_field);
  CHECK(missing.error().field == "u");

  auto bad_price = parser.parse_depth_update(
      R"({"e":"depthUpdate","E":1,"s":"BNBBTC","U":1,"u":2,"b":[["0.00x4","10"]],"a":[]})",
      context, delta);
  REQUIRE_FALSE(bad_price);
  CHECK(bad_price.error().code == market_data_errc::bad_number);
  CHECK(bad_price.error().field == "b");
  CHECK(bad_price.error().detail == R"(not a decimal: "0.00x4")");
  CHECK(bad_price.error().message().find("in \"b\"") != std::string::npos);

  auto not_levels = parser.parse_depth_update(
      R"({"e":"depthUpdate","E":1,"s":"BNBBTC","U":1,"u":2,"b":"0.1","a":[]})", context, delta);
  REQUIRE_FALSE(not_levels);
  CHECK(not_levels.error().code == market_data_errc::wrong_type);

  auto bad_id = parser.parse_depth_update(
      R"({"e":"depthUpdate","E":1,"s":"BNBBTC","U":"x","u":2,"b":[],"a":[]})", context, delta);
  REQUIRE_FALSE(bad_id);
  CHECK(bad_id.error().code == market_data_errc::bad_number);
  CHECK(bad_id.error().field == "U");
}

TEST_CASE("events and streams this parser does not handle are named in the error") {
  market_data_parser parser;
  market_frame out;
  auto agg = parser.parse(R"({"e":"aggTrade","E":1,"s":"BNBBTC","a":5})", context, out);
  REQUIRE_FALSE(agg);
  CHECK(agg.error().code == market_data_errc::unexpected_event);
  CHECK(agg.error().detail.find("aggTrade") != std::string::npos);

  auto partial = parser.parse(enveloped("bnbbtc@depth20@100ms", rest_depth_doc), context, out);
  REQUIRE_FALSE(partial);
  CHECK(partial.error().code == market_data_errc::unexpected_event);
  CHECK(partial.error().detail.find("bnbbtc@depth20@100ms") != std::string::npos);

  auto ack = parser.parse(R"({"result":null,"id":1})", context, out);
  REQUIRE_FALSE(ack);
  CHECK(ack.error().code == market_data_errc::unexpected_event);

  trade print;
  auto wrong_kind = parser.parse_trade(spot_depth_doc, context, print);
  REQUIRE_FALSE(wrong_kind);
  CHECK(wrong_kind.error().code == market_data_errc::unexpected_event);
  auto wrong_stream = parser.parse_trade(enveloped("bnbbtc@depth", spot_trade_doc), context, print);
  REQUIRE_FALSE(wrong_stream);
  CHECK(wrong_stream.error().field == "stream");
}

TEST_CASE("a frame for another symbol is refused when the symbol is given") {
  market_data_parser parser;
  book_delta delta;
  parse_context expecting{"ETH-BTC", {}, "ETHBTC"};
  auto result = parser.parse_depth_update(spot_depth_doc, expecting, delta);
  REQUIRE_FALSE(result);
  CHECK(result.error().code == market_data_errc::wrong_symbol);
  CHECK(result.error().detail.find("BNBBTC") != std::string::npos);
  parse_context matching{"BNB-BTC", {}, "BNBBTC"};
  CHECK(parser.parse_depth_update(spot_depth_doc, matching, delta));
}
