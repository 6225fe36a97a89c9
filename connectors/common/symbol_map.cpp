#include "connectors/common/symbol_map.hpp"

#include <algorithm>

namespace tern {

void symbol_map::add(const trading_pair& pair, std::string symbol) {
  // Drop stale reverse entries so the map stays one-to-one.
  if (auto old = by_pair_.find(pair); old != by_pair_.end()) {
    contract_sizes_.erase(old->second);
    by_symbol_.erase(old->second);
  }
  contract_sizes_.erase(symbol);
  if (auto old = by_symbol_.find(symbol); old != by_symbol_.end())
    by_pair_.erase(old->second);
  by_pair_[pair] = symbol;
  by_symbol_[std::move(symbol)] = pair;
}

const trading_pair* symbol_map::pair_of(std::string_view symbol) const {
  auto found = by_symbol_.find(symbol);
  return found == by_symbol_.end() ? nullptr : &found->second;
}

const std::string* symbol_map::symbol_of(const trading_pair& pair) const {
  auto found = by_pair_.find(pair);
  return found == by_pair_.end() ? nullptr : &found->second;
}

bool symbol_map::set_contract_size(std::string_view symbol, decimal base_amount) {
  auto found = by_symbol_.find(symbol);
  if (found == by_symbol_.end())
    return false;
  contract_sizes_.insert_or_assign(found->first, base_amount);
  return true;
}

std::optional<decimal> symbol_map::contract_size(std::string_view symbol) const {
  auto found = contract_sizes_.find(symbol);
  if (found == contract_sizes_.end())
    return std::nullopt;
  return found->second;
}

std::vector<trading_pair> symbol_map::pairs() const {
  std::vector<trading_pair> out;
  out.reserve(by_pair_.size());
  for (const auto& [pair, symbol] : by_pair_)
    out.push_back(pair);
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace tern
