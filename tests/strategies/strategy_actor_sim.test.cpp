// A market-making strategy actor against the simulator over TLS (Binance spot dialect), through
// the real account actors: it quotes both sides, a restarted incarnation adopts the orders its
// predecessor left open and cancels them, and the kill switch cancels everything. Orders are
// checked in the exchange actor's tracker, which follows the simulator's own reports.

#include "tests/actors/trading_support.hpp"

#include <filesystem>
#include <set>

#include <caf/send.hpp>

#include "strategies/actors/strategy_actor.hpp"
#include "supervision/strategy_board.hpp"

namespace tern::testing {
namespace {

using namespace std::chrono_literals;

sim::server_options spot() {
  sim::server_options options;
  sim::exchange_setup exchange;
  exchange.name = "binance";
  exchange.dialect = "binance";
  exchange.markets = {btcusdt_walk(100ms)};
  exchange.accounts = {doc_account()};
  options.exchanges = {exchange};
  options.control_port.reset();
  return options;
}

account_settings maker_account(const std::filesystem::path& folder) {
  account_settings settings;
  settings.name = "binance_main";
  settings.connector = "binance";
  settings.markets = {"BTC-USDT"};
  settings.keys = credentials{std::string{doc_api_key}, std::string{doc_secret}};
  settings.journal = folder / "journal.sqlite";
  settings.timings = test_timings();
  return settings;
}

config::strategy_config maker_config() {
  config::market_making_params params;
  params.market = {"binance_main", "BTC-USDT", {}};
  params.order_amount = *decimal::parse("0.001");
  params.bid_spread = *decimal::parse("0.002");
  params.ask_spread = *decimal::parse("0.002");
  params.order_refresh_time = 600s;  // no refresh during the test: the orders stay put
  config::strategy_config config;
  config.name = "maker";
  config.kind = "pure_market_making";
  config.params = params;
  return config;
}

struct maker_fixture {
  supervision::strategy_board board;  // outlives the actor system, whose actors publish to it
  temp_folder folder;
  account_fixture account{spot(), "binance", maker_account(folder.path)};
  std::shared_ptr<strategy_actors::strategy_actor_settings> settings =
      std::make_shared<strategy_actors::strategy_actor_settings>();
  caf::actor sink = account.rt.system().spawn([]() -> caf::behavior {
    return {[](const supervision::health_update&) {}};
  });

  maker_fixture() {
    account.start();
    for (const char* child :
         {"services", "connection", "book.BTC-USDT", "user_stream", "orders", "exchange"}) {
      INFO(child << "\n" << account.describe_tree());
      REQUIRE(account.await_state(child, health_state::ready));
    }
    settings->config = maker_config();
    settings->board = &board;
    settings->tick = 200ms;
    settings->lookup = [this](const std::string& name, const std::string& actor) -> caf::actor {
      return name == "binance_main" ? account.context->directory.get(actor) : caf::actor{};
    };
  }

  caf::actor start(std::uint64_t restarts) {
    supervision::child_context child{"pure_market_making", "node/strategies/maker/pure_market_making",
                                     sink, restarts, nullptr};
    return strategy_actors::spawn_strategy(account.rt.system(), settings, child);
  }

  /// The account's open orders as the tracker knows them, by client order id.
  std::map<std::string, order_notice> orders() {
    std::map<std::string, order_notice> out;
    caf::scoped_actor self{account.rt.system()};
    self->request(account.context->directory.get("exchange"), 5s, orders_atom::value)
        .receive(
            [&](const std::vector<order_notice>& all) {
              for (const auto& notice : all)
                out[notice.client_order_id] = notice;
            },
            [](caf::error&) {});
    return out;
  }

  /// Waits (bounded) until `test` holds for the tracker's orders.
  bool await_orders(const std::function<bool(const std::map<std::string, order_notice>&)>& test,
                    std::chrono::milliseconds limit = 15s) {
    const auto until = std::chrono::steady_clock::now() + limit;
    caf::scoped_actor self{account.rt.system()};
    while (std::chrono::steady_clock::now() < until) {
      if (test(orders()))
        return true;
      self->receive(caf::after(100ms) >> [] {});  // the next look, not a guess at a duration
    }
    return false;
  }

  static std::set<std::string> open_ids(const std::map<std::string, order_notice>& all) {
    std::set<std::string> out;
    for (const auto& [id, notice] : all)
      if (!is_final(notice.state) && notice.state != order_state::pending_create)
        out.insert(id);
    return out;
  }
};

} // namespace

TEST_CASE("a market-making actor quotes on the simulator, a restart adopts and cancels its open "
          "orders, and the kill switch cancels everything",
          "[strategy_actor][sim]") {
  maker_fixture f;
  auto first = f.start(0);
  REQUIRE(f.await_orders([](const auto& all) { return maker_fixture::open_ids(all).size() == 2; }));
  const auto before = maker_fixture::open_ids(f.orders());
  std::set<side> sides;
  for (const auto& [id, notice] : f.orders())
    if (before.count(id) > 0)
      sides.insert(notice.order_side);
  CHECK(sides.size() == 2);  // a bid and an ask

  // The actor fails; its replacement finds the two orders, cancels them and quotes afresh.
  caf::anon_send_exit(first, caf::exit_reason::kill);
  auto second = f.start(1);
  std::set<std::string> after;
  const bool requoted = f.await_orders([&](const auto& all) {
    after = maker_fixture::open_ids(all);
    for (const auto& id : before)
      if (all.count(id) > 0)
        return false;  // not cancelled yet
    return after.size() == 2;
  });
  INFO("open after the restart: " << after.size());
  REQUIRE(requoted);

  caf::scoped_actor self{f.account.rt.system()};
  std::string reply;
  self->request(second, 10s, strategy_actors::stratkill_atom::value, std::string{"test"})
      .receive([&](const std::string& text) { reply = text; },
               [](caf::error&) { FAIL("no answer to the kill switch"); });
  INFO(reply);
  CHECK(reply.find("binance_main:BTC-USDT cancelled") != std::string::npos);
  CHECK(f.await_orders([](const auto& all) { return maker_fixture::open_ids(all).empty(); }));
  const auto shown = f.board.snapshot();
  REQUIRE(shown.strategies.size() == 1);
  CHECK(shown.strategies.front().status.state == supervision::strategy_state::killed);
  caf::anon_send_exit(second, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(f.sink, caf::exit_reason::user_shutdown);
}

} // namespace tern::testing
