#include "sim/venue.hpp"

namespace tern::sim {

expected<matching_engine*, error> venue::add_market(market_spec spec) {
  if (auto valid = validate(spec); !valid)
    return unexpected{valid.error()};
  if (markets_.contains(spec.symbol))
    return unexpected{error{error_code::duplicate_market, "market '" + spec.symbol + "' exists"}};
  std::string symbol = spec.symbol;
  auto engine = std::make_unique<matching_engine>(std::move(spec), ledger_, options_);
  matching_engine* added = engine.get();
  markets_.emplace(std::move(symbol), std::move(engine));
  return added;
}

matching_engine* venue::market(std::string_view symbol) {
  auto found = markets_.find(symbol);
  return found == markets_.end() ? nullptr : found->second.get();
}

const matching_engine* venue::market(std::string_view symbol) const {
  auto found = markets_.find(symbol);
  return found == markets_.end() ? nullptr : found->second.get();
}

std::vector<matching_engine*> venue::markets() {
  std::vector<matching_engine*> all;
  for (auto& [symbol, engine] : markets_)
    all.push_back(engine.get());
  return all;
}

expected<void, error> venue::set_position_mode(account_id account, position_mode mode) {
  if (!ledger_.exists(account))
    return unexpected{error{error_code::unknown_account, "no account " + std::to_string(account)}};
  if (ledger_.mode(account) == mode)
    return unexpected{error{error_code::position_mode_unchanged,
                            "position mode is already " + std::string{to_string(mode)}}};
  for (auto& [symbol, engine] : markets_) {
    if (engine->spec().kind != market_kind::perpetual)
      continue;
    if (engine->has_position(account))
      return unexpected{error{error_code::position_exists,
                              "account has a position in " + symbol}};
    if (engine->has_open_orders(account))
      return unexpected{error{error_code::open_orders_exist,
                              "account has open orders in " + symbol}};
  }
  ledger_.set_mode(account, mode);
  return {};
}

std::string venue::audit() const {
  if (auto negative = ledger_.find_negative_balance(); !negative.empty())
    return "negative balance: " + negative;
  for (asset_id asset = 0; asset < ledger_.asset_count(); ++asset) {
    decimal held = ledger_.total_held(asset) + ledger_.fees(asset) + ledger_.insurance(asset);
    for (const auto& [symbol, engine] : markets_)
      if (engine->quote_asset() == asset)
        held -= engine->signed_position_cost();
    if (held != ledger_.net_deposits(asset))
      return "asset " + ledger_.asset_name(asset) + ": balances + fees + insurance - position cost = "
             + held.to_string() + " but net deposits are "
             + ledger_.net_deposits(asset).to_string();
  }
  for (account_id account = 1; account <= ledger_.account_count(); ++account) {
    for (asset_id asset = 0; asset < ledger_.asset_count(); ++asset) {
      decimal held;
      for (const auto& [symbol, engine] : markets_)
        held += engine->locked_by(account, asset);
      decimal locked = ledger_.balance(account, asset).locked;
      if (held != locked)
        return "account " + std::to_string(account) + " " + ledger_.asset_name(asset) + ": locked "
               + locked.to_string() + " but orders and positions hold " + held.to_string();
    }
  }
  return {};
}

} // namespace tern::sim
