// Trading a Binance USD-M perpetual through the account actors, against the simulator over
// TLS: the listen-key user stream, leverage, an opening fill with its fee in the margin asset,
// the position it opens, cancel and cancel-all; the account's position mode read at start
// (orders wait for it).

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

TEST_CASE("binance_perpetual: the position mode is read at start; orders wait for it",
          "[actors][account][binance_perpetual][trading]") {
  // An account left in hedge mode by an earlier run; the first mode query is refused.
  temp_folder folder;
  account_fixture account{paused_market("binance_perpetual"), "binance_perpetual",
                          trading_account("binance_perpetual", folder.path)};
  REQUIRE(account.host->step(1) == 1);
  account.host->run_sync([](sim::exchange_state& state) {
    const auto* user = state.credentials(doc_api_key);
    REQUIRE(user != nullptr);
    REQUIRE(state.venue.set_position_mode(user->account, position_mode::hedge));
  });
  sim::fault refused;
  refused.kind = sim::fault_kind::reject;
  refused.endpoint = "GET /fapi/v1/positionSide/dual";
  refused.status = 401;
  refused.code = -2015;
  refused.message = "Invalid API-key, IP, or permissions for action.";
  account.simulator->faults().add(refused);
  account.start();
  REQUIRE(account.await_state("orders", health_state::ready));

  // Until the mode is known, an order is refused locally rather than sent without a side.
  auto exchange = account.context->directory.get("exchange");
  REQUIRE(exchange);
  CHECK_FALSE(account.context->position_mode().has_value());
  order_intent intent;
  intent.pair = "BTC-USDT";
  intent.order_side = side::sell;
  intent.type = order_type::limit;
  intent.amount = "0.002"_d;
  intent.action = position_action::open;
  const auto top = account.engine_book("BTCUSDT");
  REQUIRE(!top.bids.empty());
  intent.price = top.bids[0].price;
  std::optional<place_reply> early;
  {
    caf::scoped_actor self{account.rt.system()};
    self->request(exchange, 10s, place_atom::value, intent)
        .receive([&](place_reply& reply) { early = reply; }, [&](caf::error&) {});
  }
  REQUIRE(early.has_value());
  CHECK_FALSE(early->accepted());
  CHECK(early->refusal.find("position mode") != std::string::npos);

  // The query is asked again after its pause: hedge, so an opening sell names SHORT and fills.
  REQUIRE(account.await_state("exchange", health_state::ready));
  CHECK(account.context->position_mode() == position_mode::hedge);
  auto inbox = std::make_shared<probe_inbox>();
  auto probe = account.spawn_probe(inbox);
  caf::send_as(probe, exchange, subscribe_atom::value);
  std::optional<place_reply> placed;
  {
    caf::scoped_actor self{account.rt.system()};
    self->request(exchange, 10s, place_atom::value, intent)
        .receive([&](place_reply& reply) { placed = reply; }, [&](caf::error&) {});
  }
  REQUIRE(placed.has_value());
  INFO(placed->refusal);
  REQUIRE(placed->accepted());
  const bool completed = inbox->notices.wait_until([&](const std::vector<order_notice>& notices) {
    return std::any_of(notices.begin(), notices.end(), [&](const order_notice& notice) {
      return notice.client_order_id == placed->client_order_id && notice.kind == order_notice_kind::completed;
    });
  });
  CHECK(completed);
  std::vector<sim::position_view> held;
  account.host->run_sync([&](sim::exchange_state& state) {
    held = state.venue.market("BTCUSDT")->positions(state.credentials(doc_api_key)->account);
  });
  REQUIRE(held.size() == 1);
  CHECK(held[0].pos_side == position_side::short_side);
  CHECK(held[0].amount == "-0.002"_d);
  caf::anon_send_exit(probe, caf::exit_reason::user_shutdown);
}

TEST_CASE("binance_perpetual: a mode change whose answer is lost is read back before trading",
          "[actors][account][binance_perpetual][trading]") {
  trading_fixture fixture{"binance_perpetual"};
  // The change reaches the exchange and applies; its answer is a 500.
  sim::fault lost;
  lost.kind = sim::fault_kind::server_error;
  lost.endpoint = "POST /fapi/v1/positionSide/dual";
  lost.status = 500;
  lost.after_accept = true;
  fixture.account.simulator->faults().add(lost);
  auto hedge = fixture.request<command_reply>(posmode_atom::value, position_mode::hedge);
  REQUIRE(hedge.has_value());
  CHECK_FALSE(hedge->ok);  // as far as the caller can tell, it failed ...
  // ... but the actor reads the mode back, so the next opening sell names SHORT and fills.
  for (int attempt = 0; attempt < 50 && fixture.account.context->position_mode() != position_mode::hedge; ++attempt)
    fixture.inbox->notices.wait_for(1'000'000, 100ms);  // bounded pause between checks
  REQUIRE(fixture.account.context->position_mode() == position_mode::hedge);
  const auto book = fixture.engine_top();
  REQUIRE(!book.bids.empty());
  const auto sell = fixture.place(side::sell, book.bids[0].price, "0.002"_d, position_action::open);
  REQUIRE(sell.accepted());
  const auto done = fixture.await_notice(sell.client_order_id, order_notice_kind::completed);
  CHECK(done.has_value());
}

} // namespace tern::testing
