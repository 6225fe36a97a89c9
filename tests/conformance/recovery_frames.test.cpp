// Conformance item 12, malformed and unknown frames, for every connector: the exchange sends
// a truncated book frame and a frame of a channel nobody subscribed to, twice each; the
// connection skips them, logs each problem once naming the exchange and the channel, stays up,
// and the book stays equal to the engine's.

#include "tests/conformance/recovery_support.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

namespace tern::testing {

namespace {

/// Keeps every formatted log line; readable from the test thread.
class line_sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> lines() {
    std::lock_guard lock{mutex_};
    return lines_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    lines_.emplace_back(message.payload.data(), message.payload.size());
  }
  void flush_() override {}

 private:
  std::vector<std::string> lines_;
};

/// Installs the sink on the default logger for the test's lifetime.
struct log_capture {
  std::shared_ptr<line_sink> sink = std::make_shared<line_sink>();
  std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
  log_capture() { spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink)); }
  ~log_capture() { spdlog::set_default_logger(previous); }
  /// Lines that contain every one of `parts`.
  std::size_t count(std::initializer_list<std::string_view> parts) {
    std::size_t n = 0;
    for (const auto& line : sink->lines())
      n += std::all_of(parts.begin(), parts.end(),
                       [&](std::string_view part) {
                         return line.find(part) != std::string::npos;
                       })
               ? 1
               : 0;
    return n;
  }
};

struct bad_frames {
  std::string malformed;
  std::string unknown;
  std::string unknown_channel;
};

/// Frames in each exchange's own envelope: a book frame cut short, and a kline/candle push
/// (a real channel of the exchange the connector never subscribes to).
bad_frames frames_for(const venue_case& venue) {
  if (venue.connector.rfind("okx", 0) == 0)
    return {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["6)",
            R"({"arg":{"channel":"candle1m","instId":"BTC-USDT"},"data":[["1700000000000","1","1","1","1","1","1","1","0"]]})",
            "candle1m"};
  return {R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":)",
          R"({"stream":"btcusdt@kline_1m","data":{"e":"kline","E":1700000000000,"s":"BTCUSDT","k":{}}})",
          "btcusdt@kline_1m"};
}

sim::fault frame_fault(std::string payload) {
  sim::fault f;
  f.kind = sim::fault_kind::malformed_frame;
  f.stream = "depth";
  f.count = 2;
  f.payload = std::move(payload);
  return f;
}

void bad_frames_skipped(const venue_case& venue) {
  log_capture capture;
  venue_fixture fixture{venue};
  const auto frames = frames_for(venue);
  auto& faults = fixture.account.simulator->faults();
  faults.add(frame_fault(frames.malformed));
  faults.add(frame_fault(frames.unknown));

  fixture.account.host->resume();  // book frames flow, and the faults ride on them
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (faults.fired_total() < 4 && std::chrono::steady_clock::now() < deadline)
    fixture.inbox->notices.wait_for(1'000'000, 50ms);  // bounded pause between polls
  REQUIRE(faults.fired_total() == 4);
  check_book_equal(fixture);

  // Each problem logged once, with the exchange and the channel.
  INFO("log:\n" << [&] {
    std::string all;
    for (const auto& line : capture.sink->lines())
      all += line + "\n";
    return all;
  }());
  CHECK(capture.count({"malformed", venue.connector, "public stream"}) == 1);
  CHECK(capture.count({"unknown", frames.unknown_channel, venue.connector}) == 1);
  // The connection and the book never left ready.
  for (const char* child : {"connection", "book.BTC-USDT"}) {
    INFO(child);
    for (const auto& entry : fixture.account.states_of(child))
      CHECK(entry.state != health_state::degraded);
    CHECK(fixture.account.await_state(child, health_state::ready, 0, 1s));
  }
}

} // namespace

TEST_CASE("conformance 12: malformed and unknown frames are skipped and logged once and the "
          "connector stays up and the book in sync",
          "[conformance][recovery][frames]") {
  for (const auto& venue : venues()) {
    DYNAMIC_SECTION(venue.connector) { bad_frames_skipped(venue); }
  }
}

} // namespace tern::testing
