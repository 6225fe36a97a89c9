#pragma once

// The price grid of one book side: every price is a whole number of ticks, and the tick index
// (price / tick) says where a level lives in the book's dense window. Internal to order_book.
//
// The tick is learned, not configured: it is the greatest common divisor of the prices seen
// (a 1,000-level snapshot finds the market's tick at once), capped at 1 so that it fits 64 bits.
// A later price off the grid refines it (gcd again), which the caller answers by re-placing
// every level; the tick only ever shrinks, by at least half each time, so that is rare.
//
// Locating a price is the hot path, so it divides without a divide instruction: the tick is
// 2^shift x odd, and a number is an exact multiple of an odd divisor exactly when its product
// with the divisor's inverse modulo 2^64 is at most (2^64 - 1) / divisor; that product is then
// the quotient (Granlund and Montgomery, "Division by invariant integers using multiplication").
// Prices too large for a 64-bit quotient after the shift are left to the caller's fallback.

#include <bit>
#include <cstdint>
#include <numeric>

#include "core/decimal.hpp"

namespace tern::detail {

/// Where a price falls on a tick grid.
enum class grid_fit : std::uint8_t {
  on,        ///< a whole number of ticks; the index is its tick count
  off,       ///< between ticks: the grid must be refined to hold it
  too_large, ///< its tick count does not fit 64 bits (never on the grid)
};

class tick_grid {
 public:
  /// The coarsest grid: one whole unit (raw 10^18).
  static constexpr std::uint64_t coarsest_tick = 1'000'000'000'000'000'000ULL;

  tick_grid() noexcept { set_tick(coarsest_tick); }

  /// The tick as a raw decimal count (10^-18 units).
  [[nodiscard]] std::uint64_t tick_raw() const noexcept { return tick_; }
  [[nodiscard]] decimal tick() const noexcept { return decimal::from_raw(tick_); }

  /// Where `price` (> 0) falls, and its tick index when `on`.
  [[nodiscard]] grid_fit locate(decimal price, std::uint64_t& index) const noexcept {
    auto raw = static_cast<uint128>(price.raw());
    if ((static_cast<std::uint64_t>(raw) & low_mask_) != 0)
      return grid_fit::off;
    uint128 shifted = raw >> shift_;
    if ((shifted >> 64) != 0)
      return grid_fit::too_large;
    index = static_cast<std::uint64_t>(shifted) * inverse_;  // exact when the division is
    return index <= max_quotient_ ? grid_fit::on : grid_fit::off;
  }

  /// The price of tick index `index` (an index `locate` returned, or one between two of them).
  [[nodiscard]] decimal price_of(std::uint64_t index) const noexcept {
    return decimal::from_raw(static_cast<int128>(static_cast<uint128>(index) * tick_));
  }

  /// Shrinks the tick so that `price` (> 0) lies on the grid; true when it changed.
  bool refine(decimal price) noexcept {
    auto raw = static_cast<uint128>(price.raw());
    auto remainder = static_cast<std::uint64_t>(raw % tick_);
    if (remainder == 0)
      return false;
    set_tick(std::gcd(tick_, remainder));
    return true;
  }

  /// Back to the coarsest grid, before learning a new one.
  void reset() noexcept { set_tick(coarsest_tick); }

 private:
  void set_tick(std::uint64_t tick) noexcept {
    tick_ = tick;
    shift_ = static_cast<unsigned>(std::countr_zero(tick));
    low_mask_ = (std::uint64_t{1} << shift_) - 1;
    std::uint64_t odd = tick >> shift_;
    // Newton's iteration for the inverse modulo 2^64: odd * odd == 1 (mod 8) gives 3 correct
    // bits, and each step doubles them (3, 6, 12, 24, 48, 96).
    std::uint64_t inverse = odd;
    for (int step = 0; step < 5; ++step)
      inverse *= 2 - odd * inverse;
    inverse_ = inverse;
    max_quotient_ = UINT64_MAX / odd;
  }

  std::uint64_t tick_ = coarsest_tick;
  unsigned shift_ = 0;            // trailing zero bits of the tick
  std::uint64_t low_mask_ = 0;    // the bits a multiple of the tick has clear
  std::uint64_t inverse_ = 0;     // the tick's odd part, inverted modulo 2^64
  std::uint64_t max_quotient_ = 0;
};

} // namespace tern::detail
