#pragma once

// Inside the exchange actor (actors/exchange_actor.cpp): its state, and the account settings and
// perpetual questions it answers (actors/exchange_settings.cpp), kept apart from the order path.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/stateful_actor.hpp>

#include "actors/account_context.hpp"
#include "actors/rest_caller.hpp"
#include "actors/trading_messages.hpp"
#include "core/client_order_id.hpp"
#include "supervision/supervisor.hpp"

namespace tern::exchange_detail {

struct exchange_state {
  account_context_ptr context;
  supervision::child_context child;
  std::unique_ptr<rest_caller> rest;
  std::optional<client_order_id_generator> ids;
  bool ready = false;
  bool mode_pending = false;  ///< the position mode query is on its way
  /// After a failed mode query, the next waits until then (a query costs Binance weight 30).
  std::chrono::steady_clock::time_point mode_retry_at{};
};

using exchange_actor = caf::stateful_actor<exchange_state>;

inline command_reply refused(std::string why) { return command_reply{false, std::move(why)}; }

/// Perpetuals whose orders name a position side need the account's mode before trading.
bool needs_position_mode(const exchange_state& st);
/// Reads the account's position mode from the exchange (one query at a time; after a failure,
/// which is logged, the next readiness check asks again once the pause is over).
void load_position_mode(exchange_actor* self);
caf::result<command_reply> set_leverage(exchange_actor* self, const std::string& pair,
                                        std::int32_t leverage);
/// Sets the account's position mode; a refused or unanswered change is read back.
caf::result<command_reply> set_mode(exchange_actor* self, position_mode mode);
caf::result<funding_info> funding_of(exchange_actor* self, const std::string& pair);
/// Funding payments since `since_ms`, oldest first, of this market only.
caf::result<std::vector<funding_payment>> funding_paid(exchange_actor* self, const std::string& pair,
                                                       std::int64_t since_ms);

} // namespace tern::exchange_detail
