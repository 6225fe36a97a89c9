// Readers for nodes, supervision, ops and logging, and the helpers every section shares.

#include <array>

#include "config/reading.hpp"

namespace tern::config::detail {

bool unique_names::insert(reader_context& context, const std::string& name, const std::string& pointer) {
  auto [it, inserted] = first_pointer_.emplace(name, pointer);
  if (!inserted) context.error(pointer, "duplicate " + what_ + " " + quote(name) + " (first at " + it->second + ")");
  return inserted;
}

std::filesystem::path resolve_path(const read_state& state, const std::string& path) {
  std::filesystem::path value{path};
  return value.is_absolute() || state.base_dir.empty() ? value : state.base_dir / value;
}

std::string read_node_reference(object_reader& object, const read_state& state) {
  const auto& nodes = state.result.nodes;
  if (!object.has("node")) {
    (void)object.optional_field("node");  // declared, so never an unknown key
    if (!state.node_names_complete) return {};  // the nodes have their own errors
    if (nodes.size() == 1) return nodes.front().name;
    object.context().error(object.pointer_to("node"),
                           "missing required key (expected the name of the node to run on; it may be left out "
                           "only when there is exactly one node)");
    return {};
  }
  auto name = object.optional("node", name_field{});
  if (!name) return {};
  if (state.result.find_node(*name) == nullptr && state.node_names_complete) {
    std::vector<std::string_view> known;
    for (const auto& node : nodes) known.push_back(node.name);
    object.context().error(object.pointer_to("node"), "undefined node " + describe_unknown(*name, known));
  }
  return *name;
}

namespace {

/// A node's "tls": {"ca", "cert", "key"}, all three or none.
std::optional<tls_config> read_tls(object_reader& node, const read_state& state) {
  auto at = node.optional_field("tls");
  if (!at) return std::nullopt;
  object_reader object{*at, "a tls object"};
  auto ca = object.required("ca", string_field{});
  auto cert = object.required("cert", string_field{});
  auto key = object.required("key", string_field{});
  object.finish();
  if (!ca || !cert || !key) return std::nullopt;
  return tls_config{resolve_path(state, *ca), resolve_path(state, *cert), resolve_path(state, *key)};
}

}  // namespace

void read_nodes(object_reader& root, read_state& state) {
  auto nodes = root.required_field("nodes", "an array of nodes");
  if (!nodes) {
    state.node_names_complete = false;
    return;
  }
  if (!nodes->value.is_array()) state.node_names_complete = false;
  unique_names names{"node name"};
  unique_names addresses{"node address"};
  for_each_element(*nodes, "nodes", 1, [&](const value_at& at) {
    object_reader object{at, "a node object"};
    node_config node;
    auto name = object.required("name", name_field{});
    auto host = object.required("host", string_field{});
    auto port = object.required("port", integer_field{1, 65535});
    node.tls = read_tls(object, state);
    object.finish();
    if (!name) {
      state.node_names_complete = false;
      return;
    }
    if (!names.insert(at.context, *name, object.pointer_to("name"))) return;
    node.name = *name;
    node.host = host.value_or("");
    node.port = static_cast<std::uint16_t>(port.value_or(0));
    if (host && port) addresses.insert(at.context, node.host + ":" + std::to_string(node.port), object.pointer_to("port"));
    state.result.nodes.push_back(std::move(node));
  });
}

namespace {

constexpr std::array<choice<restart_strategy>, 3> restart_strategies = {{
    {"one_for_one", restart_strategy::one_for_one},
    {"one_for_all", restart_strategy::one_for_all},
    {"rest_for_one", restart_strategy::rest_for_one},
}};

constexpr std::array<choice<log_level>, 7> log_levels = {{
    {"trace", log_level::trace}, {"debug", log_level::debug}, {"info", log_level::info},
    {"warn", log_level::warn}, {"error", log_level::error}, {"critical", log_level::critical},
    {"off", log_level::off},
}};

backoff_policy read_backoff(object_reader& parent, const backoff_policy& defaults) {
  auto at = parent.optional_field("backoff");
  if (!at) return defaults;
  object_reader object{*at, "a backoff object"};
  backoff_policy policy;
  integer_field delay_ms{1, 3'600'000};
  policy.min = std::chrono::milliseconds{object.optional("min_ms", delay_ms, defaults.min.count())};
  policy.max = std::chrono::milliseconds{object.optional("max_ms", delay_ms, defaults.max.count())};
  policy.factor = object.optional("factor", decimal_field{"1"_d, "100"_d}, defaults.factor);
  policy.jitter = object.optional("jitter", decimal_field{"0"_d, "1"_d}, defaults.jitter);
  object.finish();
  if (policy.max < policy.min)
    parent.context().error(object.is_object() && object.has("max_ms") ? object.pointer_to("max_ms") : object.pointer(),
                           "max_ms (" + std::to_string(policy.max.count()) + ") is less than min_ms (" +
                               std::to_string(policy.min.count()) + ")");
  return policy;
}

} // namespace

supervision_policy read_supervision(object_reader& parent, const supervision_policy& defaults) {
  auto at = parent.optional_field("supervision");
  if (!at) return defaults;
  object_reader object{*at, "a supervision object"};
  supervision_policy policy;
  policy.strategy = object.optional("restart_strategy",
                                    choice_field<restart_strategy>{restart_strategies, "restart strategy"},
                                    defaults.strategy);
  policy.max_restarts = static_cast<int>(object.optional("max_restarts", integer_field{0, 1000},
                                                         std::int64_t{defaults.max_restarts}));
  policy.within = std::chrono::seconds{object.optional("within_seconds", integer_field{1, 86'400},
                                                       std::int64_t{defaults.within.count()})};
  policy.backoff = read_backoff(object, defaults.backoff);
  object.finish();
  return policy;
}

void read_ops(object_reader& root, read_state& state) {
  ops_config& ops = state.result.ops;
  auto at = root.optional_field("ops");
  if (!at) {
    if (!state.result.nodes.empty()) ops.node = state.result.nodes.front().name;
    return;
  }
  object_reader object{*at, "an ops object"};
  ops.enabled = object.optional("enabled", bool_field{}, ops.enabled);
  if (!object.has("node") && !state.result.nodes.empty()) {
    (void)object.optional_field("node");
    ops.node = state.result.nodes.front().name;  // the first node hosts it unless told otherwise
  } else {
    ops.node = read_node_reference(object, state);
  }
  ops.host = object.optional("host", string_field{}, ops.host);
  ops.port = static_cast<std::uint16_t>(object.optional("port", integer_field{1, 65535}, std::int64_t{ops.port}));
  ops.control_enabled = object.optional("control_enabled", bool_field{}, false);
  if (auto variable = object.optional("control_token_env", env_name_field{}))
    ops.control_token = env_secret{*variable, object.pointer_to("control_token_env")};
  object.finish();
  if (ops.control_enabled && !object.has("control_token_env"))
    root.context().error(object.pointer_to("control_enabled"),
                         "control endpoints need a token: set \"control_token_env\" to the name of an environment "
                         "variable holding it");
  const node_config* node = state.result.find_node(ops.node);
  if (ops.enabled && node != nullptr && node->port == ops.port)
    root.context().error(object.pointer_to("port"), "ops port " + std::to_string(ops.port) +
                                                        " is also the port of node " + quote(node->name));
}

void read_cluster(object_reader& root, read_state& state) {
  cluster_config& cluster = state.result.cluster;
  if (auto at = root.optional_field("cluster")) {
    object_reader object{*at, "a cluster object"};
    cluster.allow_plaintext = object.optional("allow_plaintext", bool_field{}, false);
    auto millis = [&](const char* key, std::chrono::milliseconds fallback, std::int64_t min) {
      return std::chrono::milliseconds{
          object.optional(key, integer_field{min, 3'600'000}, std::int64_t{fallback.count()})};
    };
    cluster.heartbeat = millis("heartbeat_ms", cluster.heartbeat, 10);
    cluster.connection_timeout = millis("connection_timeout_ms", cluster.connection_timeout, 20);
    cluster.ping_interval = millis("ping_interval_ms", cluster.ping_interval, 10);
    cluster.reconnect_min = millis("reconnect_min_ms", cluster.reconnect_min, 10);
    cluster.reconnect_max = millis("reconnect_max_ms", cluster.reconnect_max, 10);
    cluster.lookup_timeout = millis("lookup_timeout_ms", cluster.lookup_timeout, 10);
    object.finish();
    if (cluster.connection_timeout <= cluster.heartbeat)
      root.context().error(object.pointer_to("connection_timeout_ms"),
                           "the connection timeout must be longer than the heartbeat, or every link drops");
  }
  // Checked once the rest reads cleanly: a deployment rule, reported after the file's own errors.
  if (state.result.nodes.size() < 2 || cluster.allow_plaintext || root.context().error_count() > 0) return;
  for (std::size_t i = 0; i < state.result.nodes.size(); ++i)
    if (!state.result.nodes[i].tls)
      root.context().error("/nodes/" + std::to_string(i),
                           "node " + quote(state.result.nodes[i].name) +
                               " has no \"tls\" {\"ca\", \"cert\", \"key\"}: links between nodes are mutual "
                               "TLS (create certificates with `tern certs init`), or set "
                               "\"cluster\": {\"allow_plaintext\": true} for local development only");
}

void read_logging(object_reader& root, read_state& state) {
  logging_config& logging = state.result.logging;
  auto at = root.optional_field("logging");
  if (!at) return;
  object_reader object{*at, "a logging object"};
  logging.level = object.optional("level", choice_field<log_level>{log_levels, "log level"}, logging.level);
  logging.console = object.optional("console", bool_field{}, logging.console);
  if (auto file = object.optional("file", string_field{})) logging.file = resolve_path(state, *file);
  object.finish();
}

} // namespace tern::config::detail
