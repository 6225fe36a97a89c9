// Every message type survives CAF's binary serializer unchanged: alone (the inspect
// overloads) and inside a caf::message (the type-ID block's registration, as BASP uses it).

#include <catch2/catch.hpp>

#include <caf/actor_system.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/deep_to_string.hpp>
#include <caf/message.hpp>

#include "actors/message_types.hpp"
#include "actors/runtime.hpp"
#include "tests/actors/event_samples.hpp"

using namespace tern;
using tern::test::same_fields;

namespace {

runtime_options quiet_options() {
  runtime_options options;
  options.scheduler_threads = 1;
  return options;
}

/// Saves `value`, loads it into a default-constructed T, and checks all bytes were consumed.
template <class T>
T value_round_trip(caf::actor_system& sys, T value) {
  std::vector<char> buffer;
  caf::binary_serializer sink{sys, buffer};
  auto saved = sink(value);
  REQUIRE_FALSE(saved);
  T loaded{};
  caf::binary_deserializer source{sys, buffer};
  auto error = source(loaded);
  INFO(sys.render(error));
  REQUIRE_FALSE(error);
  CHECK(source.remaining() == 0);
  return loaded;
}

/// Wraps `value` in a caf::message, which serialises the element by its registered type name
/// and loads it through the registered factory.
template <class T>
T message_round_trip(caf::actor_system& sys, const T& value) {
  auto message = caf::make_message(value);
  std::vector<char> buffer;
  caf::binary_serializer sink{sys, buffer};
  REQUIRE_FALSE(sink(message));
  caf::message loaded;
  caf::binary_deserializer source{sys, buffer};
  auto error = source(loaded);
  INFO(sys.render(error));
  REQUIRE_FALSE(error);
  REQUIRE(loaded.match_elements<T>());
  return loaded.get_as<T>(0);
}

template <class T>
void check_round_trips(caf::actor_system& sys, const T& value) {
  INFO("sent: " << caf::deep_to_string(value));
  const auto alone = value_round_trip(sys, value);
  INFO("alone: " << caf::deep_to_string(alone));
  CHECK(same_fields(alone, value));
  const auto wrapped = message_round_trip(sys, value);
  INFO("in a message: " << caf::deep_to_string(wrapped));
  CHECK(same_fields(wrapped, value));
}

} // namespace

TEST_CASE("decimals keep all 128 bits across the wire, both halves and the sign") {
  runtime rt{quiet_options()};
  for (const auto& value : test::edge_decimals()) {
    check_round_trips(rt.system(), value);
    CHECK(value_round_trip(rt.system(), value).raw() == value.raw());
  }
}

TEST_CASE("a decimal is printed as its decimal text, not as two halves") {
  auto value = decimal::from_string("-61737.000000000000000001");
  CHECK(caf::deep_to_string(value) == "decimal(-61737.000000000000000001)");
}

TEST_CASE("every enumerator of every wire enum round-trips") {
  runtime rt{quiet_options()};
  auto& sys = rt.system();
  for (auto value : {side::buy, side::sell})
    check_round_trips(sys, value);
  for (auto value : {market_kind::spot, market_kind::perpetual})
    check_round_trips(sys, value);
  for (auto value : {order_type::limit, order_type::limit_maker, order_type::market})
    check_round_trips(sys, value);
  for (auto value : {time_in_force::gtc, time_in_force::ioc, time_in_force::fok})
    check_round_trips(sys, value);
  for (auto value : {position_action::none, position_action::open, position_action::close})
    check_round_trips(sys, value);
  for (auto value : {position_mode::one_way, position_mode::hedge})
    check_round_trips(sys, value);
  for (auto value : {position_side::both, position_side::long_side, position_side::short_side})
    check_round_trips(sys, value);
  for (int state = 0; state <= static_cast<int>(order_state::failed); ++state) {
    order_update update;
    update.client_order_id = std::to_string(state);
    update.new_state = static_cast<order_state>(state);
    check_round_trips(sys, update);
    check_round_trips(sys, update.new_state);
  }
}

TEST_CASE("an enum value past the last enumerator is refused when loading, not stored") {
  runtime rt{quiet_options()};
  auto& sys = rt.system();
  auto bad = test::captured_trade();
  bad.taker_side = static_cast<side>(2);
  std::vector<char> buffer;
  caf::binary_serializer sink{sys, buffer};
  REQUIRE_FALSE(sink(bad));
  trade loaded;
  caf::binary_deserializer source{sys, buffer};
  auto error = source(loaded);
  CHECK(error == caf::sec::invalid_argument);

  order_update update;
  update.new_state = static_cast<order_state>(static_cast<int>(order_state::failed) + 1);
  buffer.clear();
  caf::binary_serializer update_sink{sys, buffer};
  REQUIRE_FALSE(update_sink(update));
  caf::binary_deserializer update_source{sys, buffer};
  CHECK(update_source(update) == caf::sec::invalid_argument);
}

TEST_CASE("book snapshots and deltas round-trip, with and without levels and checksum") {
  runtime rt{quiet_options()};
  auto& sys = rt.system();
  auto delta = test::captured_delta();
  check_round_trips(sys, delta);

  delta.checksum = 0xFFFFFFFFu; // the full unsigned range, as OKX's CRC32 can be
  delta.previous_sequence = 50093239188;
  check_round_trips(sys, delta);
  delta.checksum = 0u;
  check_round_trips(sys, delta);
  CHECK(value_round_trip(sys, delta).checksum.has_value());

  book_delta empty;
  empty.pair = "ETH-USDT";
  empty.previous_sequence = -1;
  check_round_trips(sys, empty);
  CHECK_FALSE(value_round_trip(sys, empty).checksum.has_value());

  book_snapshot snapshot;
  snapshot.pair = delta.pair;
  snapshot.bids = delta.bids;
  snapshot.asks = delta.asks;
  snapshot.sequence = 50093239188;
  snapshot.exchange_time = delta.exchange_time;
  snapshot.received_time = delta.received_time;
  check_round_trips(sys, snapshot);
  check_round_trips(sys, book_snapshot{});
  check_round_trips(sys, delta.asks);
}

TEST_CASE("top of book and trades round-trip") {
  runtime rt{quiet_options()};
  check_round_trips(rt.system(), test::captured_top_of_book());
  check_round_trips(rt.system(), test::captured_trade());
  check_round_trips(rt.system(), std::vector<trade>{test::captured_trade(), trade{}});
  check_round_trips(rt.system(), std::vector<trade>{});
}

TEST_CASE("order updates with error text and fills with extreme fees round-trip") {
  runtime rt{quiet_options()};
  auto& sys = rt.system();
  order_update update;
  update.pair = "BTC-USDT";
  update.client_order_id = "tern-test-order-1";
  update.exchange_order_id = "";
  update.new_state = order_state::failed;
  update.update_time = from_unix_ns(-1); // before the epoch: the int64 sign survives
  update.error_code = "-2010";
  update.error_message = "Account has insufficient balance for requested action.";
  check_round_trips(sys, update);
  check_round_trips(sys, std::vector<order_update>{update, order_update{}});

  auto f = test::captured_fill();
  check_round_trips(sys, f);
  f.fee = {"USDT", decimal::min()};
  f.quote_amount = decimal::max();
  f.is_taker = false;
  check_round_trips(sys, f);
  check_round_trips(sys, f.fee);
  check_round_trips(sys, std::vector<fill>{f, test::captured_fill()});
}

TEST_CASE("balances, positions and funding round-trip with negative amounts") {
  runtime rt{quiet_options()};
  auto& sys = rt.system();
  balance usdt{"USDT", decimal::from_string("1000000.123456789012345678"),
               decimal::from_string("-0.000000000000000001")};
  check_round_trips(sys, usdt);
  check_round_trips(sys, std::vector<balance>{usdt, balance{}});

  position short_position;
  short_position.pair = "BTC-USDT";
  short_position.side = position_side::short_side;
  short_position.amount = decimal::from_string("-0.5");
  short_position.entry_price = decimal::from_string("61837.64");
  short_position.unrealized_pnl = decimal::from_string("-123.456789");
  short_position.leverage = decimal::from_string("20");
  check_round_trips(sys, short_position);
  check_round_trips(sys, std::vector<position>{short_position});

  funding_info info;
  info.pair = "BTC-USDT";
  info.index_price = decimal::from_string("61800.1");
  info.mark_price = decimal::from_string("61801.2");
  info.rate = decimal::from_string("-0.00012345");
  info.next_funding_time = from_unix_ms(1723190400000);
  check_round_trips(sys, info);

  funding_payment payment;
  payment.pair = "BTC-USDT";
  payment.asset = "USDT";
  payment.amount = decimal::from_string("-3.81");
  payment.rate = decimal::from_string("0.0001");
  payment.payment_time = from_unix_ms(1723161600000);
  check_round_trips(sys, payment);
  check_round_trips(sys, std::vector<funding_payment>{payment});
}

TEST_CASE("the type-ID block names every message type and starts at CAF's first custom id") {
  CHECK(caf::id_block::tern::begin == caf::first_custom_type_id);
  CHECK(caf::id_block::tern::end - caf::id_block::tern::begin == 39);
  CHECK(std::string{caf::type_name<decimal>::value} == "tern::decimal");
  CHECK(std::string{caf::type_name<std::vector<price_level>>::value}
        == "std::vector<tern::price_level>");
  CHECK(caf::type_id<book_delta>::value != caf::type_id<fill>::value);
  // Appended types take the next IDs; the earlier ones keep theirs.
  CHECK(caf::type_id<supervision::health_update>::value == caf::first_custom_type_id + 28);
  CHECK(caf::type_id<supervision::health_node>::value == caf::first_custom_type_id + 29);
  CHECK(std::string{caf::type_name<supervision::health_node>::value}
        == "tern::supervision::health_node");
}

TEST_CASE("the exchange API's messages round-trip field for field") {
  runtime rt{quiet_options()};
  auto& sys = rt.system();
  // Types without == are compared by their full rendering, which prints every field.
  auto same_text = [&](const auto& value) {
    const auto sent = caf::deep_to_string(value);
    INFO("value: " << sent);
    CHECK(caf::deep_to_string(value_round_trip(sys, value)) == sent);
    CHECK(caf::deep_to_string(message_round_trip(sys, value)) == sent);
  };
  order_intent intent{"BTC-USDT", side::sell, order_type::limit_maker, time_in_force::gtc,
                      decimal::from_string("60000.01"), decimal::from_string("0.00123"),
                      position_action::close};
  same_text(intent);
  same_text(place_reply{"x-TERN-1", ""});
  same_text(place_reply{"", "amount 0.000001 is below the minimum order size 0.00001"});
  same_text(command_reply{true, "sent"});
  instrument market{"binance_main", *trading_pair::parse("BTC-USDT"), market_kind::perpetual,
                    trading_rules{decimal::from_string("0.1"), decimal::from_string("0.001"),
                                  decimal::from_string("0.001"), std::nullopt,
                                  decimal::from_string("100"), std::nullopt, true, true, false}};
  same_text(market);
  same_text(std::vector<instrument>{market, market});
  order_notice notice;
  notice.account = "binance_main";
  notice.pair = "BTC-USDT";
  notice.client_order_id = "x-TERN-1";
  notice.exchange_order_id = "28";
  notice.kind = order_notice_kind::filled;
  notice.state = order_state::partially_filled;
  notice.order_side = side::buy;
  notice.price = decimal::from_string("60000");
  notice.amount = decimal::from_string("0.5");
  notice.executed_base = decimal::from_string("0.2");
  notice.executed_quote = decimal::from_string("12000");
  notice.fills = {test::captured_fill()};
  notice.message = "";
  notice.time = from_unix_ms(1723161600000);
  same_text(notice);
  same_text(std::vector<order_notice>{notice});
}
