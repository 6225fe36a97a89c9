#include "actors/runtime.hpp"

#include <optional>
#include <stdexcept>
#include <thread>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/after.hpp>
#include <caf/system_messages.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/scoped_actor.hpp>
#include <csignal>
#include <spdlog/spdlog.h>

#include "actors/message_types.hpp"
#include "actors/signal_watch.hpp"

namespace tern {
namespace {

using clock = std::chrono::steady_clock;

std::size_t resolve_thread_count(std::size_t requested) {
  if (requested != 0)
    return requested;
  const auto cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

caf::timespan to_timespan(std::chrono::milliseconds value) {
  return std::chrono::duration_cast<caf::timespan>(value);
}

void configure(caf::actor_system_config& cfg, const runtime_options& options,
               std::size_t threads) {
  cfg.set("scheduler.max-threads", threads);
  // Tern logs through spdlog; CAF's own logger stays silent and writes no files.
  cfg.set("logger.console-verbosity", caf::atom("quiet"));
  cfg.set("logger.file-verbosity", caf::atom("quiet"));
  if (options.enable_network) {
    cfg.load<caf::io::middleman>();
    if (options.heartbeat_interval.count() > 0)
      cfg.set("middleman.heartbeat-interval", to_timespan(options.heartbeat_interval));
    if (options.connection_timeout.count() > 0)
      cfg.set("middleman.connection-timeout", to_timespan(options.connection_timeout));
  }
  register_message_types(cfg);
  if (options.customize)
    options.customize(cfg);
}

/// Waits for the down message of `source` (monitored by `self`) for at most `timeout`.
/// Returns its exit reason, or nothing on timeout.
std::optional<caf::error> await_down(caf::scoped_actor& self, const caf::actor_addr& source,
                                     std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  std::optional<caf::error> reason;
  bool timed_out = false;
  while (!reason && !timed_out) {
    const auto left = deadline - clock::now();
    if (left <= clock::duration::zero())
      break;
    self->receive(
      [&](caf::down_msg& down) {
        if (down.source == source)
          reason = std::move(down.reason);
      },
      caf::after(std::chrono::duration_cast<std::chrono::microseconds>(left))
        >> [&] { timed_out = true; });
  }
  return reason;
}

std::string_view outcome_name(stop_report::outcome value) {
  switch (value) {
    case stop_report::outcome::stopped: return "stopped";
    case stop_report::outcome::killed: return "killed";
    case stop_report::outcome::unresponsive: return "unresponsive";
  }
  return "unknown";
}

stop_report stop_one(caf::scoped_actor& self, std::string name,
                     const caf::strong_actor_ptr& handle, std::chrono::milliseconds timeout) {
  stop_report report;
  report.name = std::move(name);
  const auto started = clock::now();
  const auto address = caf::actor_cast<caf::actor_addr>(handle);
  self->monitor(handle);
  self->send_exit(address, caf::exit_reason::user_shutdown);
  auto reason = await_down(self, address, timeout);
  if (!reason) {
    spdlog::warn("runtime: {} did not stop within {} ms; killing it", report.name,
                 timeout.count());
    self->send_exit(address, caf::exit_reason::kill);
    reason = await_down(self, address, timeout);
    report.result = reason ? stop_report::outcome::killed : stop_report::outcome::unresponsive;
  }
  report.took = clock::now() - started;
  report.reason = reason ? self->system().render(*reason) : std::string{"still running"};
  const auto level = report.result == stop_report::outcome::stopped ? spdlog::level::info
                                                                    : spdlog::level::err;
  spdlog::log(level, "runtime: {} {} in {} us ({})", report.name, outcome_name(report.result),
              std::chrono::duration_cast<std::chrono::microseconds>(report.took).count(),
              report.reason);
  return report;
}

std::string_view signal_name(int number) {
  switch (number) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case 0: return "a stop request";
  }
  return "a signal";
}

} // namespace

struct runtime::state {
  runtime_options options;
  std::size_t threads = 0;
  caf::actor_system_config config;             // must outlive `system`
  std::unique_ptr<caf::actor_system> system;   // reset by shutdown()
  std::vector<std::pair<std::string, caf::strong_actor_ptr>> actors; // in start order
};

bool shutdown_summary::clean() const noexcept {
  for (const auto& report : actors)
    if (report.result != stop_report::outcome::stopped)
      return false;
  return true;
}

runtime::runtime(const runtime_options& options) : state_(std::make_unique<state>()) {
  state_->options = options;
  state_->threads = resolve_thread_count(options.scheduler_threads);
  configure(state_->config, options, state_->threads);
  state_->system = std::make_unique<caf::actor_system>(state_->config);
  spdlog::debug("runtime: actor system up with {} scheduler threads, network {}",
                state_->threads, options.enable_network ? "on" : "off");
}

runtime::~runtime() {
  try {
    shutdown();
  } catch (const std::exception& e) {
    spdlog::error("runtime: shutdown failed: {}", e.what());
  }
}

caf::actor_system& runtime::system() {
  if (!state_->system)
    throw std::logic_error{"runtime: the actor system has been shut down"};
  return *state_->system;
}

std::size_t runtime::scheduler_threads() const noexcept {
  return state_->threads;
}

void runtime::add_actor(std::string name, caf::strong_actor_ptr handle) {
  if (!handle)
    throw std::invalid_argument{"runtime: top-level actor '" + name + "' is an invalid handle"};
  if (!state_->system)
    throw std::logic_error{"runtime: cannot add '" + name + "' after shutdown"};
  state_->actors.emplace_back(std::move(name), std::move(handle));
}

std::vector<stop_report> runtime::stop() {
  std::vector<stop_report> reports;
  if (!state_->system || state_->actors.empty())
    return reports;
  caf::scoped_actor self{*state_->system};
  auto& actors = state_->actors;
  while (!actors.empty()) {
    auto [name, handle] = std::move(actors.back());
    actors.pop_back();
    reports.push_back(stop_one(self, std::move(name), handle, state_->options.stop_timeout));
  }
  return reports;
}

std::vector<stop_report> runtime::shutdown() {
  auto reports = stop();
  if (state_->system) {
    // The destructor waits for every actor still alive, then stops the scheduler and the
    // middleman.
    state_->system.reset();
    spdlog::debug("runtime: actor system shut down");
  }
  return reports;
}

shutdown_summary runtime::run_until_signal(signal_watch& signals) {
  shutdown_summary summary;
  summary.signal = signals.wait();
  spdlog::info("runtime: {} received; stopping {} top-level actors", signal_name(summary.signal),
               state_->actors.size());
  summary.actors = shutdown();
  return summary;
}

} // namespace tern
