#include "sim/exchange_host.hpp"

#include <algorithm>
#include <future>
#include <stdexcept>

#include "sim/form_params.hpp"

namespace tern::sim {

namespace {

/// The longest the exchange thread sleeps: bounds how late a stale-stream fault ends and how
/// often an injected (test) clock is looked at.
constexpr std::chrono::milliseconds max_sleep{50};

/// REST faults that answer instead of the exchange; the others let the request execute first.
bool answers_before_executing(const fault& f) {
  return f.kind == fault_kind::reject || f.kind == fault_kind::rate_limit ||
         (f.kind == fault_kind::server_error && !f.after_accept);
}

} // namespace

expected<std::unique_ptr<exchange_host>, std::string> exchange_host::create(exchange_setup setup,
                                                                           host_environment env) {
  if (env.io == nullptr || env.faults == nullptr || env.records == nullptr || !env.clock || !env.tls)
    throw std::invalid_argument{"exchange_host: incomplete environment"};
  auto speaker = make_dialect(setup.dialect);
  if (!speaker) return unexpected{"exchange " + setup.name + ": " + speaker.error()};
  std::unique_ptr<exchange_host> host{new exchange_host(std::move(setup), std::move(env), std::move(*speaker))};
  if (auto built = host->build(); !built)
    return unexpected{"exchange " + host->name() + ": " + built.error()};
  return host;
}

exchange_host::exchange_host(exchange_setup setup, host_environment env, std::unique_ptr<dialect> speaker)
    : setup_(std::move(setup)), env_(std::move(env)), dialect_(std::move(speaker)) {}

exchange_host::~exchange_host() { stop(); }

expected<void, std::string> exchange_host::build() {
  state_ = std::make_unique<exchange_state>(setup_.name, *env_.faults, *env_.records, env_.clock);
  state_->rate_limits = setup_.rate_limits;
  state_->options = setup_.options;
  state_->schedule = [this](timestamp due, std::function<void()> task) {
    timers_.emplace(due, std::move(task));
  };
  driver_time_ = state_->now();
  for (auto& market : setup_.markets)
    if (auto added = add_market(market); !added) return added;
  for (const auto& account : setup_.accounts) {
    try {
      account_id id = state_->add_user(account.api_key, account.secret, account.passphrase);
      for (const auto& [asset, amount] : account.balances)
        if (auto deposited = state_->venue.accounts().deposit(id, asset, amount); !deposited)
          return unexpected{"deposit of " + asset + ": " + deposited.error().message};
    } catch (const std::invalid_argument& e) {
      return unexpected{std::string{e.what()}};
    }
  }
  return dialect_->attach(*state_);
}

expected<void, std::string> exchange_host::add_market(market_setup market) {
  market_spec spec = market.spec;
  spec.kind = dialect_->kind();
  if (spec.symbol.empty()) spec.symbol = dialect_->symbol_for(spec.base, spec.quote);
  if (spec.kind == market_kind::perpetual) spec.fee_rule = fee_asset_rule::quote_asset;
  auto engine = state_->venue.add_market(spec);
  if (!engine) return unexpected{"market " + spec.symbol + ": " + engine.error().message};
  if (market.contract_value.is_positive()) state_->contract_values[spec.symbol] = market.contract_value;
  ledger& accounts = state_->venue.accounts();
  timestamp start = driver_time_;
  // Each market's drivers trade from their own accounts, so keys carry the symbol.
  if (market.random_walk) {
    auto config = *market.random_walk;
    config.start = start;
    config.api_key = "sim-liquidity-" + spec.symbol;
    auto walk = random_walk::create(**engine, accounts, config);
    if (!walk) return unexpected{"market " + spec.symbol + " random walk: " + walk.error()};
    if (spec.kind == market_kind::perpetual && config.funding_interval.count() > 0)
      state_->funding[spec.symbol] = funding_schedule{config.funding_rate, config.funding_interval, start};
    drivers_.add(std::move(*walk));
  }
  if (market.replay) {
    auto config = *market.replay;
    config.start = start;
    config.api_key = "sim-replay-" + spec.symbol;
    auto replay = capture_replay::open(**engine, accounts, config);
    if (!replay) return unexpected{"market " + spec.symbol + " replay: " + replay.error()};
    drivers_.add(std::move(*replay));
  }
  if (market.takers) {
    auto config = *market.takers;
    config.start = start;
    config.api_key = "sim-takers-" + spec.symbol;
    auto takers = taker_flow::create(**engine, accounts, config);
    if (!takers) return unexpected{"market " + spec.symbol + " takers: " + takers.error()};
    drivers_.add(std::move(*takers));
  }
  return {};
}

expected<std::uint16_t, std::string> exchange_host::start() {
  thread_ = std::thread{[this] { loop(); }};
  net::http_server_options options;
  options.host = env_.host;
  options.port = setup_.port;
  options.tls = env_.tls;
  server_ = std::make_unique<net::http_server>(
      *env_.io, options,
      [this](net::server_request request, net::responder reply) {
        post([this, request = std::move(request), reply = std::move(reply)]() mutable {
          serve_rest(std::move(request), std::move(reply));
        });
      },
      [this](const net::server_request& upgrade, std::shared_ptr<net::websocket_session> socket) {
        std::uint64_t id = socket->id();
        socket->on_message = [this, id](std::string payload, bool /*binary*/) {
          post([this, id, payload = std::move(payload)] {
            if (stream_session* session = state_->streams.find(id)) {
              dialect_->on_stream_message(*session, payload);
              publish();
            }
          });
        };
        socket->on_close = [this, id] {
          post([this, id] {
            if (stream_session* session = state_->streams.find(id)) {
              dialect_->on_stream_closed(*session);
              state_->streams.remove(id);
            }
          });
        };
        post([this, id, target = upgrade.target, socket] { open_stream(id, target, socket); });
      });
  auto bound = server_->start();
  if (!bound) {
    stop();
    return unexpected{"exchange " + name() + ": cannot listen on " + env_.host + ":" +
                      std::to_string(setup_.port) + ": " + bound.error().message};
  }
  port_ = *bound;
  return port_;
}

void exchange_host::stop() {
  if (server_) server_->stop();
  {
    std::lock_guard lock{mutex_};
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  timers_.clear();  // delayed responders are abandoned: their connections close
}

std::vector<endpoint_info> exchange_host::endpoints() const {
  return dialect_->endpoints(env_.host, port_);
}

void exchange_host::post(std::function<void()> task) {
  {
    std::lock_guard lock{mutex_};
    if (stopping_) return;
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
}

void exchange_host::run_sync(const std::function<void(exchange_state&)>& task) {
  bool inline_run = false;
  {
    std::lock_guard lock{mutex_};
    inline_run = stopping_ || !thread_.joinable();
  }
  if (inline_run) {  // no exchange thread runs: the caller may touch the state itself
    task(*state_);
    return;
  }
  std::promise<void> done;
  auto finished = done.get_future();
  post([&] {
    task(*state_);
    publish();
    done.set_value();
  });
  // A stop between the check and the post drops the task: do not wait forever for it.
  while (finished.wait_for(std::chrono::milliseconds{100}) != std::future_status::ready) {
    std::lock_guard lock{mutex_};
    if (stopping_) return;
  }
}

void exchange_host::pause() {
  run_sync([this](exchange_state&) { paused_ = true; });
}

void exchange_host::resume() {
  run_sync([this](exchange_state& state) {
    if (!paused_) return;
    lag_ = state.now() - driver_time_;
    paused_ = false;
  });
}

std::size_t exchange_host::step(std::size_t count) {
  std::size_t done = 0;
  run_sync([&](exchange_state& state) {
    for (; done < count; ++done) {
      auto due = drivers_.next_event_time();
      if (!due) break;
      drivers_.advance_to(*due, state.events);
      driver_time_ = std::max(driver_time_, *due);
      publish();
    }
  });
  return done;
}

void exchange_host::loop() {
  std::unique_lock lock{mutex_};
  while (!stopping_) {
    lock.unlock();
    auto sleep = next_wake(state_->now());
    lock.lock();
    wake_.wait_for(lock, sleep, [this] { return stopping_ || !tasks_.empty(); });
    if (stopping_) break;
    auto batch = std::move(tasks_);
    tasks_.clear();
    lock.unlock();
    for (auto& task : batch) task();
    pace();
    lock.lock();
  }
}

void exchange_host::pace() {
  timestamp now = state_->now();
  if (!paused_) {
    timestamp target = now - lag_;
    if (target > driver_time_) {
      drivers_.advance_to(target, state_->events);
      driver_time_ = target;
    }
  }
  while (!timers_.empty() && timers_.begin()->first <= now) {
    auto task = std::move(timers_.begin()->second);
    timers_.erase(timers_.begin());
    task();
  }
  state_->streams.on_tick(now);
  publish();  // before the dialect's tick, so aggregated frames carry the latest changes
  dialect_due_ = dialect_->on_tick(now);
  publish();
}

std::chrono::nanoseconds exchange_host::next_wake(timestamp now) const {
  timestamp due = now + max_sleep;
  if (!paused_)
    if (auto next = drivers_.next_event_time()) due = std::min(due, *next + lag_);
  if (!timers_.empty()) due = std::min(due, timers_.begin()->first);
  if (dialect_due_) due = std::min(due, *dialect_due_);
  return std::max(std::chrono::nanoseconds{0}, due - now);
}

void exchange_host::publish() {
  if (state_->events.empty()) return;
  event_buffer batch;
  batch.swap(state_->events);
  state_->record_fills(batch);
  dialect_->publish(batch);
  // Hand the capacity back, so steady traffic does not allocate a buffer per batch.
  batch.clear();
  if (state_->events.empty()) state_->events.swap(batch);
}

void exchange_host::open_stream(std::uint64_t id, std::string target,
                                std::shared_ptr<net::websocket_session> socket) {
  stream_session& session = state_->streams.add(id, std::move(target), socket);
  if (!dialect_->open_stream(session)) {
    socket->close(1008, "unknown stream path");
    state_->streams.remove(id);
  }
  publish();
}

void exchange_host::serve_rest(net::server_request request, net::responder reply) {
  request_record base;
  base.time = state_->now();
  base.exchange = name();
  base.transport = "rest";
  base.method = request.method;
  base.path = std::string{split_target(request.target).first};
  base.connection = request.connection_id;
  auto fired = env_.faults->take_rest(name(), base.method, base.path);
  if (fired && answers_before_executing(*fired)) {
    auto response = dialect_->fault_response(*fired);
    base.status = response.status;
    base.fault = std::string{to_string(fired->kind)};
    env_.records->add(std::move(base));
    reply.respond(std::move(response));
    return;
  }
  rest_outcome outcome = dialect_->handle_rest(request);
  publish();
  finish_rest(fired, std::move(outcome), std::move(base), std::move(reply));
}

void exchange_host::finish_rest(const std::optional<fault>& fired, rest_outcome outcome,
                                request_record base, net::responder reply) {
  request_record record = std::move(outcome.record);
  record.time = base.time;
  record.exchange = std::move(base.exchange);
  record.transport = std::move(base.transport);
  record.method = std::move(base.method);
  record.path = std::move(base.path);
  record.connection = base.connection;
  record.status = outcome.response.status;
  if (!fired) {
    env_.records->add(std::move(record));
    reply.respond(std::move(outcome.response));
    return;
  }
  record.fault = std::string{to_string(fired->kind)};
  switch (fired->kind) {
    case fault_kind::server_error:  // after_accept: executed, then the answer is lost to a 5xx
      outcome.response = dialect_->fault_response(*fired);
      record.status = outcome.response.status;
      reply.respond(std::move(outcome.response));
      break;
    case fault_kind::delay_response: {
      auto due = state_->now() + std::chrono::milliseconds{fired->delay_ms};
      timers_.emplace(due, [reply, response = std::move(outcome.response)]() mutable {
        reply.respond(std::move(response));
      });
      break;
    }
    default:  // drop_response
      record.status = 0;
      reply.drop_connection();
      break;
  }
  env_.records->add(std::move(record));
}

} // namespace tern::sim
