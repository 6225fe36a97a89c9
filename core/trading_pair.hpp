#pragma once

// The internal name of a market: "BASE-QUOTE" in upper case
// (../shared/reference/exchanges.md §A3).
// Exchange symbols ("BTCUSDT", "BTC_USDT", "btcusdt", "XBTUSD") are mapped to and from this form by
// each connector; nothing past a connector sees an exchange's spelling.

#include <compare>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>

#include "core/expected.hpp"

namespace tern {

/// Why a text is not a trading pair. `message()` quotes the input.
struct trading_pair_error {
  std::string input;
  std::string reason;
  [[nodiscard]] std::string message() const;
};

/// A market's base and quote asset, e.g. BTC-USDT.
///
/// Accepted text: exactly one '-' between two asset symbols. An asset symbol is 1 to 32
/// characters of ASCII letters, digits and '.', beginning and ending with a letter or digit
/// ("1000PEPE", "ETH2.S"). Lower-case letters are normalised to upper case, because the internal
/// form is upper case by definition and config files are written by people ("btc-usdt" is
/// BTC-USDT). Everything else is rejected rather than guessed at: "BTCUSDT" (where would it
/// split?), "BTC_USDT" (an exchange spelling), "-USDT", "BTC-", "BTC-USDT-SWAP", surrounding
/// spaces.
///
/// A default-constructed pair is empty; it exists for containers and serialisation only and
/// compares below every parsed pair.
class trading_pair {
 public:
  static constexpr std::size_t max_asset_length = 32;

  trading_pair() = default;

  /// Parses "BASE-QUOTE" as described above.
  static expected<trading_pair, trading_pair_error> parse(std::string_view text);
  /// Builds the pair from its two assets, with the same rules as `parse`.
  static expected<trading_pair, trading_pair_error> from_assets(std::string_view base,
                                                                std::string_view quote);
  /// Like parse, but throws std::invalid_argument with the error message. For literals and
  /// trusted input; config and wire data go through `parse`.
  static trading_pair from_string(std::string_view text);

  [[nodiscard]] std::string_view base() const noexcept {
    return std::string_view{text_}.substr(0, dash_);
  }
  [[nodiscard]] std::string_view quote() const noexcept {
    return std::string_view{text_}.substr(empty() ? 0 : dash_ + 1);
  }
  [[nodiscard]] const std::string& to_string() const noexcept { return text_; }
  [[nodiscard]] bool empty() const noexcept { return text_.empty(); }

  // Ordering by text equals ordering by (base, quote): '-' sorts below every character an asset
  // symbol may contain.
  friend std::strong_ordering operator<=>(const trading_pair& a, const trading_pair& b) noexcept {
    return a.text_ <=> b.text_;
  }
  friend bool operator==(const trading_pair& a, const trading_pair& b) noexcept {
    return a.text_ == b.text_;
  }

 private:
  trading_pair(std::string text, std::size_t dash) : text_(std::move(text)), dash_(dash) {}

  std::string text_;
  std::size_t dash_ = 0;
};

std::ostream& operator<<(std::ostream& out, const trading_pair& pair);

} // namespace tern

template <>
struct std::hash<tern::trading_pair> {
  std::size_t operator()(const tern::trading_pair& pair) const noexcept {
    return std::hash<std::string>{}(pair.to_string());
  }
};
