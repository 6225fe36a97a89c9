#include "supervision/node_tree.hpp"

#include <utility>

namespace tern::supervision {
namespace {

tree_plan worker(std::string name, std::string component,
                 std::map<std::string, std::string> settings) {
  tree_plan plan;
  plan.name = std::move(name);
  plan.component = std::move(component);
  plan.settings = std::move(settings);
  return plan;
}

tree_plan supervisor(std::string name, const config::supervision_policy& policy) {
  tree_plan plan;
  plan.name = std::move(name);
  plan.policy = to_policy(policy);
  return plan;
}

tree_plan exchange_plan(const config::exchange_config& exchange) {
  // Start order matters under rest_for_one: rules and the clock first (everything needs
  // them), then the public stream and its books, then the private stream, the tracker that
  // consumes it, and the exchange API that strategies call, which needs all of them.
  auto plan = supervisor(exchange.name, exchange.supervision);
  const std::map<std::string, std::string> account{{"exchange", exchange.name}};
  plan.children.push_back(worker("services", "services", account));
  plan.children.push_back(worker("connection", "connection", account));
  for (const auto& market : exchange.markets)
    plan.children.push_back(
        worker("book." + market, "order_book", {{"exchange", exchange.name}, {"market", market}}));
  if (exchange.credentials) {
    plan.children.push_back(worker("user_stream", "user_stream", account));
    plan.children.push_back(worker("orders", "order_tracker", account));
    plan.children.push_back(worker("exchange", "exchange", account));
  }
  return plan;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names)
    out += (out.empty() ? "" : ", ") + name;
  return out;
}

supervisor_spec build(const tree_plan& plan, const component_registry& components,
                      const std::string& path, std::vector<std::string>& unavailable) {
  supervisor_spec spec;
  spec.name = plan.name;
  spec.policy = plan.policy;
  std::vector<std::string> missing;
  for (const auto& child : plan.children) {
    const auto child_path = path + "/" + child.name;
    if (child.is_supervisor()) {
      spec.children.push_back(
          supervisor_child(build(child, components, child_path, unavailable), child.restart));
      continue;
    }
    const auto component = components.find(child.component);
    if (component == components.end()) {
      missing.push_back(child.name + " (" + child.component + ")");
      unavailable.push_back(child_path);
      continue;
    }
    auto built = component->second(child);
    built.name = child.name;
    built.restart = child.restart;
    spec.children.push_back(std::move(built));
  }
  if (!missing.empty())
    spec.impaired_reason = "not in this build: " + join(missing);
  return spec;
}

} // namespace

supervisor_policy to_policy(const config::supervision_policy& policy) {
  supervisor_policy out;
  switch (policy.strategy) {
    case config::restart_strategy::one_for_one: out.strategy = restart_strategy::one_for_one; break;
    case config::restart_strategy::one_for_all: out.strategy = restart_strategy::one_for_all; break;
    case config::restart_strategy::rest_for_one:
      out.strategy = restart_strategy::rest_for_one;
      break;
  }
  out.max_restarts = static_cast<std::size_t>(policy.max_restarts < 0 ? 0 : policy.max_restarts);
  out.within = policy.within;
  out.backoff.min = policy.backoff.min;
  out.backoff.max = policy.backoff.max;
  // Curve shape only: doubles are fine here (no money), and config bounds the values.
  out.backoff.factor = policy.backoff.factor.to_double();
  out.backoff.jitter = policy.backoff.jitter.to_double();
  return out;
}

expected<tree_plan, std::string> plan_node_tree(const config::topology& topology,
                                                std::string_view node) {
  if (topology.find_node(node) == nullptr) {
    std::vector<std::string> names;
    for (const auto& known : topology.nodes)
      names.push_back("'" + known.name + "'");
    return unexpected{"no node named '" + std::string{node} + "' in the topology (it has "
                      + join(names) + ")"};
  }
  auto root = supervisor(std::string{node}, topology.supervision);
  for (const auto& exchange : topology.exchanges)
    if (exchange.node == node)
      root.children.push_back(exchange_plan(exchange));
  auto strategies = supervisor("strategies", topology.supervision);
  for (const auto& strategy : topology.strategies) {
    if (strategy.node != node)
      continue;
    auto group = supervisor(strategy.name, strategy.supervision);
    group.children.push_back(worker(strategy.kind, strategy.kind, {{"strategy", strategy.name}}));
    strategies.children.push_back(std::move(group));
  }
  if (!strategies.children.empty())
    root.children.push_back(std::move(strategies));
  return root;
}

built_tree build_tree(const tree_plan& plan, const component_registry& components) {
  built_tree out;
  out.root = build(plan, components, plan.name, out.unavailable);
  return out;
}

} // namespace tern::supervision
