#pragma once

// What makes a simulated market move: drivers that place and cancel orders on a matching
// engine so that strategies see a live book and get filled. Drivers are pure steppers: the
// server asks when the next thing happens and advances them to a time of its choosing, so
// pacing (real time, scaled, or as fast as possible) is the server's decision. No threads,
// no sleeps, no clocks in here.
//
// The concrete drivers: capture_replay (sim/capture_replay.hpp), random_walk
// (sim/random_walk.hpp) and taker_flow (sim/taker_flow.hpp); driver_set runs several together.

#include <memory>
#include <optional>
#include <vector>

#include "core/types.hpp"
#include "sim/events.hpp"

namespace tern::sim {

/// A source of market activity, stepped from outside.
class market_driver {
 public:
  market_driver() = default;
  market_driver(const market_driver&) = delete;
  market_driver& operator=(const market_driver&) = delete;
  virtual ~market_driver() = default;

  /// When the next action is due; nullopt once the driver has nothing left to do.
  [[nodiscard]] virtual std::optional<timestamp> next_event_time() const = 0;
  /// Performs, in order, every action due at or before `now`, appending the engine's events
  /// (each stamped with its own due time) to `out`.
  virtual void advance_to(timestamp now, event_buffer& out) = 0;
};

/// Several drivers run as one, their actions interleaved in time order (ties: the driver
/// added first goes first), e.g. a random walk plus third-party takers.
class driver_set final : public market_driver {
 public:
  void add(std::unique_ptr<market_driver> driver) { drivers_.push_back(std::move(driver)); }
  [[nodiscard]] std::optional<timestamp> next_event_time() const override;
  void advance_to(timestamp now, event_buffer& out) override;

 private:
  std::vector<std::unique_ptr<market_driver>> drivers_;
};

} // namespace tern::sim
