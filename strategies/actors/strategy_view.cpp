// What a strategy actor keeps across restarts, and how its status reads on the dashboard.

#include <utility>
#include <vector>

#include "strategies/actors/strategy_actor.hpp"

namespace tern::strategy_actors {

void strategy_memory::remember(const std::string& account, const std::string& client_order_id) {
  std::lock_guard lock{mutex_};
  orders_.emplace(account, client_order_id);
}

void strategy_memory::forget(const std::string& account, const std::string& client_order_id) {
  std::lock_guard lock{mutex_};
  orders_.erase({account, client_order_id});
}

bool strategy_memory::placed(const std::string& account, const std::string& client_order_id) const {
  std::lock_guard lock{mutex_};
  return orders_.count({account, client_order_id}) > 0;
}

void strategy_memory::remember_pending(pending_placement placement) {
  std::lock_guard lock{mutex_};
  pending_.push_back(std::move(placement));
}

void strategy_memory::forget_pending(const std::string& id) {
  std::lock_guard lock{mutex_};
  std::erase_if(pending_, [&](const pending_placement& placement) { return placement.id == id; });
}

std::vector<pending_placement> strategy_memory::pending() const {
  std::lock_guard lock{mutex_};
  return pending_;
}

void strategy_memory::set_stopped(std::string reason) {
  std::lock_guard lock{mutex_};
  stopped_ = reason.empty() ? std::string{"stopped"} : std::move(reason);
}

std::string strategy_memory::stopped() const {
  std::lock_guard lock{mutex_};
  return stopped_;
}

supervision::strategy_status to_board_status(const strategies::strategy_status& status,
                                             bool degraded, std::string reason) {
  supervision::strategy_status out;
  out.name = status.name;
  out.kind = status.kind;
  if (!status.running) {
    out.state = supervision::strategy_state::killed;
    out.reason = status.stop_reason;
  } else if (degraded) {
    out.state = supervision::strategy_state::degraded;
    out.reason = std::move(reason);
  }
  out.counters.opportunities = status.opportunities_seen;
  out.counters.orders_placed = status.orders_placed;
  out.counters.fills = status.fills;
  for (const auto& [account, figures] : status.accounts)
    out.pnl_by_exchange.push_back({account, figures.pnl});
  for (const auto& order : status.open_orders)
    out.open_orders.push_back({order.market.account, order.market.pair.to_string(), order.client_id,
                               order.order_side, order.price, order.amount, order.filled});
  return out;
}

} // namespace tern::strategy_actors
