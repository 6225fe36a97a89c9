#pragma once

// Simulated third-party takers: market orders arriving at random (a Poisson process), so
// that users' resting orders get filled, not only the drivers' background liquidity.

#include <cstddef>
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

struct taker_flow_config {
  std::uint64_t seed = 3;
  double orders_per_second = 1.0;   ///< mean arrival rate (> 0)
  decimal min_quantity;             ///< each order's size is uniform on the step grid
  decimal max_quantity;             ///< between these (base asset)
  double buy_probability = 0.5;
  timestamp start{};
  std::string api_key = "sim-takers";
  driver_funds funds{};
};

class taker_flow final : public market_driver {
 public:
  static expected<std::unique_ptr<taker_flow>, std::string> create(
      matching_engine& engine, ledger& accounts, taker_flow_config config);

  [[nodiscard]] std::optional<timestamp> next_event_time() const override { return next_; }
  void advance_to(timestamp now, event_buffer& out) override;

  [[nodiscard]] account_id account() const noexcept { return account_; }
  [[nodiscard]] std::size_t orders_sent() const noexcept { return sent_; }
  [[nodiscard]] std::size_t orders_refused() const noexcept { return refused_; }

 private:
  taker_flow(matching_engine& engine, ledger& accounts, taker_flow_config config);
  void send(timestamp now, event_buffer& out);
  void schedule_next();

  matching_engine& engine_;
  ledger& ledger_;
  taker_flow_config config_;
  account_id account_;
  seeded_random random_;
  timestamp next_;
  std::size_t sent_ = 0;
  std::size_t refused_ = 0;
};

} // namespace tern::sim
