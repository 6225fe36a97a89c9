// `tern history`: the trades in order journals and their per-market summary, as a table or
// JSON lines.

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "apps/commands.hpp"
#include "config/loader.hpp"
#include "journal/order_journal.hpp"

namespace tern::apps {
namespace {

struct history_options {
  std::string journal;
  std::string config;
  std::string account;
  std::string market;
  std::string since;
  std::string until;
  bool json = false;
};

/// One journal to read, and the account to select in it (empty: all).
struct journal_source {
  std::string path;
  std::string account;
};

/// "2026-11-25", "2026-11-25T08:30", "2026-11-25T08:30:15", "...15.250" with an optional
/// trailing "Z"; always UTC.
std::optional<timestamp> parse_iso_time(const std::string& text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  double seconds = 0;
  char tail[8] = {};
  int fields = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%lf%7s", &year, &month, &day, &hour,
                           &minute, &seconds, tail);
  std::string rest = fields == 7 ? tail : "";
  if (fields < 3 || fields == 4 || (!rest.empty() && rest != "Z")) return std::nullopt;
  if (fields == 3 && text.size() != 10) return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month(static_cast<unsigned>(month)),
                                   std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || seconds < 0 || seconds >= 61) return std::nullopt;
  auto whole = std::chrono::sys_days{date} + std::chrono::hours{hour} + std::chrono::minutes{minute};
  auto fraction = std::chrono::nanoseconds{static_cast<std::int64_t>(seconds * 1e9 + 0.5)};
  return timestamp{std::chrono::duration_cast<std::chrono::nanoseconds>(whole.time_since_epoch())
                   + fraction};
}

std::string iso_time(timestamp when) {
  auto day = std::chrono::floor<std::chrono::days>(when);
  std::chrono::year_month_day date{day};
  auto in_day = std::chrono::duration_cast<std::chrono::milliseconds>(when - day).count();
  std::ostringstream out;
  out << std::setfill('0') << std::setw(4) << int(date.year()) << '-' << std::setw(2)
      << unsigned(date.month()) << '-' << std::setw(2) << unsigned(date.day()) << 'T'
      << std::setw(2) << in_day / 3'600'000 << ':' << std::setw(2) << in_day / 60'000 % 60 << ':'
      << std::setw(2) << in_day / 1000 % 60 << '.' << std::setw(3) << in_day % 1000 << 'Z';
  return out.str();
}

nlohmann::json trade_json(const journal::trade_record& trade) {
  const auto& execution = trade.execution;
  return {{"type", "trade"},
          {"time", iso_time(execution.fill_time)},
          {"time_ms", to_unix_ms(execution.fill_time)},
          {"account", trade.account},
          {"market", execution.pair},
          {"side", std::string{to_string(execution.order_side)}},
          {"price", execution.price.to_string()},
          {"amount", execution.base_amount.to_string()},
          {"quote_amount", execution.quote_amount.to_string()},
          {"fee", execution.fee.amount.to_string()},
          {"fee_asset", execution.fee.asset},
          {"taker", execution.is_taker},
          {"trade_id", execution.trade_id},
          {"client_order_id", trade.client_order_id},
          {"exchange_order_id", execution.exchange_order_id}};
}

nlohmann::json summary_json(const journal::market_summary& market) {
  nlohmann::json fees = nlohmann::json::object();
  for (const auto& [asset, amount] : market.fees) fees[asset] = amount.to_string();
  return {{"type", "summary"},
          {"account", market.account},
          {"market", market.pair},
          {"trades", market.trades},
          {"bought_base", market.bought_base.to_string()},
          {"bought_quote", market.bought_quote.to_string()},
          {"sold_base", market.sold_base.to_string()},
          {"sold_quote", market.sold_quote.to_string()},
          {"fees", fees},
          {"net_base", market.net_base.to_string()},
          {"net_quote", market.net_quote.to_string()}};
}

std::string fees_text(const journal::market_summary& market) {
  std::string text;
  for (const auto& [asset, amount] : market.fees) {
    text += (text.empty() ? "" : ", ") + amount.to_string() + " " + asset;
  }
  return text.empty() ? "-" : text;
}

void print_table(const std::vector<journal::trade_record>& trades,
                 const std::vector<journal::market_summary>& summary) {
  auto& out = std::cout;
  out << std::left << std::setw(25) << "TIME (UTC)" << std::setw(14) << "ACCOUNT" << std::setw(12)
      << "MARKET" << std::setw(5) << "SIDE" << std::setw(16) << "PRICE" << std::setw(14)
      << "AMOUNT" << std::setw(18) << "FEE" << "TRADE / ORDER\n";
  for (const auto& trade : trades) {
    const auto& e = trade.execution;
    out << std::setw(25) << iso_time(e.fill_time) << std::setw(14) << trade.account
        << std::setw(12) << e.pair << std::setw(5) << to_string(e.order_side) << std::setw(16)
        << e.price.to_string() << std::setw(14) << e.base_amount.to_string() << std::setw(18)
        << (e.fee.amount.to_string() + " " + e.fee.asset) << e.trade_id << " / "
        << trade.client_order_id << '\n';
  }
  out << '\n' << trades.size() << (trades.size() == 1 ? " trade" : " trades") << "\n\n";
  for (const auto& market : summary) {
    out << market.account << " " << market.pair << ": " << market.trades << " trades; bought "
        << market.bought_base.to_string() << " for " << market.bought_quote.to_string()
        << "; sold " << market.sold_base.to_string() << " for " << market.sold_quote.to_string()
        << "; fees " << fees_text(market) << "; net " << market.net_base.to_string() << " base, "
        << market.net_quote.to_string() << " quote\n";
  }
}

/// The journals to read: the one given, or every account's from the topology.
std::optional<std::vector<journal_source>> sources(const history_options& options) {
  if (!options.journal.empty()) return std::vector<journal_source>{{options.journal, options.account}};
  auto loaded = config::load_topology_file(options.config);
  if (!loaded.value) {
    for (const auto& d : loaded.diagnostics) std::cerr << options.config << ": " << d.to_string() << '\n';
    return std::nullopt;
  }
  std::vector<journal_source> found;
  for (const auto& exchange : loaded.value->exchanges) {
    if (!options.account.empty() && exchange.name != options.account) continue;
    if (!std::filesystem::exists(exchange.journal)) {
      std::cerr << "account " << exchange.name << ": no journal yet at " << exchange.journal.string()
                << '\n';
      continue;
    }
    found.push_back({exchange.journal.string(), exchange.name});
  }
  if (!options.account.empty() && found.empty() && !loaded.value->find_exchange(options.account)) {
    std::cerr << options.config << ": no exchange account named \"" << options.account << "\"\n";
    return std::nullopt;
  }
  return found;
}

int run_history(const history_options& options) {
  if (options.journal.empty() == options.config.empty()) {
    std::cerr << "tern history: give either --journal FILE or --config FILE\n";
    return exit_usage;
  }
  journal::trade_filter filter{options.account, options.market, {}, {}};
  for (auto [text, into] : {std::pair{&options.since, &filter.since}, {&options.until, &filter.until}}) {
    if (text->empty()) continue;
    *into = parse_iso_time(*text);
    if (!*into) {
      std::cerr << "tern history: \"" << *text << "\" is not a UTC time like 2026-11-25T08:30:00Z\n";
      return exit_usage;
    }
  }
  auto journals = sources(options);
  if (!journals) return exit_failure;
  std::vector<journal::trade_record> trades;
  for (const auto& source : *journals) {
    auto opened = journal::order_journal::open_read_only(source.path);
    if (!opened) {
      std::cerr << "tern history: " << opened.error().message << '\n';
      return exit_failure;
    }
    filter.account = source.account;
    auto selected = opened->trades(filter);
    if (!selected) {
      std::cerr << "tern history: " << selected.error().message << '\n';
      return exit_failure;
    }
    trades.insert(trades.end(), selected->begin(), selected->end());
  }
  auto summary = journal::summarise(trades);
  if (options.json) {
    for (const auto& trade : trades) std::cout << trade_json(trade).dump() << '\n';
    for (const auto& market : summary) std::cout << summary_json(market).dump() << '\n';
  } else {
    print_table(trades, summary);
  }
  return exit_ok;
}

} // namespace

void add_history_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "history", "Print the trades recorded in order journals and their per-market summary");
  command->footer(
      "Reads an account's order journal (SQLite, written by the order tracker) without\n"
      "disturbing a running Tern. Give one journal with --journal, or a topology with --config\n"
      "to read every account's journal (the exchange's \"journal\" key, by default\n"
      "journal/<account>.sqlite beside the config). Times are UTC, e.g. 2026-11-25T08:30:00Z.\n"
      "The summary per account and market: base and quote bought and sold, fees per asset, and\n"
      "the net base (bought - sold - base fees) and net quote (sold - bought - quote fees).\n"
      "With --json: one JSON object per line, {\"type\":\"trade\",...} then {\"type\":\"summary\",...},\n"
      "decimals as strings.");
  auto options = std::make_shared<history_options>();
  command->add_option("--journal", options->journal, "Order journal file to read");
  command->add_option("--config", options->config, "Topology whose accounts' journals to read");
  command->add_option("--account", options->account, "Only this account");
  command->add_option("--market", options->market, "Only this market, BASE-QUOTE");
  command->add_option("--since", options->since, "Only trades at or after this UTC time");
  command->add_option("--until", options->until, "Only trades before this UTC time");
  command->add_flag("--json", options->json, "JSON lines instead of a table");
  command->callback([options, &exit_code] {
    exit_code = run_history(*options);
    std::cout.flush();
  });
}

} // namespace tern::apps
