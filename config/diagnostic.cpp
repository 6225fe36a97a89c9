#include "config/diagnostic.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace tern::config {

std::string_view to_string(severity value) noexcept {
  return value == severity::error ? "error" : "warning";
}

std::string diagnostic::to_string() const {
  std::string text{config::to_string(level)};
  text += ": ";
  text += pointer.empty() ? "(root)" : pointer;
  text += ": ";
  text += message;
  return text;
}

bool has_errors(std::span<const diagnostic> diagnostics) noexcept {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const diagnostic& d) { return d.level == severity::error; });
}

namespace {

char fold(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Optimal string alignment distance, case-insensitive: "marekts" is one edit from "markets".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) && fold(a[i - 2]) == fold(b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

} // namespace

std::string_view closest_match(std::string_view input, std::span<const std::string_view> candidates) {
  // A third of the word may be wrong, at least one character: close enough to be a typo,
  // far enough apart that "node" is not offered for "mode" in a short list by accident.
  std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, input.size() / 3));
  std::string_view best;
  std::size_t best_distance = limit + 1;
  for (std::string_view candidate : candidates) {
    std::size_t distance = edit_distance(input, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string quote(std::string_view text) {
  return nlohmann::json(std::string{text}).dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace);
}

std::string describe_unknown(std::string_view input, std::span<const std::string_view> candidates) {
  std::string text = quote(input);
  if (std::string_view match = closest_match(input, candidates); !match.empty()) {
    text += " (did you mean " + quote(match) + "?)";
    return text;
  }
  text += "; expected one of: ";
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (i > 0) text += ", ";
    text += candidates[i];
  }
  return text;
}

} // namespace tern::config
