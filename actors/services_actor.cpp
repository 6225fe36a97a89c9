#include "actors/services_actor.hpp"

#include <utility>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/account_messages.hpp"
#include "actors/rest_caller.hpp"
#include "supervision/supervisor.hpp"

namespace tern {
namespace {

constexpr std::uint64_t clock_timer = 1;
constexpr std::uint64_t rules_timer = 2;

struct services_state {
  account_context_ptr context;
  supervision::child_context child;
  std::unique_ptr<rest_caller> rest;
  bool rules_loaded = false;
  bool clock_synced = false;
  std::string problem;  ///< why degraded; empty when fine
  supervision::health_state reported = supervision::health_state::starting;
};

using services_actor = caf::stateful_actor<services_state>;

void report(services_actor* self) {
  auto& st = self->state;
  auto state = supervision::health_state::starting;
  if (!st.problem.empty())
    state = supervision::health_state::degraded;
  else if (st.rules_loaded && st.clock_synced)
    state = supervision::health_state::ready;
  if (state == st.reported && state != supervision::health_state::degraded)
    return;
  st.reported = state;
  supervision::report_health(self, st.child, state, st.problem);
}

/// The configured markets the exchange does not list, as "X, Y".
std::string missing_markets(const account_context& context, const market_catalog& catalog) {
  std::string missing;
  for (const auto& market : context.settings().markets)
    if (catalog.find(market) == nullptr)
      missing += (missing.empty() ? "" : ", ") + market;
  return missing;
}

void load_rules(services_actor* self) {
  auto context = self->state.context;
  self->state.rest->call(
      self, context->protocol().trading_rules(), [self, context](rest_result result) {
        auto& st = self->state;
        auto fail = [&](std::string why) {
          // The rules held stay in use; the reload is tried again soon.
          st.problem = "trading rules: " + std::move(why);
          self->delayed_send(self, context->timings().retry_delay, poll_atom::value, rules_timer);
          report(self);
        };
        if (!result.response)
          return fail(result.error);
        auto parsed = context->protocol().parse_trading_rules(*result.response, context->name());
        if (!parsed)
          return fail(parsed.error().describe());
        self->delayed_send(self, context->timings().rules_poll, poll_atom::value, rules_timer);
        for (const auto& skipped : parsed->skipped)
          spdlog::warn("{}: market skipped: {}", context->name(), skipped);
        auto catalog = std::make_shared<market_catalog>();
        catalog->instruments = std::move(parsed->instruments);
        catalog->symbols = std::move(parsed->symbols);
        catalog->loaded = context->clock.now();
        const auto missing = missing_markets(*context, *catalog);
        context->set_markets(std::move(catalog));
        st.rules_loaded = true;
        st.problem = missing.empty() ? "" : "not listed by the exchange: " + missing;
        report(self);
      });
}

void sync_clock(services_actor* self) {
  auto context = self->state.context;
  self->state.rest->sync_clock(self, [self, context](bool ok) {
    auto& st = self->state;
    if (ok)
      st.clock_synced = true;
    self->delayed_send(self, ok ? context->timings().clock_poll : context->timings().retry_delay,
                       poll_atom::value, clock_timer);
    report(self);
  });
}

caf::behavior services(services_actor* self, account_context_ptr context,
                       supervision::child_context child) {
  self->set_exception_handler(supervision::exception_reason);
  self->state.context = context;
  self->state.child = std::move(child);
  self->state.rest = std::make_unique<rest_caller>(context);
  self->state.clock_synced = context->clock.synced();
  supervision::report_health(self, self->state.child, supervision::health_state::starting);
  sync_clock(self);
  load_rules(self);
  return {
      [self](rest_reply& reply) { self->state.rest->on_reply(self, reply); },
      [self](rest_retry_atom, std::uint64_t id) { self->state.rest->on_retry(self, id); },
      [self](poll_atom, std::uint64_t timer) {
        if (timer == clock_timer)
          sync_clock(self);
        else
          load_rules(self);
      },
  };
}

} // namespace

caf::actor spawn_services(caf::actor_system& system, account_context_ptr context,
                          const supervision::child_context& child) {
  return system.spawn(services, std::move(context), child);
}

} // namespace tern
