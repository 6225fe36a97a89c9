#pragma once

// The two-way map between Tern's pairs ("BTC-USDT") and one exchange's symbols ("BTCUSDT",
// "BTC-USDT-SWAP") (../shared/reference/exchanges.md §A3). Built from the exchange's market
// list, so nothing past a connector ever sees an exchange's spelling.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/decimal.hpp"
#include "core/trading_pair.hpp"

namespace tern {

class symbol_map {
 public:
  /// Maps `pair` to `symbol` both ways, replacing what either was mapped to before (and the
  /// contract size of a symbol replaced).
  void add(const trading_pair& pair, std::string symbol);
  /// Records that `symbol` is sized in contracts of `base_amount` each (OKX swaps: ctVal), so
  /// parsers and order builders convert between contracts and base amounts. The symbol must
  /// be mapped; returns false otherwise.
  bool set_contract_size(std::string_view symbol, decimal base_amount);
  /// The base amount of one contract of `symbol`; nothing where amounts are in the base asset.
  [[nodiscard]] std::optional<decimal> contract_size(std::string_view symbol) const;

  /// The pair an exchange symbol stands for; nullptr when the symbol is not mapped. Exact
  /// match: callers normalise case where the exchange mixes it (Binance stream names).
  [[nodiscard]] const trading_pair* pair_of(std::string_view symbol) const;
  /// The exchange's symbol for a pair; nullptr when the pair is not mapped.
  [[nodiscard]] const std::string* symbol_of(const trading_pair& pair) const;

  [[nodiscard]] std::size_t size() const noexcept { return by_symbol_.size(); }
  [[nodiscard]] bool empty() const noexcept { return by_symbol_.empty(); }
  /// Every mapped pair, sorted.
  [[nodiscard]] std::vector<trading_pair> pairs() const;

 private:
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const noexcept {
      return std::hash<std::string_view>{}(text);
    }
  };

  std::unordered_map<std::string, trading_pair, string_hash, std::equal_to<>> by_symbol_;
  std::unordered_map<trading_pair, std::string> by_pair_;
  std::unordered_map<std::string, decimal, string_hash, std::equal_to<>> contract_sizes_;
};

} // namespace tern
