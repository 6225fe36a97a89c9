#include <catch2/catch.hpp>

#include "strategies/market_making.hpp"
#include "strategy_support.hpp"

using namespace tern;
using namespace tern::strategies;
using namespace tern::strategies::testing;

namespace {

const market_id M = market("binance");

market_making_params basic_params() {
  market_making_params p;
  p.order_amount = "1"_d;
  p.bid_spread = "0.01"_d;
  p.ask_spread = "0.02"_d;
  p.order_refresh_time = std::chrono::seconds{30};
  p.order_refresh_tolerance = "0.001"_d;
  p.filled_order_delay = std::chrono::seconds{60};
  return p;
}

struct maker_fixture {
  std::unique_ptr<market_making> strategy;
  explicit maker_fixture(market_making_params p = basic_params(), decimal base = "100"_d, decimal quote = "100000"_d,
                         std::optional<decimal> kill = std::nullopt) {
    strategy = std::make_unique<market_making>(common_params{"mm", "", kill}, p, info("binance"));
    (void)strategy->on_balance({"binance", "BTC", base, base}, at_seconds(0));
    (void)strategy->on_balance({"binance", "USDT", quote, quote}, at_seconds(0));
  }
  /// A book whose mid is `mid` (bid and ask one unit either side).
  actions at_mid(decimal mid, long second) {
    return strategy->on_book(book(M, {{mid - "1"_d, "5"_d}}, {{mid + "1"_d, "5"_d}}), at_seconds(second));
  }
  void confirm(const std::vector<cancel_order>& cancels, long second) {
    for (const auto& c : cancels)
      (void)strategy->on_order_event(order_event{c.client_id, order_state::cancelled, std::nullopt, {}},
                                     at_seconds(second));
  }
};

} // namespace

TEST_CASE("market making quotes each level at its spread around mid, rounded away from it") {
  market_making_params p = basic_params();
  p.order_levels = 2;
  p.order_level_spread = "0.005"_d;
  p.order_level_amount = "0.5"_d;
  maker_fixture f{p};
  auto orders = only<place_order>(f.at_mid("1000.005"_d, 1));
  REQUIRE(orders.size() == 4);
  // mid 1000.005: bid 1000.005 x 0.99 = 990.00495 -> 990.00; ask x 1.02 = 1020.0051 -> 1020.01
  CHECK(orders[0].order_side == side::buy);
  CHECK(orders[0].price == "990"_d);
  CHECK(orders[0].amount == "1"_d);
  CHECK(orders[1].order_side == side::sell);
  CHECK(orders[1].price == "1020.01"_d);
  // level 1: spreads 0.015 / 0.025, amount 1.5
  CHECK(orders[2].price == "985"_d);      // 985.004925 floored
  CHECK(orders[3].price == "1025.01"_d);  // 1025.005125 rounded up
  CHECK(orders[2].amount == "1.5"_d);
  CHECK(orders[3].amount == "1.5"_d);
  for (const auto& o : orders) CHECK(o.type == order_type::limit_maker);
}

TEST_CASE("orders refresh on schedule, only when the mid moved past the tolerance") {
  maker_fixture f;
  REQUIRE(only<place_order>(f.at_mid("1000"_d, 0)).size() == 2);
  // Before the refresh time nothing changes, however far the mid moves.
  auto early = f.at_mid("1100"_d, 29);
  CHECK(only<cancel_order>(early).empty());
  CHECK(only<place_order>(early).empty());
  // At the refresh time a move within tolerance (0.05 % < 0.1 %) keeps the orders...
  auto kept = f.at_mid("1000.5"_d, 30);
  CHECK(only<cancel_order>(kept).empty());
  // ...and the next refresh is 30 s later: a big move at 59 s does nothing, at 60 s it cancels.
  CHECK(only<cancel_order>(f.at_mid("1100"_d, 59)).empty());
  auto cancels = only<cancel_order>(f.at_mid("1100"_d, 60));
  REQUIRE(cancels.size() == 2);
  // New orders wait for the cancels to be confirmed.
  CHECK(only<place_order>(f.at_mid("1100"_d, 61)).empty());
  f.confirm(cancels, 61);
  auto fresh = only<place_order>(f.at_mid("1100"_d, 62));
  REQUIRE(fresh.size() == 2);
  CHECK(fresh[0].price == "1089"_d);
  CHECK(fresh[1].price == "1122"_d);
}

TEST_CASE("inventory skew shifts size from the side the inventory is already heavy on") {
  market_making_params p = basic_params();
  p.inventory_skew_enabled = true;
  p.inventory_target_base_pct = "0.5"_d;
  p.inventory_range_multiplier = "2"_d;
  SECTION("base-heavy: smaller bids, larger asks") {
    // value at mid 1000: 10.5 x 1000 + 9500 = 20000; target base 10; range 2 -> deviation 0.25
    maker_fixture f{p, "10.5"_d, "9500"_d};
    auto ratios = f.strategy->inventory_ratios("1000"_d);
    CHECK(ratios.first == "0.75"_d);
    CHECK(ratios.second == "1.25"_d);
    auto orders = only<place_order>(f.at_mid("1000"_d, 1));
    REQUIRE(orders.size() == 2);
    CHECK(orders[0].amount == "0.75"_d);
    CHECK(orders[1].amount == "1.25"_d);
  }
  SECTION("far beyond the range: no bid at all, a double ask") {
    maker_fixture f{p, "30"_d, "0"_d};
    auto orders = only<place_order>(f.at_mid("1000"_d, 1));
    REQUIRE(orders.size() == 1);
    CHECK(orders[0].order_side == side::sell);
    CHECK(orders[0].amount == "2"_d);
  }
  SECTION("at the target: even sizes") {
    maker_fixture f{p, "10"_d, "10000"_d};
    auto orders = only<place_order>(f.at_mid("1000"_d, 1));
    REQUIRE(orders.size() == 2);
    CHECK(orders[0].amount == orders[1].amount);
  }
}

TEST_CASE("order sizes stay within the available balances") {
  maker_fixture f{basic_params(), "0.4"_d, "500"_d};
  auto orders = only<place_order>(f.at_mid("1000"_d, 1));
  REQUIRE(orders.size() == 2);
  // 500 USDT at 990 with the 0.05 % maker fee buys 0.504 (floored to the step)
  CHECK(orders[0].amount == "0.504"_d);
  CHECK(decimal::multiply(orders[0].amount, "990.495"_d, rounding::up) <= "500"_d);  // 990 x 1.0005
  CHECK(decimal::multiply(orders[0].amount + "0.001"_d, "990.495"_d, rounding::up) > "500"_d);
  CHECK(orders[1].amount == "0.4"_d);
}

TEST_CASE("an order the market moved within the minimum spread is cancelled") {
  market_making_params p = basic_params();
  p.minimum_spread = "0.005"_d;
  maker_fixture f{p};
  auto orders = only<place_order>(f.at_mid("1000"_d, 0));
  REQUIRE(orders.size() == 2);
  CHECK(only<cancel_order>(f.at_mid("996"_d, 1)).empty());  // bid 990 is 0.60 % from 996
  auto cancels = only<cancel_order>(f.at_mid("994"_d, 2));   // and 0.40 % from 994
  REQUIRE(cancels.size() == 1);
  CHECK(cancels[0].client_id == orders[0].client_id);
}

TEST_CASE("after a fill no new orders are made before the filled order delay") {
  maker_fixture f;
  auto orders = only<place_order>(f.at_mid("1000"_d, 0));
  REQUIRE(orders.size() == 2);
  (void)f.strategy->on_order_event(filled(orders[0], orders[0].price, "1"_d, "0"_d), at_seconds(5));
  auto cancels = only<cancel_order>(f.at_mid("1000"_d, 30));  // refresh: the ask alone is not the proposal
  REQUIRE(cancels.size() == 1);
  f.confirm(cancels, 31);
  CHECK(only<place_order>(f.at_mid("1000"_d, 64)).empty());
  CHECK(only<place_order>(f.at_mid("1000"_d, 65)).size() == 2);
}

TEST_CASE("hanging orders outlive the refresh and go when too far from mid") {
  market_making_params p = basic_params();
  p.hanging_orders_enabled = true;
  p.hanging_orders_cancel_pct = "0.05"_d;
  p.filled_order_delay = std::chrono::seconds{0};
  maker_fixture f{p};
  auto orders = only<place_order>(f.at_mid("1000"_d, 0));
  REQUIRE(orders.size() == 2);
  (void)f.strategy->on_order_event(filled(orders[0], orders[0].price, "1"_d, "0"_d), at_seconds(5));
  auto next = only<place_order>(f.at_mid("1000"_d, 6));
  CHECK(next.size() == 2);  // a fresh pair, while the ask hangs
  CHECK(f.strategy->status().counters.at("hanging_orders") == 1);
  CHECK(f.strategy->open_orders().contains(orders[1].client_id));
  auto far = only<cancel_order>(f.at_mid("965"_d, 7));  // 1020 is 5.7 % above 965
  bool hanging_cancelled = false;
  for (const auto& c : far) hanging_cancelled |= c.client_id == orders[1].client_id;
  CHECK(hanging_cancelled);
}

TEST_CASE("stopping cancels every open order and places nothing afterwards") {
  market_making_params p = basic_params();
  p.order_levels = 3;
  maker_fixture f{p};
  auto orders = only<place_order>(f.at_mid("1000"_d, 0));
  REQUIRE(orders.size() == 6);
  auto out = f.strategy->stop("operator command");
  auto cancels = only<cancel_order>(out);
  REQUIRE(cancels.size() == 6);
  for (std::size_t i = 0; i < orders.size(); ++i) CHECK(cancels[i].client_id == orders[i].client_id);
  CHECK(only<cancel_all>(out).size() == 1);
  CHECK(only<stopped>(out).size() == 1);
  CHECK_FALSE(f.strategy->running());
  f.confirm(cancels, 1);
  CHECK(only<place_order>(f.at_mid("1000"_d, 100)).empty());
  CHECK(f.strategy->open_orders().empty());
}

TEST_CASE("funds locked by the resting orders do not make a refresh replace them") {
  maker_fixture f{basic_params(), "1"_d, "1000"_d};
  REQUIRE(only<place_order>(f.at_mid("1000"_d, 0)).size() == 2);
  // The exchange now counts the orders' funds as unavailable.
  (void)f.strategy->on_balance({"binance", "BTC", "0"_d, "1"_d}, at_seconds(1));
  (void)f.strategy->on_balance({"binance", "USDT", "9.5"_d, "1000"_d}, at_seconds(1));
  CHECK(only<cancel_order>(f.at_mid("1000.5"_d, 30)).empty());
  CHECK(only<cancel_order>(f.at_mid("1010"_d, 60)).size() == 2);  // a real move still refreshes
}
