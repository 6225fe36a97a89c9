// `tern validate FILE...`: reads each topology file and reports every problem in it.

#include <iostream>
#include <string>
#include <vector>

#include "apps/commands.hpp"
#include "config/loader.hpp"
#include "config/secret_sources.hpp"

namespace tern::apps {

namespace {

std::size_t count(const std::vector<config::diagnostic>& diagnostics, config::severity level) {
  std::size_t n = 0;
  for (const auto& d : diagnostics) n += d.level == level ? 1 : 0;
  return n;
}

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

/// Validates one file; true when it has no errors. Warnings (secrets not available on this
/// machine) do not fail validation.
bool validate_file(const std::string& file) {
  config::load_result loaded = config::load_topology_file(file);
  std::vector<config::diagnostic> diagnostics = std::move(loaded.diagnostics);
  if (loaded.value) {
    auto secrets = config::check_secret_sources(*loaded.value, config::process_environment());
    diagnostics.insert(diagnostics.end(), secrets.begin(), secrets.end());
  }
  for (const auto& d : diagnostics) std::cerr << file << ": " << d.to_string() << '\n';
  std::size_t errors = count(diagnostics, config::severity::error);
  if (errors > 0) {
    std::cerr << file << ": invalid (" << plural(errors, "error") << ", "
              << plural(diagnostics.size() - errors, "warning") << ")\n";
    return false;
  }
  std::cout << file << ": ok (" << config::summary(*loaded.value) << ")\n";
  return true;
}

} // namespace

void add_validate_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "validate",
      "Check topology files: every error with its JSON pointer, or a summary");
  command->footer(
      "Prints \"FILE: ok (summary)\" on stdout for a valid file, else one line per error on stderr,\n"
      "\"FILE: error: /json/pointer: what was expected\", and exits 1. Secrets that are not available\n"
      "here (unset environment variables, missing secrets files) are warnings: they are needed only\n"
      "when Tern runs.");
  auto files = std::make_shared<std::vector<std::string>>();
  command->add_option("FILE", *files, "Topology file(s) to check")->required();
  command->callback([files, &exit_code] {
    bool all_valid = true;
    for (const auto& file : *files) all_valid = validate_file(file) && all_valid;
    std::cout.flush();
    exit_code = all_valid ? exit_ok : exit_failure;
  });
}

} // namespace tern::apps
