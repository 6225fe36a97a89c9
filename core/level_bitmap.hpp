#pragma once

// Which slots of a book window hold a level: one bit a slot, and one summary bit a 64-bit word,
// so that the nearest occupied slot in either direction is a few bit scans (std::countl_zero and
// std::countr_zero, one instruction each where the target has them) even across empty stretches
// thousands of slots long. Internal to order_book.

#include <array>
#include <bit>
#include <cstdint>

namespace tern::detail {

template <std::uint32_t Bits>
class level_bitmap {
  static_assert(Bits % 64 == 0 && Bits >= 64, "whole words only");
  static constexpr std::uint32_t word_count = Bits / 64;
  static constexpr std::uint32_t summary_count = (word_count + 63) / 64;

 public:
  /// Returned by the searches when no slot qualifies: below 0 or at Bits.
  static constexpr std::int64_t none_below = -1;
  static constexpr std::int64_t none_above = Bits;

  [[nodiscard]] bool test(std::uint32_t slot) const noexcept {
    return (words_[slot / 64] >> (slot % 64) & 1U) != 0;
  }

  /// Marks `slot`; true when it was clear.
  bool insert(std::uint32_t slot) noexcept {
    std::uint64_t& word = words_[slot / 64];
    std::uint64_t bit = std::uint64_t{1} << (slot % 64);
    if ((word & bit) != 0)
      return false;
    word |= bit;
    summary_[slot / 4096] |= std::uint64_t{1} << (slot / 64 % 64);
    return true;
  }

  /// Clears `slot`; true when it was set.
  bool erase(std::uint32_t slot) noexcept {
    std::uint64_t& word = words_[slot / 64];
    std::uint64_t bit = std::uint64_t{1} << (slot % 64);
    if ((word & bit) == 0)
      return false;
    word &= ~bit;
    if (word == 0)
      summary_[slot / 4096] &= ~(std::uint64_t{1} << (slot / 64 % 64));
    return true;
  }

  /// The highest marked slot in [low, high) (0 <= low <= high <= Bits), or none_below.
  [[nodiscard]] std::int64_t highest_in(std::int64_t low, std::int64_t high) const noexcept {
    std::int64_t found = highest_below(high);
    return found >= low ? found : none_below;
  }

  /// The lowest marked slot in [low, high) (0 <= low <= high <= Bits), or none_above.
  [[nodiscard]] std::int64_t lowest_in(std::int64_t low, std::int64_t high) const noexcept {
    std::int64_t found = lowest_above(low - 1);
    return found < high ? found : none_above;
  }

  /// How many slots in [low, high) are marked (0 <= low <= high <= Bits).
  [[nodiscard]] std::uint32_t count_in(std::uint32_t low, std::uint32_t high) const noexcept {
    if (low >= high)
      return 0;
    std::uint32_t first = low / 64;
    std::uint32_t last = (high - 1) / 64;
    std::uint64_t from_low = ~std::uint64_t{0} << (low % 64);
    std::uint64_t to_high = ~std::uint64_t{0} >> (63 - (high - 1) % 64);
    if (first == last)
      return static_cast<std::uint32_t>(std::popcount(words_[first] & from_low & to_high));
    auto count = static_cast<std::uint32_t>(std::popcount(words_[first] & from_low)
                                            + std::popcount(words_[last] & to_high));
    for (std::uint32_t word = first + 1; word < last; ++word)
      count += static_cast<std::uint32_t>(std::popcount(words_[word]));
    return count;
  }

  void clear() noexcept {
    words_.fill(0);
    summary_.fill(0);
  }

  /// The highest marked slot below `slot` (0..Bits), or none_below.
  [[nodiscard]] std::int64_t highest_below(std::int64_t slot) const noexcept {
    if (slot <= 0)
      return none_below;
    auto last = static_cast<std::uint32_t>(slot - 1);
    std::uint64_t bits = words_[last / 64] & (~std::uint64_t{0} >> (63 - last % 64));
    if (bits != 0)
      return top(last / 64, bits);
    // The summary finds the nearest non-empty word below.
    std::uint32_t word = last / 64;
    std::uint32_t group = word / 64;
    std::uint64_t words = summary_[group] & ((std::uint64_t{1} << (word % 64)) - 1);
    while (words == 0) {
      if (group == 0)
        return none_below;
      words = summary_[--group];
    }
    std::uint32_t found = group * 64 + 63 - static_cast<std::uint32_t>(std::countl_zero(words));
    return top(found, words_[found]);
  }

  /// The lowest marked slot above `slot` (-1..Bits-1), or none_above.
  [[nodiscard]] std::int64_t lowest_above(std::int64_t slot) const noexcept {
    if (slot >= static_cast<std::int64_t>(Bits) - 1)
      return none_above;
    auto first = static_cast<std::uint32_t>(slot + 1);
    std::uint64_t bits = words_[first / 64] & (~std::uint64_t{0} << (first % 64));
    if (bits != 0)
      return bottom(first / 64, bits);
    std::uint32_t word = first / 64;
    std::uint32_t group = word / 64;
    std::uint64_t words =
        word % 64 == 63 ? 0 : summary_[group] & (~std::uint64_t{0} << (word % 64 + 1));
    while (words == 0) {
      if (++group == summary_count)
        return none_above;
      words = summary_[group];
    }
    std::uint32_t found = group * 64 + static_cast<std::uint32_t>(std::countr_zero(words));
    return bottom(found, words_[found]);
  }

 private:
  static std::int64_t top(std::uint32_t word, std::uint64_t bits) noexcept {
    return std::int64_t{word} * 64 + 63 - std::countl_zero(bits);
  }
  static std::int64_t bottom(std::uint32_t word, std::uint64_t bits) noexcept {
    return std::int64_t{word} * 64 + std::countr_zero(bits);
  }

  std::array<std::uint64_t, word_count> words_{};
  std::array<std::uint64_t, summary_count> summary_{};
};

} // namespace tern::detail
