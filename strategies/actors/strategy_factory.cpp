#include "strategies/actors/strategy_factory.hpp"

#include <type_traits>
#include <variant>

#include "strategies/arbitrage.hpp"
#include "strategies/market_making.hpp"
#include "strategies/xemm.hpp"

namespace tern::strategy_actors {
namespace {

expected<market_need, std::string> need_of(const config::market_ref& ref) {
  auto pair = trading_pair::parse(ref.market);
  if (!pair)
    return unexpected{"market '" + ref.market + "' of exchange '" + ref.exchange +
                      "' is not a trading pair"};
  return market_need{strategies::market_id{ref.exchange, std::move(*pair)}, ref.fees};
}

std::vector<const config::market_ref*> refs_of(const config::strategy_params& params) {
  return std::visit(
      [](const auto& p) -> std::vector<const config::market_ref*> {
        using params_type = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<params_type, config::arbitrage_params>) {
          std::vector<const config::market_ref*> out;
          for (const auto& market : p.markets)
            out.push_back(&market);
          return out;
        } else if constexpr (std::is_same_v<params_type, config::market_making_params>) {
          return {&p.market};
        } else {
          return {&p.maker, &p.taker};
        }
      },
      params);
}

strategies::leg_failure_policy policy_of(config::leg_failure_action action) {
  switch (action) {
    case config::leg_failure_action::hedge: return strategies::leg_failure_policy::hedge;
    case config::leg_failure_action::retry: return strategies::leg_failure_policy::retry;
    case config::leg_failure_action::unwind: break;
  }
  return strategies::leg_failure_policy::unwind;
}

strategies::arbitrage_params arbitrage_of(const config::arbitrage_params& p) {
  strategies::arbitrage_params out;
  out.min_profitability = p.min_profitability;
  out.order_amount = p.order_amount;
  out.leg_type = p.leg_order_type;
  out.on_leg_failure = policy_of(p.on_leg_failure);
  out.max_retries = p.max_retries;
  out.cooldown = p.cooldown;
  return out;
}

strategies::market_making_params market_making_of(const config::market_making_params& p) {
  strategies::market_making_params out;
  out.order_amount = p.order_amount;
  out.bid_spread = p.bid_spread;
  out.ask_spread = p.ask_spread;
  out.minimum_spread = p.minimum_spread;
  out.order_refresh_time = p.order_refresh_time;
  out.order_refresh_tolerance = p.order_refresh_tolerance;
  out.order_levels = p.order_levels;
  out.order_level_spread = p.order_level_spread;
  out.order_level_amount = p.order_level_amount;
  out.inventory_skew_enabled = p.inventory_skew_enabled;
  out.inventory_target_base_pct = p.inventory_target_base_pct;
  out.inventory_range_multiplier = p.inventory_range_multiplier;
  out.filled_order_delay = p.filled_order_delay;
  out.hanging_orders_enabled = p.hanging_orders_enabled;
  out.hanging_orders_cancel_pct = p.hanging_orders_cancel_pct;
  return out;
}

strategies::xemm_params xemm_of(const config::xemm_params& p) {
  strategies::xemm_params out;
  out.order_amount = p.order_amount;
  out.min_profitability = p.min_profitability;
  out.adjust_order_enabled = p.adjust_order_enabled;
  out.anti_hysteresis = p.anti_hysteresis;
  out.max_hedge_retries = p.max_hedge_retries;
  return out;
}

} // namespace

expected<std::vector<market_need>, std::string> markets_of(const config::strategy_config& config) {
  std::vector<market_need> out;
  for (const auto* ref : refs_of(config.params)) {
    auto need = need_of(*ref);
    if (!need)
      return unexpected{"strategy '" + config.name + "': " + need.error()};
    out.push_back(std::move(*need));
  }
  return out;
}

expected<std::unique_ptr<strategies::strategy>, std::string> make_strategy(
    const config::strategy_config& config, const std::map<std::string, trading_rules>& rules,
    const std::string& client_id_prefix) {
  auto needs = markets_of(config);
  if (!needs)
    return unexpected{needs.error()};
  std::vector<strategies::market_info> markets;
  for (const auto& need : *needs) {
    auto found = rules.find(need.id.to_string());
    if (found == rules.end())
      return unexpected{"strategy '" + config.name + "': no trading rules for " +
                        need.id.to_string()};
    markets.push_back({need.id, found->second, need.fees.maker, need.fees.taker});
  }
  strategies::common_params common;
  common.name = config.name;
  common.client_id_prefix = client_id_prefix;
  common.kill_switch_loss = config.kill_switch_loss;
  return std::visit(
      [&](const auto& p) -> std::unique_ptr<strategies::strategy> {
        using params_type = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<params_type, config::arbitrage_params>)
          return std::make_unique<strategies::arbitrage>(common, arbitrage_of(p), markets);
        else if constexpr (std::is_same_v<params_type, config::market_making_params>)
          return std::make_unique<strategies::market_making>(common, market_making_of(p),
                                                             markets.front());
        else
          return std::make_unique<strategies::xemm>(common, xemm_of(p), markets[0], markets[1]);
      },
      config.params);
}

} // namespace tern::strategy_actors
