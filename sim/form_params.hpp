#pragma once

// Request parameters as exchanges receive them: a URL query string and/or an
// application/x-www-form-urlencoded body, percent-decoded, in the order sent. Signature checks
// need the raw text too, so helpers here also cut a parameter out of the encoded form.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tern::sim {

/// Decodes %XX escapes and '+' (a space in form encoding); nullopt for a broken escape.
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view text);
/// Encodes everything but unreserved characters (RFC 3986: letters, digits, -._~).
[[nodiscard]] std::string percent_encode(std::string_view text);

/// Splits "path?query" into its two parts (query without the '?').
[[nodiscard]] std::pair<std::string_view, std::string_view> split_target(std::string_view target);

/// `encoded` ("a=1&b=2&signature=ff") without the components named `key`, separators kept
/// consistent: the text a signature was computed over.
[[nodiscard]] std::string without_param(std::string_view encoded, std::string_view key);

class form_params {
 public:
  /// Parses "a=1&b=x%20y"; empty components are skipped. Nullopt for a broken escape.
  static std::optional<form_params> parse(std::string_view encoded);

  /// Adds the parameters of `more` whose names are not here yet (the query string wins over
  /// the body, as Binance documents).
  void merge(const form_params& more);

  /// The first value of `key`, if sent.
  [[nodiscard]] const std::string* find(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key) const { return find(key) != nullptr; }
  [[nodiscard]] std::size_t count(std::string_view key) const;
  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& items() const noexcept {
    return items_;
  }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

} // namespace tern::sim
