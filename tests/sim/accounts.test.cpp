// Accounts and balances: API keys, locks, fee assets, rejections for missing funds, and the
// money invariants under random order flow with tight funds.

#include <catch2/catch.hpp>

#include <random>

#include "sim/venue.hpp"
#include "tests/sim/sim_fixtures.hpp"

using namespace tern;
using namespace tern::sim;
using namespace tern::sim::testing;

namespace {
const timestamp start = from_unix_ms(1'723'161'253'937);
}

TEST_CASE("API keys map to accounts and are unique", "[sim]") {
  ledger accounts;
  auto first = accounts.open_account("key-a");
  REQUIRE(first);
  auto second = accounts.open_account("key-b");
  REQUIRE(second);
  CHECK(*first != *second);
  CHECK(accounts.find_by_api_key("key-b") == *second);
  CHECK_FALSE(accounts.find_by_api_key("key-c"));
  auto duplicate = accounts.open_account("key-a");
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error().code == error_code::duplicate_api_key);
  CHECK(accounts.open_account("").error().code == error_code::invalid_api_key);
}

TEST_CASE("deposits and withdrawals move free balance and refuse bad amounts", "[sim]") {
  ledger accounts;
  account_id trader = accounts.open_account("key").value();
  REQUIRE(accounts.deposit(trader, "USDT", "100.5"_d));
  CHECK(accounts.balance(trader, "USDT") == asset_balance{"100.5"_d, "0"_d});
  CHECK(accounts.withdraw(trader, "USDT", "200"_d).error().code == error_code::insufficient_balance);
  CHECK(accounts.deposit(trader, "USDT", "-1"_d).error().code == error_code::invalid_amount);
  CHECK(accounts.deposit(7, "USDT", "1"_d).error().code == error_code::unknown_account);
  REQUIRE(accounts.withdraw(trader, "USDT", "0.5"_d));
  CHECK(accounts.balance(trader, "USDT").free == "100"_d);
  CHECK(accounts.net_deposits(*accounts.find_asset("USDT")) == "100"_d);
}

TEST_CASE("a spot buy locks quote, a sell locks base, and a cancel unlocks them", "[sim]") {
  venue exchange;
  matching_engine& engine = *exchange.add_market(binance_btcusdt_spot()).value();
  account_id trader = funded_account(exchange, "t", {{"USDT", "1000"_d}, {"BTC", "0.5"_d}});
  event_buffer events;
  auto buy = engine.place(limit(trader, side::buy, "60000.00"_d, "0.01"_d), start, events);
  REQUIRE(buy);
  CHECK(exchange.accounts().balance(trader, "USDT") == asset_balance{"400"_d, "600"_d});
  auto sell = engine.place(limit(trader, side::sell, "62000.00"_d, "0.2"_d), start, events);
  REQUIRE(sell);
  CHECK(exchange.accounts().balance(trader, "BTC") == asset_balance{"0.3"_d, "0.2"_d});
  CHECK(exchange.audit() == "");

  events.clear();
  REQUIRE(engine.cancel(trader, buy->id, start, events));
  auto balances = events_of<balance_update>(events);
  REQUIRE(balances.size() == 1);
  CHECK(balances[0].asset == "USDT");
  CHECK(balances[0].free == "1000"_d);
  CHECK(balances[0].locked.is_zero());
  REQUIRE(engine.cancel(trader, sell->id, start, events));
  CHECK(exchange.accounts().balance(trader, "BTC") == asset_balance{"0.5"_d, "0"_d});
}

TEST_CASE("missing funds reject the order and change nothing", "[sim]") {
  venue exchange;
  matching_engine& engine = *exchange.add_market(binance_btcusdt_spot()).value();
  account_id poor = funded_account(exchange, "poor", {{"USDT", "100"_d}});
  account_id seller = funded_account(exchange, "seller", {{"BTC", "1"_d}});
  event_buffer events;
  REQUIRE(engine.place(limit(seller, side::sell, "60000.00"_d, "0.001"_d), start, events));
  REQUIRE(engine.place(limit(seller, side::sell, "70000.00"_d, "0.001"_d), start, events));
  events.clear();

  auto too_big = engine.place(limit(poor, side::buy, "60000.00"_d, "0.002"_d), start, events);
  REQUIRE_FALSE(too_big);
  CHECK(too_big.error().code == error_code::insufficient_balance);
  CHECK(too_big.error().message.find("120") != std::string::npos);  // names what was needed
  auto no_base = engine.place(limit(poor, side::sell, "60000.00"_d, "0.001"_d), start, events);
  CHECK(no_base.error().code == error_code::insufficient_balance);
  // A market buy needs the cost of walking the book: 60 + 70 = 130 > 100.
  auto market = engine.place(market_order(poor, side::buy, "0.002"_d), start, events);
  CHECK(market.error().code == error_code::insufficient_balance);
  CHECK(events.empty());
  CHECK(exchange.accounts().balance(poor, "USDT") == asset_balance{"100"_d, "0"_d});

  // Exactly the walk's cost is enough: a market buy locks what it will pay, not a worst case.
  account_id exact = funded_account(exchange, "exact", {{"USDT", "130"_d}});
  auto bought = engine.place(market_order(exact, side::buy, "0.002"_d), start, events);
  REQUIRE(bought);
  CHECK(bought->status == order_status::filled);
  CHECK(exchange.accounts().balance(exact, "USDT") == asset_balance{"0"_d, "0"_d});
  CHECK(exchange.accounts().balance(exact, "BTC").free == "0.001998"_d);  // 0.1 % in BTC
  CHECK(exchange.audit() == "");
}

TEST_CASE("the fee asset follows the market's rule", "[sim]") {
  market_spec quote_fees = simple_spot("0.001"_d, "0.001"_d);
  quote_fees.fee_rule = fee_asset_rule::quote_asset;
  venue exchange;
  matching_engine& engine = *exchange.add_market(quote_fees).value();
  account_id seller = funded_account(exchange, "s", {{"TEST", "10"_d}});
  account_id buyer = funded_account(exchange, "b", {{"USD", "100.1"_d}});
  event_buffer events;
  REQUIRE(engine.place(limit(seller, side::sell, "100.00"_d, "1.000"_d), start, events));
  // A buyer pays the fee in USD on top, so the lock includes it: 100.1 + 0.1001 > 100.1.
  auto tight = engine.place(limit(buyer, side::buy, "100.00"_d, "1.001"_d), start, events);
  CHECK(tight.error().code == error_code::insufficient_balance);
  events.clear();
  auto bought = engine.place(limit(buyer, side::buy, "100.00"_d, "1.000"_d), start, events);
  REQUIRE(bought);
  auto fills = events_of<order_event>(events);
  REQUIRE(fills.size() == 3);
  CHECK(fills[2].fill->fee_asset == "USD");
  CHECK(fills[2].fill->fee == "0.1"_d);
  CHECK(exchange.accounts().balance(buyer, "TEST").free == "1"_d);
  CHECK(exchange.accounts().balance(buyer, "USD") == asset_balance{"0"_d, "0"_d});
  CHECK(exchange.accounts().balance(seller, "USD").free == "99.9"_d);
  CHECK(exchange.accounts().fees(*exchange.accounts().find_asset("USD")) == "0.2"_d);
  CHECK(exchange.audit() == "");
}

TEST_CASE("balances stay non-negative and conserved under random flow with tight funds", "[sim]") {
  venue exchange;
  matching_engine& engine = *exchange.add_market(simple_spot("0.001"_d, "0.0025"_d)).value();
  std::vector<account_id> traders;
  for (int i = 0; i < 5; ++i)
    traders.push_back(funded_account(exchange, numbered("k", i),
                                     {{"USD", decimal::from_integer(50 + 40 * i)},
                                      {"TEST", decimal::from_scaled(5 + 3 * i, 1)}}));
  std::mt19937_64 random{20240808};
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<std::uint64_t>(n)); };
  event_buffer events;
  int accepted = 0;
  int short_of_funds = 0;
  for (int op = 0; op < 6000; ++op) {
    INFO("operation " << op);
    account_id trader = traders[static_cast<std::size_t>(pick(5))];
    timestamp now = start + std::chrono::milliseconds{op};
    if (pick(6) == 0) {
      cancel_one_open_order(engine, trader, random(), now, events);
    } else {
      order_request request = limit(trader, pick(2) == 0 ? side::buy : side::sell,
                                    decimal::from_scaled(9950 + pick(101), 2),
                                    decimal::from_scaled(1 + pick(400), 3));
      int kind = pick(5);
      if (kind == 0)
        request.type = order_type::market;
      else if (kind == 1)
        request.tif = time_in_force::ioc;
      else if (kind == 2)
        request.tif = time_in_force::fok;
      request.stp = static_cast<stp_mode>(pick(3));
      auto placed = engine.place(request, now, events);
      if (placed)
        ++accepted;
      else if (placed.error().code == error_code::insufficient_balance)
        ++short_of_funds;
    }
    REQUIRE(exchange.audit() == "");
    events.clear();
  }
  CHECK(accepted > 1000);
  CHECK(short_of_funds > 100);
  // Fees went somewhere: the exchange collected some of each asset.
  CHECK(exchange.accounts().fees(*exchange.accounts().find_asset("USD")).is_positive());
  CHECK(exchange.accounts().fees(*exchange.accounts().find_asset("TEST")).is_positive());
}
