// The strategy and node-link sections of `tern status` (the tree itself is status_text.cpp).

#include <algorithm>

#include "supervision/health_json.hpp"
#include "supervision/status_text.hpp"

namespace tern::supervision {
namespace {

constexpr const char* reset = "\033[0m";

const char* colour_of(strategy_state state) {
  switch (state) {
    case strategy_state::running: return "\033[32m";
    case strategy_state::degraded: return "\033[33m";
    case strategy_state::stopped: return "\033[90m";
    case strategy_state::killed: return "\033[1;31m";
  }
  return "";
}

const char* colour_of(link_state state) {
  switch (state) {
    case link_state::connected: return "\033[32m";
    case link_state::connecting: return "\033[36m";
    case link_state::lost: return "\033[35m";
    case link_state::refused: return "\033[1;31m";
  }
  return "";
}

template <class State>
std::string painted(State state, const std::string& reason, bool colour) {
  auto text = std::string{to_string(state)};
  if (!reason.empty())
    text += ": " + reason;
  return colour ? colour_of(state) + text + reset : text;
}

std::string clock_time(timestamp time) {
  return format_utc(time).substr(11, 12); // "22:13:01.023"
}

std::string kill_switch_line(const kill_switch_status& status) {
  std::string out = status.armed ? "kill switch armed" : "kill switch not armed";
  if (status.running)
    return out + ", running";
  if (!status.last)
    return out + ", not pulled";
  const auto& last = *status.last;
  out += ", pulled " + clock_time(last.requested_at) + " by " + last.request.source;
  if (last.result)
    out += std::string{last.result->ok ? ": ok" : ": incomplete"}
           + (last.result->detail.empty() ? "" : ", " + last.result->detail);
  return out;
}

std::string pnl_line(const strategy_status& status) {
  std::string out = "P&L " + total_pnl(status).to_string();
  if (!status.pnl_asset.empty())
    out += " " + status.pnl_asset;
  if (!status.pnl_by_exchange.empty()) {
    out += " (";
    for (std::size_t i = 0; i < status.pnl_by_exchange.size(); ++i)
      out += (i > 0 ? ", " : "") + status.pnl_by_exchange[i].exchange + " "
             + status.pnl_by_exchange[i].realised.to_string();
    out += ")";
  }
  return out;
}

std::string balances_line(const strategy_status& status) {
  std::string out;
  for (const auto& b : status.balances)
    out += (out.empty() ? "" : ", ") + b.exchange + " " + b.asset + " " + b.total.to_string()
           + " (" + b.available.to_string() + " free)";
  return out;
}

} // namespace

std::string render_strategies_text(const strategies_document& document, const status_style& style) {
  if (document.strategies.empty())
    return {};
  std::size_t width = 0;
  for (const auto& entry : document.strategies)
    width = std::max(width, entry.status.name.size());
  const std::string indent(width + 2, ' ');
  std::string out = "strategies  (" + kill_switch_line(document.kill_switch) + ")\n";
  for (const auto& entry : document.strategies) {
    const auto& status = entry.status;
    out += status.name + std::string(width - status.name.size() + 2, ' ') + status.kind + "  "
           + painted(status.state, status.reason, style.colour) + "  " + pnl_line(status) + "\n";
    out += indent + "opportunities " + std::to_string(status.counters.opportunities) + "  orders "
           + std::to_string(status.counters.orders_placed) + "  fills "
           + std::to_string(status.counters.fills) + "  open orders "
           + std::to_string(status.open_orders.size()) + "\n";
    if (const auto balances = balances_line(status); !balances.empty())
      out += indent + "balances " + balances + "\n";
  }
  return out;
}

std::string render_nodes_text(const std::vector<node_link>& links, const status_style& style) {
  if (links.empty())
    return {};
  std::size_t name_width = 0;
  std::size_t address_width = 0;
  for (const auto& link : links) {
    name_width = std::max(name_width, link.name.size());
    address_width = std::max(address_width, link.address.size());
  }
  std::string out = "nodes\n";
  for (const auto& link : links) {
    out += link.name + std::string(name_width - link.name.size() + 2, ' ') + link.address
           + std::string(address_width - link.address.size() + 2, ' ')
           + painted(link.state, link.reason, style.colour);
    if (link.latency_us)
      out += "  latency " + std::to_string(*link.latency_us) + " us";
    if (link.last_loss)
      out += "  last loss " + clock_time(*link.last_loss);
    out += "\n";
  }
  return out;
}

} // namespace tern::supervision
