// Conformance item 13, the whole process, for every connector: the account runs in a process
// of its own (tern_crash_account) against the simulator in this one. With an order resting and
// a taker just executed at the exchange but not yet answered (its answer held back, the user
// stream silenced, so the process never learns of the fill), the process is killed with
// SIGKILL and started again on the same journal. The new process knows both orders from the
// journal, reconciles, and its orders, fills and balances equal the simulator's: none lost,
// none counted twice, nothing adopted as unknown.

#include "tests/conformance/account_process.hpp"
#include "tests/conformance/recovery_support.hpp"

#include <fstream>
#include <sstream>
#include <thread>

namespace tern::testing {

namespace {

/// The simulator alone (the account is the child's), its market paused.
struct simulator_only {
  explicit simulator_only(const venue_case& venue) {
    auto started = sim::server::start(venue_market(venue));
    if (!started)
      FAIL("simulator did not start: " << started.error());
    simulator = std::move(*started);
    host = simulator->exchange(venue.connector);
    REQUIRE(host != nullptr);
    REQUIRE(host->step(1) == 1);  // the background liquidity
    ca_file = folder.path / "ca.pem";
    std::ofstream{ca_file} << simulator->ca_certificate_pem();
  }
  ~simulator_only() { simulator->stop(); }

  book_snapshot engine_top(const venue_case& venue) {
    book_snapshot out;
    host->run_sync([&](sim::exchange_state& state) {
      out = state.venue.market(venue.engine_symbol)->snapshot();
    });
    return out;
  }

  temp_folder folder;
  std::unique_ptr<sim::server> simulator;
  sim::exchange_host* host = nullptr;
  std::filesystem::path ca_file;
};

std::vector<std::string> account_arguments(const venue_case& venue, const simulator_only& sim) {
  std::vector<std::string> args{venue.connector,
                                "127.0.0.1:" + std::to_string(sim.host->port()),
                                sim.ca_file.string(), (sim.folder.path / "journal.sqlite").string()};
  if (venue.connector.rfind("okx", 0) == 0) {
    args.insert(args.end(), {std::string{sim::testing::okx_key},
                             std::string{sim::testing::okx_secret},
                             std::string{sim::testing::okx_passphrase}});
  } else {
    args.insert(args.end(), {std::string{doc_api_key}, std::string{doc_secret}});
  }
  return args;
}

/// Waits for a line starting with `prefix`, or finds it among those read already (a notice
/// may come before the answer to the command that caused it); fails the test with everything
/// the child said.
std::string expect_line(account_process& process, const std::string& prefix,
                        std::chrono::milliseconds timeout) {
  for (const auto& seen : process.seen)
    if (seen.rfind(prefix, 0) == 0)
      return seen;
  auto line = process.await_line(prefix, timeout);
  if (line.empty()) {
    std::string said;
    for (const auto& seen : process.seen)
      said += seen + "\n";
    FAIL("no line \"" << prefix << "\" within " << timeout.count() << " ms; the child said:\n"
                       << said);
  }
  return line;
}

/// Places an order through the child; its client order id ("" when refused).
std::string place(account_process& account, const venue_case& venue, side order_side,
                  decimal price) {
  const auto answer = account.ask("place " + std::string{to_string(order_side)} + " "
                                      + price.to_string() + " " + venue.amount.to_string() + " "
                                      + (venue.action == position_action::open ? "open" : "none"),
                                  "place ");
  INFO(answer);
  REQUIRE(answer.rfind("place ok ", 0) == 0);
  return answer.substr(std::string{"place ok "}.size());
}

/// The words after the first of a line ("orders a b" -> {a, b}).
std::vector<std::string> words_after(const std::string& line) {
  std::istringstream in{line};
  std::vector<std::string> out;
  std::string word;
  in >> word;
  while (in >> word)
    out.push_back(word);
  return out;
}

/// True when the child's open orders, journal trades and (spot) balances equal the exchange's.
bool matches(account_process& account, const venue_case& venue, simulator_only& sim,
             std::string& seen) {
  const auto view = at_exchange(*sim.host, venue);
  auto tracked = words_after(account.ask("orders", "orders"));
  std::sort(tracked.begin(), tracked.end());
  auto journal = journal::order_journal::open_read_only(
      (sim.folder.path / "journal.sqlite").string());
  REQUIRE(journal.has_value());
  auto trades = journal->trades(journal::trade_filter{venue.connector + "_main", "BTC-USDT", {}, {}});
  REQUIRE(trades.has_value());
  bool equal = tracked == view.open_ids && trades->size() == view.fills;
  seen = "open: tracked " + std::to_string(tracked.size()) + " exchange "
         + std::to_string(view.open_ids.size()) + "; fills: journal "
         + std::to_string(trades->size()) + " exchange " + std::to_string(view.fills) + "\n";
  if (venue.action != position_action::none)
    return equal;  // perpetuals hold margin the exchange prices itself
  std::map<std::string, std::string> held;
  for (const auto& entry : words_after(account.ask("balances", "balances"))) {
    const auto split = entry.find('=');
    held[entry.substr(0, split)] = entry.substr(split + 1);
  }
  for (const auto& [asset, total] : view.totals) {
    const auto mine = held.contains(asset) ? decimal::from_string(held[asset]) : decimal{};
    seen += asset + " exchange " + total.to_string() + " account " + mine.to_string() + "\n";
    equal = equal && mine == total;
  }
  return equal;
}

/// Polls the exchange's records until the placement of `client_order_id` executed.
bool executed_at_exchange(simulator_only& sim, const std::string& client_order_id) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& record : sim.simulator->records().since(0))
      if (record.new_order && record.executed && record.client_order_id == client_order_id)
        return true;
    std::this_thread::sleep_for(5ms);  // polling another thread's record; real time on purpose
  }
  return false;
}

void process_killed_and_restarted(const venue_case& venue) {
  simulator_only sim{venue};
  const auto program = std::string{TERN_CRASH_ACCOUNT};
  std::string resting;
  std::string filled;
  std::string unanswered;
  {
    account_process first{program, account_arguments(venue, sim)};
    REQUIRE(first.started());
    expect_line(first, "ready", 30s);
    const auto book = sim.engine_top(venue);
    REQUIRE(!book.bids.empty());
    REQUIRE(!book.asks.empty());
    resting = place(first, venue, side::buy, book.bids[0].price - "100"_d);
    expect_line(first, "notice created " + resting, 15s);
    filled = place(first, venue, side::buy, book.asks[0].price);
    expect_line(first, "notice completed " + filled, 15s);

    // The next taker executes, but its answer is held back and the user stream says nothing:
    // killed now, the process never learns of it.
    auto silent = sim::fault{};
    silent.kind = sim::fault_kind::stale_stream;
    silent.stream = "user";
    sim.simulator->faults().add(silent);
    auto late = rest_fault(sim::fault_kind::delay_response, venue.place_endpoint);
    late.delay_ms = 5000;
    sim.simulator->faults().add(late);
    unanswered = place(first, venue, side::buy, sim.engine_top(venue).asks[0].price);
    REQUIRE(executed_at_exchange(sim, unanswered));
    first.kill_now();
    for (const auto& line : first.seen)
      CHECK((line.find(" " + unanswered) == std::string::npos || line.rfind("place ok", 0) == 0));
  }
  sim.simulator->faults().clear();

  account_process second{program, account_arguments(venue, sim)};
  REQUIRE(second.started());
  expect_line(second, "ready", 30s);
  bool equal = false;
  std::string seen;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!equal && std::chrono::steady_clock::now() < deadline) {
    equal = matches(second, venue, sim, seen);
    if (!equal)
      second.await_line("\x01", 200ms);  // bounded pause between polls, reading notices
  }
  INFO(seen);
  CHECK(equal);
  const auto view = at_exchange(*sim.host, venue);
  CHECK(view.open_ids == std::vector<std::string>{resting});
  auto journal = journal::order_journal::open_read_only(
      (sim.folder.path / "journal.sqlite").string());
  REQUIRE(journal.has_value());
  auto trades = journal->trades(journal::trade_filter{venue.connector + "_main", "BTC-USDT", {}, {}});
  REQUIRE(trades.has_value());
  std::map<std::string, int> per_order;
  for (const auto& trade : *trades)
    ++per_order[trade.client_order_id];
  CHECK(per_order[filled] >= 1);
  CHECK(per_order[unanswered] >= 1);
  CHECK(per_order[resting] == 0);
  for (const auto& line : second.seen)
    CHECK(line.rfind("notice adopted", 0) != 0);
}

} // namespace

TEST_CASE("conformance 13: the whole process killed while orders rest and fill: restarted on "
          "its journal, orders fills and balances equal the simulator",
          "[conformance][recovery][crash][process]") {
  for (const auto& venue : venues()) {
    DYNAMIC_SECTION(venue.connector) { process_killed_and_restarted(venue); }
  }
}

} // namespace tern::testing
