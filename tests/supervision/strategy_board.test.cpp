// The strategy board and its renderings: bounded history, snapshots that are copies, exact
// decimals in JSON (and back), the kill switch's guard, and the text `tern status` prints.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "supervision/health_json.hpp"
#include "supervision/status_text.hpp"
#include "supervision/strategy_board.hpp"
#include "supervision/strategy_json.hpp"
#include "strategy_samples.hpp"

using namespace tern;
using namespace tern::supervision;
using namespace tern::supervision::testing;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

strategy_board_options small_board() {
  strategy_board_options options;
  options.fill_capacity = 2;
  options.series_capacity = 3;
  options.series_resolution = std::chrono::seconds{1};
  return options;
}

} // namespace

TEST_CASE("the P&L series keeps the newest points up to its capacity") {
  strategy_board board{small_board()};
  const char* totals[] = {"1", "2", "3", "4", "5"};
  for (int i = 0; i < 5; ++i)
    board.publish(sample_strategy(totals[i], "0"), at_second(sample_published, i));
  const auto snapshot = board.snapshot();
  REQUIRE(snapshot.strategies.size() == 1);
  const auto& series = snapshot.strategies[0].pnl_series;
  REQUIRE(series.size() == 3);
  CHECK(series[0].time == at_second(sample_published, 2));
  CHECK(series[0].total == decimal::from_string("3"));
  CHECK(series[2].time == at_second(sample_published, 4));
  CHECK(series[2].total == decimal::from_string("5"));
}

TEST_CASE("publishes closer than the resolution replace the last P&L point") {
  strategy_board board{small_board()};
  board.publish(sample_strategy("1", "0"), sample_published);
  board.publish(sample_strategy("2", "0"), sample_published + std::chrono::milliseconds{400});
  board.publish(sample_strategy("3", "0"), sample_published + std::chrono::milliseconds{900});
  auto series = board.snapshot().strategies[0].pnl_series;
  REQUIRE(series.size() == 1);
  CHECK(series[0].total == decimal::from_string("3"));
  CHECK(series[0].time == sample_published + std::chrono::milliseconds{900});
  // Measured from when the point was added (0 ms), not from its merged time (900 ms): a
  // strategy publishing every 400 ms still adds a point each second.
  board.publish(sample_strategy("4", "0"), sample_published + std::chrono::milliseconds{1000});
  series = board.snapshot().strategies[0].pnl_series;
  REQUIRE(series.size() == 2);
  CHECK(series[0].total == decimal::from_string("3"));
  CHECK(series[1].total == decimal::from_string("4"));
  board.publish(sample_strategy("5", "0"), sample_published + std::chrono::milliseconds{1999});
  series = board.snapshot().strategies[0].pnl_series;
  REQUIRE(series.size() == 2);
  CHECK(series[1].total == decimal::from_string("5"));
  CHECK(series[1].time == sample_published + std::chrono::milliseconds{1999});
  board.publish(sample_strategy("6", "0"), sample_published + std::chrono::milliseconds{2000});
  CHECK(board.snapshot().strategies[0].pnl_series.size() == 3);
}

TEST_CASE("recent fills keep the newest, oldest first, and wait for the first status") {
  strategy_board board{small_board()};
  board.record_fill("arb-btc", sample_fill("c1", "37000", sample_published));
  CHECK(board.snapshot().strategies.empty()); // nothing to show a fill with yet
  board.record_fill("arb-btc", sample_fill("c2", "37001", sample_published));
  board.record_fill("arb-btc", sample_fill("c3", "37002", sample_published));
  board.publish(sample_strategy(), sample_published);
  const auto fills = board.snapshot().strategies.at(0).recent_fills;
  REQUIRE(fills.size() == 2);
  CHECK(fills[0].client_order_id == "c2");
  CHECK(fills[1].client_order_id == "c3");
  board.remove("arb-btc");
  CHECK(board.snapshot().strategies.empty());
}

TEST_CASE("a snapshot is a copy that later publishes do not change") {
  strategy_board board;
  board.publish(sample_strategy("1", "0"), sample_published);
  board.record_fill("arb-btc", sample_fill("c1", "37000", sample_published));
  const auto before = board.snapshot();
  board.publish(sample_strategy("9", "0"), at_second(sample_published, 5));
  board.record_fill("arb-btc", sample_fill("c2", "37001", sample_published));
  auto changed = sample_strategy();
  changed.name = "mm-eth";
  board.publish(changed, sample_published);
  REQUIRE(before.strategies.size() == 1);
  CHECK(total_pnl(before.strategies[0].status) == decimal::from_string("1"));
  CHECK(before.strategies[0].recent_fills.size() == 1);
  CHECK(before.strategies[0].pnl_series.size() == 1);
  const auto after = board.snapshot();
  CHECK(after.strategies.size() == 2);
  CHECK(after.version > before.version);
  CHECK_THROWS_AS(board.publish(strategy_status{}, sample_published), std::invalid_argument);
}

TEST_CASE("money in /strategies is exact decimal text") {
  strategy_board board;
  auto status = sample_strategy("0.1", "0.2"); // 0.30000000000000004 as doubles
  status.open_orders[0].price = decimal::from_string("12345678901234.123456789");
  board.publish(status, sample_published);
  const auto text = render_strategies_json(board.snapshot(), sample_now);
  CHECK(contains(text, R"("total":"0.3")"));
  CHECK(contains(text, R"("price":"12345678901234.123456789")"));
  CHECK(contains(text, R"("realised":"0.1")"));
  CHECK(contains(text, R"("bid_price":null)")); // okx has no bids
  CHECK(contains(text, R"("pnl_series":[{"total":"0.3","unix_ms":1700000001000}])"));
  CHECK_FALSE(contains(text, "0.30000000000000004"));
}

TEST_CASE("a /strategies document reads back the same") {
  strategy_board board;
  board.publish(sample_strategy(), sample_published);
  board.record_fill("arb-btc", sample_fill("tern-arb-0006", "37240.02", sample_failure));
  board.kill().arm([](const kill_switch_request&, auto done) { done({true, "stopped 1"}); });
  const auto original = board.snapshot();
  const auto parsed = parse_strategies_json(render_strategies_json(original, sample_now));
  REQUIRE(parsed);
  CHECK(parsed->generated_at == sample_now);
  CHECK(parsed->kill_switch.armed);
  REQUIRE(parsed->strategies.size() == 1);
  const auto& got = parsed->strategies[0];
  const auto& want = original.strategies[0];
  CHECK(got.status.name == "arb-btc");
  CHECK(got.status.counters.fills == 7);
  CHECK(total_pnl(got.status) == decimal::from_string("1.45"));
  CHECK(got.status.balances[1].total == want.status.balances[1].total);
  CHECK(got.status.open_orders[0].order_side == side::sell);
  CHECK(got.status.open_orders[0].filled == decimal::from_string("0.025"));
  CHECK_FALSE(got.status.tops[1].bid_price.has_value());
  CHECK(got.status.tops[1].ask_price == decimal::from_string("37251.3"));
  CHECK(got.recent_fills.at(0).time == sample_failure);
  CHECK(got.recent_fills.at(0).fee_asset == "BTC");
  CHECK(got.pnl_series.at(0).total == decimal::from_string("1.45"));
  CHECK(got.updated_at == sample_published);
}

TEST_CASE("a /strategies document with a number for money is refused, naming the field") {
  const auto bad = parse_strategies_json(
      R"({"strategies":[{"name":"arb","state":"running","balances":[{"exchange":"okx",)"
      R"("asset":"USDT","total":10.5,"available":"1"}]}]})");
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == "strategies[0] 'arb'.balances[0]: \"total\" is not a decimal string");
  CHECK(parse_strategies_json(R"({"strategies":[{"name":"arb","state":"asleep"}]})").error()
        == "strategies[0] 'arb': unknown state 'asleep'");
  CHECK_FALSE(parse_strategies_json("[]"));
}

TEST_CASE("the kill switch calls its action once at a time and records the result") {
  timestamp now = sample_now;
  kill_switch kill{[&] { return now; }};
  CHECK(kill.trigger({"ops", ""}) == kill_switch_outcome::unarmed);
  std::vector<std::function<void(kill_switch_result)>> pending;
  kill.arm([&](const kill_switch_request&, std::function<void(kill_switch_result)> done) {
    pending.push_back(std::move(done));
  });
  int answered = 0;
  CHECK(kill.trigger({"ops 127.0.0.1:1", "drawdown"}, [&](const auto&) { ++answered; })
        == kill_switch_outcome::started);
  CHECK(kill.status().running);
  CHECK(kill.trigger({"ops", ""}) == kill_switch_outcome::busy);
  REQUIRE(pending.size() == 1);
  now = at_second(sample_now, 2);
  pending[0]({true, "stopped 2 strategies, cancelled 3 orders"});
  pending[0]({false, "a second report"}); // ignored
  CHECK(answered == 1);
  const auto status = kill.status();
  CHECK_FALSE(status.running);
  CHECK(status.invocations == 1);
  REQUIRE(status.last);
  CHECK(status.last->request.reason == "drawdown");
  CHECK(status.last->requested_at == sample_now);
  CHECK(status.last->completed_at == at_second(sample_now, 2));
  CHECK(status.last->result->detail == "stopped 2 strategies, cancelled 3 orders");
  CHECK(kill.trigger({"loss limit of arb-btc", ""}) == kill_switch_outcome::started);
  CHECK(kill.status().invocations == 2);
}

TEST_CASE("/health carries the peer links once published, and they read back") {
  health_board board;
  board.publish(sample_tree());
  CHECK_FALSE(contains(render_health_json(board.latest(), sample_now), "\"nodes\""));
  board.publish_nodes(sample_links());
  const auto text = render_health_json(board.latest(), sample_now);
  CHECK(contains(text, R"({"address":"10.0.0.2:4242","last_loss":null,"latency_us":310,)"
                       R"("losses":0,"name":"books-eu","reason":"","state":"connected"})"));
  CHECK(contains(text, R"("last_loss":"2023-11-14T22:13:20.250Z")"));
  const auto parsed = parse_health_json(text);
  REQUIRE(parsed);
  REQUIRE(parsed->nodes);
  REQUIRE(parsed->nodes->size() == 2);
  CHECK((*parsed->nodes)[0].latency_us == 310);
  CHECK((*parsed->nodes)[1].state == link_state::lost);
  CHECK((*parsed->nodes)[1].last_loss == sample_failure);
  CHECK((*parsed->nodes)[1].reason == "heartbeat timeout");
  CHECK((*parsed->nodes)[1].losses == 3);
  CHECK_FALSE(parsed->kill_switch);
  CHECK(parse_utc("2023-11-14T22:13:20Z") == from_unix_ms(1'700'000'000'000));
  CHECK_FALSE(parse_utc("2023-11-14 22:13:20Z"));
  CHECK_FALSE(parse_utc("2023-13-14T22:13:20.250Z"));
}

TEST_CASE("tern status prints strategies and peer links") {
  strategy_board board;
  board.publish(sample_strategy(), sample_published);
  strategies_document document;
  document.strategies = board.snapshot().strategies;
  const auto text = render_strategies_text(document, status_style{});
  CHECK(text
        == "strategies  (kill switch not armed, not pulled)\n"
           "arb-btc  arbitrage  running  P&L 1.45 USDT (binance 1.7, okx -0.25)\n"
           "         opportunities 12  orders 8  fills 7  open orders 1\n"
           "         balances binance BTC 0.5 (0.4 free), okx USDT 10250.125 (9000 free)\n");
  CHECK(render_strategies_text(strategies_document{}, status_style{}).empty());
  CHECK(render_nodes_text(sample_links(), status_style{})
        == "nodes:\n"
           "books-eu  10.0.0.2:4242  connected  latency 310 us\n"
           "books-us  10.0.0.3:4242  lost: heartbeat timeout  last loss 22:13:20.250\n");
}
