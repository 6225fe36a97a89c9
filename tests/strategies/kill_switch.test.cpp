#include <catch2/catch.hpp>

#include "strategies/ledger.hpp"
#include "strategies/market_making.hpp"
#include "strategy_support.hpp"

using namespace tern;
using namespace tern::strategies;
using namespace tern::strategies::testing;

namespace {

fill_input fill_at(decimal price, decimal amount, decimal fee = {}, std::string fee_asset = "USDT") {
  return fill_input{price, amount, tern::fee{std::move(fee_asset), fee}};
}

} // namespace

TEST_CASE("the ledger realises P&L at average cost and values the rest at the mark") {
  ledger l{trading_pair::from_string("BTC-USDT")};
  l.record_fill("a", side::buy, fill_at("100"_d, "1"_d));
  l.record_fill("a", side::buy, fill_at("110"_d, "1"_d));
  l.record_fill("b", side::sell, fill_at("120"_d, "1"_d, "0.12"_d));
  CHECK(l.realised() == "120"_d - "0.12"_d - "105"_d);
  l.set_mark("100"_d);
  CHECK(l.unrealised() == "100"_d - "105"_d);
  strategy_status s;
  l.fill_status(s);
  CHECK(s.accounts.at("a").pnl + s.accounts.at("b").pnl == l.total_pnl());
  CHECK(s.exposure.at("BTC") == "1"_d);
}

TEST_CASE("the ledger handles shorts, turning the position round, and fees in base or elsewhere") {
  ledger l{trading_pair::from_string("BTC-USDT")};
  l.record_fill("a", side::sell, fill_at("100"_d, "1"_d));
  l.record_fill("a", side::buy, fill_at("90"_d, "1"_d));
  CHECK(l.realised() == "10"_d);
  CHECK(l.position() == "0"_d);
  l.record_fill("a", side::buy, fill_at("100"_d, "1"_d));
  l.record_fill("a", side::sell, fill_at("110"_d, "3"_d));  // closes 1 at +10, opens 2 short at 110
  CHECK(l.realised() == "20"_d);
  CHECK(l.position() == "-2"_d);
  l.set_mark("100"_d);
  CHECK(l.unrealised() == "20"_d);  // short 2 from 110 to 100
  l.record_fill("b", side::buy, fill_at("100"_d, "1"_d, "0.001"_d, "BTC"));
  CHECK(l.available("b", "BTC") == "0.999"_d);
  l.record_fill("b", side::buy, fill_at("100"_d, "1"_d, "0.02"_d, "BNB"));
  strategy_status s;
  l.fill_status(s);
  CHECK(s.other_fees.at("BNB") == "0.02"_d);
  CHECK(s.accounts.at("a").pnl + s.accounts.at("b").pnl == l.total_pnl());
}

namespace {

struct guarded_maker {
  std::unique_ptr<market_making> strategy;
  place_order bid;
  explicit guarded_maker(decimal loss_limit) {
    market_making_params p;
    p.order_amount = "1"_d;
    p.bid_spread = "0.001"_d;
    p.ask_spread = "0.001"_d;
    strategy = std::make_unique<market_making>(common_params{"mm", "", loss_limit}, p, info("binance"));
    (void)strategy->on_balance({"binance", "BTC", "10"_d, "10"_d}, at_seconds(0));
    (void)strategy->on_balance({"binance", "USDT", "100000"_d, "100000"_d}, at_seconds(0));
    auto orders = only<place_order>(at_mid("1001"_d, 1));
    REQUIRE(orders.size() == 2);
    bid = orders[0];
    REQUIRE(bid.order_side == side::buy);
    // The bid fills at 1000: long 1 BTC at 1000.
    (void)strategy->on_order_event(filled(bid, "1000"_d, "1"_d, "0"_d), at_seconds(2));
  }
  actions at_mid(decimal mid, long second) {
    return strategy->on_book(book(market("binance"), {{mid - "1"_d, "5"_d}}, {{mid + "1"_d, "5"_d}}),
                             at_seconds(second));
  }
};

} // namespace

TEST_CASE("the kill switch stops and cancels everything when the loss reaches the limit") {
  guarded_maker f{"5"_d};
  auto before = f.at_mid("995.01"_d, 3);  // loss 4.99
  CHECK(only<stopped>(before).empty());
  CHECK(f.strategy->running());
  auto out = f.at_mid("995"_d, 4);        // loss 5.00: at the limit
  CHECK(only<stopped>(out).size() == 1);
  CHECK(only<cancel_all>(out).size() == 1);
  CHECK(only<cancel_order>(out).size() == f.strategy->open_orders().size());
  CHECK_FALSE(only<cancel_order>(out).empty());
  CHECK(only<place_order>(out).empty());
  CHECK_FALSE(f.strategy->running());
  CHECK(f.strategy->status().stop_reason.find("kill switch") != std::string::npos);
  CHECK(only<place_order>(f.strategy->on_tick(at_seconds(100))).empty());
}

TEST_CASE("a realised loss from a fill trips the kill switch on the order event") {
  guarded_maker f{"3"_d};
  // The ask placed with the bid is still open; it fills at 996.5 with a 0.5 fee: a realised
  // loss of 4, beyond the limit of 3.
  std::optional<place_order> sell;
  for (const auto& [id, o] : f.strategy->open_orders())
    if (o.order.order_side == side::sell) sell = o.order;
  REQUIRE(sell);
  auto out = f.strategy->on_order_event(filled(*sell, "996.5"_d, "1"_d, "0.5"_d), at_seconds(4));
  CHECK(f.strategy->status().realised_pnl == "-4"_d);
  CHECK(only<stopped>(out).size() == 1);
}

TEST_CASE("a stop command stops the strategy once and says why") {
  guarded_maker f{"1000"_d};
  auto out = f.strategy->stop("ops command");
  CHECK(only<stopped>(out) == std::vector<stopped>{{"ops command"}});
  CHECK(f.strategy->status().stop_reason == "ops command");
  CHECK(f.strategy->stop("again").empty());
}

TEST_CASE("orders left by a previous incarnation are adopted, cancelled, and their fills booked") {
  market_making_params p;
  p.order_amount = "1"_d;
  p.bid_spread = "0.01"_d;
  p.ask_spread = "0.01"_d;
  market_making restarted{common_params{"mm", "mm-2", std::nullopt}, p, info("binance")};
  tracked_order old_bid{place_order{market("binance"), "mm-1-7", side::buy, order_type::limit_maker,
                                    time_in_force::gtc, "990"_d, "1"_d, "level 0 bid"},
                        "0.25"_d, "247.5"_d, order_state::partially_filled};
  tracked_order done = old_bid;
  done.order.client_id = "mm-1-6";
  done.state = order_state::filled;
  auto out = restarted.adopt({old_bid, done});
  auto cancels = only<cancel_order>(out);
  REQUIRE(cancels.size() == 1);  // the filled one is history, not an open order
  CHECK(cancels[0].client_id == "mm-1-7");
  CHECK(restarted.open_orders().size() == 1);
  (void)restarted.on_order_event(filled(old_bid.order, "990"_d, "0.5"_d, "0"_d, order_state::partially_filled),
                                 at_seconds(1));
  CHECK(restarted.status().exposure.at("BTC") == "0.5"_d);
  (void)restarted.on_balance({"binance", "USDT", "10000"_d, "10000"_d}, at_seconds(1));
  (void)restarted.on_balance({"binance", "BTC", "10"_d, "10"_d}, at_seconds(1));
  auto fresh = only<place_order>(
      restarted.on_book(book(market("binance"), {{"999"_d, "1"_d}}, {{"1001"_d, "1"_d}}), at_seconds(2)));
  REQUIRE_FALSE(fresh.empty());
  CHECK(fresh[0].client_id.rfind("mm-2-", 0) == 0);  // the new incarnation's ids
}
