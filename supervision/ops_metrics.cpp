// The metric families of the node's peer links and its strategies. Labels stay bounded: node
// and strategy names come from the topology, exchanges from its accounts; never order ids or
// prices. P&L is a gauge in the strategy's P&L asset, rendered through to_double (metrics are
// for charts and alerts; the exact figure is in /strategies).

#include <utility>

#include "supervision/metrics.hpp"

namespace tern::supervision {
namespace {

using labels = std::vector<std::pair<std::string, std::string>>;

double seconds(timestamp time) {
  return static_cast<double>(to_unix_ms(time)) / 1000.0;
}

} // namespace

std::vector<metric_family> node_link_metrics(const board_snapshot& snapshot) {
  if (!snapshot.nodes)
    return {};
  metric_family state{"tern_node_link_state",
                      "1 for the state of the link to the peer node, 0 for the others.",
                      metric_type::gauge, {}};
  metric_family latency{"tern_node_link_latency_seconds",
                        "Last measured round trip to the peer node.", metric_type::gauge, {}};
  metric_family loss{"tern_node_link_last_loss_timestamp_seconds",
                     "Unix time the link to the peer node was last lost.", metric_type::gauge, {}};
  metric_family losses{"tern_node_link_losses_total",
                       "Links to the peer node lost since this node started.",
                       metric_type::counter, {}};
  for (const auto& link : *snapshot.nodes) {
    for (const auto s : all_link_states)
      state.samples.push_back({{{"node", link.name}, {"state", std::string{to_string(s)}}},
                               s == link.state ? 1.0 : 0.0});
    if (link.latency_us)
      latency.samples.push_back({{{"node", link.name}}, static_cast<double>(*link.latency_us) / 1e6});
    if (link.last_loss)
      loss.samples.push_back({{{"node", link.name}}, seconds(*link.last_loss)});
    losses.samples.push_back({{{"node", link.name}}, static_cast<double>(link.losses)});
  }
  return {std::move(state), std::move(latency), std::move(loss), std::move(losses)};
}

std::vector<metric_family> strategy_metrics(const strategy_board_snapshot& snapshot) {
  metric_family state{"tern_strategy_state", "1 for the state the strategy is in, 0 for the others.",
                      metric_type::gauge, {}};
  metric_family pnl{"tern_strategy_pnl",
                    "Realised profit and loss per exchange, in the strategy's P&L asset.",
                    metric_type::gauge, {}};
  metric_family opportunities{"tern_strategy_opportunities_total",
                              "Profitable opportunities the strategy has seen.",
                              metric_type::counter, {}};
  metric_family orders{"tern_strategy_orders_total", "Orders the strategy has placed.",
                       metric_type::counter, {}};
  metric_family fills{"tern_strategy_fills_total", "Fills of the strategy's orders.",
                      metric_type::counter, {}};
  metric_family open{"tern_strategy_open_orders", "Orders of the strategy resting or in flight.",
                     metric_type::gauge, {}};
  metric_family kills{"tern_kill_switch_invocations_total",
                      "Times the kill switch was pulled (by an operator or a loss limit).",
                      metric_type::counter, {{{}, static_cast<double>(snapshot.kill_switch.invocations)}}};
  for (const auto& entry : snapshot.strategies) {
    const auto& status = entry.status;
    const labels who{{"strategy", status.name}};
    for (const auto s : all_strategy_states)
      state.samples.push_back({{{"strategy", status.name}, {"state", std::string{to_string(s)}}},
                               s == status.state ? 1.0 : 0.0});
    for (const auto& per : status.pnl_by_exchange)
      pnl.samples.push_back({{{"strategy", status.name}, {"exchange", per.exchange}},
                             per.realised.to_double()});
    opportunities.samples.push_back({who, static_cast<double>(status.counters.opportunities)});
    orders.samples.push_back({who, static_cast<double>(status.counters.orders_placed)});
    fills.samples.push_back({who, static_cast<double>(status.counters.fills)});
    open.samples.push_back({who, static_cast<double>(status.open_orders.size())});
  }
  return {std::move(state),  std::move(pnl),  std::move(opportunities), std::move(orders),
          std::move(fills), std::move(open), std::move(kills)};
}

} // namespace tern::supervision
