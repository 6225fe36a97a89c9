// The `tern` command: parses the command line and runs one subcommand.

#include <iostream>

#include "apps/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Tern: exchange connectors as a supervised actor system, laid out by a JSON topology.", "tern"};
  app.require_subcommand(1);
  app.set_version_flag("--version", tern::apps::version_line(), "Print the version and exit");
  int exit_code = tern::apps::exit_ok;
  tern::apps::add_parse_command(app, exit_code);
  tern::apps::add_replay_command(app, exit_code);
  tern::apps::add_request_command(app, exit_code);
  tern::apps::add_sim_command(app, exit_code);
  tern::apps::add_validate_command(app, exit_code);
  tern::apps::add_version_command(app, exit_code);
  tern::apps::add_run_command(app, exit_code);
  tern::apps::add_demo_command(app, exit_code);
  tern::apps::add_status_command(app, exit_code);
  tern::apps::add_node_command(app, exit_code);
  tern::apps::add_certs_command(app, exit_code);
  tern::apps::add_history_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version arrive as "errors" with exit code 0; everything else is misuse.
    int code = app.exit(error);
    return code == 0 ? tern::apps::exit_ok : tern::apps::exit_usage;
  }
  return exit_code;
}
