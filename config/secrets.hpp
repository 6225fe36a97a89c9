#pragma once

// Secret values at run time: a type that never prints its value, and a registry of every value
// in use so that any text leaving the process (log lines, error messages) can be scrubbed.

#include <cstddef>
#include <iosfwd>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace tern::config {

/// The text every secret is shown as.
inline constexpr std::string_view redacted_text = "***";

/// A resolved secret (API key, API secret, passphrase, token). Printing or formatting it shows
/// "***"; only `reveal()` gives the value, so every use of the value is visible in the code.
/// The memory is wiped when the value is destroyed or moved from.
class secret {
 public:
  secret() = default;
  explicit secret(std::string value) noexcept : value_(std::move(value)) {}
  secret(const secret&) = default;
  secret& operator=(const secret& other);
  secret(secret&& other) noexcept;
  secret& operator=(secret&& other) noexcept;
  ~secret();

  /// The value, for signing and authentication only. Never log or format it.
  [[nodiscard]] std::string_view reveal() const noexcept { return value_; }
  [[nodiscard]] bool empty() const noexcept { return value_.empty(); }

  friend std::ostream& operator<<(std::ostream& out, const secret& value);

 private:
  void wipe() noexcept;
  std::string value_;
};

/// Every secret value the process holds, for scrubbing text. Thread-safe.
class secret_registry {
 public:
  /// The registry that secret resolution and Tern's log sinks use.
  static secret_registry& global();

  /// Registers `value` and the forms it takes when embedded in JSON or a URL. Empty values are
  /// ignored.
  void add(std::string_view value);
  void add(const secret& value) { add(value.reveal()); }

  /// `text` with every registered value replaced by "***".
  [[nodiscard]] std::string scrub(std::string_view text) const;
  /// True when `text` contains a registered value.
  [[nodiscard]] bool appears_in(std::string_view text) const;
  [[nodiscard]] std::size_t size() const;

 private:
  void insert_locked(std::string value);

  mutable std::shared_mutex mutex_;
  std::vector<std::string> values_;  ///< longest first, so a secret's longer forms go first
};

} // namespace tern::config

/// `fmt::format("{}", s)` and spdlog show "***".
template <>
struct fmt::formatter<tern::config::secret> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const tern::config::secret&, FormatContext& context) const {
    return fmt::formatter<std::string_view>::format(tern::config::redacted_text, context);
  }
};
