// WebSocket frames per second the simulator pushes to a local client over TLS: the raw push
// path (a rendered depthUpdate handed to the stream hub, which applies the fault plan and
// writes it to the connection), and the full path (market driver steps -> engine -> dialect
// rendering of USD-M @depth@0ms diffs -> hub -> socket). Each iteration pushes a batch and waits
// (condition variable, no sleeps) until the client has received every frame. Run it under
// `taskset -c 0` for the one-core figure: simulator, io thread and client then share one core.

#include <benchmark/benchmark.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "net/io_runtime.hpp"
#include "net/tls.hpp"
#include "net/websocket_client.hpp"
#include "sim/server.hpp"

namespace {

using namespace tern;
using namespace tern::sim;
using namespace std::chrono_literals;

market_setup walk_market(market_kind kind) {
  market_setup market;
  market.spec.base = "BTC";
  market.spec.quote = "USDT";
  market.spec.kind = kind;
  market.spec.tick = decimal::from_string("0.1");
  market.spec.step = decimal::from_string("0.001");
  random_walk_config walk;
  walk.initial_mid = decimal::from_string("60000.0");
  walk.level_size = decimal::from_string("2.000");
  walk.levels_per_side = 20;
  walk.size_jitter = 0.5;
  walk.step_interval = 1ms;
  market.random_walk = walk;
  return market;
}

/// A simulator with one exchange, paused, and one client at `path` (Binance: "/ws/<stream>"),
/// which sends `subscribe` first when given (OKX) and waits for its `answers` frames.
struct bench_rig {
  bench_rig(const std::string& dialect, market_kind kind, const std::string& path, const std::string& subscribe = {},
            std::uint64_t answers = 0) {
    server_options options;
    exchange_setup exchange;
    exchange.name = "x";
    exchange.dialect = dialect;
    exchange.markets = {walk_market(kind)};
    options.exchanges = {exchange};
    options.start_paused = true;
    options.control_port.reset();
    options.io_threads = 1;
    sim = std::move(*server::start(options));
    sim->exchanges().front()->step(1);
    net::tls_client_options trust;
    trust.trust = net::trust_source::ca_pem;
    trust.ca_pem = sim->ca_certificate_pem();
    net::websocket_client_options client_options;
    client_options.url = "wss://127.0.0.1:" + std::to_string(sim->exchanges().front()->port()) + path;
    client_options.tls = *net::make_client_tls_context(trust);
    client_options.auto_reconnect = false;
    client_runtime.start();
    client = std::make_unique<net::websocket_client>(
        client_runtime.context(), client_options,
        net::websocket_callbacks{[this] { received(0); }, [this](net::websocket_message m) { received(m.payload.size()); }, {}});
    client->start();
    wait_for(0);
    // The exchange registers the connection just after the client sees it open: wait for the
    // answer to a control request, which comes after the registration, before counting frames.
    client->send_text(R"({"method":"LIST_SUBSCRIPTIONS","id":1})");
    wait_for(1);
    if (!subscribe.empty()) {
      client->send_text(subscribe);
      wait_for(1 + answers);
    }
    frames = 0;
    bytes = 0;
  }
  ~bench_rig() {
    client->close();
    client.reset();
    sim->stop();
  }

  void received(std::size_t size) {
    std::lock_guard lock{mutex};
    if (size == 0 && !open) open = true;
    else {
      ++frames;
      bytes += size;
    }
    changed.notify_all();
  }
  bool wait_for(std::uint64_t count) {
    std::unique_lock lock{mutex};
    return changed.wait_for(lock, 30s, [&] { return open && frames >= count; });
  }

  std::unique_ptr<server> sim;
  net::io_runtime client_runtime{1};
  std::mutex mutex;
  std::condition_variable changed;
  bool open = false;
  std::uint64_t frames = 0;
  std::uint64_t bytes = 0;
  std::unique_ptr<net::websocket_client> client;
};

constexpr std::size_t batch = 2000;

/// The hub alone: a captured-size depthUpdate (12 levels) published `batch` times.
void sim_ws_push(benchmark::State& state) {
  bench_rig rig{"binance", market_kind::spot, "/ws/btcusdt@depth@100ms"};
  std::string frame =
      R"({"e":"depthUpdate","E":1723161255208,"s":"BTCUSDT","U":50093239189,"u":50093239202,"b":[["61737.63000000","0.00000000"],["61730.17000000","0.00000000"],["56854.58000000","0.00000000"]],"a":[["61837.64000000","1.54698000"],["61839.85000000","0.00000000"],["61839.86000000","0.00000000"],["61845.11000000","0.32329000"],["61848.49000000","0.00000000"],["61855.45000000","0.32323000"],["61862.51000000","0.05041000"],["61862.52000000","0.00000000"],["61937.64000000","0.02000000"]]}})";
  std::uint64_t target = 0;
  for (auto _ : state) {
    rig.sim->exchanges().front()->run_sync([&](exchange_state& exchange) {
      for (std::size_t i = 0; i < batch; ++i) exchange.streams.publish("btcusdt@depth@100ms", stream_kind::depth, frame);
    });
    target += batch;
    if (!rig.wait_for(target)) state.SkipWithError("frames did not arrive");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(target));
  state.SetBytesProcessed(static_cast<std::int64_t>(rig.bytes));
}

/// The full path: random-walk steps rendered as USD-M @depth@0ms diffs (one frame per engine
/// change of the book, several per step), counted as the hub sent them.
void sim_ws_depth_stream(benchmark::State& state) {
  bench_rig rig{"binance_perpetual", market_kind::perpetual, "/ws/btcusdt@depth@0ms"};
  exchange_host& host = *rig.sim->exchanges().front();
  std::uint64_t base = 0;
  host.run_sync([&](exchange_state& exchange) { base = exchange.streams.frames_sent(); });
  std::uint64_t sent = 0;
  std::int64_t steps = 0;
  for (auto _ : state) {
    steps += static_cast<std::int64_t>(host.step(batch / 20));
    host.run_sync([&](exchange_state& exchange) { sent = exchange.streams.frames_sent() - base; });
    if (!rig.wait_for(sent)) state.SkipWithError("frames did not arrive");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(sent));
  state.SetBytesProcessed(static_cast<std::int64_t>(rig.bytes));
  state.counters["bytes/frame"] = sent == 0 ? 0.0 : static_cast<double>(rig.bytes) / static_cast<double>(sent);
  state.counters["frames/step"] = steps == 0 ? 0.0 : static_cast<double>(sent) / static_cast<double>(steps);
}

/// The OKX full path: random-walk steps rendered as bbo-tbt pushes (one per change of the top
/// of book), counted as the hub sent them.
void sim_ws_okx_bbo(benchmark::State& state) {
  // Answers: the subscribe ack and the first push.
  bench_rig rig{"okx", market_kind::spot, "/ws/v5/public",
                R"({"op":"subscribe","args":[{"channel":"bbo-tbt","instId":"BTC-USDT"}]})", 2};
  exchange_host& host = *rig.sim->exchanges().front();
  std::uint64_t base = 0;
  host.run_sync([&](exchange_state& exchange) { base = exchange.streams.frames_sent(); });
  std::uint64_t sent = 0;
  std::int64_t steps = 0;
  for (auto _ : state) {
    steps += static_cast<std::int64_t>(host.step(batch));
    host.run_sync([&](exchange_state& exchange) { sent = exchange.streams.frames_sent() - base; });
    if (!rig.wait_for(sent)) state.SkipWithError("frames did not arrive");
  }
  state.SetItemsProcessed(steps);
  state.counters["frames/s"] = benchmark::Counter(static_cast<double>(sent), benchmark::Counter::kIsRate);
  state.counters["bytes/frame"] = sent == 0 ? 0.0 : static_cast<double>(rig.bytes) / static_cast<double>(sent);
  state.counters["frames/step"] = steps == 0 ? 0.0 : static_cast<double>(sent) / static_cast<double>(steps);
}

/// For scale: the same driver steps with nobody subscribed (engine and driver cost alone).
void sim_driver_steps_unwatched(benchmark::State& state) {
  bench_rig rig{"binance_perpetual", market_kind::perpetual, "/ws/btcusdt@trade"};
  std::int64_t steps = 0;
  for (auto _ : state) steps += static_cast<std::int64_t>(rig.sim->exchanges().front()->step(batch));
  state.SetItemsProcessed(steps);
}

} // namespace

BENCHMARK(sim_driver_steps_unwatched)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(sim_ws_push)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(sim_ws_depth_stream)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(sim_ws_okx_bbo)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_MAIN();
