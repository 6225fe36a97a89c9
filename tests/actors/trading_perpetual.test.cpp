// Trading a Binance USD-M perpetual through the account actors, against the simulator over
// TLS: the listen-key user stream, leverage, an opening fill with its fee in the margin asset,
// the position it opens, cancel and cancel-all.

#include "tests/actors/trading_support.hpp"

namespace tern::testing {

TEST_CASE("binance_perpetual: leverage, an opening fill, its position, cancel, cancel-all",
          "[actors][account][binance_perpetual][trading]") {
  trading_fixture fixture{"binance_perpetual"};
  const auto book = fixture.engine_top();
  REQUIRE(!book.asks.empty());

  auto leverage = fixture.request<command_reply>(leverage_atom::value, std::string{"BTC-USDT"},
                                                 std::int32_t{10});
  REQUIRE(leverage.has_value());
  CHECK(leverage->ok);
  CHECK(leverage->message == "leverage 10");
  auto too_much = fixture.request<command_reply>(leverage_atom::value, std::string{"BTC-USDT"},
                                                 std::int32_t{126});
  REQUIRE(too_much.has_value());
  CHECK_FALSE(too_much->ok);

  auto rules = fixture.request<instrument>(rules_atom::value, std::string{"BTC-USDT"});
  REQUIRE(rules.has_value());
  CHECK(rules->kind == market_kind::perpetual);
  CHECK(rules->rules.tick_size == "0.1"_d);

  // Below the minimum notional (100 USDT): refused locally.
  CHECK_FALSE(fixture.place(side::buy, book.bids[0].price, "0.001"_d, position_action::open).accepted());

  // An opening buy that takes the ask: filled, fee in USDT (0.05 % taker), a long position.
  const auto taker = fixture.place(side::buy, book.asks[0].price, "0.010"_d, position_action::open);
  REQUIRE(taker.accepted());
  const auto filled = fixture.await_notice(taker.client_order_id, order_notice_kind::filled);
  REQUIRE(filled.has_value());
  REQUIRE(filled->fills.size() == 1);
  CHECK(filled->fills[0].fee.asset == "USDT");
  CHECK(filled->fills[0].fee.amount
        == decimal::multiply(decimal::multiply(book.asks[0].price, "0.010"_d, rounding::half_even),
                             "0.0005"_d, rounding::down));
  REQUIRE(fixture.await_notice(taker.client_order_id, order_notice_kind::completed));
  bool long_position = false;
  for (int attempt = 0; attempt < 50 && !long_position; ++attempt) {
    auto positions = fixture.request<std::vector<position>>(positions_atom::value);
    REQUIRE(positions.has_value());
    for (const auto& held : *positions)
      long_position = long_position || (held.pair == "BTC-USDT" && held.amount == "0.010"_d);
    if (!long_position)
      fixture.inbox->notices.wait_for(1'000'000, 100ms);  // bounded pause between polls
  }
  CHECK(long_position);

  // A resting order cancelled; two more cancelled by cancel-all.
  const auto resting = fixture.place(side::buy, book.bids[0].price - "100"_d, "0.002"_d,
                                     position_action::open);
  REQUIRE(resting.accepted());
  REQUIRE(fixture.await_notice(resting.client_order_id, order_notice_kind::created));
  auto cancelled = fixture.request<command_reply>(cancel_atom::value, resting.client_order_id);
  REQUIRE(cancelled.has_value());
  CHECK(cancelled->ok);
  CHECK(fixture.await_notice(resting.client_order_id, order_notice_kind::cancelled).has_value());
  const auto first = fixture.place(side::buy, book.bids[0].price - "200"_d, "0.002"_d,
                                   position_action::open);
  const auto second = fixture.place(side::buy, book.bids[0].price - "300"_d, "0.002"_d,
                                    position_action::open);
  REQUIRE(first.accepted());
  REQUIRE(second.accepted());
  REQUIRE(fixture.await_notice(first.client_order_id, order_notice_kind::created));
  REQUIRE(fixture.await_notice(second.client_order_id, order_notice_kind::created));
  auto all = fixture.request<command_reply>(cancel_all_atom::value, std::string{"BTC-USDT"});
  REQUIRE(all.has_value());
  CHECK(all->ok);
  CHECK(fixture.await_notice(first.client_order_id, order_notice_kind::cancelled).has_value());
  CHECK(fixture.await_notice(second.client_order_id, order_notice_kind::cancelled).has_value());
}

} // namespace tern::testing
