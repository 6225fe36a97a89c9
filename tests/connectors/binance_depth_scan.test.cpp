#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/binance/market_data.hpp"
#include "tests/support/capture_file.hpp"

// The direct reader of depth frames (connectors/binance/market_data_scan.cpp) against the general
// simdjson path. A frame with one space after its first brace is the same JSON, but the direct
// reader refuses it (it takes compact JSON only), so the general path reads it: both must give
// the same delta for every depth frame of the captures.

using namespace tern;
using namespace tern::binance;

namespace {

bool same_delta(const book_delta& a, const book_delta& b) {
  return a.pair == b.pair && a.bids == b.bids && a.asks == b.asks
         && a.first_sequence == b.first_sequence && a.last_sequence == b.last_sequence
         && a.previous_sequence == b.previous_sequence && a.checksum == b.checksum
         && a.exchange_time == b.exchange_time && a.received_time == b.received_time;
}

std::vector<std::string> depth_frames(const std::string& relative) {
  std::vector<std::string> frames;
  testing::capture_file file{testing::capture_path(relative)};
  testing::capture_line line;
  while (file.next(line))
    if (line.frame.find("@depth@") != std::string_view::npos)
      frames.emplace_back(line.frame);
  return frames;
}

bool is_depth(const expected<frame_kind, market_data_error>& kind) {
  return kind && *kind == frame_kind::depth_update;
}

// `frame` in a buffer followed by frame_padding bytes of `filler`, as parse_padded expects.
std::string with_padding(std::string_view frame, char filler) {
  std::string buffer{frame};
  buffer.append(market_data_parser::frame_padding, filler);
  return buffer;
}

} // namespace

TEST_CASE("depth frames read directly equal the general path's reading of the same JSON") {
  market_data_parser parser;
  market_frame direct;
  market_frame padded;
  market_frame general;
  const parse_context context{"BTC-USDT", from_unix_ns(1'723'161'253'937'085'768), "BTCUSDT"};
  for (const char* capture : {"spot/btcusdt_20240808.gz", "usdm/btcusdt_20240808.gz"}) {
    auto frames = depth_frames(capture);
    REQUIRE(frames.size() > 3000);
    std::size_t levels = 0;
    for (const std::string& frame : frames) {
      INFO(frame.substr(0, 120));
      std::string spaced = "{ " + frame.substr(1);
      REQUIRE(is_depth(parser.parse(frame, context, direct)));
      std::string buffer = with_padding(frame, '9');
      REQUIRE(is_depth(
          parser.parse_padded(std::string_view{buffer}.substr(0, frame.size()), context, padded)));
      REQUIRE(is_depth(parser.parse(spaced, context, general)));
      REQUIRE(same_delta(direct.depth, general.depth));
      REQUIRE(same_delta(padded.depth, general.depth));
      levels += general.depth.bids.size() + general.depth.asks.size();
    }
    CHECK(levels > 100'000);
  }
}

TEST_CASE("a cut-off depth frame is an error whatever bytes follow it") {
  // A real frame cut at every length, with padding that looks like frame text: the direct reader
  // must not take the padding for the rest of the frame.
  auto frames = depth_frames("spot/btcusdt_20240808.gz");
  REQUIRE(!frames.empty());
  const std::string& frame = frames.front();
  market_data_parser parser;
  market_frame out;
  const parse_context context{"BTC-USDT", {}, {}};
  // Up to the envelope's own closing brace, which the general path does not check: simdjson's
  // on-demand API reads only as far as the fields asked for (the direct reader does check it).
  for (char filler : {'"', '9', ']', '}', '\0'}) {
    for (std::size_t length = 0; length + 1 < frame.size(); ++length) {
      INFO("filler " << static_cast<int>(filler) << ", length " << length);
      std::string buffer{frame.substr(0, length)};
      // The frame's own continuation, then the filler: the likeliest bytes to fool a reader.
      buffer += frame.substr(length, market_data_parser::frame_padding);
      buffer.append(market_data_parser::frame_padding, filler);
      CHECK_FALSE(parser.parse_padded(std::string_view{buffer}.substr(0, length), context, out));
    }
  }
  CHECK(parser.parse_padded(with_padding(frame, '"').substr(0, frame.size()), context, out));
}

TEST_CASE("depth frames the direct reader refuses still parse or fail as before") {
  market_data_parser parser;
  market_frame out;
  const parse_context context{"BTC-USDT", {}, "BTCUSDT"};
  const std::string body =
      R"("U":157,"u":160,"b":[["0.0024","10"]],"a":[["0.0026","100"]]})";
  // Another symbol: refused with the general path's error.
  auto other = parser.parse(R"({"e":"depthUpdate","E":1,"s":"ETHUSDT",)" + body, context, out);
  REQUIRE_FALSE(other);
  CHECK(other.error().code == market_data_errc::wrong_symbol);
  // An unknown field, an exponent and a negative id: read by the general path.
  REQUIRE(parser.parse(R"({"e":"depthUpdate","x":[1,{}],"E":1,"s":"BTCUSDT",)" + body, context,
                       out));
  CHECK(out.depth.last_sequence == 160);
  REQUIRE(parser.parse(R"({"e":"depthUpdate","E":1,"U":157,"u":160,"b":[["2.4e-3","10"]],"a":[]})",
                       context, out));
  CHECK(out.depth.bids == std::vector{price_level{"0.0024"_d, "10"_d}});
  auto negative = parser.parse(R"({"e":"depthUpdate","E":1,"U":-1,"u":160,"b":[],"a":[]})",
                               context, out);
  REQUIRE(negative);
  CHECK(out.depth.first_sequence == -1);
  // A repeated field: the general path appends both arrays, as it always has.
  REQUIRE(parser.parse(R"({"e":"depthUpdate","U":1,"u":2,"b":[["1","1"]],"b":[["2","2"]],"a":[]})",
                       context, out));
  CHECK(out.depth.bids.size() == 2);
  // Trailing bytes after the frame: not JSON.
  CHECK_FALSE(parser.parse(R"({"e":"depthUpdate","U":1,"u":2,"b":[],"a":[]}x)", context, out));
}

TEST_CASE("a level array that is not JSON is refused, not read as levels") {
  market_data_parser parser;
  market_frame out;
  const parse_context context{"BTC-USDT", {}, {}};
  // Each differs from a good frame by a byte or two inside or around a level.
  for (std::string_view levels :
       {R"([["1","2"x]])", R"([["1","2"]x])", R"([["1""2"]])", R"([["1","2"],])", R"([["1"x"2"]])",
        R"([["1",,"2"]])", R"([["1","2"]],)", R"([["1","2"][["3","4"]])", R"([["1","2]])",
        R"([["1,"2"]])", R"([[1","2"]])"}) {
    INFO(levels);
    std::string frame = R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,)"
                        R"("s":"BTCUSDT","U":1,"u":2,"b":)" + std::string{levels}
                        + R"(,"a":[["3","4"]]}})";
    CHECK_FALSE(parser.parse(frame, context, out));
  }
}

TEST_CASE("a captured frame with a byte changed reads the same by either path") {
  // Differential: whatever a one- or two-byte change makes of a real frame, the direct reader
  // must accept it only where the general path accepts it too, and read the same delta.
  auto frames = depth_frames("usdm/btcusdt_20240808.gz");
  REQUIRE(frames.size() > 1000);
  std::mt19937_64 rng{20240808};
  constexpr std::string_view bytes = R"(0123456789.,"[]{}:e-+ x)";
  market_data_parser parser;
  market_frame direct;
  market_frame general;
  const parse_context context{"BTC-USDT", {}, "BTCUSDT"};
  std::size_t accepted = 0;
  for (int trial = 0; trial < 20'000; ++trial) {
    std::string frame = frames[rng() % frames.size()];
    for (int change = 0; change < 1 + static_cast<int>(rng() % 2); ++change)
      frame[1 + rng() % (frame.size() - 1)] = bytes[rng() % bytes.size()];
    INFO(frame);
    auto got = parser.parse(frame, context, direct);
    auto want = parser.parse("{ " + frame.substr(1), context, general);
    REQUIRE(got.has_value() == want.has_value());
    if (!got)
      continue;
    REQUIRE(*got == *want);
    if (*got == frame_kind::depth_update)
      REQUIRE(same_delta(direct.depth, general.depth));
    ++accepted;
  }
  CHECK(accepted > 1000);  // many changes leave a valid frame (a digit for a digit)
}
