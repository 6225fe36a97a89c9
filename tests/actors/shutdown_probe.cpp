// A Tern process in miniature for the shutdown test: starts the runtime with three actors that
// each own an open file and append their name to it when they stop, prints "ready" once the
// signal handlers are in place, and exits 0 only if every actor stopped cleanly on the signal.
//
//   shutdown_probe <marker-file>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "actors/runtime.hpp"
#include "actors/signal_watch.hpp"

namespace {

/// The file is opened when the actor starts and written and closed by the state's destructor,
/// which CAF runs when the actor stops: the pattern for any actor that owns a file.
struct marker_state {
  std::ofstream file;
  std::string name;
  ~marker_state() {
    if (file.is_open())
      file << name << '\n';
  }
};

caf::behavior marker(caf::stateful_actor<marker_state>* self, std::string path,
                     std::string name) {
  self->state.file.open(path, std::ios::app);
  self->state.name = std::move(name);
  return {[](int) {}};
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: shutdown_probe <marker-file>\n";
    return 2;
  }
  // stdout carries the "ready" handshake; logs go to stderr.
  spdlog::set_default_logger(spdlog::stderr_logger_mt("probe"));
  const std::string path = argv[1];

  tern::signal_watch signals;
  tern::runtime_options options;
  options.stop_timeout = std::chrono::milliseconds{2000};
  tern::runtime rt{options};
  for (const char* name : {"first", "second", "third"})
    rt.add(name, rt.system().spawn(marker, path, std::string{name}));

  std::cout << "ready" << std::endl;
  const auto summary = rt.run_until_signal(signals);
  const bool by_signal = summary.signal == SIGINT || summary.signal == SIGTERM;
  return by_signal && summary.clean() && summary.actors.size() == 3 ? 0 : 1;
}
