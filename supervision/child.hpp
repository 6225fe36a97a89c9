#pragma once

// The contract between a supervised actor and its supervisor: the spec a supervisor starts a
// child from, the context each incarnation is started with, and how a child reports its
// health. Header-only, so actors in actors/ can be supervised without linking supervision/.
//
// State recovery after a restart is the factory's business, told by the context:
//   child_spec book{"book.BTC-USDT", [](caf::actor_system& sys, const child_context& ctx) {
//     return sys.spawn(order_book_actor, ctx);   // reports `starting` until its snapshot is in
//   }};
//   book.reports_readiness = true;
//   book.after_restart = [](const caf::actor& book, const child_context&) {
//     caf::anon_send(book, resync_atom_v);       // a restarted book re-snapshots
//   };
// An order tracker's factory reloads its journal when `ctx.is_restart()` and its
// after_restart sends reconcile_atom, so orders in flight across the crash are resolved.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/message_types.hpp"
#include "supervision/clock.hpp"
#include "supervision/health.hpp"
#include "supervision/restart_delay.hpp"
#include "supervision/restart_logic.hpp"

namespace tern::supervision {

/// What every supervisor of one tree shares.
struct tree_services {
  clock_ptr clock;      ///< time and timers
  uniform_source jitter; ///< for restart delays; thread-safe (supervisors run concurrently)
  /// Supervisors republish their subtree this often, with fresh mailbox sizes; zero: only on
  /// change.
  std::chrono::nanoseconds refresh_interval{};
};

/// What one incarnation of a child is started with.
struct child_context {
  std::string name;             ///< its name among its siblings
  std::string path;             ///< names from the root, joined by '/': "node/binance/book"
  caf::actor supervisor;        ///< where its health reports go
  std::uint64_t restart_count = 0; ///< 0 on the first start, n on the n-th restart
  std::shared_ptr<const tree_services> services;

  /// True when this incarnation replaces one that exited: restore state, do not start fresh.
  [[nodiscard]] bool is_restart() const noexcept { return restart_count > 0; }
  /// The supervisors' clock, for actors that need the time.
  [[nodiscard]] const clock_ptr& clock() const noexcept { return services->clock; }
};

/// Starts one incarnation and returns its handle. May throw: a failed start counts as a
/// failure of the child, with the exception's text as the reason.
using child_factory = std::function<caf::actor(caf::actor_system&, const child_context&)>;

/// Called by the supervisor right after it started a replacement (never on the first start),
/// for recovery that is a message to the new incarnation.
using restart_hook = std::function<void(const caf::actor& child, const child_context&)>;

/// How a supervisor starts, restarts and stops one child.
struct child_spec {
  std::string name;
  child_factory start;
  restart_type restart = restart_type::permanent;
  /// How long the child may take to stop after its exit message before it is killed.
  std::chrono::nanoseconds shutdown_timeout = std::chrono::seconds{5};
  /// True when the child reports `ready` itself (see report_health); otherwise it counts as
  /// ready once spawned.
  bool reports_readiness = false;
  child_kind kind = child_kind::worker;
  restart_hook after_restart;
};

/// Sends `state` (with `reason` when degraded or failed) from the child actor `self` to its
/// supervisor, with the number of messages waiting in its mailbox. Call it from inside the
/// actor (a handler or the behaviour factory): CAF 0.17 lets only the owner read its mailbox.
template <class Self>
void report_health(Self* self, const child_context& context, health_state state,
                   std::string reason = {}) {
  const auto waiting = static_cast<std::int64_t>(self->mailbox().size());
  self->send(context.supervisor, health_update{state, std::move(reason), waiting});
}

} // namespace tern::supervision
