// A `tern node` for tests: the same node runner with the test components
// (tests/cluster/test_components.hpp) and one test-only option, --schema-salt, which makes
// this node announce another message schema, as a node of another build would.

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "cluster/node.hpp"
#include "tests/cluster/test_components.hpp"

int main(int argc, char** argv) {
  tern::cluster::node_options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--config")
      options.config_file = value;
    else if (key == "--name")
      options.node = value;
    else if (key == "--ops-port")
      options.ops_port = std::stoi(value);
    else if (key == "--schema-salt")
      options.schema_salt = std::stoull(value);
    else {
      std::cerr << "cluster_test_node: unknown option " << key << '\n';
      return 2;
    }
  }
  if (options.config_file.empty() || options.node.empty()) {
    std::cerr << "usage: cluster_test_node --config FILE --name NODE [--ops-port P] "
                 "[--schema-salt N]\n";
    return 2;
  }
  return tern::cluster::run_node(options, tern::testing::cluster_test_components);
}
