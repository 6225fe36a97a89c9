// Several arbitrage rounds against a small matching stand-in that fills IOC and market orders
// from the crafted books, charges the taker fee in quote and rejects chosen orders. Afterwards
// the strategy's balances, position and P&L must agree with what the stand-in did.

#include <catch2/catch.hpp>

#include <deque>
#include <map>

#include "strategies/arbitrage.hpp"
#include "strategy_support.hpp"

using namespace tern;
using namespace tern::strategies;
using namespace tern::strategies::testing;

namespace {

/// Fills every order in full at the one level its side of the book holds, minus rejections.
struct stand_in_exchange {
  std::map<std::string, price_level> best_ask;  ///< by account
  std::map<std::string, price_level> best_bid;
  std::map<std::pair<std::string, std::string>, decimal> balances;
  std::set<std::uint64_t> reject;  ///< order numbers (1-based, in placement order) to reject
  std::uint64_t placed = 0;

  order_event execute(const place_order& order) {
    ++placed;
    if (reject.contains(placed)) return rejected(order);
    const bool buy = order.order_side == side::buy;
    const price_level level = buy ? best_ask.at(order.market.account) : best_bid.at(order.market.account);
    const decimal amount = min(order.amount, level.size);
    const decimal notional = decimal::multiply(level.price, amount, rounding::half_even);
    const decimal fee = decimal::multiply(notional, "0.001"_d, rounding::up);
    const std::string& account = order.market.account;
    balances[{account, "BTC"}] += buy ? amount : -amount;
    balances[{account, "USDT"}] += (buy ? -notional : notional) - fee;
    return filled(order, level.price, amount, fee, amount == order.amount ? order_state::filled : order_state::cancelled);
  }
};

/// Carries out actions until the strategy asks for nothing more.
void run(arbitrage& strategy, stand_in_exchange& exchange, actions pending, long second) {
  std::deque<action> queue(pending.begin(), pending.end());
  while (!queue.empty()) {
    action next = queue.front();
    queue.pop_front();
    if (const auto* order = std::get_if<place_order>(&next)) {
      auto more = strategy.on_order_event(exchange.execute(*order), at_seconds(second));
      queue.insert(queue.end(), more.begin(), more.end());
    }
  }
}

} // namespace

TEST_CASE("after several rounds, one with a rejected leg, balances and P&L agree with the fills") {
  arbitrage_params p;
  p.min_profitability = "0.003"_d;
  p.order_amount = "1"_d;
  p.on_leg_failure = leg_failure_policy::unwind;
  p.cooldown = std::chrono::seconds{0};
  arbitrage strategy{common_params{"arb", "", std::nullopt}, p, {info("binance"), info("okx")}};
  stand_in_exchange exchange;
  exchange.reject = {4};  // round 2's sell leg
  for (const auto& [account, asset, amount] : std::vector<std::tuple<std::string, std::string, decimal>>{
           {"binance", "USDT", "10000"_d}, {"binance", "BTC", "5"_d}, {"okx", "USDT", "10000"_d}, {"okx", "BTC", "5"_d}}) {
    exchange.balances[{account, asset}] = amount;
    (void)strategy.on_balance({account, asset, amount, amount}, at_seconds(0));
  }
  const std::vector<std::pair<decimal, decimal>> spreads = {  // binance ask, okx bid
      {"100"_d, "101"_d}, {"100"_d, "101.5"_d}, {"99"_d, "100"_d}, {"100"_d, "100.1"_d}, {"98"_d, "99.5"_d}};
  long second = 1;
  for (const auto& [ask, bid] : spreads) {
    exchange.best_ask = {{"binance", {ask, "0.6"_d}}, {"okx", {bid + "5"_d, "10"_d}}};
    exchange.best_bid = {{"binance", {ask - "0.2"_d, "10"_d}}, {"okx", {bid, "10"_d}}};
    for (const std::string account : {"binance", "okx"}) {
      auto out = strategy.on_book(book(market(account), {exchange.best_bid[account]}, {exchange.best_ask[account]}),
                                  at_seconds(second));
      run(strategy, exchange, out, second);
    }
    ++second;
  }
  auto s = strategy.status();
  // The stand-in leaves the books as they were, so a spread may fire more than one round.
  CHECK(s.counters.at("rounds") >= 4);
  CHECK(s.counters.at("corrected_rounds") == 1);  // the one with the rejected leg, unwound
  CHECK(s.counters.at("completed_rounds") + 1 == s.counters.at("rounds"));
  CHECK(s.fills + 1 == exchange.placed);          // every order filled but the rejected one
  for (const auto& [key, amount] : exchange.balances) {
    INFO(key.first << " " << key.second);
    CHECK(strategy.books_ledger().available(key.first, key.second) == amount);
  }
  CHECK(s.exposure.at("BTC") == "0"_d);
  decimal quote_change;
  for (const std::string account : {"binance", "okx"}) quote_change += exchange.balances[{account, "USDT"}] - "10000"_d;
  CHECK(s.realised_pnl == quote_change);
  CHECK(s.total_pnl == quote_change);
}
