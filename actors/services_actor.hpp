#pragma once

// The first actor of an account ("services"): loads the exchange's trading rules and symbol map
// into the account context and keeps the server-time offset fresh (§A13). Every other actor of
// the account waits for the rules it publishes.
//
//   starting ──rules and one time sample──► ready ──a reload fails──► degraded (keeps the old
//                                                                     rules, retries)
// A configured market the exchange does not list makes it degraded, naming the market.

#include <caf/fwd.hpp>

#include "actors/account_context.hpp"
#include "supervision/child.hpp"

namespace tern {

/// Spawns the services actor of `context`'s account.
[[nodiscard]] caf::actor spawn_services(caf::actor_system& system, account_context_ptr context,
                                        const supervision::child_context& child);

} // namespace tern
