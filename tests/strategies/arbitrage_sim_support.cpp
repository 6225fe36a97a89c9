#include "tests/strategies/arbitrage_sim_support.hpp"

#include <atomic>

#include <caf/send.hpp>

namespace tern::testing {
namespace {

sim::server_options two_venues() {
  sim::server_options options;
  for (const auto& venue : {alpha_venue, beta_venue}) {
    sim::exchange_setup exchange;
    exchange.name = venue.exchange;
    exchange.dialect = "binance";
    auto market = btcusdt_walk(20ms);
    market.random_walk->initial_mid = *decimal::parse(venue.mid);
    exchange.markets = {market};
    exchange.accounts = {doc_account()};
    options.exchanges.push_back(exchange);
  }
  options.start_paused = true;  // still books: the spread stays until the strategy takes it
  options.control_port.reset();
  return options;
}

config::strategy_config arbitrage_config(config::leg_failure_action policy) {
  config::arbitrage_params params;
  params.min_profitability = "0.001"_d;  // the books are 0.5 % apart, fees 0.2 %
  params.order_amount = "0.01"_d;
  params.markets = {{alpha_venue.account, "BTC-USDT", {}}, {beta_venue.account, "BTC-USDT", {}}};
  params.leg_order_type = order_type::limit;
  params.on_leg_failure = policy;
  params.max_retries = 2;
  params.cooldown = 600s;  // one round per test
  config::strategy_config config;
  config.name = "arb";
  config.kind = "arbitrage";
  config.params = params;
  return config;
}

std::string path_of(const venue_spec& venue, const char* child) {
  return std::string{"venues/"} + venue.account + "/" + child;
}

} // namespace

caf::behavior lossy_exchange(caf::event_based_actor* self, caf::actor exchange, bool lose_reply) {
  self->set_default_handler(
      [exchange](caf::scheduled_actor* actor, caf::message_view& x) -> caf::result<caf::message> {
        actor->delegate(exchange, x.move_content_to_message());
        return caf::delegated<caf::message>{};
      });
  auto placements = std::make_shared<int>(0);
  return {
      [self, exchange, lose_reply, placements](place_atom, const order_intent& intent)
          -> caf::result<place_reply> {
        auto promise = self->make_response_promise<place_reply>();
        if ((*placements)++ == 0) {  // the promise is never kept: the strategy hears nothing
          if (lose_reply)
            self->request(exchange, 30s, place_atom::value, intent)
                .then([](const place_reply&) {}, [](caf::error&) {});
          return promise;
        }
        self->request(exchange, 30s, place_atom::value, intent)
            .then([promise](const place_reply& reply) mutable { promise.deliver(reply); },
                  [promise](caf::error& error) mutable { promise.deliver(std::move(error)); });
        return promise;
      },
  };
}

caf::behavior notice_gate(caf::event_based_actor* self, caf::actor exchange,
                          std::shared_ptr<notice_filter> filter) {
  self->set_default_handler(
      [exchange](caf::scheduled_actor* actor, caf::message_view& x) -> caf::result<caf::message> {
        actor->delegate(exchange, x.move_content_to_message());
        return caf::delegated<caf::message>{};
      });
  auto subscriber = std::make_shared<caf::actor>();
  return {
      [self, exchange, subscriber](subscribe_atom) -> caf::result<command_reply> {
        *subscriber = caf::actor_cast<caf::actor>(self->current_sender());
        auto promise = self->make_response_promise<command_reply>();
        self->request(exchange, 30s, subscribe_atom::value)
            .then([promise](const command_reply& reply) mutable { promise.deliver(reply); },
                  [promise](caf::error& error) mutable { promise.deliver(std::move(error)); });
        return promise;
      },
      [self, subscriber, filter](const order_notice& notice) {
        if (filter->drops(notice)) {
          ++filter->dropped;
          return;
        }
        ++filter->passed;
        if (*subscriber)
          self->send(*subscriber, notice);
      },
  };
}

arbitrage_sim_fixture::arbitrage_sim_fixture(config::leg_failure_action policy) {
  auto started = sim::server::start(two_venues());
  if (!started)
    FAIL("simulator did not start: " << started.error());
  simulator = std::move(*started);
  start_accounts();
  for (const auto& venue : {alpha_venue, beta_venue}) {
    auto inbox = std::make_shared<probe_inbox>();
    auto probe = rt.system().spawn(probe_actor, inbox);
    caf::send_as(probe, contexts[venue.account]->directory.get("exchange"), subscribe_atom::value);
    inboxes[venue.account] = inbox;
    probes.push_back(probe);
  }
  sink = rt.system().spawn([]() -> caf::behavior {
    return {[](const supervision::health_update&) {}};
  });
  settings->config = arbitrage_config(policy);
  settings->board = &board;
  settings->tick = 200ms;
  settings->request_timeout = 1500ms;
  settings->lookup = [this](const std::string& account, const std::string& name) -> caf::actor {
    if (auto lossy = stand_ins.find(account); name == "exchange" && lossy != stand_ins.end())
      return lossy->second;
    auto context = contexts.find(account);
    return context == contexts.end() ? caf::actor{} : context->second->directory.get(name);
  };
}

void arbitrage_sim_fixture::start_accounts() {
  supervision::supervisor_policy supervise;
  supervise.strategy = supervision::restart_strategy::one_for_one;
  supervise.max_restarts = 20;
  supervise.within = 60s;
  supervise.backoff = supervision::backoff_settings{50ms, 400ms, 2.0, 0.0};
  supervision::supervisor_spec tree{"venues", supervise, {}};
  for (const auto& venue : {alpha_venue, beta_venue}) {
    REQUIRE(simulator->exchange(venue.exchange)->step(1) == 1);  // the background liquidity
    auto account = trading_account("binance", folder.path);
    account.name = venue.account;
    account.journal = folder.path / (std::string{venue.account} + ".sqlite");
    account.protocol.urls = sim_endpoints(*simulator, venue.exchange, "binance");
    account.trust.trust = net::trust_source::ca_pem;
    account.trust.ca_pem = simulator->ca_certificate_pem();
    auto added = accounts.add(std::move(account));
    if (!added)
      FAIL(added.error());
    contexts[venue.account] = *added;
    tree.children.push_back(supervision::supervisor_child(accounts.account_tree(venue.account, supervise)));
  }
  supervision::tree_options options;
  options.publish = [this](const supervision::health_node& node) { health.publish(node); };
  options.jitter = [] { return 0.0; };
  root = supervision::spawn_supervision_tree(rt.system(), std::move(tree), std::move(options));
  rt.add("root", root);
  for (const auto& venue : {alpha_venue, beta_venue})
    for (const char* child : {"connection", "book.BTC-USDT", "user_stream", "orders", "exchange"}) {
      const auto path = path_of(venue, child);
      const bool ready =
          health
              .await(
                  [&](const supervision::health_node& node) {
                    const auto* found = supervision::find_node(node, path);
                    return found != nullptr && found->state == health_state::ready;
                  },
                  20s)
              .tree != nullptr;
      INFO(path);
      REQUIRE(ready);
    }
}

arbitrage_sim_fixture::~arbitrage_sim_fixture() {
  for (auto& actor : probes)
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  for (auto& [account, actor] : stand_ins)
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  if (strategy)
    caf::anon_send_exit(strategy, caf::exit_reason::user_shutdown);
  if (sink)
    caf::anon_send_exit(sink, caf::exit_reason::user_shutdown);
  rt.shutdown();
  simulator->stop();
}

void arbitrage_sim_fixture::put_lossy_exchange(const std::string& account, bool lose_reply) {
  stand_ins[account] =
      rt.system().spawn(lossy_exchange, contexts.at(account)->directory.get("exchange"), lose_reply);
}

std::shared_ptr<notice_filter> arbitrage_sim_fixture::put_notice_gate(
    const std::string& account, std::function<bool(const order_notice&)> drops) {
  auto filter = std::make_shared<notice_filter>();
  filter->drops = std::move(drops);
  stand_ins[account] =
      rt.system().spawn(notice_gate, contexts.at(account)->directory.get("exchange"), filter);
  return filter;
}

void arbitrage_sim_fixture::start() {
  supervision::child_context child{"arbitrage", "node/strategies/arb/arbitrage", sink, 0, nullptr};
  strategy = strategy_actors::spawn_strategy(rt.system(), settings, child);
}

supervision::strategy_status arbitrage_sim_fixture::status() const {
  auto shown = board.snapshot();
  return shown.strategies.empty() ? supervision::strategy_status{} : shown.strategies.front().status;
}

std::string arbitrage_sim_fixture::describe() const {
  const auto shown = status();
  std::string out = "state " + std::string{to_string(shown.state)} + " (" + shown.reason + "), " +
                    std::to_string(shown.counters.orders_placed) + " placed, " +
                    std::to_string(fills().size()) + " fills, " +
                    std::to_string(shown.open_orders.size()) + " open\n";
  for (const auto& top : shown.tops)
    out += top.exchange + " bid " + (top.bid_price ? top.bid_price->to_string() : "-") + " ask " +
           (top.ask_price ? top.ask_price->to_string() : "-") + "\n";
  for (const auto& held : shown.balances)
    out += held.exchange + " " + held.asset + " " + held.available.to_string() + "\n";
  return out;
}

std::vector<supervision::fill_view> arbitrage_sim_fixture::fills() const {
  auto shown = board.snapshot();
  return shown.strategies.empty() ? std::vector<supervision::fill_view>{}
                                  : shown.strategies.front().recent_fills;
}

bool arbitrage_sim_fixture::await_settled(std::size_t fill_count, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  caf::scoped_actor self{rt.system()};
  while (std::chrono::steady_clock::now() < until) {
    const auto shown = status();
    if (fills().size() >= fill_count && shown.counters.orders_placed > 0 && shown.open_orders.empty())
      return fills().size() == fill_count;
    self->receive(caf::after(100ms) >> [] {});  // the next look, not a guess at a duration
  }
  return false;
}

bool arbitrage_sim_fixture::await_reason(const std::string& words, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  caf::scoped_actor self{rt.system()};
  while (std::chrono::steady_clock::now() < until) {
    if (status().reason.find(words) != std::string::npos)
      return true;
    self->receive(caf::after(20ms) >> [] {});
  }
  return false;
}

balance_sheet arbitrage_sim_fixture::simulator_balances() {
  balance_sheet out;
  for (const auto& venue : {alpha_venue, beta_venue})
    simulator->exchange(venue.exchange)->run_sync([&](sim::exchange_state& state) {
      const auto* user = state.credentials(doc_api_key);
      REQUIRE(user != nullptr);
      for (const auto& [asset, amount] : state.venue.accounts().balances(user->account))
        out[venue.account][asset] = amount.total();
    });
  return out;
}

balance_sheet arbitrage_sim_fixture::tracker_balances() {
  balance_sheet out;
  caf::scoped_actor self{rt.system()};
  for (const auto& [account, context] : contexts)
    self->request(context->directory.get("exchange"), 5s, balances_atom::value)
        .receive(
            [&, name = account](const std::vector<balance>& held) {
              for (const auto& entry : held)
                out[name][entry.asset] = entry.total;
            },
            [](caf::error&) {});
  return out;
}

balance_sheet arbitrage_sim_fixture::expected_balances() const {
  balance_sheet out;
  for (const auto& venue : {alpha_venue, beta_venue})
    for (const auto& [asset, amount] : doc_account().balances)
      out[venue.account][asset] = amount;
  for (const auto& fill : fills()) {
    auto& held = out[fill.exchange];
    const decimal quote = decimal::multiply(fill.price, fill.amount, rounding::half_even);
    const bool buy = fill.order_side == side::buy;
    held["BTC"] += buy ? fill.amount : -fill.amount;
    held["USDT"] += buy ? -quote : quote;
    held[fill.fee_asset] -= fill.fee;
  }
  return out;
}

balance_sheet arbitrage_sim_fixture::strategy_balances() const {
  balance_sheet out;
  for (const auto& held : status().balances)
    out[held.exchange][held.asset] = held.total;
  return out;
}

bool arbitrage_sim_fixture::await_all_agree(std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  caf::scoped_actor self{rt.system()};
  while (std::chrono::steady_clock::now() < until) {
    auto at_exchange = simulator_balances();
    auto held = tracker_balances();
    auto shown = strategy_balances();
    bool same = true;
    for (const auto& [account, assets] : at_exchange)
      for (const auto& asset : {"BTC", "USDT"})
        same = same && held[account][asset] == assets.at(asset) &&
               shown[account][asset] == assets.at(asset);
    if (same)
      return true;
    self->receive(caf::after(100ms) >> [] {});
  }
  return false;
}

std::vector<order_notice> arbitrage_sim_fixture::notices(const std::string& account) const {
  return inboxes.at(account)->notices.snapshot();
}

} // namespace tern::testing
