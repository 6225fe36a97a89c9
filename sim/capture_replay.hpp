#pragma once

// Replays a recorded Binance depth stream (../shared/data/binance-captures/ format: one line
// per frame, "<receive ns> <json>") into a matching engine through background liquidity, so
// the engine's public book is the captured book (plus whatever users add to it).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/events.hpp"
#include "core/expected.hpp"
#include "sim/background_liquidity.hpp"
#include "sim/market_driver.hpp"
#include "sim/matching_engine.hpp"

namespace tern::sim {

struct capture_replay_config {
  /// Capture files (.gz, or plain text) in order; a later file continues an earlier one.
  std::vector<std::string> files;
  /// Replay speed: 1 is as recorded, 10 ten times faster. The server may also ignore the
  /// times and step as fast as it likes.
  double speed = 1.0;
  /// Simulation time of the capture's REST snapshot, where the replay starts.
  timestamp start{};
  /// Publish the captured trades as public trades (they touch no order: their effect on the
  /// book arrives with the depth diffs), so trade streams are live during a replay.
  bool replay_trades = true;
  std::string api_key = "sim-background-liquidity";
  driver_funds funds{};
};

/// One frame of a capture that the replay uses.
struct capture_frame {
  enum class kind : std::uint8_t { snapshot, diff, trade };
  kind type = kind::diff;
  std::int64_t received_ns = 0;
  // Depth (snapshot: lastUpdateId in both ids; diff: Binance U/u, and pu on futures).
  std::int64_t first_update = 0;
  std::int64_t last_update = 0;
  std::int64_t previous_update = -1;  ///< -1 when absent
  std::vector<price_level> bids;
  std::vector<price_level> asks;
  // Trade (Binance trade stream: p, q, and m = the buyer was the maker).
  decimal price;
  decimal quantity;
  side taker_side = side::buy;
};

/// Reads the REST snapshots, depthUpdate diffs and trades of capture files, in file order;
/// other frames (bookTicker, ...) are skipped. Fails naming the file and line that is wrong.
expected<std::vector<capture_frame>, std::string> read_capture_frames(
    const std::vector<std::string>& files);

class capture_replay final : public market_driver {
 public:
  /// Reads the capture and prepares the replay from its first snapshot: diffs recorded
  /// before the snapshot are kept if they end at or after it (Binance's bridging rule) and
  /// applied right after it; trades count from the snapshot on. Fails when a file cannot be
  /// read or holds no snapshot.
  static expected<std::unique_ptr<capture_replay>, std::string> open(
      matching_engine& engine, ledger& accounts, capture_replay_config config);

  [[nodiscard]] std::optional<timestamp> next_event_time() const override;
  void advance_to(timestamp now, event_buffer& out) override;
  /// Applies the next frame (depth or trade) whatever its time; false when none is left.
  bool step(event_buffer& out);

  /// Capture update id (Binance u) the engine's book mirrors after the last applied frame.
  [[nodiscard]] std::int64_t capture_update() const noexcept { return capture_update_; }
  [[nodiscard]] std::size_t frames_applied() const noexcept { return next_; }
  [[nodiscard]] std::size_t frame_count() const noexcept { return frames_.size(); }
  /// Diffs that did not continue the previous one (U > last u + 1, or pu != last u).
  [[nodiscard]] std::size_t gaps() const noexcept { return gaps_; }
  [[nodiscard]] const background_liquidity& liquidity() const noexcept { return liquidity_; }

 private:
  capture_replay(matching_engine& engine, ledger& accounts, capture_replay_config config,
                 std::vector<capture_frame> frames);
  [[nodiscard]] timestamp due(const capture_frame& frame) const;
  void apply_depth(const capture_frame& frame, timestamp now, event_buffer& out);

  matching_engine& engine_;
  capture_replay_config config_;
  background_liquidity liquidity_;
  std::vector<capture_frame> frames_;  ///< snapshot first, then diffs and trades in order
  std::size_t next_ = 0;
  std::int64_t origin_ns_ = 0;       ///< receive time of the snapshot
  std::int64_t capture_update_ = 0;
  std::size_t diffs_applied_ = 0;
  std::size_t gaps_ = 0;
};

} // namespace tern::sim
