// `tern version`: what was built, from which commit, with which compiler.

#include <iostream>

#include "apps/build_info.hpp"
#include "apps/commands.hpp"

namespace tern::apps {

std::string version_line() {
  return std::string{"tern "} + build_info::version + " (commit " + build_info::git_commit + ", " +
         build_info::compiler + ", " + build_info::build_type + ")";
}

void add_version_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand("version", "Print Tern's version, git commit, compiler and build type");
  command->callback([&exit_code] {
    std::cout << "tern " << build_info::version << '\n'
              << "commit:     " << build_info::git_commit << " (when the build was configured)\n"
              << "compiler:   " << build_info::compiler << '\n'
              << "build type: " << build_info::build_type << '\n';
    exit_code = exit_ok;
  });
}

} // namespace tern::apps
