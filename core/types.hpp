#pragma once

// Small vocabulary types shared by every part of Tern.

#include <chrono>
#include <cstdint>
#include <string_view>

namespace tern {

/// Nanoseconds since the Unix epoch. Exchange milliseconds are converted at the parser boundary.
using timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::nanoseconds>;

[[nodiscard]] constexpr timestamp from_unix_ms(std::int64_t ms) noexcept {
  return timestamp{std::chrono::milliseconds{ms}};
}
[[nodiscard]] constexpr timestamp from_unix_ns(std::int64_t ns) noexcept {
  return timestamp{std::chrono::nanoseconds{ns}};
}
[[nodiscard]] constexpr std::int64_t to_unix_ms(timestamp t) noexcept {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
[[nodiscard]] constexpr std::int64_t to_unix_ns(timestamp t) noexcept {
  return t.time_since_epoch().count();
}

enum class side : std::uint8_t { buy, sell };
enum class market_kind : std::uint8_t { spot, perpetual };
enum class order_type : std::uint8_t {
  limit,       ///< rests if not filled
  limit_maker, ///< post-only: rejected if it would take
  market,
};
enum class time_in_force : std::uint8_t { gtc, ioc, fok };
/// Perpetual orders open or close a position; spot orders carry `none`.
enum class position_action : std::uint8_t { none, open, close };
enum class position_mode : std::uint8_t { one_way, hedge };
/// `both` is the single position of one-way mode.
enum class position_side : std::uint8_t { both, long_side, short_side };

[[nodiscard]] constexpr side opposite(side s) noexcept {
  return s == side::buy ? side::sell : side::buy;
}

[[nodiscard]] std::string_view to_string(side value) noexcept;
[[nodiscard]] std::string_view to_string(market_kind value) noexcept;
[[nodiscard]] std::string_view to_string(order_type value) noexcept;
[[nodiscard]] std::string_view to_string(time_in_force value) noexcept;
[[nodiscard]] std::string_view to_string(position_action value) noexcept;
[[nodiscard]] std::string_view to_string(position_mode value) noexcept;
[[nodiscard]] std::string_view to_string(position_side value) noexcept;

} // namespace tern
