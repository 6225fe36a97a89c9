#pragma once

// Turns JSON text into a validated `topology`, reporting every problem at once.

#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/topology.hpp"

namespace tern::config {

/// A topology when there were no errors, and every diagnostic (errors and warnings) in the
/// order they were found.
struct load_result {
  std::optional<topology> value;
  std::vector<diagnostic> diagnostics;

  [[nodiscard]] bool ok() const noexcept { return value.has_value(); }
};

/// Reads a topology from JSON text. Relative paths in it (secrets files, log file) are resolved
/// against `base_dir`. Secrets are not looked at: see config/secret_sources.hpp.
[[nodiscard]] load_result load_topology(std::string_view json_text,
                                        const std::filesystem::path& base_dir = {});

/// Reads a topology file; relative paths in it are resolved against the file's folder.
[[nodiscard]] load_result load_topology_file(const std::filesystem::path& file);

} // namespace tern::config
