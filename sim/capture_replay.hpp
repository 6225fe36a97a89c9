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
  std::string api_key = "sim-background-liquidity";
  driver_funds funds{};
};

/// One depth frame of a capture: a REST snapshot or a diff (Binance U/u, and pu on futures).
struct depth_frame {
  std::int64_t received_ns = 0;
  bool snapshot = false;
  std::int64_t first_update = 0;     ///< U (snapshot: lastUpdateId)
  std::int64_t last_update = 0;      ///< u (snapshot: lastUpdateId)
  std::int64_t previous_update = -1; ///< pu on futures, -1 when absent
  std::vector<price_level> bids;
  std::vector<price_level> asks;
};

/// Reads the depth frames (snapshots and depthUpdate diffs) of capture files, in file order;
/// other frames (bookTicker, trade) are skipped. Fails naming the file and line that is wrong.
expected<std::vector<depth_frame>, std::string> read_depth_frames(
    const std::vector<std::string>& files);

class capture_replay final : public market_driver {
 public:
  /// Reads the capture and prepares the replay from its first snapshot: diffs recorded
  /// before the snapshot are kept if they end at or after it (Binance's bridging rule) and
  /// applied right after it. Fails when a file cannot be read or holds no snapshot.
  static expected<std::unique_ptr<capture_replay>, std::string> open(
      matching_engine& engine, ledger& accounts, capture_replay_config config);

  [[nodiscard]] std::optional<timestamp> next_event_time() const override;
  void advance_to(timestamp now, event_buffer& out) override;
  /// Applies the next frame whatever its time; false when none is left.
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
                 std::vector<depth_frame> frames);
  [[nodiscard]] timestamp due(const depth_frame& frame) const;

  matching_engine& engine_;
  capture_replay_config config_;
  background_liquidity liquidity_;
  std::vector<depth_frame> frames_;  ///< snapshot first, then the diffs to apply in order
  std::size_t next_ = 0;
  std::int64_t origin_ns_ = 0;       ///< receive time of the snapshot
  std::int64_t capture_update_ = 0;
  std::size_t gaps_ = 0;
};

} // namespace tern::sim
