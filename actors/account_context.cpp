#include "actors/account_context.hpp"

#include <algorithm>
#include <utility>

#include <caf/actor_addr.hpp>
#include <caf/actor_cast.hpp>

#include "connectors/registry.hpp"
#include "net/url.hpp"

namespace tern {

const instrument* market_catalog::find(std::string_view pair) const {
  auto it = std::find_if(instruments.begin(), instruments.end(),
                         [&](const instrument& market) { return market.pair.to_string() == pair; });
  return it == instruments.end() ? nullptr : &*it;
}

const std::string* market_catalog::symbol_of(std::string_view pair) const {
  auto parsed = trading_pair::parse(pair);
  return parsed ? symbols.symbol_of(*parsed) : nullptr;
}

void server_clock::add_sample(timestamp before, timestamp server, timestamp after) {
  std::lock_guard lock{mutex_};
  (void)sync_.add_sample(before, server, after); // a reversed sample is dropped
}

timestamp server_clock::now() const {
  const auto local = std::chrono::time_point_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now());
  std::lock_guard lock{mutex_};
  return sync_.server_now(timestamp{local.time_since_epoch()});
}

bool server_clock::synced() const {
  std::lock_guard lock{mutex_};
  return sync_.sample_count() > 0;
}

std::uint64_t server_clock::generation() const {
  std::lock_guard lock{mutex_};
  return generation_;
}

resync_role server_clock::join_resync(std::uint64_t signed_at, wake_up wake,
                                      std::chrono::steady_clock::time_point now,
                                      std::chrono::steady_clock::duration stale_after,
                                      std::uint64_t* ticket) {
  std::lock_guard lock{mutex_};
  if (generation_ != signed_at)
    return resync_role::retry_now;
  if (resyncing_ && now - resync_started_ < stale_after) {
    waiters_.push_back(std::move(wake));
    return resync_role::wait;
  }
  resyncing_ = true;
  resync_started_ = now;
  if (ticket != nullptr)
    *ticket = ++ticket_;
  else
    ++ticket_;
  return resync_role::run;
}

void server_clock::end_resync(std::uint64_t ticket, const std::optional<clock_sample>& sample) {
  std::vector<wake_up> woken;
  {
    std::lock_guard lock{mutex_};
    if (sample) {
      net::clock_sync fresh;
      if (fresh.add_sample(sample->before, sample->server, sample->after)) {
        sync_ = std::move(fresh);
        ++generation_;
      }
    }
    if (ticket != ticket_)
      return;  // taken over: the running resync wakes the waiters
    resyncing_ = false;
    woken.swap(waiters_);
  }
  for (auto& wake : woken)
    if (wake)
      wake();
}

void actor_directory::put(const std::string& name, const caf::actor& actor) {
  std::lock_guard lock{mutex_};
  actors_[name] = actor;
}

caf::actor actor_directory::get(std::string_view name) const {
  std::lock_guard lock{mutex_};
  auto it = actors_.find(name);
  return it == actors_.end() ? caf::actor{} : it->second;
}

void subscriber_list::add(const caf::actor& subscriber) {
  if (!subscriber)
    return;
  std::lock_guard lock{mutex_};
  // An entry whose actor is gone goes first: a remote subscriber's proxy dies with the link to
  // its node, and the proxy made when it subscribes again has the same address, so comparing
  // with the dead entry would refuse the live one and the subscriber would hear nothing.
  std::erase_if(subscribers_, [](const caf::weak_actor_ptr& known) { return !known.lock(); });
  const auto address = subscriber.address();
  for (const auto& known : subscribers_)
    if (caf::actor_cast<caf::actor_addr>(known) == address)
      return;
  subscribers_.push_back(caf::actor_cast<caf::weak_actor_ptr>(subscriber));
}

void subscriber_list::remove(const caf::actor_addr& subscriber) {
  std::lock_guard lock{mutex_};
  std::erase_if(subscribers_, [&](const caf::weak_actor_ptr& known) {
    return caf::actor_cast<caf::actor_addr>(known) == subscriber;
  });
}

std::vector<caf::actor> subscriber_list::current() const {
  std::vector<caf::actor> out;
  std::lock_guard lock{mutex_};
  out.reserve(subscribers_.size());
  for (const auto& known : subscribers_)
    if (auto strong = known.lock())
      out.push_back(caf::actor_cast<caf::actor>(std::move(strong)));
  return out;
}

bool subscriber_list::empty() const {
  std::lock_guard lock{mutex_};
  return subscribers_.empty();
}

account_context::account_context(account_settings settings, boost::asio::io_context& io)
    : settings_(std::move(settings)), io_(&io) {}

account_context::~account_context() {
  close();
}

expected<std::shared_ptr<account_context>, std::string> account_context::create(
    account_settings settings, boost::asio::io_context& io) {
  const std::string name = settings.name;
  std::shared_ptr<account_context> context{new account_context(std::move(settings), io)};
  auto protocol = make_protocol(context->settings_.connector, context->settings_.protocol);
  if (!protocol)
    return unexpected{"account " + name + ": " + protocol.error()};
  context->protocol_ = std::move(*protocol);
  auto tls = net::make_client_tls_context(context->settings_.trust);
  if (!tls)
    return unexpected{"account " + name + ": " + tls.error().message};
  context->tls_ = std::move(*tls);
  const auto& rest_url = context->protocol_->urls().rest;
  auto origin = net::parse_url(rest_url);
  if (!origin || !origin->secure())
    return unexpected{"account " + name + ": the REST endpoint \"" + rest_url
                      + "\" is not an https URL"};
  net::https_client_options options{origin->host, origin->port, "", context->tls_};
  options.request_timeout = context->settings_.timings.request_timeout;
  // IP literals (the simulator) are checked against the certificate's IP entries.
  context->rest_ = std::make_unique<net::https_client>(io, std::move(options));
  auto limiter = net::shared_rate_limiter::create(context->protocol_->rate_limits());
  if (!limiter)
    return unexpected{"account " + name + ": rate limits: " + limiter.error().message};
  context->limiter_ = std::move(*limiter);
  return context;
}

const credentials& account_context::keys() const {
  static const credentials none;
  return settings_.keys ? *settings_.keys : none;
}

subscriber_list& account_context::book_subscribers(std::string_view pair) {
  std::lock_guard lock{mutex_};
  auto it = book_subscribers_.find(pair);
  if (it == book_subscribers_.end())
    it = book_subscribers_.emplace(std::string{pair}, std::make_unique<subscriber_list>()).first;
  return *it->second;
}

std::shared_ptr<const market_catalog> account_context::markets() const {
  std::lock_guard lock{mutex_};
  return markets_;
}

void account_context::set_markets(std::shared_ptr<const market_catalog> catalog) {
  std::lock_guard lock{mutex_};
  markets_ = std::move(catalog);
}

std::optional<tern::position_mode> account_context::position_mode() const {
  const int mode = position_mode_.load();
  if (mode < 0)
    return std::nullopt;
  return static_cast<tern::position_mode>(mode);
}

void account_context::set_position_mode(tern::position_mode mode) {
  position_mode_.store(static_cast<int>(mode));
}

void account_context::back_off_until(std::chrono::steady_clock::time_point until) {
  const auto ns = until.time_since_epoch().count();
  auto current = backoff_until_ns_.load();
  while (ns > current && !backoff_until_ns_.compare_exchange_weak(current, ns)) {
  }
}

std::chrono::steady_clock::time_point account_context::backed_off_until() const {
  return std::chrono::steady_clock::time_point{
      std::chrono::steady_clock::duration{backoff_until_ns_.load()}};
}

void account_context::close() {
  if (rest_)
    rest_->close();
}

} // namespace tern
