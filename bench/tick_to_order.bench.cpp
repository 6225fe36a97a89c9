// Tick-to-order in one process, through the real actors, against the simulator over loopback
// TLS (a plain program: it reports latency distributions).
//
//   frame read by the WebSocket client (its wall-clock stamp)
//     → connection actor (parse) → book actor (apply) → strategy actor (top_of_book)   [tick]
//     → exchange actor (validate, name) → orders (budget check, journal)
//     → place_reply to the strategy, sent just before the request goes to the HTTPS pool [order]
//     → request built and signed, HTTPS pool, TLS write, read by the simulator      [to wire]
//
// The simulator stamps each request when it has read it (its request recorder, same clock):
// the last stage is an upper bound of "written to the socket", since it includes the loopback
// and the simulator's own TLS read and HTTP parse. Also reported: one CAF mailbox hop between two
// idle actors in the same runtime, the unit the actor stages are made of.
//
// The strategy places a resting buy far from the market on the first change of the best levels
// 210 ms after its previous order. Reported: p50/p99 of each stage and of the sums.
//
// Usage: tern_tick_to_order_bench [orders=100] [stealing|stealing-wake|stealing-wake-1ms|sharing]
//                                 [normal|full]
//   stealing, sharing: CAF's scheduler policies with CAF's defaults; stealing-wake: stealing
//   without the moderate polling phase (work-stealing.moderate-poll-attempts=0), so an idle
//   worker waits on its condition variable and the enqueue wakes it, instead of polling in
//   50 us sleeps; stealing-wake-1ms: the same, and a sleeping worker looks for work to steal
//   every 1 ms instead of 10 (work-stealing.relaxed-sleep-duration);
//   normal, full: the account's journal_sync (Tern's default is normal).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/account_components.hpp"
#include "actors/message_types.hpp"
#include "actors/runtime.hpp"
#include "sim/server.hpp"
#include "supervision/supervisor.hpp"

using namespace tern;
using namespace tern::literals;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view api_key = "bench-key-0123456789";
constexpr std::string_view secret = "bench-secret-0123456789";
// Binance allows 50 orders per 10 s an account: placing faster would make the account's rate
// limiter hold requests back, which is not what this measures.
constexpr auto order_spacing = 210ms;

timestamp wall_now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

/// One order's stamps, wall clock.
struct order_times {
  std::string client_order_id;
  timestamp frame{};     ///< the frame that moved the book was read
  timestamp decided{};   ///< the strategy got the top of book
  timestamp replied{};   ///< the strategy got the place reply
};

struct samples {
  std::mutex mutex;
  std::vector<order_times> orders;
  std::size_t refused = 0;
  std::promise<void> done;
  std::size_t wanted = 0;
};

double micros(timestamp from, timestamp to) {
  return static_cast<double>((to - from).count()) / 1e3;
}

struct strategy_state {
  caf::actor exchange;
  std::shared_ptr<samples> out;
  std::size_t sent = 0;
  timestamp last_sent{};
};

caf::behavior strategy(caf::stateful_actor<strategy_state>* self, caf::actor exchange,
                       std::shared_ptr<samples> out) {
  self->state.exchange = std::move(exchange);
  self->state.out = std::move(out);
  return {
      [self](const top_of_book& top) {
        auto& st = self->state;
        const auto arrived = wall_now();
        if (arrived - st.last_sent < order_spacing || st.sent >= st.out->wanted
            || top.bid.price.is_zero())
          return;
        ++st.sent;
        st.last_sent = arrived;
        order_intent intent;
        intent.pair = "BTC-USDT";
        intent.price = top.bid.price - "1000"_d;
        intent.amount = "0.001"_d;
        self->request(st.exchange, 10s, place_atom::value, intent)
            .then([self, arrived, frame = top.received_time](const place_reply& reply) {
              auto& sink = *self->state.out;
              const auto replied = wall_now();
              std::lock_guard lock{sink.mutex};
              if (!reply.accepted())
                ++sink.refused;
              else
                sink.orders.push_back(order_times{reply.client_order_id, frame, arrived, replied});
              if (sink.orders.size() + sink.refused == sink.wanted)
                sink.done.set_value();
            });
      },
      [](const book_snapshot&) {},
      [](const trade&) {},
      [](const funding_info&) {},
  };
}

double percentile(std::vector<double> values, double p) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  return values[index];
}

void print_row(const char* name, const std::vector<double>& values) {
  std::printf("%-44s p50 %8.1f us  p99 %8.1f us  (n=%zu)\n", name, percentile(values, 0.5),
              percentile(values, 0.99), values.size());
}

struct hop_samples {
  std::mutex mutex;
  std::vector<double> us;
};

/// One CAF mailbox hop: a message carrying its send time, from outside the scheduler's threads
/// to an idle actor, paced so that nothing queues (the actor is woken for each).
std::vector<double> measure_hops(caf::actor_system& system, std::size_t count) {
  auto out = std::make_shared<hop_samples>();
  auto sink = system.spawn([out](caf::event_based_actor*) -> caf::behavior {
    return {[out](std::int64_t sent_ns) {
      const auto now = wall_now().time_since_epoch().count();
      std::lock_guard lock{out->mutex};
      out->us.push_back(static_cast<double>(now - sent_ns) / 1e3);
    }};
  });
  for (std::size_t i = 0; i < count; ++i) {
    caf::anon_send(sink, std::int64_t{wall_now().time_since_epoch().count()});
    std::this_thread::sleep_for(1ms);
  }
  std::this_thread::sleep_for(20ms);
  caf::anon_send_exit(sink, caf::exit_reason::user_shutdown);
  std::lock_guard lock{out->mutex};
  return out->us;
}

/// When the simulator read each order's request (its recorder), by client order id; waits (at
/// most two seconds) until it has them all.
std::map<std::string, timestamp> wire_times(sim::server& simulator, const samples& out) {
  std::map<std::string, timestamp> seen;
  for (int attempt = 0; attempt < 200 && seen.size() < out.orders.size(); ++attempt) {
    for (const auto& record : simulator.records().since())
      if (record.new_order)
        seen.emplace(record.client_order_id, record.time);
    if (seen.size() < out.orders.size())
      std::this_thread::sleep_for(10ms);
  }
  return seen;
}

void report(const samples& out, const std::map<std::string, timestamp>& wire,
            const std::vector<double>& hops) {
  std::vector<double> tick, order, to_wire, replied_total, wire_total;
  for (const auto& times : out.orders) {
    tick.push_back(micros(times.frame, times.decided));
    order.push_back(micros(times.decided, times.replied));
    replied_total.push_back(micros(times.frame, times.replied));
    if (auto it = wire.find(times.client_order_id); it != wire.end()) {
      to_wire.push_back(micros(times.replied, it->second));
      wire_total.push_back(micros(times.frame, it->second));
    }
  }
  std::printf("orders %zu (refused %zu), %zu seen by the simulator\n", out.orders.size(),
              out.refused, to_wire.size());
  print_row("one CAF mailbox hop (idle actor)", hops);
  print_row("frame -> strategy (tick)", tick);
  print_row("strategy -> place reply (journalled)", order);
  print_row("place reply -> request read by the simulator", to_wire);
  print_row("tick-to-order, to the place reply", replied_total);
  print_row("tick-to-order, to the simulator's read", wire_total);
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t wanted = argc > 1 ? std::stoul(argv[1]) : 100;
  const std::string policy = argc > 2 ? argv[2] : "stealing";
  const bool full_sync = argc > 3 && std::string_view{argv[3]} == "full";
  spdlog::set_level(spdlog::level::warn);
  sim::server_options options;
  sim::exchange_setup exchange;
  exchange.name = "binance";
  exchange.dialect = "binance";
  sim::market_setup market;
  market.spec = sim::market_spec{"", "BTC", "USDT", market_kind::spot, "0.01"_d, "0.00001"_d,
                                 "0.00001"_d, "5"_d, "0.001"_d, "0.001"_d};
  sim::random_walk_config walk;
  walk.initial_mid = "60000.00"_d;
  walk.volatility_bps = 2.0;
  walk.step_interval = 5ms;
  walk.levels_per_side = 15;
  walk.level_size = "0.5"_d;
  market.random_walk = walk;
  exchange.markets = {market};
  exchange.accounts = {{std::string{api_key}, std::string{secret}, {{"USDT", "10000000"_d}}, {}}};
  options.exchanges = {exchange};
  options.control_port.reset();
  auto simulator = sim::server::start(std::move(options));
  if (!simulator) {
    std::fprintf(stderr, "simulator: %s\n", simulator.error().c_str());
    return 1;
  }
  const auto folder = std::filesystem::temp_directory_path() / "tern_tick_to_order_bench";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);

  account_runtime accounts{1};
  account_settings settings;
  settings.name = "binance_main";
  settings.connector = "binance";
  settings.markets = {"BTC-USDT"};
  settings.keys = credentials{std::string{api_key}, std::string{secret}};
  settings.journal = folder / "journal.sqlite";
  settings.journal_full_sync = full_sync;
  const auto port = std::to_string((*simulator)->exchange("binance")->port());
  settings.protocol.urls = endpoints{"https://127.0.0.1:" + port, "wss://127.0.0.1:" + port + "/stream",
                                     "", "wss://127.0.0.1:" + port + "/ws-api/v3"};
  settings.trust.trust = net::trust_source::ca_pem;
  settings.trust.ca_pem = (*simulator)->ca_certificate_pem();
  auto context = accounts.add(std::move(settings));
  if (!context) {
    std::fprintf(stderr, "%s\n", context.error().c_str());
    return 1;
  }
  auto out = std::make_shared<samples>();
  out->wanted = wanted;
  auto finished = out->done.get_future();
  std::vector<double> hops;
  std::map<std::string, timestamp> wire;
  {
    runtime_options rt_options;
    rt_options.scheduler_threads = 2;
    rt_options.customize = [policy](caf::actor_system_config& cfg) {
      cfg.set("scheduler.policy", policy == "sharing" ? caf::atom("sharing") : caf::atom("stealing"));
      if (policy.starts_with("stealing-wake"))
        cfg.set("work-stealing.moderate-poll-attempts", std::size_t{0});
      if (policy == "stealing-wake-1ms")
        cfg.set("work-stealing.relaxed-sleep-duration",
                caf::timespan{std::chrono::milliseconds{1}});
    };
    runtime rt{rt_options};
    supervision::tree_options tree;
    tree.publish = [](const supervision::health_node&) {};
    auto root = supervision::spawn_supervision_tree(
        rt.system(), accounts.account_tree("binance_main", {}), std::move(tree));
    rt.add("root", root);
    // Wait (bounded) until orders can be placed: the tracker reconciled, the book synced.
    caf::actor exchange_actor;
    for (int attempt = 0; attempt < 200; ++attempt) {
      exchange_actor = (*context)->directory.get("exchange");
      auto orders = (*context)->directory.get("orders");
      if (exchange_actor && orders && (*context)->markets()) {
        bool reconciled = false;
        caf::scoped_actor self{rt.system()};
        self->request(orders, 1s, balances_atom::value)
            .receive([&](std::vector<balance>& held) { reconciled = !held.empty(); },
                     [](caf::error&) {});
        if (reconciled)
          break;
      }
      std::this_thread::sleep_for(50ms);
    }
    hops = measure_hops(rt.system(), 1000);
    auto strategy_actor = rt.system().spawn(strategy, exchange_actor, out);
    auto book = (*context)->directory.get("book.BTC-USDT");
    caf::send_as(strategy_actor, book, subscribe_atom::value, std::string{"BTC-USDT"});
    if (finished.wait_for(120s) != std::future_status::ready) {
      std::lock_guard lock{out->mutex};
      std::fprintf(stderr, "timed out after %zu orders\n", out->orders.size());
    }
    caf::anon_send_exit(strategy_actor, caf::exit_reason::user_shutdown);
    std::lock_guard lock{out->mutex};
    wire = wire_times(**simulator, *out);
    rt.shutdown();
  }
  (*simulator)->stop();
  std::lock_guard lock{out->mutex};
  std::printf("scheduler %s, journal_sync %s\n", policy.c_str(), full_sync ? "full" : "normal");
  report(*out, wire, hops);
  std::filesystem::remove_all(folder);
  return 0;
}
