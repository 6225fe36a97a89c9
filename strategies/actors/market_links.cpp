// Finding the actors a strategy's markets need, by name through the directory, and keeping
// them: a book or exchange actor that was restarted, or lost with its node and back, is taken
// anew and subscribed to again; a node lost while the strategy runs stops it opening positions.

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/message_types.hpp"
#include "strategies/actors/order_events.hpp"
#include "strategies/actors/strategy_state.hpp"

namespace tern::strategy_actors::detail {

/// How long a silent book or an order-notice subscription waits before it is asked again.
constexpr std::chrono::seconds resubscribe_after{3};

void ask_rules(strategy_actor* self, std::size_t index) {
  auto& st = self->state;
  auto& market = st.markets[index];
  const auto exchange = st.accounts[market.need.id.account].exchange;
  if (market.rules || market.rules_pending || !exchange)
    return;
  market.rules_pending = true;
  self->request(exchange, st.settings->request_timeout, rules_atom::value,
                market.need.id.pair.to_string())
      .then(
          [self, index](const instrument& found) {
            auto& m = self->state.markets[index];
            m.rules_pending = false;
            m.rules = found.rules;
          },
          [self, index](caf::error& error) {
            auto& m = self->state.markets[index];
            m.rules_pending = false;
            self->state.build_error = "no trading rules for " + m.need.id.to_string() + " yet (" +
                                      self->system().render(error) + ")";
          });
}

/// Whether `notice` is an order a former incarnation sent and never heard named (it died with
/// the placement in flight or unanswered); the first such placement is used up.
bool was_pending(strategy_state& st, const std::string& account, const order_notice& notice) {
  for (const auto& placement : st.settings->memory->pending()) {
    const bool mine_now = st.logic && st.logic->open_orders().count(placement.id) > 0;
    if (!mine_now && placement.account == account && same_order(placement.intent, notice)) {
      st.settings->memory->forget_pending(placement.id);
      return true;
    }
  }
  return false;
}

/// Forgets the former incarnations' placements on `account` that its open orders did not show:
/// an order no longer open is final, and adopting a later one by its terms would be a guess.
void forget_former_pending(strategy_state& st, const std::string& account) {
  for (const auto& placement : st.settings->memory->pending())
    if (placement.account == account && !(st.logic && st.logic->open_orders().count(placement.id) > 0))
      st.settings->memory->forget_pending(placement.id);
}

/// After a restart: the orders a former incarnation placed that the exchange still has open
/// are handed to the strategy (strategy::adopt), which cancels them and books their fills.
void recover(strategy_actor* self, const std::string& account) {
  auto& st = self->state;
  auto& link = st.accounts[account];
  link.recovered = true;
  self->request(link.exchange, st.settings->request_timeout, orders_atom::value)
      .then(
          [self, account](const std::vector<order_notice>& open) {
            auto& s = self->state;
            std::vector<strategies::tracked_order> adopted;
            for (const auto& notice : open) {
              const order_key key{account, notice.client_order_id};
              if (is_final(notice.state) || !trading_pair::parse(notice.pair) ||
                  s.by_order.count(key) > 0)
                continue;
              if (!s.settings->memory->placed(account, notice.client_order_id) &&
                  !was_pending(s, account, notice))
                continue;
              s.settings->memory->remember(account, notice.client_order_id);
              const auto id = "adopted-" + notice.client_order_id;
              s.by_client[id] = key;
              s.by_order[key] = id;
              adopted.push_back(adopted_order(account, notice, id));
            }
            forget_former_pending(s, account);
            if (!adopted.empty() && s.logic)
              carry_out(self, s.logic->adopt(adopted));
          },
          [self, account](caf::error&) { self->state.accounts[account].recovered = false; });
}

/// Asks market `index`'s book actor for the book as it is now. The book actor pushes depth only
/// when the book changes, so a quiet market would otherwise look silent: its answer vouches
/// for the book, an error (not in sync) does not.
void ask_book(strategy_actor* self, std::size_t index) {
  auto& st = self->state;
  auto& market = st.markets[index];
  if (!market.book || market.book_asked)
    return;
  market.book_asked = true;
  const auto levels = st.settings->depth_levels;
  self->request(market.book, st.settings->request_timeout, snapshot_atom::value,
                market.need.id.pair.to_string())
      .then(
          [self, index, from = market.book.address(), levels](book_snapshot& now) {
            self->state.markets[index].book_asked = false;
            if (now.bids.size() > levels)
              now.bids.resize(levels);
            if (now.asks.size() > levels)
              now.asks.resize(levels);
            take_book(self, from, now);
          },
          [self, index](caf::error&) { self->state.markets[index].book_asked = false; });
}

/// Whether two handles are the same object. caf::actor's == compares actor id and node only,
/// so the fresh proxy CAF makes after a link to that node dropped and came back equals the dead
/// one it replaces (messages to which go nowhere): the handle must be taken anew.
bool same_incarnation(const caf::actor& a, const caf::actor& b) {
  return caf::actor_cast<caf::strong_actor_ptr>(a).get()
         == caf::actor_cast<caf::strong_actor_ptr>(b).get();
}

/// Asks a book for depth when it has a new book actor, and again while the book is silent: a
/// link to the book's node that dropped and came back took the subscription with it (the book
/// keeps its subscribers weakly, and the proxy of this actor on that node went with the link),
/// while the handle here stays the same. Subscribing twice is harmless.
void subscribe_depth(strategy_actor* self, market_link& market) {
  auto& st = self->state;
  const auto now = now_of(st);
  if (!market.book || now - market.last_book < resubscribe_after ||
      now - market.subscribed_at < resubscribe_after)
    return;
  market.subscribed_at = now;
  self->send(market.book, subscribe_atom::value, market.need.id.pair.to_string(),
             static_cast<std::int32_t>(st.settings->depth_levels));
}

/// Asks `exchange` for the state of every order the strategy shows open on `account`: notices
/// sent while a link was down (a hang, a partition, a dropped link) are not replayed, so an
/// order may have filled or ended unseen. The answers feed what differs (catch_up).
void ask_order_states(strategy_actor* self, const std::string& account, const caf::actor& exchange) {
  auto& st = self->state;
  std::vector<std::string> ids;
  for (const auto& [id, key] : st.by_client)
    if (key.first == account)
      ids.push_back(key.second);
  if (ids.empty())
    return;
  self->request(exchange, st.settings->request_timeout, ordstate_atom::value, std::move(ids))
      .then(
          [self](const std::vector<order_notice>& answers) {
            for (const auto& answer : answers)
              catch_up(self, answer);
          },
          [](caf::error&) {});  // asked again at the next renewal
}

/// Asks an exchange actor for order notices when it is new, and again every few seconds for
/// the same reason as subscribe_depth: notices come too seldom to notice their absence. Each
/// renewal that is answered also asks for the state of the orders still open here, as notices
/// lost meanwhile are not sent again.
void subscribe_notices(strategy_actor* self, const std::string& account) {
  auto& st = self->state;
  auto& link = st.accounts[account];
  const auto now = now_of(st);
  if (!link.exchange || now - link.subscribed_at < resubscribe_after)
    return;
  link.subscribed_at = now;
  self->request(link.exchange, st.settings->request_timeout, subscribe_atom::value)
      .then([self, account, exchange = link.exchange](const command_reply& reply) {
              auto& current = self->state.accounts[account];
              if (!same_incarnation(current.exchange, exchange))
                return;
              current.subscribed = reply.ok;
              if (reply.ok)
                ask_order_states(self, account, exchange);
            },
            [](caf::error&) {});
}

/// True when `lost` was an actor on another node and nothing replaced it: its node is gone or
/// unreachable (a local restart is not a node loss).
bool lost_remote(strategy_actor* self, const caf::actor& before, const caf::actor& now) {
  return before && !now && before.node() != self->node();
}

/// A node hosting one of the strategy's books or exchange actors (of `account`) is lost: the
/// strategy opens nothing until it is back (on_book feeds nothing while a market is missing),
/// and per `on_node_loss` cancels its orders on the exchanges it still reaches.
void on_node_lost(strategy_actor* self, const std::string& account) {
  auto& st = self->state;
  const bool cancel_rest = st.settings->config.on_node_loss == config::node_loss_action::cancel;
  spdlog::warn("strategy {}: the node hosting '{}' is lost; no new positions until it is back{}",
               st.settings->config.name, account,
               cancel_rest ? "; cancelling its orders on the exchanges it still reaches"
                           : "; its orders are left as they are (on_node_loss: leave)");
  if (!cancel_rest)
    return;
  std::vector<order_key> reachable;
  for (const auto& [id, key] : st.by_client)
    if (key.first != account && st.accounts[key.first].exchange)
      reachable.push_back(key);
  for (const auto& key : reachable)
    cancel(self, key.first, key.second);
}

void find_actors(strategy_actor* self) {
  auto& st = self->state;
  const auto& lookup = st.settings->lookup;
  std::set<std::string> lost;
  for (std::size_t i = 0; i < st.markets.size(); ++i) {
    auto& market = st.markets[i];
    const auto& account = market.need.id.account;
    if (auto book = lookup(account, book_name(market)); !same_incarnation(book, market.book)) {
      if (lost_remote(self, market.book, book))
        lost.insert(account);
      market.book = book;
      market.last_book = {};
      market.subscribed_at = {};
    }
    subscribe_depth(self, market);
    auto& link = st.accounts[account];
    if (auto exchange = lookup(account, "exchange"); !same_incarnation(exchange, link.exchange)) {
      if (lost_remote(self, link.exchange, exchange))
        lost.insert(account);
      link = account_link{exchange, false, false, {}, {}, link.generation + 1};
    }
    subscribe_notices(self, account);
    ask_rules(self, i);
    // A new book actor, or a book quiet for a third of the silence allowed: ask for it.
    if (market.last_book == timestamp{} ||
        now_of(st) - market.last_book > st.settings->book_silence / 3)
      ask_book(self, i);
  }
  for (const auto& account : lost)
    on_node_lost(self, account);
}

/// Whether every market has its book and its exchange actor subscribed: only then do books
/// reach the strategy, so a strategy missing a market (a node lost, a book or tracker still
/// resyncing after it came back) opens no new positions.
bool all_markets_reachable(const strategy_state& st) {
  for (const auto& market : st.markets) {
    const auto& link = st.accounts.at(market.need.id.account);
    if (!market.book || !link.exchange || !link.subscribed)
      return false;
  }
  return true;
}

} // namespace tern::strategy_actors::detail
