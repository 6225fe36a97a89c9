#pragma once

// The state of one strategy actor incarnation and the functions its parts share
// (strategy_actor.cpp: messages and actions; strategy_status.cpp: health, status, balances).
// Internal to strategies/actors/.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/message_types.hpp"
#include "strategies/actors/strategy_actor.hpp"
#include "strategies/actors/strategy_factory.hpp"

namespace tern::strategy_actors::detail {

using supervision::health_state;
using order_key = std::pair<std::string, std::string>;  ///< account, client order id

struct market_link {
  market_need need;
  caf::actor book;
  std::optional<trading_rules> rules;
  bool rules_pending = false;
  timestamp last_book{};  ///< when the book actor last sent or vouched for the book
  bool book_asked = false;  ///< a (snapshot, pair) is on its way
  timestamp subscribed_at{};  ///< when depth was last asked for (again while the book is silent)
  strategies::book_input depth;  ///< the last depth seen, for a strategy built after it came
  supervision::top_of_book_view top;
};

struct account_link {
  caf::actor exchange;
  bool subscribed = false;
  bool recovered = false;  ///< open orders asked for after the strategy was built
  timestamp subscribed_at{};  ///< when order notices were last asked for (renewed periodically)
  std::vector<balance> balances;
  /// Counts the exchange actors subscribed to: notices sent between two may be lost.
  std::uint64_t generation = 0;
};

/// A placement the exchange actor did not answer in time. The order may exist (named,
/// journalled and sent: the reply was lost or late) or not, so the strategy keeps it in flight
/// until an order notice or the tracker's open orders show it, or the tracker shows that it
/// has no such order (unconfirmed.cpp).
struct unconfirmed_placement {
  std::string id;  ///< the strategy's client id
  std::string account;
  order_intent intent;
  std::string purpose;
  std::uint64_t generation = 0;  ///< the account's subscription when it was sent
  std::uint64_t after_look = 0;  ///< looks asked before it was unconfirmed prove nothing
  int empty_looks = 0;           ///< open-order lists in a row without it
  bool looking = false;          ///< an open-order list is asked for
};

struct strategy_state {
  std::shared_ptr<const strategy_actor_settings> settings;
  supervision::child_context child;
  std::vector<market_link> markets;
  std::map<std::string, account_link> accounts;
  std::unique_ptr<strategies::strategy> logic;
  std::string build_error;
  std::map<std::string, order_key> by_client;          ///< strategy id -> exchange order
  std::map<order_key, std::string> by_order;           ///< exchange order -> strategy id
  std::map<order_key, std::vector<order_notice>> early;  ///< notices ahead of their place reply
  /// Trade ids of the fills booked per open order: a fill reaches the strategy by its notice and
  /// again in an order-state answer (catch_up), and must be counted once.
  std::map<order_key, std::set<std::string>> fills_seen;
  std::set<order_key> cancelling;  ///< cancels sent, so a cancel-all does not repeat them
  /// Cancels that got no answer (a link dropped): sent again on the next tick, to the exchange
  /// actor found then, until one is answered.
  std::set<order_key> cancel_retry;
  std::set<std::string> cancel_on_reply;  ///< cancels asked for before the order had a name
  int places_in_flight = 0;
  std::vector<unconfirmed_placement> unconfirmed;  ///< oldest first
  std::uint64_t looks = 0;  ///< open-order lists asked for unconfirmed placements
  health_state reported = health_state::starting;
  std::string reported_reason;
};

using strategy_actor = caf::stateful_actor<strategy_state>;

inline timestamp now_of(const strategy_state& st) {
  if (st.child.services && st.child.services->clock)
    return st.child.clock()->now();
  return timestamp{std::chrono::system_clock::now().time_since_epoch()};
}

inline std::string book_name(const market_link& market) {
  return "book." + market.need.id.pair.to_string();
}

void carry_out(strategy_actor* self, strategies::actions actions);
void publish(strategy_actor* self);
void cancel(strategy_actor* self, const std::string& account, const std::string& client_order_id);
void poll_balances(strategy_actor* self);
/// Gives the strategy's order `id` on `account` the exchange's client order id and feeds it the
/// notices that came ahead of its name.
void name_order(strategy_actor* self, const std::string& account, const std::string& id,
                const std::string& client_order_id);
void feed_notice(strategy_actor* self, const order_notice& notice, const std::string& id);
/// Feeds an order-state answer (ordstate_atom) where it differs from what the strategy knows:
/// fills it has not booked, then the end of an order it still shows open.
void catch_up(strategy_actor* self, const order_notice& answer);
/// Keeps a placement the exchange actor did not answer in flight (unconfirmed.cpp).
void keep_unconfirmed(strategy_actor* self, const strategies::place_order& order,
                      const order_intent& intent);
/// Settles unconfirmed placements by the notice of an order nobody named; true if it did.
bool claim_by_notice(strategy_actor* self, const order_notice& notice);
/// On each tick: early notices and the trackers' open orders settle unconfirmed placements.
void look_for_unconfirmed(strategy_actor* self);
/// What the health reason says about unconfirmed placements; empty when there are none.
std::string unconfirmed_problem(const strategy_state& st);
/// Feeds a book (pushed, or asked for when the market was quiet) to the strategy.
void take_book(strategy_actor* self, const caf::actor_addr& from, const book_snapshot& book);

// market_links.cpp
/// Looks up each market's book and exchange actors, subscribes to new ones and renews
/// subscriptions a dropped link may have taken; acts on a node lost (on_node_loss).
void find_actors(strategy_actor* self);
/// After a restart: hands the strategy the orders a former incarnation left open on `account`.
void recover(strategy_actor* self, const std::string& account);
/// Whether every market has its book and its exchange actor subscribed: only then do books
/// reach the strategy, so a strategy missing a market opens no new positions.
bool all_markets_reachable(const strategy_state& st);

} // namespace tern::strategy_actors::detail
