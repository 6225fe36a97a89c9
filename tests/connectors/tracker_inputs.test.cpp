#include <catch2/catch.hpp>

#include "connectors/common/tracker_inputs.hpp"
#include "connectors/registry.hpp"
#include "core/order_tracker.hpp"
#include "tests/connectors/binance_fixtures.hpp"

// Connector output into the order tracker: Binance's documented responses (binance_fixtures.hpp
// names each page) parsed by the connector, converted, and applied.

using namespace tern;
using namespace tern::literals;

namespace {

net::http_response ok(const char* body) { return net::http_response{200, {}, body, false}; }

std::unique_ptr<exchange_protocol> binance_spot() {
  auto made = make_protocol("binance");
  REQUIRE(made);
  return std::move(made).value();
}

} // namespace

TEST_CASE("a documented FULL market-sell ack fills the tracked order with its five fills") {
  auto spot = binance_spot();
  symbol_map symbols;
  symbols.add(trading_pair::from_string("BTC-USDT"), "BTCUSDT");
  auto ack = spot->parse_place_order(ok(fixtures::spot_order_full), symbols);
  REQUIRE(ack);

  order_tracker tracker;
  order_spec spec;
  spec.client_order_id = "6gCrw2kRUAF9CvJDGP16IP";
  spec.pair = trading_pair::from_string("BTC-USDT");
  spec.order_side = side::sell;
  spec.type = order_type::market;
  spec.amount = "10"_d;
  const auto now = from_unix_ms(1507725176590);
  REQUIRE(tracker.start(spec, now));
  auto result = tracker.place_acknowledged(spec.client_order_id, to_place_ack(*ack), now);
  const auto* order = tracker.find_by_exchange_id("28");
  REQUIRE(order != nullptr);
  CHECK(order->state() == order_state::filled);
  CHECK(order->executed_base() == "10"_d);
  CHECK(order->fills().size() == 5);
  CHECK(order->fee_paid("USDT") == "39.983"_d);  // 4 + 19.995 + 7.996 + 3.997 + 3.995
  std::size_t filled = 0;
  for (const auto& notice : result.notices) filled += notice.kind == tracker_notice_kind::filled;
  CHECK(filled == 5);
  CHECK(result.notices.back().kind == tracker_notice_kind::completed);
}

TEST_CASE("a documented open order the tracker does not know is adopted as a limit buy") {
  auto spot = binance_spot();
  symbol_map symbols;
  symbols.add(trading_pair::from_string("LTC-BTC"), "LTCBTC");
  std::string list = std::string{"["} + fixtures::spot_query_order + "]";
  auto open = spot->parse_open_orders(ok(list.c_str()), symbols);
  REQUIRE(open);
  std::vector<exchange_order> reports;
  for (const auto& report : *open) reports.push_back(to_exchange_order(report));
  order_tracker tracker;
  const auto now = from_unix_ms(1499827319600);
  auto result = tracker.reconcile_open_orders(reports, {}, now, now);
  REQUIRE(result.notices.size() == 1);
  CHECK(result.notices[0].kind == tracker_notice_kind::adopted);
  const auto* order = tracker.find("myOrder1");
  REQUIRE(order != nullptr);
  CHECK(order->exchange_order_id() == "1");
  CHECK(order->type() == order_type::limit);
  CHECK(order->price() == "0.1"_d);
  CHECK(order->state() == order_state::open);
}

TEST_CASE("exchange order type text maps to Tern's order types") {
  CHECK(order_type_from_exchange_text("LIMIT") == order_type::limit);
  CHECK(order_type_from_exchange_text("LIMIT_MAKER") == order_type::limit_maker);
  CHECK(order_type_from_exchange_text("post_only") == order_type::limit_maker);
  CHECK(order_type_from_exchange_text("MARKET") == order_type::market);
  CHECK(order_type_from_exchange_text("ioc") == order_type::limit);
}
