// `tern history` as a separate process over journals a real order tracker wrote.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/order_tracker.hpp"
#include "journal/order_journal.hpp"
#include "tests/journal/journal_test_support.hpp"
#include "tests/support/shell_command.hpp"

using namespace tern;
using namespace tern::test;

namespace {

/// Buys 1 BTC at 30000 and sells 0.5 at 31000 on `account`, through a tracker into `path`.
void write_trades(const std::string& path, const std::string& account, int offset_ms = 0) {
  auto journal = journal::order_journal::open(path);
  REQUIRE(journal);
  order_tracker tracker;
  auto buy = spec_of(account + "-b", side::buy, "30000"_d, "1"_d);
  auto sell = spec_of(account + "-s", side::sell, "31000"_d, "0.5"_d);
  write_all(*journal, account, tracker.start(buy, ms(offset_ms)).value());
  write_all(*journal, account, tracker.start(sell, ms(offset_ms)).value());
  write_all(*journal, account,
            tracker.apply_fill(fill_of(buy, "1", "1"_d, "30000"_d, {"BTC", "0.001"_d},
                                       offset_ms + 1000),
                               ms(offset_ms + 1000)));
  write_all(*journal, account,
            tracker.apply_fill(fill_of(sell, "2", "0.5"_d, "31000"_d, {"USDT", "15.5"_d},
                                       offset_ms + 2000),
                               ms(offset_ms + 2000)));
}

std::vector<nlohmann::json> json_lines(const std::string& output) {
  std::vector<nlohmann::json> lines;
  std::istringstream in{output};
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

std::string tern_command(const std::string& args) {
  return std::string{TERN_EXECUTABLE} + " " + args;
}

} // namespace

TEST_CASE("tern history --json prints each trade and the per-market summary") {
  temp_dir dir;
  const auto path = dir.file("main.sqlite");
  write_trades(path, "main");
  auto run = testing::run_shell(tern_command("history --journal " + path + " --json"));
  REQUIRE(run.status == 0);
  auto lines = json_lines(run.output);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0]["type"] == "trade");
  CHECK(lines[0]["side"] == "buy");
  CHECK(lines[0]["price"] == "30000");
  CHECK(lines[0]["fee_asset"] == "BTC");
  CHECK(lines[0]["client_order_id"] == "main-b");
  CHECK(lines[0]["time"] == "2023-11-14T22:13:21.000Z");  // journal_t0 + 1 s
  CHECK(lines[1]["trade_id"] == "2");
  const auto& summary = lines[2];
  CHECK(summary["type"] == "summary");
  CHECK(summary["market"] == "BTC-USDT");
  CHECK(summary["trades"] == 2);
  CHECK(summary["sold_quote"] == "15500");
  CHECK(summary["fees"]["USDT"] == "15.5");
  CHECK(summary["net_base"] == "0.499");
  CHECK(summary["net_quote"] == "-14515.5");

  // --since keeps the sell only.
  auto later = testing::run_shell(
      tern_command("history --journal " + path + " --json --since 2023-11-14T22:13:21.500Z"));
  REQUIRE(later.status == 0);
  auto after = json_lines(later.output);
  REQUIRE(after.size() == 2);
  CHECK(after[0]["trade_id"] == "2");
  CHECK(after[1]["trades"] == 1);
}

TEST_CASE("tern history prints a table with the summary line") {
  temp_dir dir;
  const auto path = dir.file("main.sqlite");
  write_trades(path, "main");
  auto run = testing::run_shell(tern_command("history --journal " + path + " --market BTC-USDT"));
  REQUIRE(run.status == 0);
  CHECK_THAT(run.output, Catch::Contains("2023-11-14T22:13:22.000Z"));
  CHECK_THAT(run.output, Catch::Contains("2 trades"));
  CHECK_THAT(run.output, Catch::Contains("main BTC-USDT: 2 trades; bought 1 for 30000; sold 0.5 "
                                         "for 15500; fees 0.001 BTC, 15.5 USDT; net 0.499 base, "
                                         "-14515.5 quote"));
  auto none = testing::run_shell(tern_command("history --journal " + path + " --market ETH-USDT"));
  REQUIRE(none.status == 0);
  CHECK_THAT(none.output, Catch::Contains("0 trades"));
}

TEST_CASE("tern history --config reads every account's journal beside the config") {
  temp_dir dir;
  std::filesystem::create_directories(dir.file("journal"));
  write_trades(dir.file("journal/binance.sqlite"), "binance");
  write_trades(dir.file("okx-trades.sqlite"), "okx", 5000);
  std::ofstream{dir.file("topology.json")} << R"({
    "nodes": [{"name": "main", "host": "127.0.0.1", "port": 4300}],
    "exchanges": [
      {"connector": "binance", "markets": ["BTC-USDT"]},
      {"connector": "okx", "markets": ["BTC-USDT"], "journal": "okx-trades.sqlite"},
      {"name": "idle", "connector": "binance", "markets": ["BTC-USDT"]}]})";
  auto run = testing::run_shell(tern_command("history --config " + dir.file("topology.json")
                                     + " --json 2>/dev/null"));
  REQUIRE(run.status == 0);
  auto lines = json_lines(run.output);
  REQUIRE(lines.size() == 6);  // 2 + 2 trades, 2 summaries
  CHECK(lines[0]["account"] == "binance");
  CHECK(lines[2]["account"] == "okx");
  CHECK(lines[4]["account"] == "binance");
  CHECK(lines[5]["account"] == "okx");

  auto one = testing::run_shell(tern_command("history --config " + dir.file("topology.json")
                                     + " --account okx --json"));
  REQUIRE(one.status == 0);
  CHECK(json_lines(one.output).size() == 3);

  // The account without a journal is reported, not fatal.
  auto told = testing::run_shell(tern_command("history --config " + dir.file("topology.json")
                                      + " --account idle 2>&1"));
  CHECK(told.status == 0);
  CHECK_THAT(told.output, Catch::Contains("no journal yet") && Catch::Contains("idle.sqlite"));
}

TEST_CASE("tern history names the file it cannot read and refuses bad usage") {
  temp_dir dir;
  auto missing = testing::run_shell(tern_command("history --journal " + dir.file("nope.sqlite") + " 2>&1"));
  CHECK(missing.status == 1);
  CHECK_THAT(missing.output, Catch::Contains("nope.sqlite"));
  std::ofstream{dir.file("text.sqlite")} << "not a database at all, just some words in a file....";
  auto garbage = testing::run_shell(tern_command("history --journal " + dir.file("text.sqlite") + " 2>&1"));
  CHECK(garbage.status == 1);
  CHECK_THAT(garbage.output, Catch::Contains("text.sqlite") && Catch::Contains("not"));
  CHECK(testing::run_shell(tern_command("history 2>&1")).status == 2);
  auto bad_time = testing::run_shell(
      tern_command("history --journal " + dir.file("x") + " --since yesterday 2>&1"));
  CHECK(bad_time.status == 2);
  CHECK_THAT(bad_time.output, Catch::Contains("yesterday"));
}
