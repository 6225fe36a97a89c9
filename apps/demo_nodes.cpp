#include "apps/demo_nodes.hpp"

#include <utility>

#include "cluster/certs.hpp"

namespace tern::apps {
namespace {

constexpr std::chrono::seconds ready_timeout{60};

/// The folder of the topology's TLS files, when they follow `tern certs init`'s layout.
expected<std::filesystem::path, std::string> certificate_folder(const config::topology& topology) {
  std::filesystem::path folder;
  for (const auto& node : topology.nodes) {
    if (!node.tls)
      return unexpected{"node '" + node.name + "' has no \"tls\" files"};
    const auto here = node.tls->cert.parent_path();
    if (folder.empty())
      folder = here;
    if (here != folder || node.tls->ca != folder / "ca.pem"
        || node.tls->cert != folder / (node.name + ".pem")
        || node.tls->key != folder / (node.name + ".key"))
      return unexpected{"node '" + node.name + "': its \"tls\" files are not ca.pem, " + node.name
                        + ".pem and " + node.name + ".key in one folder; create them yourself "
                          "(docs/deployment.md)"};
  }
  return folder;
}

} // namespace

expected<ready_child, std::string> start_ready_child(
    const std::string& command, const std::filesystem::path& config, const std::filesystem::path& folder,
    const std::string& log_name, const std::vector<std::string>& extra, const std::string& ready_prefix,
    std::chrono::milliseconds timeout, signal_watch& signals) {
  const auto log = folder / (log_name + ".log");
  std::vector<std::string> arguments{self_executable().string(), command, "--config", config.string()};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  auto child = child_process::start(arguments, folder, log);
  if (!child)
    return unexpected{child.error()};
  auto line = child->wait_for_line(ready_prefix, timeout, signals);
  if (!line)
    return unexpected{"`tern " + command + "` (" + log_name + ") did not get ready; its log: "
                      + log.string()};
  return ready_child{std::move(*child), std::move(*line)};
}

expected<void, std::string> ensure_demo_certificates(const config::topology& topology) {
  bool all = true;
  bool none = true;
  for (const auto& node : topology.nodes)
    if (node.tls)
      for (const auto* file : {&node.tls->ca, &node.tls->cert, &node.tls->key}) {
        std::error_code ec;
        const bool there = std::filesystem::exists(*file, ec);
        all = all && there;
        none = none && !there;
      }
  if (all)
    return {};
  auto folder = certificate_folder(topology);
  if (!folder)
    return unexpected{folder.error()};
  if (!none)
    return unexpected{"some of the nodes' TLS files in " + folder->string()
                      + " exist and others not; remove the folder or complete it"};
  cluster::cert_request request;
  request.folder = *folder;
  request.days = 30;
  for (const auto& node : topology.nodes)
    request.nodes.push_back({node.name, node.host});
  std::error_code ec;
  std::filesystem::create_directories(*folder, ec);
  auto written = cluster::create_certificates(request);
  if (!written)
    return unexpected{written.error()};
  return {};
}

expected<demo_nodes, std::string> demo_nodes::start(const config::topology& topology,
                                                     const std::filesystem::path& config,
                                                     bool distributed, signal_watch& signals) {
  const auto folder = config.parent_path();
  demo_nodes out;
  if (!distributed) {
    auto run = start_ready_child("run", config, folder, "run", {}, "ops: ", ready_timeout, signals);
    if (!run)
      return unexpected{run.error()};
    out.ops_url_ = run->line;
    out.children_.push_back({"run", std::move(run->process)});
    return out;
  }
  if (!topology.ops.enabled || topology.find_node(topology.ops.node) == nullptr)
    return unexpected{std::string{"the distributed demo reads the strategies from the ops "
                                  "endpoint: give \"ops\": {\"node\": NAME}"}};
  if (auto certs = ensure_demo_certificates(topology); !certs)
    return unexpected{certs.error()};
  // The ops node last: its strategies find the exchange nodes already listening.
  std::vector<const config::node_config*> order;
  for (const auto& node : topology.nodes)
    if (node.name != topology.ops.node)
      order.push_back(&node);
  order.push_back(topology.find_node(topology.ops.node));
  for (const auto* node : order) {
    auto started = start_ready_child("node", config, folder, node->name, {"--name", node->name},
                                     "node: " + node->name + " listening", ready_timeout, signals);
    if (!started)
      return unexpected{started.error()};
    out.children_.push_back({node->name, std::move(started->process)});
  }
  auto ops = out.children_.back().process.wait_for_line("ops: ", ready_timeout, signals);
  if (!ops)
    return unexpected{"node '" + topology.ops.node + "' serves no ops endpoint; its log: "
                      + out.children_.back().process.log().string()};
  out.ops_url_ = *ops;
  return out;
}

std::string demo_nodes::which_ended() {
  for (auto& child : children_)
    if (!child.process.running())
      return child.name == "run" ? "the node ended" : "the node '" + child.name + "' ended";
  return {};
}

void demo_nodes::stop() {
  for (auto it = children_.rbegin(); it != children_.rend(); ++it)
    it->process.stop();
}

std::string demo_nodes::log_names() const {
  std::string out;
  for (const auto& child : children_)
    out += (out.empty() ? "" : ", ") + child.name + ".log";
  return out;
}

} // namespace tern::apps
