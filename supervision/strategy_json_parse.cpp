// Reading a /strategies document back (for `tern status` and tests): every money field must
// be a decimal string, every list an array of objects; the error names the first thing wrong.

#include <nlohmann/json.hpp>

#include "supervision/json_parts.hpp"
#include "supervision/strategy_json.hpp"

namespace tern::supervision {
namespace {

using json = nlohmann::json;
using json_parts::decimal_field;

/// Calls `read(item, where)` for each element of the array at `key` (absent: none).
template <class Read>
expected<void, std::string> each(const json& object, const char* key, const std::string& where,
                                 Read read) {
  const auto found = object.find(key);
  if (found == object.end())
    return {};
  if (!found->is_array())
    return unexpected{where + ": \"" + key + "\" is not an array"};
  for (std::size_t i = 0; i < found->size(); ++i) {
    const auto here = (where.empty() ? "" : where + ".") + key + "[" + std::to_string(i) + "]";
    if (!(*found)[i].is_object())
      return unexpected{here + ": not an object"};
    if (auto done = read((*found)[i], here); !done)
      return done;
  }
  return {};
}

side side_of(const json& object) {
  return object.value("side", "buy") == "sell" ? side::sell : side::buy;
}

/// Collects decimals by key; the first failure is kept.
struct decimals {
  const json& object;
  const std::string& where;
  std::optional<std::string> error;
  decimal operator()(const char* key) {
    auto value = decimal_field(object, key, where);
    if (!value && !error)
      error = value.error();
    return value ? *value : decimal{};
  }
  [[nodiscard]] expected<void, std::string> result() const {
    if (error)
      return unexpected{*error};
    return {};
  }
  std::optional<decimal> maybe(const char* key) {
    const auto found = object.find(key);
    if (found == object.end() || found->is_null())
      return std::nullopt;
    return (*this)(key);
  }
};

expected<void, std::string> read_status(const json& object, const std::string& where,
                                        strategy_status& status) {
  const auto& pnl = object.contains("pnl") ? object["pnl"] : json::object();
  status.pnl_asset = pnl.value("asset", "");
  auto done = each(pnl, "by_exchange", where + ".pnl", [&](const json& e, const std::string& at) {
    decimals d{e, at, std::nullopt};
    status.pnl_by_exchange.push_back({e.value("exchange", ""), d("realised")});
    return d.result();
  });
  if (done)
    done = each(object, "balances", where, [&](const json& e, const std::string& at) {
      decimals d{e, at, std::nullopt};
      status.balances.push_back({e.value("exchange", ""), e.value("asset", ""), d("total"),
                                 d("available")});
      return d.result();
    });
  if (done)
    done = each(object, "open_orders", where, [&](const json& e, const std::string& at) {
      decimals d{e, at, std::nullopt};
      status.open_orders.push_back({e.value("exchange", ""), e.value("market", ""),
                                    e.value("client_order_id", ""), side_of(e), d("price"),
                                    d("amount"), d("filled")});
      return d.result();
    });
  if (done)
    done = each(object, "top_of_book", where, [&](const json& e, const std::string& at) {
      decimals d{e, at, std::nullopt};
      status.tops.push_back({e.value("exchange", ""), e.value("market", ""), d.maybe("bid_price"),
                             d("bid_size"), d.maybe("ask_price"), d("ask_size"),
                             from_unix_ms(e.value("updated_at_unix_ms", std::int64_t{0}))});
      return d.result();
    });
  return done;
}

expected<void, std::string> read_history(const json& object, const std::string& where,
                                         strategy_snapshot& out) {
  auto done = each(object, "recent_fills", where, [&](const json& e, const std::string& at) {
    decimals d{e, at, std::nullopt};
    out.recent_fills.push_back({from_unix_ms(e.value("unix_ms", std::int64_t{0})),
                                e.value("exchange", ""), e.value("market", ""),
                                e.value("client_order_id", ""), side_of(e), d("price"),
                                d("amount"), d("fee"), e.value("fee_asset", "")});
    return d.result();
  });
  if (done)
    done = each(object, "pnl_series", where, [&](const json& e, const std::string& at) {
      decimals d{e, at, std::nullopt};
      out.pnl_series.push_back({from_unix_ms(e.value("unix_ms", std::int64_t{0})), d("total")});
      return d.result();
    });
  return done;
}

expected<strategy_snapshot, std::string> read_strategy(const json& object, const std::string& where) {
  strategy_snapshot out;
  auto& status = out.status;
  status.name = object.value("name", "");
  if (status.name.empty())
    return unexpected{where + ": missing \"name\""};
  const auto here = where + " '" + status.name + "'";
  status.kind = object.value("kind", "");
  const auto state = object.value("state", "");
  const auto parsed = parse_strategy_state(state);
  if (!parsed)
    return unexpected{here + ": unknown state '" + state + "'"};
  status.state = *parsed;
  status.reason = object.value("reason", "");
  out.updated_at = from_unix_ms(object.value("updated_at_unix_ms", std::int64_t{0}));
  if (const auto counters = object.find("counters"); counters != object.end()) {
    status.counters.opportunities = counters->value("opportunities", std::uint64_t{0});
    status.counters.orders_placed = counters->value("orders_placed", std::uint64_t{0});
    status.counters.fills = counters->value("fills", std::uint64_t{0});
  }
  if (auto done = read_status(object, here, status); !done)
    return unexpected{done.error()};
  if (auto done = read_history(object, here, out); !done)
    return unexpected{done.error()};
  return out;
}

} // namespace

expected<strategies_document, std::string> parse_strategies_json(std::string_view text) {
  const auto parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    return unexpected{std::string{"the strategies document is not a JSON object"}};
  strategies_document document;
  try {
    document.generated_at = from_unix_ms(parsed.value("generated_at_unix_ms", std::int64_t{0}));
    if (const auto kill = parsed.find("kill_switch"); kill != parsed.end()) {
      auto status = json_parts::kill_switch_from_json(*kill);
      if (!status)
        return unexpected{status.error()};
      document.kill_switch = std::move(*status);
    }
    auto done = each(parsed, "strategies", "", [&](const json& e, const std::string& at) {
      auto strategy = read_strategy(e, at);
      if (!strategy)
        return expected<void, std::string>{unexpected{strategy.error()}};
      document.strategies.push_back(std::move(*strategy));
      return expected<void, std::string>{};
    });
    if (!done)
      return unexpected{done.error()};
  } catch (const json::exception& error) {
    return unexpected{std::string{"the strategies document has a field of the wrong type: "}
                      + error.what()};
  }
  return document;
}

} // namespace tern::supervision
