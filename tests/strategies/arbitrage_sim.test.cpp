// Arbitrage legs that go wrong, end to end: the strategy actor against two simulated exchanges
// over TLS through the real account actors (arbitrage_sim_support.hpp). A leg the simulator
// rejects runs the configured policy (unwind, hedge, retry); a placement the exchange actor
// does not answer stays in flight until the tracker settles it; an exchange answer lost after
// the order executed is settled by the stream; a quiet book is not taken for a dead one. The
// trading cases end with the simulator's balances equal to the opening balances moved by the
// fills the strategy saw, and with the trackers' and the strategy's balances equal to the
// simulator's.

#include "tests/strategies/arbitrage_sim_support.hpp"

#include <algorithm>
#include <optional>
#include <set>

namespace tern::testing {
namespace {

/// The strategy's fills as "account side amount", in order.
std::vector<std::string> fill_lines(const std::vector<supervision::fill_view>& fills) {
  std::vector<std::string> out;
  for (const auto& fill : fills)
    out.push_back(fill.exchange + " " + std::string{to_string(fill.order_side)} + " " +
                  fill.amount.to_string());
  return out;
}

/// Binance's answer to an order the account cannot pay for (errors.md, -2010).
sim::fault insufficient_balance_on(const char* exchange) {
  sim::fault fault;
  fault.kind = sim::fault_kind::reject;
  fault.exchange = exchange;
  fault.endpoint = "POST /api/v3/order";
  fault.status = 400;
  fault.code = -2010;
  fault.message = "Account has insufficient balance for requested action.";
  fault.count = 1;
  return fault;
}

/// The balances every party holds (simulator, trackers, strategy) agree with each other and
/// with the fills.
void check_balances(arbitrage_sim_fixture& f) {
  const auto at_exchange = f.simulator_balances();
  const auto expected = f.expected_balances();
  for (const auto& venue : {alpha_venue, beta_venue})
    for (const auto& asset : {"BTC", "USDT"}) {
      INFO(venue.account << " " << asset);
      CHECK(at_exchange.at(venue.account).at(asset) == expected.at(venue.account).at(asset));
    }
  CHECK(f.await_all_agree());
}

bool has_failed_notice(const std::vector<order_notice>& notices, const std::string& words) {
  return std::any_of(notices.begin(), notices.end(), [&](const order_notice& notice) {
    return notice.kind == order_notice_kind::failed && notice.message.find(words) != std::string::npos;
  });
}

/// Runs one round whose sell leg (on beta) the simulator rejects; returns the fills.
std::vector<std::string> rejected_sell_leg(config::leg_failure_action policy) {
  arbitrage_sim_fixture f{policy};
  f.simulator->faults().add(insufficient_balance_on(beta_venue.exchange));
  f.start();
  const bool settled = f.await_settled(2);
  const auto lines = fill_lines(f.fills());
  INFO(f.describe());
  REQUIRE(settled);
  CHECK(f.simulator->faults().fired_total() == 1);
  CHECK(has_failed_notice(f.notices(beta_venue.account), "insufficient balance"));
  CHECK(f.status().counters.orders_placed == 3);  // two legs and one correction
  check_balances(f);
  return lines;
}

} // namespace

TEST_CASE("a sell leg the simulator rejects is unwound on the market whose buy leg filled",
          "[strategy_actor][sim][arbitrage]") {
  const auto fills = rejected_sell_leg(config::leg_failure_action::unwind);
  CHECK(fills == std::vector<std::string>{"alpha_main buy 0.01", "alpha_main sell 0.01"});
}

TEST_CASE("a sell leg the simulator rejects is hedged by selling on its own market",
          "[strategy_actor][sim][arbitrage]") {
  const auto fills = rejected_sell_leg(config::leg_failure_action::hedge);
  CHECK(fills == std::vector<std::string>{"alpha_main buy 0.01", "beta_main sell 0.01"});
}

TEST_CASE("a sell leg the simulator rejects is retried as a limit order on its own market",
          "[strategy_actor][sim][arbitrage]") {
  const auto fills = rejected_sell_leg(config::leg_failure_action::retry);
  CHECK(fills == std::vector<std::string>{"alpha_main buy 0.01", "beta_main sell 0.01"});
}

TEST_CASE("a leg whose placement reply is lost stays in flight and is settled by the tracker's "
          "notices, not unwound",
          "[strategy_actor][sim][arbitrage]") {
  arbitrage_sim_fixture f{config::leg_failure_action::unwind};
  f.put_lossy_exchange(alpha_venue.account, true);  // the buy leg is placed; its reply is lost
  f.start();
  const bool settled = f.await_settled(2);
  auto lines = fill_lines(f.fills());
  std::sort(lines.begin(), lines.end());  // the two legs fill in either order
  INFO(f.describe());
  REQUIRE(settled);
  CHECK(lines == std::vector<std::string>{"alpha_main buy 0.01", "beta_main sell 0.01"});
  CHECK(f.status().counters.orders_placed == 2);  // no unwind of a leg that did fill
  check_balances(f);
}

TEST_CASE("a placement that never reached the exchange actor fails once the tracker shows no "
          "such order, and the filled leg is unwound",
          "[strategy_actor][sim][arbitrage]") {
  arbitrage_sim_fixture f{config::leg_failure_action::unwind};
  f.put_lossy_exchange(alpha_venue.account, false);  // the buy leg never arrives
  f.start();
  const bool unconfirmed_shown = f.await_reason("unanswered by the exchange actor");
  const bool settled = f.await_settled(2);
  const auto lines = fill_lines(f.fills());
  INFO(f.describe());
  REQUIRE(settled);
  CHECK(unconfirmed_shown);  // reported while it was in flight
  CHECK(lines == std::vector<std::string>{"beta_main sell 0.01", "beta_main buy 0.01"});
  CHECK(f.status().counters.orders_placed == 3);
  CHECK(f.notices(alpha_venue.account).empty());  // nothing was ever placed on alpha
  check_balances(f);
}

TEST_CASE("a leg whose exchange answer is lost after the exchange took it (connection reset) "
          "fills by the stream, and the round completes with no correction",
          "[strategy_actor][sim][arbitrage]") {
  arbitrage_sim_fixture f{config::leg_failure_action::unwind};
  sim::fault dropped;
  dropped.kind = sim::fault_kind::drop_response;  // executes, then resets without answering
  dropped.exchange = beta_venue.exchange;
  dropped.endpoint = "POST /api/v3/order";
  dropped.count = 1;
  f.simulator->faults().add(dropped);
  f.start();
  const bool settled = f.await_settled(2);
  auto lines = fill_lines(f.fills());
  std::sort(lines.begin(), lines.end());
  INFO(f.describe());
  REQUIRE(settled);
  CHECK(f.simulator->faults().fired_total() == 1);
  CHECK(lines == std::vector<std::string>{"alpha_main buy 0.01", "beta_main sell 0.01"});
  CHECK(f.status().counters.orders_placed == 2);
  const auto beta = f.notices(beta_venue.account);
  CHECK(std::none_of(beta.begin(), beta.end(), [](const order_notice& notice) {
    return notice.kind == order_notice_kind::failed;  // ambiguous, so never failed
  }));
  check_balances(f);
}

/// The distinct trade ids among the fills of `notices`.
std::set<std::string> trade_ids(const std::vector<order_notice>& notices) {
  std::set<std::string> out;
  for (const auto& notice : notices)
    for (const auto& fill : notice.fills)
      out.insert(fill.trade_id);
  return out;
}

/// The open orders the tracker of `account` holds, or nullopt when it did not answer.
std::optional<std::vector<order_notice>> tracker_open_orders(arbitrage_sim_fixture& f,
                                                             const std::string& account) {
  caf::scoped_actor self{f.rt.system()};
  std::optional<std::vector<order_notice>> out;
  self->request(f.contexts.at(account)->directory.get("exchange"), 5s, orders_atom::value)
      .receive([&](std::vector<order_notice>& open) { out = std::move(open); }, [](caf::error&) {});
  return out;
}

TEST_CASE("order notices lost on the way to the strategy are made up by the order-state query: "
          "each fill booked once, no ended order shown open",
          "[strategy_actor][sim][arbitrage]") {
  arbitrage_sim_fixture f{config::leg_failure_action::unwind};
  // On alpha only fills get through: the buy leg's fills come by notice and again in the
  // query's answer, and its end only by the query. On beta every notice is lost.
  auto alpha = f.put_notice_gate(alpha_venue.account, [](const order_notice& notice) {
    return notice.kind != order_notice_kind::filled;
  });
  auto beta = f.put_notice_gate(beta_venue.account, [](const order_notice&) { return true; });
  f.start();
  const bool settled = f.await_settled(2);
  auto lines = fill_lines(f.fills());
  std::sort(lines.begin(), lines.end());
  INFO(f.describe());
  REQUIRE(settled);
  CHECK(alpha->passed.load() > 0);
  CHECK(alpha->dropped.load() > 0);
  CHECK(beta->dropped.load() > 0);
  CHECK(beta->passed.load() == 0);
  CHECK(lines == std::vector<std::string>{"alpha_main buy 0.01", "beta_main sell 0.01"});
  CHECK(f.status().counters.fills == 2);  // the strategy's ledger counted each fill once
  CHECK(f.status().counters.orders_placed == 2);
  for (const auto& venue : {alpha_venue, beta_venue}) {
    INFO(venue.account);
    CHECK(trade_ids(f.notices(venue.account)).size() == 1);  // the tracker's fills
    const auto open = tracker_open_orders(f, venue.account);
    REQUIRE(open);
    CHECK(open->empty());  // as the strategy shows
  }
  check_balances(f);
}

TEST_CASE("a strategy on a paused market stays ready: its book actors vouch for the quiet books",
          "[strategy_actor][sim][arbitrage]") {
  arbitrage_sim_fixture f{config::leg_failure_action::unwind};
  f.settings->book_silence = 2s;  // the books change only when the strategy trades
  f.start();
  REQUIRE(f.await_settled(2));
  // Twice the silence allowed, looked at every 50 ms: never called out of sync.
  caf::scoped_actor self{f.rt.system()};
  std::string worst;
  for (int look = 0; look < 80 && worst.empty(); ++look) {
    const auto shown = f.status();
    if (shown.state != supervision::strategy_state::running)
      worst = shown.reason;
    self->receive(caf::after(50ms) >> [] {});
  }
  CHECK(worst.empty());
}

} // namespace tern::testing
