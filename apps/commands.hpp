#pragma once

// The subcommands of `tern`. Each adds itself to the app; when it runs, it stores its exit
// code: 0 success, 1 failure (usage errors, 2, are handled in tern_main.cpp).

#include <CLI/CLI.hpp>

namespace tern::apps {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;
/// `tern status`: the ops endpoint could not be read.
inline constexpr int exit_unreachable = 3;

void add_parse_command(CLI::App& app, int& exit_code);
void add_replay_command(CLI::App& app, int& exit_code);
void add_request_command(CLI::App& app, int& exit_code);
void add_sim_command(CLI::App& app, int& exit_code);
void add_validate_command(CLI::App& app, int& exit_code);
void add_version_command(CLI::App& app, int& exit_code);
void add_status_command(CLI::App& app, int& exit_code);
void add_run_command(CLI::App& app, int& exit_code);
void add_node_command(CLI::App& app, int& exit_code);
void add_certs_command(CLI::App& app, int& exit_code);
void add_history_command(CLI::App& app, int& exit_code);
void add_demo_command(CLI::App& app, int& exit_code);

/// "tern 0.1.0 (commit abc123, GNU 12.2.0, Release)": the --version text.
[[nodiscard]] std::string version_line();

} // namespace tern::apps
