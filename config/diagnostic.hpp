#pragma once

// What the config reader reports: an error or warning tied to the JSON pointer of the value
// it is about, so a user can find it in the file and tools can match on it.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tern::config {

enum class severity { error, warning };

/// One finding about a configuration: where (RFC 6901 pointer, "" for the whole document) and
/// what was expected. Messages never contain secret values.
struct diagnostic {
  severity level = severity::error;
  std::string pointer;
  std::string message;

  /// "error: /exchanges/1/markets/0: expected a string"; the root pointer prints as "(root)".
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const diagnostic&, const diagnostic&) = default;
};

[[nodiscard]] std::string_view to_string(severity value) noexcept;
[[nodiscard]] bool has_errors(std::span<const diagnostic> diagnostics) noexcept;

/// The candidate closest to `input` by edit distance (a swap of two neighbours counts as one
/// edit), or "" when none is close enough to be a plausible typo.
[[nodiscard]] std::string_view closest_match(std::string_view input,
                                             std::span<const std::string_view> candidates);

/// `"x" (did you mean "y"?)` when a close candidate exists, else `"x"; expected one of: a, b`.
[[nodiscard]] std::string describe_unknown(std::string_view input,
                                           std::span<const std::string_view> candidates);

/// `"text"` with JSON escaping, for quoting user input in messages.
[[nodiscard]] std::string quote(std::string_view text);

} // namespace tern::config
