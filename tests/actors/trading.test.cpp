// Trading end to end through the account actors, against the simulator over TLS (Binance
// spot): the exchange actor validates, names and records an order (journal first) before it
// is sent; the user stream brings the exchange's events to the tracker, which publishes
// notices; cancels, cancel of an unknown order, cancel-all, balances; and a placement whose
// answer never arrives stays in flight until reconciliation finds the order.

#include "tests/actors/account_support.hpp"

#include <filesystem>

#include <caf/send.hpp>

#include "journal/order_journal.hpp"
#include "sim/faults.hpp"

namespace tern::testing {
namespace {

using sim::testing::btcusdt_walk;
using sim::testing::doc_account;
using sim::testing::doc_api_key;
using sim::testing::doc_secret;
using namespace tern::literals;

/// A temporary folder for the journal, removed afterwards.
struct temp_folder {
  std::filesystem::path path;
  temp_folder() {
    char pattern[] = "/tmp/tern_trading_XXXXXX";
    REQUIRE(::mkdtemp(pattern) != nullptr);
    path = pattern;
  }
  ~temp_folder() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

sim::server_options paused_spot() {
  sim::server_options options;
  sim::exchange_setup exchange;
  exchange.name = "binance";
  exchange.dialect = "binance";
  exchange.markets = {btcusdt_walk(20ms)};
  exchange.accounts = {doc_account()};
  options.exchanges = {exchange};
  options.start_paused = true;  // a still book: which orders rest and which take is certain
  options.control_port.reset();
  return options;
}

account_settings trading_account(const std::filesystem::path& folder) {
  account_settings settings;
  settings.name = "binance_main";
  settings.connector = "binance";
  settings.markets = {"BTC-USDT"};
  settings.keys = credentials{std::string{doc_api_key}, std::string{doc_secret}};
  settings.journal = folder / "journal.sqlite";
  settings.timings = test_timings();
  settings.timings.stale_stream = 0ms;  // the market is still: silence is not a dead stream
  return settings;
}

struct trading_fixture {
  temp_folder folder;
  account_fixture account{paused_spot(), "binance", trading_account(folder.path)};
  std::shared_ptr<probe_inbox> inbox = std::make_shared<probe_inbox>();
  caf::actor probe;
  caf::actor exchange;

  trading_fixture() {
    REQUIRE(account.host->step(1) == 1);  // the background liquidity
    account.start();
    for (const char* child :
         {"services", "connection", "book.BTC-USDT", "user_stream", "orders", "exchange"}) {
      const bool ready = account.await_state(child, health_state::ready);
      INFO(child << "\n" << account.describe_tree());
      REQUIRE(ready);
    }
    exchange = account.context->directory.get("exchange");
    REQUIRE(exchange);
    probe = account.spawn_probe(inbox);
    caf::scoped_actor self{account.rt.system()};
    // The subscription is the probe's: the exchange actor records the sender.
    caf::send_as(probe, exchange, subscribe_atom::value);
    REQUIRE(request<std::vector<order_notice>>(orders_atom::value).has_value());
  }
  ~trading_fixture() { caf::anon_send_exit(probe, caf::exit_reason::user_shutdown); }

  template <class Reply, class... Ts>
  std::optional<Reply> request(Ts&&... xs) {
    std::optional<Reply> out;
    caf::scoped_actor self{account.rt.system()};
    self->request(exchange, 10s, std::forward<Ts>(xs)...)
        .receive([&](Reply& reply) { out = std::move(reply); },
                 [&](caf::error& error) { FAIL_CHECK(account.rt.system().render(error)); });
    return out;
  }

  place_reply place(side order_side, decimal price, decimal amount) {
    order_intent intent;
    intent.pair = "BTC-USDT";
    intent.order_side = order_side;
    intent.type = order_type::limit;
    intent.price = price;
    intent.amount = amount;
    auto reply = request<place_reply>(place_atom::value, intent);
    REQUIRE(reply.has_value());
    return *reply;
  }

  /// Waits for a notice of `kind` about `id`; the first such notice.
  std::optional<order_notice> await_notice(const std::string& id, order_notice_kind kind,
                                           std::chrono::milliseconds limit = 10s) {
    std::optional<order_notice> found;
    inbox->notices.wait_until(
        [&](const std::vector<order_notice>& notices) {
          for (const auto& notice : notices)
            if (notice.client_order_id == id && notice.kind == kind) {
              found = notice;
              return true;
            }
          return false;
        },
        limit);
    return found;
  }

  book_snapshot engine_top() { return account.engine_book("BTCUSDT"); }
};

decimal balance_of(const std::vector<balance>& balances, const std::string& asset) {
  for (const auto& entry : balances)
    if (entry.asset == asset)
      return entry.total;
  return decimal{};
}

} // namespace

TEST_CASE("binance spot: place, fills with fees, cancel, cancel unknown, cancel-all, balances",
          "[actors][account][binance][trading]") {
  trading_fixture fixture;
  const auto book = fixture.engine_top();
  REQUIRE(!book.bids.empty());
  REQUIRE(!book.asks.empty());

  auto balances = fixture.request<std::vector<balance>>(balances_atom::value);
  REQUIRE(balances.has_value());
  CHECK(balance_of(*balances, "USDT") == "1000000"_d);
  CHECK(balance_of(*balances, "BTC") == "10"_d);

  // Refused locally, nothing sent: below the minimum notional (5 USDT).
  const auto tiny = fixture.place(side::buy, book.bids[0].price, "0.00001"_d);
  CHECK_FALSE(tiny.accepted());
  CHECK(tiny.refusal.find("notional") != std::string::npos);
  // Refused locally by the budget check: more USDT than the account holds.
  const auto huge = fixture.place(side::buy, book.bids[0].price, "100"_d);
  CHECK_FALSE(huge.accepted());
  CHECK(huge.refusal.find("USDT") != std::string::npos);

  // A resting buy: created with the exchange's id, then cancelled.
  const auto resting = fixture.place(side::buy, book.bids[0].price - "100"_d, "0.001"_d);
  REQUIRE(resting.accepted());
  const auto created = fixture.await_notice(resting.client_order_id, order_notice_kind::created);
  REQUIRE(created.has_value());
  CHECK(!created->exchange_order_id.empty());
  CHECK(created->account == "binance_main");
  auto cancelled = fixture.request<command_reply>(cancel_atom::value, resting.client_order_id);
  REQUIRE(cancelled.has_value());
  CHECK(cancelled->ok);
  CHECK(fixture.await_notice(resting.client_order_id, order_notice_kind::cancelled).has_value());

  // Cancel of an order nobody placed: refused, nothing to send.
  auto unknown = fixture.request<command_reply>(cancel_atom::value, std::string{"x-unknown-1"});
  REQUIRE(unknown.has_value());
  CHECK_FALSE(unknown->ok);

  // A buy that takes the best ask: filled through the user stream, with the fee in BTC.
  const auto taker = fixture.place(side::buy, book.asks[0].price, "0.01"_d);
  REQUIRE(taker.accepted());
  const auto filled = fixture.await_notice(taker.client_order_id, order_notice_kind::filled);
  REQUIRE(filled.has_value());
  REQUIRE(filled->fills.size() == 1);
  CHECK(filled->fills[0].price == book.asks[0].price);
  CHECK(filled->fills[0].base_amount == "0.01"_d);
  CHECK(filled->fills[0].fee.asset == "BTC");
  CHECK(filled->fills[0].fee.amount == "0.00001"_d);  // 0.1 % of 0.01 BTC
  const auto completed = fixture.await_notice(taker.client_order_id, order_notice_kind::completed);
  REQUIRE(completed.has_value());
  CHECK(completed->executed_base == "0.01"_d);

  // Cancel-all: two resting orders, both cancelled by one request.
  const auto first = fixture.place(side::buy, book.bids[0].price - "200"_d, "0.001"_d);
  const auto second = fixture.place(side::sell, book.asks[0].price + "200"_d, "0.001"_d);
  REQUIRE(first.accepted());
  REQUIRE(second.accepted());
  REQUIRE(fixture.await_notice(first.client_order_id, order_notice_kind::created));
  REQUIRE(fixture.await_notice(second.client_order_id, order_notice_kind::created));
  auto all = fixture.request<command_reply>(cancel_all_atom::value, std::string{"BTC-USDT"});
  REQUIRE(all.has_value());
  CHECK(all->ok);
  CHECK(fixture.await_notice(first.client_order_id, order_notice_kind::cancelled).has_value());
  CHECK(fixture.await_notice(second.client_order_id, order_notice_kind::cancelled).has_value());
  auto open = fixture.request<std::vector<order_notice>>(orders_atom::value);
  REQUIRE(open.has_value());
  CHECK(open->empty());

  // The balances follow the fill (the stream's balance events, or the next reload).
  const auto spent = decimal::multiply(book.asks[0].price, "0.01"_d, rounding::half_even);
  bool moved = false;
  for (int attempt = 0; attempt < 50 && !moved; ++attempt) {
    balances = fixture.request<std::vector<balance>>(balances_atom::value);
    moved = balances && balance_of(*balances, "BTC") == "10.00999"_d
            && balance_of(*balances, "USDT") == "1000000"_d - spent;
    if (!moved)
      fixture.inbox->notices.wait_for(1'000'000, 100ms);  // bounded pause between polls
  }
  CHECK(moved);

  // Every order is in the journal, the taker with its fill.
  auto journal = journal::order_journal::open_read_only(
      (fixture.folder.path / "journal.sqlite").string());
  REQUIRE(journal.has_value());
  auto trades = journal->trades(journal::trade_filter{"binance_main", "BTC-USDT", {}, {}});
  REQUIRE(trades.has_value());
  REQUIRE(trades->size() == 1);
  CHECK(trades->front().client_order_id == taker.client_order_id);
}

TEST_CASE("binance spot: a placement whose answer is lost stays in flight until reconciliation "
          "finds it",
          "[actors][account][binance][trading][ambiguous]") {
  trading_fixture fixture;
  const auto book = fixture.engine_top();
  // The user stream goes silent, so only REST can tell what happened ...
  sim::fault silent;
  silent.kind = sim::fault_kind::stale_stream;
  silent.stream = "user";
  fixture.account.simulator->faults().add(silent);
  // ... and the exchange takes the order but answers after the placement timeout (1 s).
  sim::fault late;
  late.kind = sim::fault_kind::delay_response;
  late.endpoint = "POST /api/v3/order";
  late.delay_ms = 3000;
  fixture.account.simulator->faults().add(late);

  const auto placed = fixture.place(side::buy, book.bids[0].price - "100"_d, "0.001"_d);
  REQUIRE(placed.accepted());
  // Never failed: the status poll finds the order at the exchange and it becomes open.
  const auto created = fixture.await_notice(placed.client_order_id, order_notice_kind::created, 15s);
  REQUIRE(created.has_value());
  CHECK(!created->exchange_order_id.empty());
  for (const auto& notice : fixture.inbox->notices.snapshot())
    CHECK(notice.kind != order_notice_kind::failed);
  auto open = fixture.request<std::vector<order_notice>>(orders_atom::value);
  REQUIRE(open.has_value());
  REQUIRE(open->size() == 1);
  CHECK(open->front().client_order_id == placed.client_order_id);
  CHECK(open->front().state == order_state::open);
  // Exactly one order reached the exchange: nothing was resent.
  std::size_t at_exchange = 0;
  fixture.account.host->run_sync([&](sim::exchange_state& state) {
    const auto* user = state.credentials(doc_api_key);
    REQUIRE(user != nullptr);
    at_exchange = state.venue.market("BTCUSDT")->open_orders(user->account).size();
  });
  CHECK(at_exchange == 1);
}

} // namespace tern::testing
