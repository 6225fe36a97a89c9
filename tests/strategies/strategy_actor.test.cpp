// The strategy actor's side of the exchange API (actors/exchange_actor.hpp) and of the book
// actors: what it asks for, what it places and cancels, what it recovers after a restart and
// what the kill switch makes it do. The exchange and book are stand-ins that answer the
// documented messages and report each request to the test, so a case can script what the real
// actors do only under faults (a placement whose answer and notices are lost). The runs against
// the simulator through the real actors are strategy_actor_sim.test.cpp, arbitrage_sim.test.cpp
// and the demo test.

#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/message_types.hpp"
#include "actors/runtime.hpp"
#include "config/loader.hpp"
#include "strategies/actors/order_events.hpp"
#include "strategies/actors/strategy_actor.hpp"
#include "strategies/actors/strategy_components.hpp"
#include "strategies/actors/strategy_factory.hpp"
#include "supervision/strategy_board.hpp"

using namespace tern;
using namespace tern::strategy_actors;
using namespace std::chrono_literals;

namespace {

decimal dec(const char* text) { return *decimal::parse(text); }

trading_rules btc_rules() {
  trading_rules rules;
  rules.tick_size = dec("0.1");
  rules.step_size = dec("0.0001");
  rules.min_order_size = dec("0.0001");
  return rules;
}

config::topology demo_topology() {
  auto loaded = config::load_topology_file(TERN_SOURCE_DIR "/config/examples/demo.json");
  REQUIRE(loaded.value);
  return *loaded.value;
}

/// A pure market maker on account "sim", one level a side.
config::strategy_config maker_config() {
  config::market_making_params params;
  params.market = {"sim", "BTC-USDT", {}};
  params.order_amount = dec("0.01");
  params.bid_spread = dec("0.001");
  params.ask_spread = dec("0.001");
  params.order_refresh_time = 60s;
  config::strategy_config config;
  config.name = "maker";
  config.kind = "pure_market_making";
  config.params = params;
  return config;
}

using placed_atom = caf::atom_constant<caf::atom("t_placed")>;
using cancelled_atom = caf::atom_constant<caf::atom("t_cancel")>;
using all_atom = caf::atom_constant<caf::atom("t_all")>;

/// The exchange API of account "sim" as documented: accepts every order, names it "o<n>",
/// confirms it with a `created` notice, cancels on request, and tells `test` what it did.
/// With `answer_placements` false it records each order (it shows among the open orders) but
/// neither answers the placement nor sends a notice: a reply and notices lost on the way.
caf::behavior stand_in_exchange(caf::event_based_actor* self, caf::actor test,
                                std::vector<order_notice> open_before, bool answer_placements) {
  auto subscriber = std::make_shared<caf::actor>();
  auto open = std::make_shared<std::map<std::string, order_notice>>();
  for (auto& notice : open_before)
    (*open)[notice.client_order_id] = notice;
  auto next = std::make_shared<int>(0);
  return {
      [=](subscribe_atom) {
        *subscriber = caf::actor_cast<caf::actor>(self->current_sender());
        return command_reply{true, {}};
      },
      [=](rules_atom, const std::string& pair) {
        return instrument{"sim", *trading_pair::parse(pair), market_kind::spot, btc_rules()};
      },
      [=](balances_atom) {
        return std::vector<balance>{{"BTC", dec("1"), dec("1")}, {"USDT", dec("60000"), dec("60000")}};
      },
      [=](orders_atom) {
        std::vector<order_notice> out;
        for (const auto& [id, notice] : *open)
          out.push_back(notice);
        return out;
      },
      [=](place_atom, const order_intent& intent) -> caf::result<place_reply> {
        order_notice notice{"sim", intent.pair, "o" + std::to_string(++*next), "x",
                            order_notice_kind::created, order_state::open, intent.order_side,
                            intent.price, intent.amount, {}, {}, {}, {}, {}};
        (*open)[notice.client_order_id] = notice;
        self->send(test, placed_atom::value, notice.client_order_id);
        if (!answer_placements)
          return self->make_response_promise<place_reply>();  // never kept
        self->send(*subscriber, notice);
        return place_reply{notice.client_order_id, {}};
      },
      [=](cancel_atom, const std::string& id) {
        self->send(test, cancelled_atom::value, id);
        auto found = open->find(id);
        if (found == open->end())
          return command_reply{false, "unknown order"};
        auto notice = found->second;
        notice.kind = order_notice_kind::cancelled;
        notice.state = order_state::cancelled;
        open->erase(found);
        if (*subscriber)
          self->send(*subscriber, notice);
        return command_reply{true, {}};
      },
      [=](cancel_all_atom, const std::string& pair) {
        self->send(test, all_atom::value, pair);
        return command_reply{true, {}};
      },
  };
}

/// A book actor: answers a depth subscription with one snapshot around 60000.
caf::behavior stand_in_book(caf::event_based_actor* self) {
  return {
      [self](subscribe_atom, const std::string& pair, std::int32_t) {
        book_snapshot book;
        book.pair = pair;
        book.bids = {{dec("59999.9"), dec("1")}};
        book.asks = {{dec("60000.1"), dec("1")}};
        self->send(caf::actor_cast<caf::actor>(self->current_sender()), book);
      },
      [](snapshot_atom, const std::string& pair) {
        book_snapshot book;
        book.pair = pair;
        book.bids = {{dec("59999.9"), dec("1")}};
        book.asks = {{dec("60000.1"), dec("1")}};
        return book;
      },
  };
}

caf::behavior sink() {
  return {[](const supervision::health_update&) {}};
}

struct fixture {
  supervision::strategy_board board;  // outlives the actor system, whose actors publish to it
  runtime rt;
  caf::scoped_actor test{rt.system()};
  caf::actor exchange;
  caf::actor book = rt.system().spawn(stand_in_book);
  caf::actor supervisor = rt.system().spawn(sink);
  std::shared_ptr<strategy_actor_settings> settings = std::make_shared<strategy_actor_settings>();

  explicit fixture(std::vector<order_notice> open_before = {}, bool answer_placements = true) {
    exchange = rt.system().spawn(stand_in_exchange, caf::actor{test}, std::move(open_before),
                                 answer_placements);
    settings->config = maker_config();
    settings->board = &board;
    settings->tick = 50ms;
    settings->request_timeout = 2s;
    settings->lookup = [this](const std::string& account, const std::string& name) -> caf::actor {
      if (account != "sim")
        return {};
      return name == "exchange" ? exchange : name == "book.BTC-USDT" ? book : caf::actor{};
    };
  }

  caf::actor start(std::uint64_t restarts = 0) {
    supervision::child_context child{"pure_market_making", "node/strategies/maker/pure_market_making",
                                     supervisor, restarts, nullptr};
    return spawn_strategy(rt.system(), settings, child);
  }

  /// The next report of `Atom` from the stand-in exchange, within 5 s.
  template <class Atom>
  std::string next() {
    std::string got;
    test->receive([&](Atom, const std::string& id) { got = id; },
                  caf::after(std::chrono::seconds{5}) >> [] { FAIL("no request within 5 s"); });
    return got;
  }
};

} // namespace

TEST_CASE("the demo topology's arbitrage maps onto its two markets and their fees", "[strategy_actor]") {
  const auto topology = demo_topology();
  REQUIRE(topology.strategies.size() == 1);
  const auto& config = topology.strategies.front();
  auto markets = markets_of(config);
  REQUIRE(markets);
  REQUIRE(markets->size() == 2);
  CHECK((*markets)[0].id.to_string() == "binance:BTC-USDT");
  CHECK((*markets)[1].id.to_string() == "okx:BTC-USDT");
  CHECK((*markets)[1].fees.maker == dec("0.0008"));
  auto missing = make_strategy(config, {{"binance:BTC-USDT", btc_rules()}});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().find("okx:BTC-USDT") != std::string::npos);
  auto made = make_strategy(config, {{"binance:BTC-USDT", btc_rules()}, {"okx:BTC-USDT", btc_rules()}});
  REQUIRE(made);
  CHECK((*made)->status().kind == "arbitrage");
}

TEST_CASE("a market maker actor quotes both sides through the exchange API and cancels all when killed",
          "[strategy_actor]") {
  fixture f;
  auto actor = f.start();
  const auto first = f.next<placed_atom>();
  const auto second = f.next<placed_atom>();
  CHECK(first != second);
  std::string reply;
  f.test->request(actor, 5s, stratkill_atom::value, std::string{"test"})
      .receive([&](const std::string& text) { reply = text; },
               [](caf::error&) { FAIL("no answer to the kill switch"); });
  CHECK(reply.find("sim:BTC-USDT cancelled") != std::string::npos);
  std::vector<std::string> cancelled{f.next<cancelled_atom>(), f.next<cancelled_atom>()};
  CHECK(std::count(cancelled.begin(), cancelled.end(), first) == 1);
  CHECK(std::count(cancelled.begin(), cancelled.end(), second) == 1);
  CHECK(f.next<all_atom>() == "BTC-USDT");
  auto shown = f.board.snapshot();
  REQUIRE(shown.strategies.size() == 1);
  CHECK(shown.strategies.front().status.state == supervision::strategy_state::killed);
  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
}

TEST_CASE("a restarted strategy actor adopts the open orders it placed and cancels only those",
          "[strategy_actor]") {
  order_notice mine{"sim", "BTC-USDT", "o-mine", "x1", order_notice_kind::created, order_state::open,
                    side::buy, dec("59000"), dec("0.01"), {}, {}, {}, {}, {}};
  order_notice other = mine;
  other.client_order_id = "o-other";
  fixture f{{mine, other}};
  f.settings->memory->remember("sim", "o-mine");
  auto actor = f.start(1);
  // Only its own order is cancelled; the other strategy's order on the account is left alone.
  std::string cancelled;
  bool placed_seen = false;
  for (int i = 0; i < 4 && cancelled.empty(); ++i)
    f.test->receive([&](cancelled_atom, const std::string& id) { cancelled = id; },
                    [&](placed_atom, const std::string&) { placed_seen = true; },
                    caf::after(std::chrono::seconds{5}) >> [] { FAIL("no cancel within 5 s"); });
  CHECK(cancelled == "o-mine");
  (void)placed_seen;
  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
}

TEST_CASE("a strategy stopped by the kill switch stays stopped after a restart", "[strategy_actor]") {
  fixture f;
  f.settings->memory->set_stopped("kill switch (test)");
  auto actor = f.start(1);
  // It subscribes and builds, but places nothing: the only request it makes is a cancel-all-free
  // stop. Wait until the board shows it killed, then check nothing was placed.
  bool killed = false;
  for (int i = 0; i < 100 && !killed; ++i) {
    f.test->receive(caf::after(std::chrono::milliseconds{50}) >> [] {});
    auto shown = f.board.snapshot();
    killed = !shown.strategies.empty() &&
             shown.strategies.front().status.state == supervision::strategy_state::killed;
  }
  CHECK(killed);
  bool placed = false;
  f.test->receive([&](placed_atom, const std::string&) { placed = true; },
                  caf::after(std::chrono::milliseconds{300}) >> [] {});
  CHECK_FALSE(placed);
  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
}

TEST_CASE("a placement the exchange API never answers is found among its open orders, tracked, "
          "and cancelled by its id when killed", "[strategy_actor]") {
  fixture f{{}, false};
  f.settings->request_timeout = 500ms;
  auto actor = f.start();
  const auto first = f.next<placed_atom>();
  const auto second = f.next<placed_atom>();
  // Unanswered, both stay in flight: the maker places nothing in their stead, and the status
  // says why it is degraded.
  bool replaced = false;
  f.test->receive([&](placed_atom, const std::string&) { replaced = true; },
                  caf::after(std::chrono::milliseconds{1500}) >> [] {});
  CHECK_FALSE(replaced);
  std::string reply;
  f.test->request(actor, 5s, stratkill_atom::value, std::string{"test"})
      .receive([&](const std::string& text) { reply = text; },
               [](caf::error&) { FAIL("no answer to the kill switch"); });
  // Found in the open orders, they are the strategy's again: it cancels each by its id.
  std::vector<std::string> cancelled{f.next<cancelled_atom>(), f.next<cancelled_atom>()};
  CHECK(std::count(cancelled.begin(), cancelled.end(), first) == 1);
  CHECK(std::count(cancelled.begin(), cancelled.end(), second) == 1);
  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
}

TEST_CASE("an incarnation that dies with its placements unanswered leaves them to the next, which "
          "finds them among the open orders and cancels them", "[strategy_actor]") {
  fixture f{{}, false};
  f.settings->request_timeout = 5s;  // still in flight when the actor dies
  auto first_actor = f.start();
  const auto first = f.next<placed_atom>();
  const auto second = f.next<placed_atom>();
  caf::anon_send_exit(first_actor, caf::exit_reason::kill);
  auto actor = f.start(1);
  // The new incarnation quotes afresh (also unanswered) and adopts the two it never placed.
  std::vector<std::string> cancelled;
  for (int i = 0; i < 8 && cancelled.size() < 2; ++i)
    f.test->receive([&](cancelled_atom, const std::string& id) { cancelled.push_back(id); },
                    [&](placed_atom, const std::string&) {},
                    caf::after(std::chrono::seconds{5}) >> [] { FAIL("no cancel within 5 s"); });
  REQUIRE(cancelled.size() == 2);
  CHECK(std::count(cancelled.begin(), cancelled.end(), first) == 1);
  CHECK(std::count(cancelled.begin(), cancelled.end(), second) == 1);
  for (const auto& left : f.settings->memory->pending())  // only the new incarnation's own
    CHECK(left.id.find("-r1-") != std::string::npos);
  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
}

TEST_CASE("order notices read by kind: an IOC's created says open, fills end it once they cover "
          "the amount", "[strategy_actor]") {
  order_notice notice;
  notice.account = "sim";
  notice.pair = "BTC-USDT";
  notice.client_order_id = "o1";
  notice.amount = dec("0.02");
  notice.kind = order_notice_kind::created;
  notice.state = order_state::filled;  // the state after the whole batch, fills included
  auto created = events_of(notice, "s-1");
  REQUIRE(created.size() == 1);
  CHECK(created[0].state == order_state::open);
  CHECK_FALSE(created[0].fill);

  notice.kind = order_notice_kind::filled;
  notice.executed_base = dec("0.02");
  fill first;
  first.price = dec("60000");
  first.base_amount = dec("0.005");
  fill second = first;
  second.base_amount = dec("0.015");
  notice.fills = {first, second};
  auto fills = events_of(notice, "s-1");
  REQUIRE(fills.size() == 2);
  CHECK(fills[0].state == order_state::partially_filled);
  CHECK(fills[0].fill->amount == dec("0.005"));
  CHECK(fills[1].state == order_state::filled);
  CHECK_FALSE(ends_order(order_notice_kind::filled));
  CHECK(ends_order(order_notice_kind::completed));

  notice.kind = order_notice_kind::cancelled;
  notice.fills.clear();
  notice.state = order_state::cancelled;
  auto cancelled = events_of(notice, "s-1");
  REQUIRE(cancelled.size() == 1);
  CHECK(cancelled[0].state == order_state::cancelled);
  notice.kind = order_notice_kind::adopted;
  CHECK(events_of(notice, "s-1").empty());
}

TEST_CASE("a notice is taken for an unanswered placement only when pair, side, amount and a "
          "limit order's price agree", "[strategy_actor]") {
  const order_intent limit{"BTC-USDT", side::buy, order_type::limit, time_in_force::ioc,
                           dec("60000.10"), dec("0.01"), position_action::none};
  order_notice notice;
  notice.account = "sim";
  notice.pair = "BTC-USDT";
  notice.order_side = side::buy;
  notice.price = dec("60000.1");  // the same numbers written with fewer places
  notice.amount = dec("0.0100");
  CHECK(same_order(limit, notice));
  auto other = notice;
  other.order_side = side::sell;
  CHECK_FALSE(same_order(limit, other));
  other = notice;
  other.amount = dec("0.011");
  CHECK_FALSE(same_order(limit, other));
  other = notice;
  other.pair = "ETH-USDT";
  CHECK_FALSE(same_order(limit, other));
  other = notice;
  other.price = dec("60000.2");
  CHECK_FALSE(same_order(limit, other));
  auto market = limit;
  market.type = order_type::market;  // the tracker keeps no price for a market order
  other.price = decimal{};
  CHECK(same_order(market, other));
}
