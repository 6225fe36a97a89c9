// OKX account endpoints ("Trading Account"): balance, positions, account configuration,
// leverage and position mode. Balances: cashBal = free + locked, availBal = free, frozenBal =
// locked; positions are reported as cross margin with no liquidation price (the engine has
// none). totalEq sums the equity of the quote assets only (the simulator prices nothing in USD).

#include <algorithm>
#include <set>

#include "sim/okx/okx_dialect.hpp"

namespace tern::sim::okx {

namespace {

using std::chrono::milliseconds;

limit_rule per_user(std::int64_t count) { return {count, milliseconds{2000}, limit_scope::user}; }

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = std::min(text.find(',', start), text.size());
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

} // namespace

void okx_dialect::add_account_routes() {
  add_route({"GET", "/api/v5/account/balance", true, per_user(10), false,
             [this](call& current) { return balance(current); }});
  add_route({"GET", "/api/v5/account/positions", true, per_user(10), false,
             [this](call& current) { return positions(current); }});
  add_route({"GET", "/api/v5/account/config", true, per_user(5), false,
             [this](call& current) { return account_config(current); }});
  add_route({"POST", "/api/v5/account/set-leverage", true, per_user(20), false,
             [this](call& current) { return set_leverage(current); }});
  add_route({"POST", "/api/v5/account/set-position-mode", true, per_user(5), false,
             [this](call& current) { return set_position_mode(current); }});
  // "Get bills details (last 7 days)" 5 requests / 1 s; "(last 3 months)" 5 / 2 s.
  add_route({"GET", "/api/v5/account/bills", true, {5, milliseconds{1000}, limit_scope::user}, false,
             [this](call& current) { return bills(current); }});
  add_route({"GET", "/api/v5/account/bills-archive", true, per_user(5), false,
             [this](call& current) { return bills(current); }});
}

json okx_dialect::balance_detail(account_id account, const std::string& asset, timestamp now) const {
  asset_balance held = state_->venue.accounts().balance(account, asset);
  decimal upl;
  for (const matching_engine* engine : state_->venue.markets())
    if (engine->spec().kind == market_kind::perpetual && engine->spec().quote == asset)
      for (const auto& position : engine->positions(account)) upl += position.unrealized_pnl;
  decimal cash = held.free + held.locked;
  return {{"ccy", asset},           {"eq", number(cash + upl)},     {"cashBal", number(cash)},
          {"availBal", number(held.free)}, {"availEq", number(held.free)}, {"frozenBal", number(held.locked)},
          {"ordFrozen", number(held.locked)}, {"upl", number(upl)},   {"uTime", millis(now)}};
}

json okx_dialect::balance_json(account_id account, const std::vector<std::string>& assets, timestamp now) const {
  std::set<std::string> quotes;
  for (const matching_engine* engine : state_->venue.markets()) quotes.insert(engine->spec().quote);
  json details = json::array();
  decimal total;
  for (const auto& asset : assets) {
    json detail = balance_detail(account, asset, now);
    if (quotes.contains(asset)) total += decimal::parse(detail["eq"].get<std::string>()).value_or(decimal{});
    details.push_back(std::move(detail));
  }
  return {{"adjEq", ""}, {"imr", ""}, {"mmr", ""}, {"totalEq", number(total)}, {"uTime", millis(now)},
          {"details", details}};
}

expected<okx_dialect::answer, api_error> okx_dialect::balance(call& current) {
  account_id account = current.account->account;
  std::vector<std::string> assets;
  if (auto ccy = param(current.req, "ccy")) {
    assets = split_commas(*ccy);
  } else {
    for (const auto& [asset, held] : state_->venue.accounts().balances(account))
      if (!held.total().is_zero()) assets.push_back(asset);
  }
  answer out;
  out.data.push_back(balance_json(account, assets, current.now));
  return out;
}

json okx_dialect::position_json(account_id account, const matching_engine& engine, const position_view& position,
                                timestamp now) const {
  const market_spec& spec = engine.spec();
  bool hedge = state_->venue.accounts().mode(account) == position_mode::hedge;
  decimal size = to_venue_size(spec.symbol, hedge ? position.amount.abs() : position.amount);
  decimal notional = decimal::multiply(position.amount.abs(), engine.mark_price(), rounding::half_even);
  return {{"instType", "SWAP"},
          {"instId", spec.symbol},
          {"mgnMode", "cross"},
          {"posId", std::to_string(account) + std::string{position_side_name(position.pos_side)} + spec.symbol},
          {"posSide", position_side_name(position.pos_side)},
          {"pos", number(size)},
          {"posCcy", ""},
          {"availPos", number(size.abs())},
          {"avgPx", position.amount.is_zero() ? "" : number(position.entry_price)},
          {"upl", number(position.unrealized_pnl)},
          {"lever", std::to_string(position.leverage > 0 ? position.leverage : engine.leverage(account))},
          {"liqPx", ""},
          {"markPx", number(engine.mark_price())},
          {"margin", number(position.margin)},
          {"imr", number(position.margin)},
          {"notionalUsd", number(notional)},
          {"ccy", spec.quote},
          {"cTime", millis(now)},
          {"uTime", millis(now)}};
}

json okx_dialect::position_json(const position_update& update) const {
  const matching_engine* engine = state_->venue.market(update.symbol);
  position_view view;
  view.pos_side = update.pos_side;
  view.amount = update.amount;
  view.entry_price = update.entry_price;
  view.margin = update.margin;
  view.leverage = engine->leverage(update.account);
  if (!update.amount.is_zero())
    view.unrealized_pnl = decimal::multiply(engine->mark_price() - update.entry_price, update.amount, rounding::half_even);
  return position_json(update.account, *engine, view, update.time);
}

expected<okx_dialect::answer, api_error> okx_dialect::positions(call& current) {
  auto type = param(current.req, "instType");
  auto inst_id = param(current.req, "instId");
  answer out;
  if (flavour_ != flavour::swap || (type && *type != "SWAP")) return out;
  for (const matching_engine* engine : state_->venue.markets()) {
    if (inst_id && *inst_id != engine->spec().symbol) continue;
    for (const auto& position : engine->positions(current.account->account))
      out.data.push_back(position_json(current.account->account, *engine, position, current.now));
  }
  return out;
}

expected<okx_dialect::answer, api_error> okx_dialect::account_config(call& current) {
  account_id account = current.account->account;
  bool hedge = state_->venue.accounts().mode(account) == position_mode::hedge;
  answer out;
  out.data.push_back({{"uid", uid_of(account)}, {"mainUid", uid_of(account)},
                      // 1: spot mode; 2: spot and futures mode
                      {"acctLv", flavour_ == flavour::swap ? "2" : "1"},
                      {"posMode", hedge ? "long_short_mode" : "net_mode"}, {"autoLoan", false},
                      {"greeksType", "PA"}, {"level", "Lv1"}, {"levelTmp", ""}, {"ctIsoMode", "automatic"},
                      {"mgnIsoMode", "automatic"}, {"roleType", "0"}, {"perm", "read_only,trade"}, {"label", ""}});
  return out;
}

expected<okx_dialect::answer, api_error> okx_dialect::set_leverage(call& current) {
  if (!current.req.body.is_object()) return unexpected{parameter_error("body")};
  auto engine = instrument_of(current.req);
  if (!engine) return unexpected{engine.error()};
  if (flavour_ != flavour::swap) return unexpected{parameter_error("instId")};
  auto mode = param(current.req, "mgnMode");
  if (!mode) return unexpected{parameter_empty("mgnMode")};
  if (*mode != "cross" && *mode != "isolated") return unexpected{parameter_error("mgnMode")};
  auto lever = param(current.req, "lever");
  if (!lever) return unexpected{parameter_empty("lever")};
  auto value = decimal::parse(*lever);
  if (!value || value->round(0, rounding::down) != *value || *value < decimal::from_integer(1) ||
      *value > decimal::from_integer((*engine)->spec().max_leverage))
    return unexpected{parameter_error("lever")};
  int leverage = static_cast<int>(std::stol(value->to_string()));
  if (auto set = (*engine)->set_leverage(current.account->account, leverage); !set)
    return unexpected{parameter_error("lever")};
  current.record.executed = true;
  answer out;
  out.data.push_back({{"lever", std::to_string(leverage)}, {"mgnMode", *mode}, {"instId", (*engine)->spec().symbol},
                      {"posSide", param(current.req, "posSide").value_or("")}});
  return out;
}

expected<okx_dialect::answer, api_error> okx_dialect::set_position_mode(call& current) {
  if (!current.req.body.is_object()) return unexpected{parameter_error("body")};
  auto mode = param(current.req, "posMode");
  if (!mode) return unexpected{parameter_empty("posMode")};
  if (*mode != "long_short_mode" && *mode != "net_mode") return unexpected{parameter_error("posMode")};
  auto changed = state_->venue.set_position_mode(current.account->account,
                                                 *mode == "long_short_mode" ? position_mode::hedge : position_mode::one_way);
  // Setting the mode already in force succeeds; positions or open orders block a change.
  if (!changed && changed.error().code != error_code::position_mode_unchanged)
    return unexpected{api_error{200, "59000", "Settings failed. Close any open positions or orders before modifying settings."}};
  if (changed) current.record.executed = true;
  answer out;
  out.data.push_back({{"posMode", *mode}});
  return out;
}

void okx_dialect::record_bills(const event_buffer& events) {
  for (const auto& item : events) {
    const auto* funding = std::get_if<funding_settlement>(&item);
    if (funding == nullptr || !state_->is_user(funding->account)) continue;
    const matching_engine* engine = state_->venue.market(funding->symbol);
    decimal size;
    if (engine != nullptr)
      for (const auto& held : engine->positions(funding->account))
        if (held.pos_side == funding->pos_side) size = held.amount.abs();
    auto& list = bills_[funding->account];
    list.push_back({next_bill_id_++, funding->symbol, funding->asset, funding->pos_side, funding->amount,
                    state_->venue.accounts().balance(funding->account, funding->asset).total(), size,
                    funding->mark_price, funding->time});
    if (list.size() > state_->max_fills) list.pop_front();
  }
}

// GET account/bills and bills-archive: newest first; filters instType, instId, ccy, type,
// subType, begin/end (ts, ms, inclusive per the docs' "begin"/"end"), after/before (billId
// paging), limit (default and maximum 100).
expected<okx_dialect::answer, api_error> okx_dialect::bills(call& current) {
  auto number_of = [&](const char* name) -> expected<std::optional<std::int64_t>, api_error> {
    auto text = param(current.req, name);
    if (!text) return std::optional<std::int64_t>{};
    try {
      std::size_t used = 0;
      std::int64_t value = std::stoll(*text, &used);
      if (used != text->size()) return unexpected{parameter_error(name)};
      return std::optional<std::int64_t>{value};
    } catch (const std::exception&) {
      return unexpected{parameter_error(name)};
    }
  };
  auto begin = number_of("begin");
  auto end = number_of("end");
  auto after = number_of("after");
  auto before = number_of("before");
  auto limit = number_of("limit");
  for (const auto* given : {&begin, &end, &after, &before, &limit})
    if (!*given) return unexpected{given->error()};
  std::size_t most = static_cast<std::size_t>(std::clamp<std::int64_t>(limit->value_or(100), 1, 100));
  auto type = param(current.req, "type");
  auto sub_type = param(current.req, "subType");
  auto inst_type_filter = param(current.req, "instType");
  auto inst_id = param(current.req, "instId");
  auto ccy = param(current.req, "ccy");
  answer out;
  auto found = bills_.find(current.account->account);
  if (found == bills_.end() || (type && *type != "8") || (inst_type_filter && *inst_type_filter != inst_type()))
    return out;
  for (auto it = found->second.rbegin(); it != found->second.rend() && out.data.size() < most; ++it) {
    const bill& entry = *it;
    std::int64_t ts = to_unix_ms(entry.time);
    std::string kind = entry.change.is_negative() ? "173" : "174";
    if ((inst_id && *inst_id != entry.symbol) || (ccy && *ccy != entry.asset) || (sub_type && *sub_type != kind)
        || (*begin && ts < **begin) || (*end && ts > **end) || (*after && entry.id >= **after)
        || (*before && entry.id <= **before))
      continue;
    out.data.push_back({{"bal", number(entry.balance)}, {"balChg", number(entry.change)},
                        {"billId", std::to_string(entry.id)}, {"ccy", entry.asset}, {"clOrdId", ""},
                        {"execType", ""}, {"fee", "0"}, {"fillTime", ""}, {"from", ""},
                        {"instId", entry.symbol}, {"instType", inst_type()}, {"interest", "0"},
                        {"mgnMode", "cross"}, {"notes", ""}, {"ordId", ""}, {"pnl", number(entry.change)},
                        {"posBal", "0"}, {"posBalChg", "0"}, {"px", number(entry.mark)},
                        {"subType", kind}, {"sz", size_text(entry.symbol, entry.size)}, {"tag", ""},
                        {"to", ""}, {"tradeId", ""}, {"ts", std::to_string(ts)}, {"type", "8"}});
  }
  return out;
}

} // namespace tern::sim::okx
