#pragma once

// A synthetic market: a seeded random walk of the mid price with background liquidity
// re-centred around it at every step, optional temporary jumps of the mid (so that two
// simulated exchanges sharing a walk diverge from time to time), and funding on perpetuals.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/decimal.hpp"
#include "core/expected.hpp"
#include "sim/background_liquidity.hpp"
#include "sim/market_driver.hpp"
#include "sim/matching_engine.hpp"
#include "sim/seeded_random.hpp"

namespace tern::sim {

struct random_walk_config {
  /// Seed of the mid's walk. Venues meant to track one another share it.
  std::uint64_t seed = 1;
  /// Seed of the jumps and of the level sizes' jitter; give each venue its own.
  std::uint64_t jump_seed = 2;
  decimal initial_mid;                 ///< a multiple of the market's tick
  /// Standard deviation of the mid's move per step, in basis points of the mid
  /// (a statistical parameter, hence double; prices stay exact on the tick grid).
  double volatility_bps = 1.0;
  std::chrono::nanoseconds step_interval = std::chrono::milliseconds{100};
  timestamp start{};

  int levels_per_side = 20;
  int spread_ticks = 2;                ///< best ask - best bid, in ticks (>= 1)
  int level_spacing_ticks = 1;         ///< between consecutive levels of a side
  decimal level_size;                  ///< base quantity shown at each level
  /// Each level's size varies uniformly within +-jitter of level_size (0 <= jitter < 1),
  /// drawn afresh at each step; rounded down to the step.
  double size_jitter = 0.0;

  /// Temporary dislocations: at each step without a jump in progress, a jump starts with this
  /// probability; it shifts the mid by jump_bps (up or down at random) for jump_steps steps,
  /// then the mid snaps back to the walk.
  double jump_probability = 0.0;
  double jump_bps = 0.0;
  int jump_steps = 0;

  /// Perpetuals: every funding_interval (0 = never), positions settle funding at funding_rate
  /// with the mid as mark price. The mid is also set as the mark price at every step.
  std::chrono::nanoseconds funding_interval{0};
  decimal funding_rate;

  std::string api_key = "sim-background-liquidity";
  driver_funds funds{};
};

class random_walk final : public market_driver {
 public:
  /// Checks the config against the market and opens the driver's account.
  static expected<std::unique_ptr<random_walk>, std::string> create(
      matching_engine& engine, ledger& accounts, random_walk_config config);

  [[nodiscard]] std::optional<timestamp> next_event_time() const override;
  void advance_to(timestamp now, event_buffer& out) override;

  /// The mid the book is centred on now (the walk plus any jump in progress).
  [[nodiscard]] decimal mid() const;
  /// True while a jump displaces the mid.
  [[nodiscard]] bool jumping() const noexcept { return jump_left_ > 0; }
  [[nodiscard]] std::int64_t steps() const noexcept { return steps_; }
  [[nodiscard]] const background_liquidity& liquidity() const noexcept { return liquidity_; }

 private:
  random_walk(matching_engine& engine, ledger& accounts, random_walk_config config);
  void step(event_buffer& out);
  void move();
  void update_jump();
  void rebuild(timestamp now, event_buffer& out);
  [[nodiscard]] decimal jittered_size();
  [[nodiscard]] std::int64_t centre_ticks() const;

  matching_engine& engine_;
  random_walk_config config_;
  background_liquidity liquidity_;
  seeded_random walk_random_;
  seeded_random jump_random_;
  std::int64_t mid_ticks_;         ///< the walk, in ticks
  std::int64_t floor_ticks_;       ///< the walk never goes below this (prices stay positive)
  std::int64_t jump_ticks_ = 0;    ///< current jump offset
  int jump_left_ = 0;
  std::int64_t steps_ = 0;
  timestamp next_step_;
  std::optional<timestamp> next_funding_;
};

} // namespace tern::sim
