#include "apps/demo_report.hpp"

#include <cstdlib>
#include <map>
#include <sstream>
#include <variant>

#include "core/decimal.hpp"
#include "sim/control_client.hpp"

namespace tern::apps {
namespace {

using json = nlohmann::json;

std::string text_of(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{"?"};
}

std::uint64_t count_of(const json& strategy, const char* key) {
  const auto& counters = strategy.value("counters", json::object());
  return counters.value(key, std::uint64_t{0});
}

/// "binance -1.2 okx 2.5 total 1.3"
std::string pnl_text(const json& strategy) {
  std::string out;
  const auto& pnl = strategy.value("pnl", json::object());
  for (const auto& entry : pnl.value("by_exchange", json::array()))
    out += text_of(entry, "exchange") + " " + text_of(entry, "realised") + "  ";
  return out + "total " + text_of(pnl, "total") + " " + text_of(pnl, "asset");
}

/// Tern's balances by exchange, then asset (the last strategy naming one wins; all agree).
std::map<std::string, std::map<std::string, std::string>> tern_balances(const json& strategies) {
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const auto& strategy : strategies.value("strategies", json::array()))
    for (const auto& held : strategy.value("balances", json::array()))
      out[text_of(held, "exchange")][text_of(held, "asset")] = text_of(held, "total");
  return out;
}

std::string balances_text(const json& strategies) {
  std::string out;
  for (const auto& [exchange, assets] : tern_balances(strategies)) {
    out += " | " + exchange;
    for (const auto& [asset, total] : assets)
      out += " " + asset + " " + total;
  }
  return out;
}

std::string seconds(std::chrono::steady_clock::duration elapsed) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count()) + "s";
}

/// Compares one exchange's balances; adds a line per asset.
bool compare(const std::string& exchange, const std::map<std::string, std::string>& ours,
             const json& theirs, std::vector<std::string>& lines) {
  bool agrees = true;
  for (const auto& [asset, total] : ours) {
    auto held = theirs.find(asset);
    decimal simulated;
    if (held != theirs.end()) {
      auto free = decimal::parse(text_of(*held, "free"));
      auto locked = decimal::parse(text_of(*held, "locked"));
      if (free && locked)
        simulated = *free + *locked;
    }
    auto tracked = decimal::parse(total);
    const bool equal = tracked && *tracked == simulated;
    agrees = agrees && equal;
    lines.push_back(exchange + " " + asset + ": tern " + total + (equal ? " = " : " != ") +
                    "simulator " + simulated.to_string());
  }
  return agrees;
}

} // namespace

reconciliation reconcile(const config::topology& topology, const json& strategies,
                         const sim::control_client& control) {
  reconciliation out{true, {}};
  const auto ours = tern_balances(strategies);
  for (const auto& exchange : topology.exchanges) {
    const auto* keys = exchange.credentials
                           ? std::get_if<config::env_credentials>(&*exchange.credentials)
                           : nullptr;
    const char* key = keys ? std::getenv(keys->api_key.variable.c_str()) : nullptr;
    if (key == nullptr)
      continue;  // market data only, or keys from a file: nothing the demo can compare
    auto found = ours.find(exchange.name);
    if (found == ours.end()) {
      out.agrees = false;
      out.lines.push_back(exchange.name + ": Tern reports no balances");
      continue;
    }
    auto theirs = control.call("POST", "/balances", json{{"exchange", exchange.name}, {"api_key", key}});
    if (!theirs) {
      out.agrees = false;
      out.lines.push_back(exchange.name + ": simulator balances unavailable: " + theirs.error());
      continue;
    }
    out.agrees = compare(exchange.name, found->second, *theirs, out.lines) && out.agrees;
  }
  if (out.lines.empty()) {
    out.agrees = false;
    out.lines.push_back("no exchange with balances to compare");
  }
  return out;
}

std::string summary_line(const json& strategies, std::chrono::steady_clock::duration elapsed) {
  std::ostringstream out;
  out << "[" << seconds(elapsed) << "]";
  for (const auto& strategy : strategies.value("strategies", json::array()))
    out << " " << text_of(strategy, "name") << " " << text_of(strategy, "state")
        << (text_of(strategy, "reason").empty() || text_of(strategy, "reason") == "?"
                ? std::string{}
                : " (" + text_of(strategy, "reason") + ")")
        << "  opportunities " << count_of(strategy, "opportunities") << "  orders "
        << count_of(strategy, "orders_placed") << "  fills " << count_of(strategy, "fills")
        << "  pnl " << pnl_text(strategy);
  out << balances_text(strategies);
  return out.str();
}

std::string final_report(const json& strategies, const reconciliation& outcome,
                         const std::string& ended, std::chrono::steady_clock::duration elapsed) {
  std::ostringstream out;
  out << "\n== tern demo: final report (" << ended << " after " << seconds(elapsed) << ") ==\n";
  for (const auto& strategy : strategies.value("strategies", json::array())) {
    out << text_of(strategy, "name") << " (" << text_of(strategy, "kind") << "), "
        << text_of(strategy, "state") << " " << text_of(strategy, "reason") << '\n'
        << "  opportunities seen " << count_of(strategy, "opportunities") << ", orders placed "
        << count_of(strategy, "orders_placed") << ", fills " << count_of(strategy, "fills") << '\n'
        << "  P&L: " << pnl_text(strategy) << '\n';
    std::map<std::string, std::uint64_t> fills_by_exchange;
    for (const auto& fill : strategy.value("recent_fills", json::array()))
      ++fills_by_exchange[text_of(fill, "exchange")];
    for (const auto& [exchange, count] : fills_by_exchange)
      out << "  recent fills on " << exchange << ": " << count << '\n';
  }
  out << "balances (Tern vs simulator):\n";
  for (const auto& line : outcome.lines)
    out << "  " << line << '\n';
  out << (outcome.agrees ? "reconciled: the balances Tern tracks equal the simulator's\n"
                         : "NOT reconciled: the balances differ (see above)\n");
  return out.str();
}

} // namespace tern::apps
