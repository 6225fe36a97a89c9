#pragma once

// Reproducible randomness for the market drivers: the same seed gives the same market on every
// machine. std::mt19937_64's output is fixed by the standard, but the standard distributions
// are not, so the few we need are written here.

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace tern::sim {

class seeded_random {
 public:
  explicit seeded_random(std::uint64_t seed) : engine_(seed) {}

  /// Uniform in [0, 1), from the top 53 bits.
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  /// Uniform integer in [0, count) (count > 0); the modulo bias is negligible for small counts.
  std::uint64_t below(std::uint64_t count) { return engine_() % count; }
  /// Standard normal (Box-Muller, one value per call).
  double normal() {
    double radius = std::sqrt(-2.0 * std::log(1.0 - uniform()));
    return radius * std::cos(2.0 * std::numbers::pi * uniform());
  }
  /// Exponential with the given rate (> 0): waiting times of a Poisson process.
  double exponential(double rate) { return -std::log(1.0 - uniform()) / rate; }

 private:
  std::mt19937_64 engine_;
};

} // namespace tern::sim
