#include "connectors/okx/symbols.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "connectors/common/json_fields.hpp"

namespace tern::okx {

namespace {

using nlohmann::json;
namespace jf = json_fields;

// What an instrument entry says, read before any rule is derived.
struct entry_fields {
  std::string base;
  std::string quote;
  decimal contract_size = decimal::from_integer(1);  // base per unit of sz (spot: 1)
  bool post_only = false;                            // state "post_only": post-only orders only
};

// Whether the entry is a Tern market at all; non-markets are left out without a word.
bool wanted(const json& entry, venue api) {
  auto type = jf::string_of(entry, "instType");
  auto state = jf::string_of(entry, "state");
  if (!type || *type != inst_type(api) || !state)
    return false;
  if (*state != "live" && !(api == venue::swap && *state == "post_only"))
    return false;
  if (api == venue::spot)
    return true;
  auto contract = jf::string_of(entry, "ctType");
  return contract && *contract == "linear";
}

expected<entry_fields, std::string> read_fields(const json& entry, venue api) {
  entry_fields out;
  auto base = jf::string_of(entry, api == venue::spot ? "baseCcy" : "ctValCcy");
  auto quote = jf::string_of(entry, api == venue::spot ? "quoteCcy" : "settleCcy");
  if (!base || !quote)
    return unexpected{base ? quote.error() : base.error()};
  out.base = *base;
  out.quote = *quote;
  out.post_only = entry.value("state", std::string{}) == "post_only";
  if (api == venue::swap) {
    auto size = jf::decimal_of(entry, "ctVal");
    if (!size)
      return unexpected{size.error()};
    if (!size->is_positive())
      return unexpected{"field \"ctVal\": must be positive, got " + size->to_string()};
    out.contract_size = *size;
  }
  return out;
}

expected<trading_rules, std::string> read_rules(const json& entry, const entry_fields& fields) {
  auto tick = jf::decimal_of(entry, "tickSz");
  auto lot = jf::decimal_of(entry, "lotSz");
  auto min_size = jf::decimal_of(entry, "minSz");
  auto max_size = jf::optional_decimal_or_empty_of(entry, "maxLmtSz");
  for (const std::string* problem : {tick ? nullptr : &tick.error(), lot ? nullptr : &lot.error(),
                                     min_size ? nullptr : &min_size.error(),
                                     max_size ? nullptr : &max_size.error()})
    if (problem != nullptr)
      return unexpected{*problem};
  // Sizes are in units of sz: contracts for swaps. Rules are in base amounts.
  auto base = [&](decimal units) {
    return decimal::multiply(units, fields.contract_size, rounding::half_even);
  };
  trading_rules rules;
  rules.tick_size = *tick;
  rules.step_size = base(*lot);
  rules.min_order_size = base(*min_size);
  if (*max_size && (*max_size)->is_positive())
    rules.max_order_size = base(**max_size);
  rules.supports_limit = !fields.post_only;
  rules.supports_market = !fields.post_only;
  rules.supports_limit_maker = true;
  if (auto usable = check_rules(rules); !usable)
    return unexpected{usable.error().message};
  return rules;
}

} // namespace

std::string symbol_for(const trading_pair& pair, venue api) {
  std::string symbol = std::string{pair.base()} + "-" + std::string{pair.quote()};
  if (api == venue::swap)
    symbol += "-SWAP";
  return symbol;
}

expected<instrument_list, std::string> read_instruments(const json& data, venue api,
                                                        std::string_view account) {
  if (!data.is_array())
    return unexpected{std::string{"instruments response has no \"data\" array"}};
  instrument_list out;
  for (const json& entry : data) {
    auto symbol = jf::string_of(entry, "instId");
    if (!symbol) {
      out.skipped.push_back("entry without an instId: " + jf::excerpt(entry));
      continue;
    }
    if (!wanted(entry, api))
      continue;
    auto fields = read_fields(entry, api);
    if (!fields) {
      out.skipped.push_back(*symbol + ": " + fields.error());
      continue;
    }
    auto rules = read_rules(entry, *fields);
    if (!rules) {
      out.skipped.push_back(*symbol + ": " + rules.error());
      continue;
    }
    auto pair = trading_pair::from_assets(fields->base, fields->quote);
    if (!pair) {
      out.skipped.push_back(*symbol + ": " + pair.error().message());
      continue;
    }
    out.symbols.add(*pair, *symbol);
    if (api == venue::swap)
      out.symbols.set_contract_size(*symbol, fields->contract_size);
    out.instruments.push_back(instrument{std::string{account}, *pair,
                                         api == venue::spot ? market_kind::spot
                                                            : market_kind::perpetual,
                                         *rules});
  }
  std::sort(out.instruments.begin(), out.instruments.end(),
            [](const instrument& a, const instrument& b) { return a.pair < b.pair; });
  return out;
}

} // namespace tern::okx
