#pragma once

// Shared by the config tests: the errors of a load as "pointer: message" lines.

#include <string>
#include <vector>

#include "config/loader.hpp"

namespace tern::config::testing {

/// "pointer: message" of every error, for compact assertions.
inline std::vector<std::string> errors_of(const load_result& result) {
  std::vector<std::string> out;
  for (const auto& d : result.diagnostics)
    if (d.level == severity::error) out.push_back(d.pointer + ": " + d.message);
  return out;
}

} // namespace tern::config::testing
