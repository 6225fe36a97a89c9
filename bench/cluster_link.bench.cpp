// One-way latency and throughput of book-update-sized messages between two nodes (two
// processes) over loopback: CAF with mutual TLS (the cluster's links), CAF plaintext BASP, and
// a raw TCP socket (TCP_NODELAY) for scale. A plain program (not Google Benchmark): it reports
// latency distributions.
//
//   tern_cluster_link_bench [updates=100000] [rate_per_s=10000] [flood=200000]
//                           [stealing|stealing-wake|sharing]
//
// stealing-wake is work stealing without its moderate polling phase
// (work-stealing.moderate-poll-attempts=0): an idle worker waits on its condition variable and
// is woken by the enqueue, instead of polling in 50 us sleeps.
//
// The subscriber (parent) timestamps each update on arrival with CLOCK_MONOTONIC, which both
// processes share, against the publisher's (child's) send time in the message. Latency is
// measured at a paced rate (no queueing); throughput with the publisher sending flat out.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/all.hpp>
#include <caf/send.hpp>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "actors/message_types.hpp"
#include "cluster/certs.hpp"
#include "cluster/messages.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

/// Sleeps until update `i` is due (`gap` ns apart from `start`); sleeping rather than spinning
/// leaves the cores to the transport's own threads on this small machine.
void pace(std::uint64_t start, std::uint64_t i, std::uint64_t gap) {
  if (gap == 0)
    return;
  const auto due = start + i * gap;
  const auto now = now_ns();
  if (due > now)
    std::this_thread::sleep_for(std::chrono::nanoseconds{due - now});
}

/// A BTC-USDT top of book, the size of a typical book update on the wire (~100 bytes).
tern::top_of_book sample_update(std::uint64_t seq) {
  tern::top_of_book update;
  update.pair = "BTC-USDT";
  update.sequence = static_cast<std::int64_t>(seq);
  update.bid = {tern::decimal::from_scaled(6501234, 2), tern::decimal::from_scaled(15, 1)};
  update.ask = {tern::decimal::from_scaled(6501235, 2), tern::decimal::from_scaled(7, 1)};
  return update;
}

struct run_result {
  std::vector<std::uint64_t> latencies; ///< ns, in arrival order
  double seconds = 0;                   ///< first to last arrival
};

enum class transport { tls, plain };

/// CAF's scheduler policy for both nodes: "stealing" (CAF's default, Tern's), "stealing-wake"
/// or "sharing".
std::string scheduler_policy = "stealing";

void configure(caf::actor_system_config& cfg, transport mode, const fs::path& certs,
               const std::string& node) {
  tern::register_message_types(cfg);
  tern::cluster::register_cluster_types(cfg);
  cfg.load<caf::io::middleman>();
  cfg.set("scheduler.max-threads", std::thread::hardware_concurrency());
  cfg.set("scheduler.policy",
          caf::atom_from_string(scheduler_policy == "sharing" ? "sharing" : "stealing"));
  if (scheduler_policy == "stealing-wake")
    cfg.set("work-stealing.moderate-poll-attempts", std::size_t{0});
  cfg.set("logger.console-verbosity", caf::atom("quiet"));
  cfg.set("logger.file-verbosity", caf::atom("quiet"));
  if (mode == transport::tls) {
    cfg.load<caf::openssl::manager>();
    cfg.set("openssl.certificate", (certs / (node + ".pem")).string());
    cfg.set("openssl.key", (certs / (node + ".key")).string());
    cfg.set("openssl.cafile", (certs / "ca.pem").string());
  }
}

/// The publisher: connects to the subscriber and sends `count` updates, paced at `rate` per
/// second (0: flat out).
int publish(transport mode, const fs::path& certs, std::uint16_t port, std::size_t count,
            std::size_t rate) {
  caf::actor_system_config cfg;
  configure(cfg, mode, certs, "publisher");
  caf::actor_system system{cfg};
  caf::expected<caf::actor> subscriber = caf::sec::cannot_connect_to_node;
  for (int attempt = 0; attempt < 200 && !subscriber; ++attempt) {
    subscriber = mode == transport::tls
                     ? caf::openssl::remote_actor(system, "127.0.0.1", port)
                     : system.middleman().remote_actor("127.0.0.1", port);
    if (!subscriber)
      std::this_thread::sleep_for(20ms);
  }
  if (!subscriber)
    return 1;
  const auto start = now_ns();
  const std::uint64_t gap = rate == 0 ? 0 : 1'000'000'000ULL / rate;
  for (std::size_t i = 0; i < count; ++i) {
    pace(start, i, gap);
    caf::anon_send(*subscriber, sample_update(i), now_ns());
  }
  std::this_thread::sleep_for(2s); // let the middleman drain before the system goes
  return 0;
}

caf::behavior collector(caf::event_based_actor*, run_result* result, std::size_t count,
                        std::promise<void>* done, std::uint64_t* first) {
  return {[=](const tern::top_of_book&, std::uint64_t sent) {
    const auto now = now_ns();
    if (result->latencies.empty())
      *first = now;
    result->latencies.push_back(now - sent);
    if (result->latencies.size() == count) {
      result->seconds = static_cast<double>(now - *first) / 1e9;
      done->set_value();
    }
  }};
}

run_result caf_run(transport mode, const fs::path& certs, std::size_t count, std::size_t rate) {
  run_result result;
  result.latencies.reserve(count);
  std::promise<void> done;
  std::uint64_t first = 0;
  caf::actor_system_config cfg;
  configure(cfg, mode, certs, "subscriber");
  caf::actor_system system{cfg};
  auto subscriber = system.spawn(collector, &result, count, &done, &first);
  auto port = mode == transport::tls ? caf::openssl::publish(subscriber, 0, "127.0.0.1", true)
                                     : system.middleman().publish(subscriber, 0, "127.0.0.1", true);
  if (!port)
    return result;
  const pid_t child = ::fork();
  if (child == 0)
    ::_exit(publish(mode, certs, *port, count, rate));
  const bool complete = done.get_future().wait_for(120s) == std::future_status::ready;
  ::waitpid(child, nullptr, 0);
  caf::anon_send_exit(subscriber, caf::exit_reason::user_shutdown);
  if (!complete)
    std::fprintf(stderr, "only %zu of %zu updates arrived\n", result.latencies.size(), count);
  return result;
}

/// The same over a raw TCP socket: 104-byte records (seq, sent_ns, 88 bytes of payload).
run_result tcp_run(std::size_t count, std::size_t rate) {
  constexpr std::size_t record = 104;
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::listen(listener, 1);
  socklen_t length = sizeof address;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  const pid_t child = ::fork();
  if (child == 0) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      ::_exit(1);
    char buffer[record] = {};
    const auto start = now_ns();
    const std::uint64_t gap = rate == 0 ? 0 : 1'000'000'000ULL / rate;
    for (std::uint64_t i = 0; i < count; ++i) {
      pace(start, i, gap);
      const auto sent = now_ns();
      std::memcpy(buffer, &i, 8);
      std::memcpy(buffer + 8, &sent, 8);
      if (::write(fd, buffer, record) != static_cast<ssize_t>(record))
        ::_exit(1);
    }
    ::close(fd);
    ::_exit(0);
  }
  const int fd = ::accept(listener, nullptr, nullptr);
  run_result result;
  result.latencies.reserve(count);
  std::vector<char> buffer(record * 256);
  std::size_t held = 0;
  std::uint64_t first = 0;
  while (result.latencies.size() < count) {
    const auto n = ::read(fd, buffer.data() + held, buffer.size() - held);
    if (n <= 0)
      break;
    const auto now = now_ns();
    held += static_cast<std::size_t>(n);
    std::size_t used = 0;
    for (; held - used >= record; used += record) {
      std::uint64_t sent = 0;
      std::memcpy(&sent, buffer.data() + used + 8, 8);
      if (result.latencies.empty())
        first = now;
      result.latencies.push_back(now - sent);
    }
    std::memmove(buffer.data(), buffer.data() + used, held - used);
    held -= used;
    result.seconds = static_cast<double>(now - first) / 1e9;
  }
  ::close(fd);
  ::close(listener);
  ::waitpid(child, nullptr, 0);
  return result;
}

void report(const char* name, run_result result, bool latency) {
  auto& values = result.latencies;
  if (values.empty()) {
    std::printf("%-34s no updates arrived\n", name);
    return;
  }
  if (!latency) {
    std::printf("%-34s %zu updates in %.3f s: %.0f updates/s\n", name, values.size(),
                result.seconds, static_cast<double>(values.size()) / result.seconds);
    return;
  }
  std::sort(values.begin(), values.end());
  const auto at = [&](double q) {
    return static_cast<double>(values[static_cast<std::size_t>(q * static_cast<double>(values.size() - 1))]) / 1000.0;
  };
  std::printf("%-34s n=%zu median %.1f us  p90 %.1f us  p99 %.1f us  max %.1f us\n", name,
              values.size(), at(0.5), at(0.9), at(0.99), at(1.0));
}

} // namespace

int main(int argc, char** argv) {
  const std::size_t count = argc > 1 ? std::stoul(argv[1]) : 100'000;
  const std::size_t rate = argc > 2 ? std::stoul(argv[2]) : 10'000;
  const std::size_t flood = argc > 3 ? std::stoul(argv[3]) : 200'000;
  if (argc > 4)
    scheduler_policy = argv[4];
  char pattern[] = "/tmp/tern_link_bench_XXXXXX";
  if (::mkdtemp(pattern) == nullptr)
    return 1;
  const fs::path certs = pattern;
  if (!tern::cluster::create_certificates({certs, {{"publisher", "127.0.0.1"},
                                                   {"subscriber", "127.0.0.1"}}, 1, false})) {
    std::fprintf(stderr, "cannot create certificates\n");
    return 1;
  }
  std::printf("one-way latency, %zu updates at %zu/s; throughput, %zu updates flat out; "
              "CAF scheduler policy %s\n", count, rate, flood, scheduler_policy.c_str());
  report("raw TCP, latency", tcp_run(count, rate), true);
  report("CAF mutual TLS, latency", caf_run(transport::tls, certs, count, rate), true);
  report("CAF plaintext BASP, latency", caf_run(transport::plain, certs, count, rate), true);
  report("raw TCP, throughput", tcp_run(flood, 0), false);
  report("CAF mutual TLS, throughput", caf_run(transport::tls, certs, flood, 0), false);
  report("CAF plaintext BASP, throughput", caf_run(transport::plain, certs, flood, 0), false);
  std::error_code ignored;
  fs::remove_all(certs, ignored);
  return 0;
}
