#pragma once

// JSON text parsed for configuration: the value tree plus what nlohmann's DOM throws away and
// a config reader needs, namely the exact source text of every fractional number (so decimals
// never pass through double) and duplicate keys (which the DOM silently collapses).

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/diagnostic.hpp"

namespace tern::config {

/// RFC 6901: `base` + "/" + `key`, with "~" written "~0" and "/" written "~1".
[[nodiscard]] std::string pointer_append(std::string_view base, std::string_view key);
[[nodiscard]] std::string pointer_append(std::string_view base, std::size_t index);

struct json_document {
  nlohmann::json root;
  /// Source text of each number nlohmann stored as a double, keyed by its JSON pointer.
  std::unordered_map<std::string, std::string> number_text;
  /// Syntax errors (the tree is then null) and duplicate keys.
  std::vector<diagnostic> errors;

  [[nodiscard]] bool ok() const noexcept { return errors.empty(); }
};

/// Parses `text`. Never throws on bad input; syntax errors name the line and column and never
/// quote the text around them, since a broken file may hold a secret next to the mistake.
[[nodiscard]] json_document parse_json_document(std::string_view text);

} // namespace tern::config
