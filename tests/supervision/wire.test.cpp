// Health reports cross CAF's serializer unchanged (they travel between nodes when a
// supervisor's parent lives elsewhere), and a state past the last one is refused.

#include <catch2/catch.hpp>

#include <vector>

#include <caf/actor_system.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/message.hpp>

#include "actors/message_types.hpp"
#include "actors/runtime.hpp"
#include "tree_samples.hpp"

using namespace tern;
using namespace tern::supervision;
using namespace tern::supervision::testing;

namespace {

template <class T>
T through_a_message(caf::actor_system& system, const T& value) {
  std::vector<char> buffer;
  caf::binary_serializer sink{system, buffer};
  REQUIRE_FALSE(sink(caf::make_message(value)));
  caf::message loaded;
  caf::binary_deserializer source{system, buffer};
  const auto error = source(loaded);
  INFO(system.render(error));
  REQUIRE_FALSE(error);
  REQUIRE(loaded.match_elements<T>());
  return loaded.get_as<T>(0);
}

void check_same(const health_node& a, const health_node& b) {
  CHECK(a.name == b.name);
  CHECK(a.kind == b.kind);
  CHECK(a.state == b.state);
  CHECK(a.reason == b.reason);
  CHECK(a.restart == b.restart);
  CHECK(a.strategy == b.strategy);
  CHECK(a.restarts == b.restarts);
  CHECK(a.last_failure == b.last_failure);
  CHECK(a.last_failure_time == b.last_failure_time);
  CHECK(a.since == b.since);
  CHECK(a.mailbox_size == b.mailbox_size);
  REQUIRE(a.children.size() == b.children.size());
  for (std::size_t i = 0; i < a.children.size(); ++i)
    check_same(a.children[i], b.children[i]);
}

runtime_options one_thread() {
  runtime_options options;
  options.scheduler_threads = 1;
  return options;
}

} // namespace

TEST_CASE("a health tree survives the wire with every node and field") {
  runtime rt{one_thread()};
  const auto tree = sample_tree();
  check_same(through_a_message(rt.system(), tree), tree);
}

TEST_CASE("a health update survives the wire, an unknown state is refused") {
  runtime rt{one_thread()};
  const health_update update{health_state::degraded, "stale stream", 12};
  const auto loaded = through_a_message(rt.system(), update);
  CHECK(loaded.state == health_state::degraded);
  CHECK(loaded.reason == "stale stream");
  CHECK(loaded.mailbox_size == 12);

  auto corrupt = update;
  corrupt.state = static_cast<health_state>(6); // one past `failed`
  std::vector<char> buffer;
  caf::binary_serializer sink{rt.system(), buffer};
  REQUIRE_FALSE(sink(corrupt));
  health_update target;
  caf::binary_deserializer source{rt.system(), buffer};
  CHECK(source(target) == caf::sec::invalid_argument);
}
