// The directory in one process: local names resolve to their actors and are forgotten when
// the actor exits; an unknown name, and a name on a node that is not linked, are errors that
// say which node.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/runtime.hpp"
#include "cluster/directory.hpp"

using namespace tern;
using namespace tern::cluster;
using namespace std::chrono_literals;

namespace {

caf::behavior idle(caf::event_based_actor*) {
  return {[](int x) { return x; }};
}

/// Asks `directory` for `name`: the actor, or the error's text.
std::pair<caf::actor, std::string> look_up(caf::actor_system& system, const caf::actor& directory,
                                           const std::string& name) {
  caf::scoped_actor self{system};
  std::pair<caf::actor, std::string> out;
  self->request(directory, 5s, lookup_atom_v, name)
    .receive([&](caf::actor& found) { out.first = std::move(found); },
             [&](caf::error& error) { out.second = error_text(system, error); });
  return out;
}

} // namespace

TEST_CASE("directory: local names resolve and others are errors naming the node") {
  runtime_options options;
  options.enable_network = true;
  options.customize = [](caf::actor_system_config& cfg) { register_cluster_types(cfg); };
  runtime rt{options};
  auto& system = rt.system();
  directory_options settings;
  settings.self = local_hello("b");
  settings.tls = false;
  // "a" is a peer that never answers: nothing listens on port 1.
  settings.peers = {{"a", "127.0.0.1", 1}};
  settings.reconnect_min = 10s; // one attempt during the test
  settings.owner = [](std::string_view name) {
    return std::string{name.rfind("remote/", 0) == 0 ? "a" : "b"};
  };
  auto directory = spawn_directory(system, settings);
  rt.add("directory", directory);

  auto book = system.spawn(idle);
  caf::anon_send(directory, register_atom_v, std::string{"local/BTC-USDT/book"}, book);
  auto found = look_up(system, directory, "local/BTC-USDT/book");
  CHECK(found.first == book);

  const auto unknown = look_up(system, directory, "local/ETH-USDT/book");
  CHECK_FALSE(unknown.first);
  CHECK(unknown.second.find("on node 'b'") != std::string::npos);

  const auto remote = look_up(system, directory, "remote/BTC-USDT/book");
  CHECK_FALSE(remote.first);
  CHECK(remote.second.find("node 'a' hosting 'remote/BTC-USDT/book' is unreachable")
        != std::string::npos);

  // An exited component is forgotten (its down message reaches the directory first).
  caf::anon_send_exit(book, caf::exit_reason::user_shutdown);
  book = nullptr;
  found.first = nullptr;
  bool forgotten = false;
  for (int i = 0; i < 100 && !forgotten; ++i)
    forgotten = !look_up(system, directory, "local/BTC-USDT/book").first;
  CHECK(forgotten);
}
