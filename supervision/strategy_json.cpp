#include "supervision/strategy_json.hpp"

#include <nlohmann/json.hpp>

#include "supervision/health_json.hpp"
#include "supervision/json_parts.hpp"

namespace tern::supervision {
namespace {

using json = nlohmann::json;
using json_parts::decimal_field;

json optional_decimal(const std::optional<decimal>& value) {
  return value ? json(value->to_string()) : json(nullptr);
}

json fill_to_json(const fill_view& fill) {
  return json{{"time", format_utc(fill.time)},
              {"unix_ms", to_unix_ms(fill.time)},
              {"exchange", fill.exchange},
              {"market", fill.market},
              {"client_order_id", fill.client_order_id},
              {"side", std::string{to_string(fill.order_side)}},
              {"price", fill.price.to_string()},
              {"amount", fill.amount.to_string()},
              {"fee", fill.fee.to_string()},
              {"fee_asset", fill.fee_asset}};
}

json series_to_json(const std::vector<pnl_point>& series, std::optional<timestamp> since) {
  auto out = json::array();
  for (const auto& point : series)
    if (!since || point.time > *since)
      out.push_back(json{{"unix_ms", to_unix_ms(point.time)}, {"total", point.total.to_string()}});
  return out;
}

json status_parts(const strategy_status& status) {
  auto by_exchange = json::array();
  for (const auto& entry : status.pnl_by_exchange)
    by_exchange.push_back({{"exchange", entry.exchange}, {"realised", entry.realised.to_string()}});
  auto balances = json::array();
  for (const auto& b : status.balances)
    balances.push_back({{"exchange", b.exchange}, {"asset", b.asset},
                        {"total", b.total.to_string()}, {"available", b.available.to_string()}});
  auto orders = json::array();
  for (const auto& o : status.open_orders)
    orders.push_back({{"exchange", o.exchange}, {"market", o.market},
                      {"client_order_id", o.client_order_id},
                      {"side", std::string{to_string(o.order_side)}},
                      {"price", o.price.to_string()}, {"amount", o.amount.to_string()},
                      {"filled", o.filled.to_string()}});
  auto tops = json::array();
  for (const auto& t : status.tops)
    tops.push_back({{"exchange", t.exchange}, {"market", t.market},
                    {"bid_price", optional_decimal(t.bid_price)},
                    {"bid_size", t.bid_size.to_string()},
                    {"ask_price", optional_decimal(t.ask_price)},
                    {"ask_size", t.ask_size.to_string()},
                    {"updated_at_unix_ms", to_unix_ms(t.updated_at)}});
  return json{{"counters", {{"opportunities", status.counters.opportunities},
                            {"orders_placed", status.counters.orders_placed},
                            {"fills", status.counters.fills}}},
              {"pnl", {{"asset", status.pnl_asset},
                       {"total", total_pnl(status).to_string()},
                       {"by_exchange", std::move(by_exchange)}}},
              {"balances", std::move(balances)},
              {"open_orders", std::move(orders)},
              {"top_of_book", std::move(tops)}};
}

json strategy_to_json(const strategy_snapshot& snapshot) {
  const auto& status = snapshot.status;
  json out{{"name", status.name},
           {"kind", status.kind},
           {"state", std::string{to_string(status.state)}},
           {"reason", status.reason},
           {"updated_at", format_utc(snapshot.updated_at)},
           {"updated_at_unix_ms", to_unix_ms(snapshot.updated_at)}};
  out.update(status_parts(status));
  auto fills = json::array();
  for (const auto& fill : snapshot.recent_fills)
    fills.push_back(fill_to_json(fill));
  out["recent_fills"] = std::move(fills);
  out["pnl_series"] = series_to_json(snapshot.pnl_series, std::nullopt);
  return out;
}

json document_head(const strategy_board_snapshot& snapshot, timestamp now) {
  return json{{"generated_at", format_utc(now)},
              {"generated_at_unix_ms", to_unix_ms(now)},
              {"kill_switch", json_parts::kill_switch_to_json(snapshot.kill_switch)}};
}

} // namespace

std::string render_strategies_json(const strategy_board_snapshot& snapshot, timestamp now) {
  auto out = document_head(snapshot, now);
  auto strategies = json::array();
  for (const auto& strategy : snapshot.strategies)
    strategies.push_back(strategy_to_json(strategy));
  out["strategies"] = std::move(strategies);
  return out.dump();
}

std::string render_pnl_json(const strategy_board_snapshot& snapshot, timestamp now,
                            std::string_view strategy, std::optional<timestamp> since) {
  auto out = document_head(snapshot, now);
  auto strategies = json::array();
  for (const auto& entry : snapshot.strategies)
    if (strategy.empty() || entry.status.name == strategy)
      strategies.push_back({{"name", entry.status.name},
                            {"pnl_asset", entry.status.pnl_asset},
                            {"pnl_series", series_to_json(entry.pnl_series, since)}});
  out["strategies"] = std::move(strategies);
  return out.dump();
}

} // namespace tern::supervision
