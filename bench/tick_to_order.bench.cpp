// Tick-to-order in one process, through the real actors, against the simulator over loopback
// TLS (a plain program: it reports latency distributions).
//
//   frame read by the WebSocket client (its wall-clock stamp)
//     → connection actor (parse) → book actor (apply) → strategy actor (top_of_book)   [tick]
//     → exchange actor (validate, name) → orders (budget check, journal write + fsync)
//     → place_reply to the strategy, sent just before the request goes to the HTTPS pool [order]
//
// The strategy places a resting buy far from the market on every 10th change of the best
// levels. Reported: p50/p99 of [tick], of [order], and of their sum per order.
//
// Usage: tern_tick_to_order_bench [orders=200]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <caf/actor_system.hpp>
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

timestamp wall_now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

struct samples {
  std::mutex mutex;
  std::vector<double> tick_us;
  std::vector<double> order_us;
  std::vector<double> total_us;
  std::size_t refused = 0;
  std::promise<void> done;
  std::size_t wanted = 0;
};

struct strategy_state {
  caf::actor exchange;
  std::shared_ptr<samples> out;
  std::size_t ticks = 0;
  std::size_t sent = 0;
};

caf::behavior strategy(caf::stateful_actor<strategy_state>* self, caf::actor exchange,
                       std::shared_ptr<samples> out) {
  self->state.exchange = std::move(exchange);
  self->state.out = std::move(out);
  return {
      [self](const top_of_book& top) {
        auto& st = self->state;
        const auto arrived = wall_now();
        const double tick = static_cast<double>((arrived - top.received_time).count()) / 1e3;
        if (++st.ticks % 10 != 0 || st.sent >= st.out->wanted || top.bid.price.is_zero())
          return;
        ++st.sent;
        order_intent intent;
        intent.pair = "BTC-USDT";
        intent.price = top.bid.price - "1000"_d;
        intent.amount = "0.001"_d;
        self->request(st.exchange, 10s, place_atom::value, intent)
            .then([self, arrived, tick](const place_reply& reply) {
              auto& sink = *self->state.out;
              const double order = static_cast<double>((wall_now() - arrived).count()) / 1e3;
              std::lock_guard lock{sink.mutex};
              if (!reply.accepted()) {
                ++sink.refused;
              } else {
                sink.tick_us.push_back(tick);
                sink.order_us.push_back(order);
                sink.total_us.push_back(tick + order);
              }
              if (sink.tick_us.size() + sink.refused == sink.wanted)
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

} // namespace

int main(int argc, char** argv) {
  const std::size_t wanted = argc > 1 ? std::stoul(argv[1]) : 200;
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
  exchange.accounts = {{std::string{api_key}, std::string{secret}, {{"USDT", "10000000"_d}}}};
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
  {
    runtime_options rt_options;
    rt_options.scheduler_threads = 2;
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
    auto strategy_actor = rt.system().spawn(strategy, exchange_actor, out);
    auto book = (*context)->directory.get("book.BTC-USDT");
    caf::send_as(strategy_actor, book, subscribe_atom::value, std::string{"BTC-USDT"});
    if (finished.wait_for(120s) != std::future_status::ready)
      std::fprintf(stderr, "timed out after %zu orders\n", out->tick_us.size());
    caf::anon_send_exit(strategy_actor, caf::exit_reason::user_shutdown);
    rt.shutdown();
  }
  (*simulator)->stop();
  std::lock_guard lock{out->mutex};
  std::printf("orders %zu (refused %zu)\n", out->tick_us.size(), out->refused);
  std::printf("frame -> strategy (tick):            p50 %8.1f us  p99 %8.1f us\n",
              percentile(out->tick_us, 0.5), percentile(out->tick_us, 0.99));
  std::printf("strategy -> order sent (journalled): p50 %8.1f us  p99 %8.1f us\n",
              percentile(out->order_us, 0.5), percentile(out->order_us, 0.99));
  std::printf("tick-to-order:                       p50 %8.1f us  p99 %8.1f us\n",
              percentile(out->total_us, 0.5), percentile(out->total_us, 0.99));
  std::filesystem::remove_all(folder);
  return 0;
}
