#pragma once

// 256-bit intermediate arithmetic for decimal multiply and divide. Internal to core/.

#include <cstdint>
#include <utility>

#include "core/decimal.hpp"

namespace tern::wide {

struct uint256 {
  uint128 high = 0;
  uint128 low = 0;
};

/// The full 256-bit product of two 128-bit magnitudes.
inline uint256 multiply(uint128 a, uint128 b) {
  constexpr uint128 mask = ~static_cast<std::uint64_t>(0);
  uint128 a0 = a & mask, a1 = a >> 64, b0 = b & mask, b1 = b >> 64;
  uint128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  uint128 middle = (p00 >> 64) + (p01 & mask) + (p10 & mask);
  uint256 out;
  out.low = (p00 & mask) | (middle << 64);
  out.high = p11 + (p01 >> 64) + (p10 >> 64) + (middle >> 64);
  return out;
}

struct small_division {
  uint256 quotient;
  uint128 remainder;
};

/// Divides by a 64-bit divisor, one 64-bit limb at a time.
inline small_division divide_small(uint256 value, std::uint64_t divisor) {
  std::uint64_t limbs[4] = {static_cast<std::uint64_t>(value.high >> 64),
                            static_cast<std::uint64_t>(value.high),
                            static_cast<std::uint64_t>(value.low >> 64),
                            static_cast<std::uint64_t>(value.low)};
  std::uint64_t quotient[4];
  uint128 remainder = 0;
  for (int i = 0; i < 4; ++i) {
    uint128 current = (remainder << 64) | limbs[i];
    quotient[i] = static_cast<std::uint64_t>(current / divisor);
    remainder = current % divisor;
  }
  small_division out;
  out.quotient.high = (static_cast<uint128>(quotient[0]) << 64) | quotient[1];
  out.quotient.low = (static_cast<uint128>(quotient[2]) << 64) | quotient[3];
  out.remainder = remainder;
  return out;
}

/// Divides a 256-bit value by a 128-bit divisor when the quotient fits 128 bits
/// (precondition: value.high < divisor). Shift-and-subtract; decimal division is off the hot path.
inline std::pair<uint128, uint128> divide(uint256 value, uint128 divisor) {
  if (value.high == 0)
    return {value.low / divisor, value.low % divisor};
  uint128 remainder = value.high;
  uint128 quotient = 0;
  for (int bit = 127; bit >= 0; --bit) {
    bool carry = (remainder >> 127) != 0;
    remainder = (remainder << 1) | ((value.low >> bit) & 1);
    if (carry || remainder >= divisor) {
      remainder -= divisor;
      quotient |= static_cast<uint128>(1) << bit;
    }
  }
  return {quotient, remainder};
}

} // namespace tern::wide
