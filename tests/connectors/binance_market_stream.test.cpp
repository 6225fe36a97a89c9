#include <catch2/catch.hpp>

#include "connectors/registry.hpp"
#include "tests/connectors/binance_fixtures.hpp"
#include "tests/support/capture_file.hpp"

// The public stream parser: routing frames to their markets, the frames the simdjson parser
// handles, and the rare ones (acknowledgements, mark price, unknown streams).

using namespace tern;
using namespace tern::literals;

namespace {

std::unique_ptr<public_stream_parser> parser_for(std::string_view connector,
                                                 std::initializer_list<std::pair<const char*, const char*>> entries) {
  auto made = make_protocol(connector);
  REQUIRE(made);
  symbol_map markets;
  for (auto [pair, symbol] : entries)
    markets.add(trading_pair::from_string(pair), symbol);
  return (*made)->make_public_parser(std::move(markets));
}

} // namespace

TEST_CASE("capture frames parse into the pair's events") {
  auto parser = parser_for("binance", {{"BTC-USDT", "BTCUSDT"}});
  testing::capture_file file{testing::capture_path("spot/btcusdt_20240808.gz")};
  testing::capture_line line;
  public_frame out;
  std::size_t counts[6] = {};
  while (file.next(line)) {
    auto kind = parser->parse(line.frame, line.received_time, out);
    REQUIRE(kind);
    ++counts[static_cast<int>(*kind)];
    if (*kind == public_event_kind::book_delta)
      REQUIRE(out.depth.pair == "BTC-USDT");
  }
  // The stream counts of ../shared/data/binance-captures/spot/btcusdt_20240808.gz, and its one
  // REST snapshot line (no symbol: it goes to the only market).
  CHECK(counts[static_cast<int>(public_event_kind::book_delta)] == 3451);
  CHECK(counts[static_cast<int>(public_event_kind::top_of_book)] == 28040);
  CHECK(counts[static_cast<int>(public_event_kind::trade)] == 9757);
  CHECK(counts[static_cast<int>(public_event_kind::book_snapshot)] == 1);
}

TEST_CASE("frames of several markets on one connection go to their own pairs") {
  auto parser = parser_for("binance", {{"BTC-USDT", "BTCUSDT"}, {"BNB-BTC", "BNBBTC"}});
  public_frame out;
  auto trade = parser->parse(fixtures::spot_trade, {}, out);
  REQUIRE(trade);
  CHECK(*trade == public_event_kind::trade);
  CHECK(out.trade_event.pair == "BNB-BTC");
  CHECK(out.trade_event.trade_id == "12345");
  CHECK(out.trade_event.taker_side == side::sell);  // the buyer was the maker
  auto depth = parser->parse(fixtures::spot_depth_update, {}, out);
  REQUIRE(depth);
  CHECK(out.depth.pair == "BNB-BTC");
  CHECK(out.depth.first_sequence == 157);
  CHECK(out.depth.last_sequence == 160);
}

TEST_CASE("a bare snapshot goes to the only market of a one-market stream") {
  auto parser = parser_for("binance", {{"BNB-BTC", "BNBBTC"}});
  public_frame out;
  auto kind = parser->parse(fixtures::spot_depth, from_unix_ms(9), out);
  REQUIRE(kind);
  CHECK(*kind == public_event_kind::book_snapshot);
  CHECK(out.snapshot.pair == "BNB-BTC");
  CHECK(out.snapshot.sequence == 1027024);
  auto two = parser_for("binance", {{"BNB-BTC", "BNBBTC"}, {"ETH-BTC", "ETHBTC"}});
  auto ambiguous = two->parse(fixtures::spot_depth, {}, out);
  REQUIRE_FALSE(ambiguous);
  CHECK(ambiguous.error().kind == frame_problem::kind_type::unknown);
}

TEST_CASE("subscription acknowledgements and errors are control events") {
  auto parser = parser_for("binance", {{"BTC-USDT", "BTCUSDT"}});
  public_frame out;
  auto ack = parser->parse(fixtures::subscribe_ack, {}, out);
  REQUIRE(ack);
  CHECK(*ack == public_event_kind::control);
  CHECK(out.control.kind == stream_control_kind::subscribed);
  CHECK(out.control.request_id == "1");
  auto error = parser->parse(fixtures::subscribe_error, {}, out);
  REQUIRE(error);
  CHECK(out.control.kind == stream_control_kind::request_failed);
  CHECK(out.control.detail == "Unknown property");
  REQUIRE(out.control.error);
  CHECK(out.control.error->code == "0");
}

TEST_CASE("USD-M mark price stream: funding info for the pair") {
  auto parser = parser_for("binance_perpetual", {{"BTC-USDT", "BTCUSDT"}});
  public_frame out;
  auto kind = parser->parse(fixtures::mark_price, {}, out);
  REQUIRE(kind);
  CHECK(*kind == public_event_kind::funding_info);
  CHECK(out.funding.pair == "BTC-USDT");
  CHECK(out.funding.mark_price == "11794.15"_d);
  CHECK(out.funding.index_price == "11784.62659091"_d);
  CHECK(out.funding.rate == "0.00038167"_d);
  CHECK(to_unix_ms(out.funding.next_funding_time) == 1562306400000);
}

TEST_CASE("unknown streams and foreign symbols are reported with the channel") {
  auto parser = parser_for("binance", {{"BTC-USDT", "BTCUSDT"}});
  public_frame out;
  auto kline = parser->parse(fixtures::kline, {}, out);
  REQUIRE_FALSE(kline);
  CHECK(kline.error().kind == frame_problem::kind_type::unknown);
  CHECK(kline.error().channel == "bnbbtc@kline_1m");
  // The documented trade frame, on a connection serving only BTC-USDT.
  auto foreign = parser->parse(fixtures::spot_trade, {}, out);
  REQUIRE_FALSE(foreign);
  CHECK(foreign.error().channel == "bnbbtc@trade");
  CHECK(foreign.error().detail == "symbol \"BNBBTC\" is not one of the markets");
  // The documented diff with its update ids removed.
  auto two = parser_for("binance", {{"BNB-BTC", "BNBBTC"}});
  std::string broken{fixtures::spot_depth_update};
  broken.erase(broken.find("\"U\": 157, \"u\": 160,"), std::string{"\"U\": 157, \"u\": 160,"}.size());
  auto malformed = two->parse(broken, {}, out);
  REQUIRE_FALSE(malformed);
  CHECK(malformed.error().kind == frame_problem::kind_type::malformed);
  CHECK(malformed.error().channel == "bnbbtc@depth@100ms");
  CHECK(parser->parse("not json", {}, out).error().kind == frame_problem::kind_type::malformed);
}
