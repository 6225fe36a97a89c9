// Binance USD-M futures account endpoints: account (v2), balance (v2), positionRisk (v2) and the
// income history. The simulated margin model has no maintenance margin and no liquidation
// (docs/simulator.md), so those fields are zero; positions report as cross margin.

#include <algorithm>

#include <nlohmann/json.hpp>

#include "sim/binance/usdm_dialect.hpp"

namespace tern::sim::binance {

namespace {

using json = nlohmann::ordered_json;

/// Every position of `account` in `engine`, flat sides included as Binance lists them: BOTH in
/// one-way mode, LONG and SHORT in hedge mode.
std::vector<position_view> all_positions(const matching_engine& engine, account_id account, position_mode mode) {
  std::vector<position_view> out = engine.positions(account);
  std::vector<position_side> sides = mode == position_mode::hedge
                                         ? std::vector<position_side>{position_side::long_side, position_side::short_side}
                                         : std::vector<position_side>{position_side::both};
  for (position_side s : sides) {
    if (std::none_of(out.begin(), out.end(), [&](const position_view& p) { return p.pos_side == s; })) {
      position_view flat;
      flat.pos_side = s;
      flat.leverage = engine.leverage(account);
      out.push_back(flat);
    }
  }
  return out;
}

} // namespace

void usdm_dialect::add_account_routes() {
  add_route({"GET", "/fapi/v2/account", security::signed_, weight(5), false,
             [this](call& current) { return account(current); }});
  add_route({"GET", "/fapi/v2/balance", security::signed_, weight(5), false,
             [this](call& current) { return balance(current); }});
  add_route({"GET", "/fapi/v2/positionRisk", security::signed_, weight(5), false,
             [this](call& current) { return position_risk(current); }});
  add_route({"GET", "/fapi/v1/income", security::signed_, weight(30), false,
             [this](call& current) { return income(current); }});
}

decimal usdm_dialect::unrealized(account_id account, std::string_view asset) {
  decimal total;
  for (const matching_engine* engine : state().venue.markets())
    if (engine->spec().quote == asset)
      for (const auto& p : engine->positions(account)) total += p.unrealized_pnl;
  return total;
}

expected<std::string, api_error> usdm_dialect::account(call& current) {
  account_id owner = current.account->account;
  std::int64_t now = to_unix_ms(current.now);
  json assets = json::array();
  decimal wallet_total, unrealized_total, free_total, locked_total, position_margin_total;
  for (const auto& [asset, held] : state().venue.accounts().balances(owner)) {
    decimal pnl = unrealized(owner, asset);
    decimal position_margin;
    for (const matching_engine* engine : state().venue.markets())
      if (engine->spec().quote == asset)
        for (const auto& p : engine->positions(owner)) position_margin += p.margin;
    assets.push_back({{"asset", asset}, {"walletBalance", fixed(held.total(), 8)},
                      {"unrealizedProfit", fixed(pnl, 8)}, {"marginBalance", fixed(held.total() + pnl, 8)},
                      {"maintMargin", fixed(decimal{}, 8)}, {"initialMargin", fixed(held.locked, 8)},
                      {"positionInitialMargin", fixed(position_margin, 8)},
                      {"openOrderInitialMargin", fixed(held.locked - position_margin, 8)},
                      {"crossWalletBalance", fixed(held.total(), 8)}, {"crossUnPnl", fixed(pnl, 8)},
                      {"availableBalance", fixed(held.free, 8)}, {"maxWithdrawAmount", fixed(held.free, 8)},
                      {"marginAvailable", true}, {"updateTime", now}});
    wallet_total += held.total();
    unrealized_total += pnl;
    free_total += held.free;
    locked_total += held.locked;
    position_margin_total += position_margin;
  }
  json positions = json::array();
  position_mode mode = state().venue.accounts().mode(owner);
  for (const matching_engine* engine : state().venue.markets())
    for (const auto& p : all_positions(*engine, owner, mode))
      positions.push_back({{"symbol", engine->spec().symbol}, {"initialMargin", fixed(p.margin, 8)},
                           {"maintMargin", "0"}, {"unrealizedProfit", fixed(p.unrealized_pnl, 8)},
                           {"positionInitialMargin", fixed(p.margin, 8)}, {"openOrderInitialMargin", "0"},
                           {"leverage", std::to_string(p.leverage)}, {"isolated", false},
                           {"entryPrice", p.entry_price.to_string()}, {"breakEvenPrice", p.entry_price.to_string()},
                           {"maxNotional", "1000000"}, {"bidNotional", "0"}, {"askNotional", "0"},
                           {"positionSide", position_side_name(p.pos_side)},
                           {"positionAmt", fixed(p.amount, places_of(engine->spec().step))}, {"updateTime", now}});
  json body = {{"feeTier", 0}, {"canTrade", true}, {"canDeposit", true}, {"canWithdraw", true},
               {"updateTime", 0}, {"multiAssetsMargin", false}, {"tradeGroupId", -1},
               {"totalInitialMargin", fixed(locked_total, 8)}, {"totalMaintMargin", fixed(decimal{}, 8)},
               {"totalWalletBalance", fixed(wallet_total, 8)}, {"totalUnrealizedProfit", fixed(unrealized_total, 8)},
               {"totalMarginBalance", fixed(wallet_total + unrealized_total, 8)},
               {"totalPositionInitialMargin", fixed(position_margin_total, 8)},
               {"totalOpenOrderInitialMargin", fixed(locked_total - position_margin_total, 8)},
               {"totalCrossWalletBalance", fixed(wallet_total, 8)}, {"totalCrossUnPnl", fixed(unrealized_total, 8)},
               {"availableBalance", fixed(free_total, 8)}, {"maxWithdrawAmount", fixed(free_total, 8)},
               {"assets", assets}, {"positions", positions}};
  return body.dump();
}

expected<std::string, api_error> usdm_dialect::balance(call& current) {
  account_id owner = current.account->account;
  json rows = json::array();
  for (const auto& [asset, held] : state().venue.accounts().balances(owner))
    rows.push_back({{"accountAlias", "SimTern"}, {"asset", asset}, {"balance", fixed(held.total(), 8)},
                    {"crossWalletBalance", fixed(held.total(), 8)}, {"crossUnPnl", fixed(unrealized(owner, asset), 8)},
                    {"availableBalance", fixed(held.free, 8)}, {"maxWithdrawAmount", fixed(held.free, 8)},
                    {"marginAvailable", true}, {"updateTime", to_unix_ms(current.now)}});
  return rows.dump();
}

expected<std::string, api_error> usdm_dialect::position_risk(call& current) {
  auto engines = markets_of(current.req);
  if (!engines) return unexpected{engines.error()};
  account_id owner = current.account->account;
  position_mode mode = state().venue.accounts().mode(owner);
  json rows = json::array();
  for (const matching_engine* engine : *engines) {
    const market_spec& spec = engine->spec();
    std::string mark = fixed(engine->mark_price(), places_of(spec.tick) + 2);
    for (const auto& p : all_positions(*engine, owner, mode))
      rows.push_back({{"entryPrice", p.entry_price.to_string()}, {"breakEvenPrice", p.entry_price.to_string()},
                      {"marginType", "cross"}, {"isAutoAddMargin", "false"}, {"isolatedMargin", fixed(decimal{}, 8)},
                      {"leverage", std::to_string(p.leverage)}, {"liquidationPrice", "0"}, {"markPrice", mark},
                      {"maxNotionalValue", "1000000"},
                      {"positionAmt", fixed(p.amount, places_of(spec.step))},
                      {"notional", fixed(decimal::multiply(p.amount, engine->mark_price(), rounding::half_even), 8)},
                      {"isolatedWallet", "0"}, {"symbol", spec.symbol},
                      {"unRealizedProfit", fixed(p.unrealized_pnl, 8)},
                      {"positionSide", position_side_name(p.pos_side)}, {"updateTime", to_unix_ms(current.now)}});
  }
  return rows.dump();
}

expected<std::string, api_error> usdm_dialect::income(call& current) {
  auto start = optional_integer(current.req, "startTime");
  auto end = optional_integer(current.req, "endTime");
  auto limit = optional_integer(current.req, "limit");
  for (const auto* r : {&start, &end, &limit})
    if (!*r) return unexpected{r->error()};
  const std::string* symbol = current.req.params.find("symbol");
  const std::string* type = current.req.params.find("incomeType");
  auto most = static_cast<std::size_t>(std::clamp<std::int64_t>(limit->value_or(100), 1, 1000));
  json rows = json::array();
  auto found = income_.find(current.account->account);
  if (found == income_.end()) return rows.dump();
  for (const auto& row : found->second) {
    std::int64_t time = to_unix_ms(row.time);
    if ((symbol != nullptr && row.symbol != *symbol) || (type != nullptr && row.type != *type) ||
        (*start && time < **start) || (*end && time > **end))
      continue;
    if (rows.size() == most) break;
    rows.push_back({{"symbol", row.symbol}, {"incomeType", row.type}, {"income", fixed(row.amount, 8)},
                    {"asset", row.asset}, {"info", row.info}, {"time", time}, {"tranId", row.id},
                    {"tradeId", row.trade == 0 ? std::string{} : std::to_string(row.trade)}});
  }
  return rows.dump();
}

} // namespace tern::sim::binance
