// Conformance item 7, written once and run for every connector: balances (loaded, and moved
// by a fill); for perpetuals, leverage, position mode, and the positions fills open and close
// in one-way mode and in hedge mode (a long and a short side by side, each closed on its own).

#include "tests/conformance/conformance_support.hpp"

namespace tern::testing {

namespace {

/// Polls the balances (bounded) until `asset`'s total differs from `was`; the last total.
decimal await_balance_change(conformance_fixture& fixture, const std::string& asset, decimal was) {
  decimal now = was;
  for (int attempt = 0; attempt < 50 && now == was; ++attempt) {
    auto balances = fixture.request<std::vector<balance>>(balances_atom::value);
    REQUIRE(balances.has_value());
    now = balance_of(*balances, asset);
    if (now == was)
      fixture.inbox->notices.wait_for(1'000'000, 100ms);  // bounded pause between polls
  }
  return now;
}

/// Polls the positions (bounded) until the BTC-USDT position on `held_side` has `amount`
/// (zero: until there is none on that side).
bool await_position(conformance_fixture& fixture, position_side held_side, decimal amount) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto positions = fixture.request<std::vector<position>>(positions_atom::value);
    REQUIRE(positions.has_value());
    decimal held_amount;
    for (const auto& held : *positions)
      if (held.pair == "BTC-USDT" && held.side == held_side)
        held_amount = held.amount;
    if (held_amount == amount)
      return true;
    fixture.inbox->notices.wait_for(1'000'000, 100ms);  // bounded pause between polls
  }
  return false;
}

/// Places a taking limit order with a position action and waits until it completes.
void trade_position(conformance_fixture& fixture, side order_side, position_action action) {
  const auto book = fixture.engine_book();
  REQUIRE(!book.asks.empty());
  REQUIRE(!book.bids.empty());
  order_intent intent;
  intent.pair = "BTC-USDT";
  intent.order_side = order_side;
  intent.type = order_type::limit;
  intent.price = order_side == side::buy ? book.asks[0].price : book.bids[0].price;
  intent.amount = fixture.spec.order_amount;
  intent.action = action;
  auto placed = fixture.request<place_reply>(place_atom::value, intent);
  REQUIRE(placed.has_value());
  INFO(placed->refusal);
  REQUIRE(placed->accepted());
  const auto ended = fixture.await_end(placed->client_order_id);
  REQUIRE(ended.has_value());
  INFO(to_string(order_side) << " " << to_string(action) << ": " << ended->message);
  REQUIRE(ended->kind == order_notice_kind::completed);
}

} // namespace

TEMPLATE_TEST_CASE("conformance 7: balances load and follow a fill",
                   "[conformance][balances]", TERN_CONNECTORS) {
  conformance_fixture fixture{TestType::make()};
  auto balances = fixture.request<std::vector<balance>>(balances_atom::value);
  REQUIRE(balances.has_value());
  // Spot accounts list every asset; perpetual accounts their margin asset (USDT).
  for (const auto& [asset, amount] : fixture.spec.user.balances)
    if (!fixture.spec.perpetual || asset == "USDT") {
      INFO(asset);
      CHECK(balance_of(*balances, asset) == amount);
    }

  const auto book = fixture.engine_book();
  REQUIRE(!book.asks.empty());
  const auto taker = fixture.place(side::buy, book.asks[0].price, fixture.spec.order_amount);
  REQUIRE(taker.accepted());
  REQUIRE(fixture.await_notice(taker.client_order_id, order_notice_kind::completed));
  // The quote asset paid for the spot buy, or the perpetual's fee came out of the margin.
  const auto usdt = await_balance_change(fixture, "USDT", "1000000"_d);
  CHECK(usdt < "1000000"_d);
}

TEMPLATE_TEST_CASE("conformance 7: leverage, position mode, one-way positions",
                   "[conformance][positions]", binance_usdm, okx_swap) {
  conformance_fixture fixture{TestType::make()};
  auto leverage = fixture.request<command_reply>(leverage_atom::value, std::string{"BTC-USDT"},
                                                 std::int32_t{10});
  REQUIRE(leverage.has_value());
  CHECK(leverage->ok);
  auto too_much = fixture.request<command_reply>(leverage_atom::value, std::string{"BTC-USDT"},
                                                 std::int32_t{1000});
  REQUIRE(too_much.has_value());
  CHECK_FALSE(too_much->ok);

  const auto book = fixture.engine_book();
  REQUIRE(!book.asks.empty());
  const auto amount = fixture.spec.order_amount;
  // One-way: a buy opens a long position of its size.
  const auto opening = fixture.place(side::buy, book.asks[0].price, amount);
  REQUIRE(opening.accepted());
  REQUIRE(fixture.await_notice(opening.client_order_id, order_notice_kind::completed));
  CHECK(await_position(fixture, position_side::both, amount));

  // Position mode cannot change while a position is open; after closing it, it can.
  order_intent close;
  close.pair = "BTC-USDT";
  close.order_side = side::sell;
  close.type = order_type::limit;
  close.price = book.bids[0].price;
  close.amount = amount;
  close.action = position_action::close;
  auto closing = fixture.request<place_reply>(place_atom::value, close);
  REQUIRE(closing.has_value());
  REQUIRE(closing->accepted());
  REQUIRE(fixture.await_notice(closing->client_order_id, order_notice_kind::completed));
  auto hedge = fixture.request<command_reply>(posmode_atom::value, position_mode::hedge);
  REQUIRE(hedge.has_value());
  INFO(hedge->message);
  CHECK(hedge->ok);
}

TEMPLATE_TEST_CASE("conformance 7: hedge mode holds a long and a short, closed per side",
                   "[conformance][positions]", binance_usdm, okx_swap) {
  conformance_fixture fixture{TestType::make()};
  auto hedge = fixture.request<command_reply>(posmode_atom::value, position_mode::hedge);
  REQUIRE(hedge.has_value());
  INFO(hedge->message);
  REQUIRE(hedge->ok);
  const auto amount = fixture.spec.order_amount;

  // A buy opens the long side and a sell the short side; neither nets the other.
  trade_position(fixture, side::buy, position_action::open);
  trade_position(fixture, side::sell, position_action::open);
  CHECK(await_position(fixture, position_side::long_side, amount));
  CHECK(await_position(fixture, position_side::short_side, -amount));
  CHECK(await_position(fixture, position_side::both, decimal{}));

  // Closing the short (a buy) leaves the long alone; closing the long (a sell) flattens it.
  trade_position(fixture, side::buy, position_action::close);
  CHECK(await_position(fixture, position_side::short_side, decimal{}));
  CHECK(await_position(fixture, position_side::long_side, amount));
  trade_position(fixture, side::sell, position_action::close);
  CHECK(await_position(fixture, position_side::long_side, decimal{}));

  // The exchange agrees: flat on both sides.
  const auto key = std::string{fixture.spec.keys.api_key()};
  std::size_t open_positions = 1;
  fixture.account.host->run_sync([&](sim::exchange_state& state) {
    const auto* user = state.credentials(key);
    REQUIRE(user != nullptr);
    open_positions = state.venue.market(fixture.spec.symbol)->positions(user->account).size();
  });
  CHECK(open_positions == 0);
}

} // namespace tern::testing
