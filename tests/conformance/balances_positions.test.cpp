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

  const auto amount = fixture.spec.order_amount;
  // One-way: a buy opens a long position of its size.
  fixture.take(side::buy, position_action::open);
  CHECK(await_position(fixture, position_side::both, amount));

  // Position mode cannot change while a position is open; after closing it, it can.
  auto blocked = fixture.request<command_reply>(posmode_atom::value, position_mode::hedge);
  REQUIRE(blocked.has_value());
  CHECK_FALSE(blocked->ok);
  CHECK(!blocked->message.empty());
  fixture.take(side::sell, position_action::close);
  CHECK(await_position(fixture, position_side::both, decimal{}));
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
  fixture.take(side::buy, position_action::open);
  fixture.take(side::sell, position_action::open);
  CHECK(await_position(fixture, position_side::long_side, amount));
  CHECK(await_position(fixture, position_side::short_side, -amount));
  CHECK(await_position(fixture, position_side::both, decimal{}));

  // Closing the short (a buy) leaves the long alone; closing the long (a sell) flattens it.
  fixture.take(side::buy, position_action::close);
  CHECK(await_position(fixture, position_side::short_side, decimal{}));
  CHECK(await_position(fixture, position_side::long_side, amount));
  fixture.take(side::sell, position_action::close);
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
