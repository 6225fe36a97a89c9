#include "strategies/actors/strategy_actor.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <variant>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/message_types.hpp"
#include "strategies/actors/order_events.hpp"
#include "strategies/actors/strategy_factory.hpp"
#include "strategies/actors/strategy_state.hpp"
#include "supervision/strategy_board.hpp"

namespace tern::strategy_actors {
namespace detail {

void take_book(strategy_actor* self, const caf::actor_addr& from, const book_snapshot& book);

/// How long a silent book or an order-notice subscription waits before it is asked again.
constexpr std::chrono::seconds resubscribe_after{3};

// ---- order notices ----

void forget_order(strategy_state& st, const order_key& key) {
  st.cancelling.erase(key);
  if (auto it = st.by_order.find(key); it != st.by_order.end()) {
    st.by_client.erase(it->second);
    st.by_order.erase(it);
  }
  st.settings->memory->forget(key.first, key.second);
}

void record_fills(strategy_state& st, const order_notice& notice) {
  if (!st.settings->board)
    return;
  for (const auto& f : notice.fills)
    st.settings->board->record_fill(
        st.settings->config.name,
        {f.fill_time, notice.account, notice.pair, notice.client_order_id, notice.order_side,
         f.price, f.base_amount, f.fee.amount, f.fee.asset});
}

void feed_notice(strategy_actor* self, const order_notice& notice, const std::string& id) {
  auto& st = self->state;
  record_fills(st, notice);
  for (const auto& event : events_of(notice, id)) {
    if (!st.logic || st.logic->open_orders().count(id) == 0)
      break;  // already final for the strategy (a late `completed`, say)
    carry_out(self, st.logic->on_order_event(event, now_of(st)));
  }
  if (ends_order(notice.kind))
    forget_order(st, {notice.account, notice.client_order_id});
  if (!notice.fills.empty())
    publish(self);
}

void on_notice(strategy_actor* self, const order_notice& notice) {
  auto& st = self->state;
  const order_key key{notice.account, notice.client_order_id};
  if (auto it = st.by_order.find(key); it != st.by_order.end()) {
    feed_notice(self, notice, it->second);
    return;
  }
  if (st.accounts.count(notice.account) == 0)
    return;
  // With no placement in flight, an order nobody named can only be an unconfirmed one's.
  if (st.places_in_flight == 0 && claim_by_notice(self, notice))
    return;
  // A notice may overtake the reply to our placement: keep it until the reply names it, or
  // until the next tick matches it to an unconfirmed placement.
  if (st.places_in_flight > 0)
    st.early[key].push_back(notice);
}

void name_order(strategy_actor* self, const std::string& account, const std::string& id,
                const std::string& client_order_id) {
  auto& st = self->state;
  const order_key key{account, client_order_id};
  st.by_client[id] = key;
  st.by_order[key] = id;
  st.settings->memory->remember(account, client_order_id);
  st.settings->memory->forget_pending(id);
  if (st.cancel_on_reply.erase(id) > 0)
    cancel(self, account, client_order_id);
  auto early = st.early.find(key);
  if (early == st.early.end())
    return;
  auto notices = std::move(early->second);
  st.early.erase(early);
  for (const auto& notice : notices)
    feed_notice(self, notice, id);
}

// ---- actions ----

void place(strategy_actor* self, const strategies::place_order& order) {
  auto& st = self->state;
  const auto& account = order.market.account;
  const auto exchange = st.accounts[account].exchange;
  auto refuse = [self, id = order.client_id](std::string why) {
    auto& s = self->state;
    s.settings->memory->forget_pending(id);
    if (s.logic)
      carry_out(self, s.logic->on_order_event({id, order_state::failed, std::nullopt, std::move(why)},
                                              now_of(s)));
  };
  if (!exchange) {
    refuse("no exchange actor for account '" + account + "'");
    return;
  }
  // A market order has no time in force on the wire; connectors refuse one that says IOC.
  const auto tif = order.type == order_type::market ? time_in_force::gtc : order.tif;
  const order_intent intent{order.market.pair.to_string(), order.order_side, order.type, tif,
                            order.price, order.amount, position_action::none};
  st.settings->memory->remember_pending({order.client_id, account, intent});
  ++st.places_in_flight;
  self->request(exchange, st.settings->request_timeout, place_atom::value, intent)
      .then(
          [self, account, id = order.client_id, refuse](const place_reply& reply) {
            auto& s = self->state;
            --s.places_in_flight;
            if (!reply.accepted()) {
              s.cancel_on_reply.erase(id);
              refuse(reply.refusal);
              return;
            }
            name_order(self, account, id, reply.client_order_id);
          },
          [self, order, intent, refuse](caf::error& error) {
            auto& s = self->state;
            --s.places_in_flight;
            if (error == caf::sec::request_timeout) {
              // Ambiguous: the exchange actor may have named, journalled and sent the order.
              keep_unconfirmed(self, order, intent);
              return;
            }
            // The request never reached a live exchange actor: nothing was recorded or sent.
            s.cancel_on_reply.erase(order.client_id);
            refuse("the exchange actor of '" + order.market.account +
                   "' did not take the order: " + self->system().render(error));
          });
}

void cancel(strategy_actor* self, const std::string& account, const std::string& client_order_id) {
  auto& st = self->state;
  const auto exchange = st.accounts[account].exchange;
  if (!exchange || !st.cancelling.emplace(account, client_order_id).second)
    return;  // no exchange: retried by the strategy's refresh logic, or by cancel-all on stop
  self->request(exchange, st.settings->request_timeout, cancel_atom::value, client_order_id)
      .then(
          [self, account, client_order_id](const command_reply& reply) {
            if (!reply.ok)
              self->state.cancelling.erase({account, client_order_id});  // may be asked again
            if (!reply.ok)
              spdlog::info("strategy {}: cancel of {} not done: {}",
                           self->state.settings->config.name, client_order_id, reply.message);
          },
          [self, account, client_order_id](caf::error& error) {
            self->state.cancelling.erase({account, client_order_id});
            self->state.cancel_retry.insert({account, client_order_id});
            spdlog::warn("strategy {}: cancel of {} unanswered: {}",
                         self->state.settings->config.name, client_order_id,
                         self->system().render(error));
          });
}

void carry_out(strategy_actor* self, strategies::actions actions) {
  auto& st = self->state;
  for (auto& action : actions) {
    if (auto* order = std::get_if<strategies::place_order>(&action)) {
      place(self, *order);
    } else if (auto* one = std::get_if<strategies::cancel_order>(&action)) {
      if (auto it = st.by_client.find(one->client_id); it != st.by_client.end())
        cancel(self, it->second.first, it->second.second);
      else
        st.cancel_on_reply.insert(one->client_id);
    } else if (std::holds_alternative<strategies::cancel_all>(action)) {
      for (const auto& [id, key] : st.by_client)
        cancel(self, key.first, key.second);
    } else if (auto* note = std::get_if<strategies::notice>(&action)) {
      const auto level = note->level == strategies::notice_level::error     ? spdlog::level::err
                         : note->level == strategies::notice_level::warning ? spdlog::level::warn
                                                                            : spdlog::level::info;
      spdlog::log(level, "strategy {}: {}", st.settings->config.name, note->text);
    } else if (auto* stop = std::get_if<strategies::stopped>(&action)) {
      // Stopped by its own loss limit (not by the kill switch, nor remembered from before a
      // restart): that pulls the node's kill switch, which stops every strategy.
      const bool own_decision = st.settings->memory->stopped().empty();
      st.settings->memory->set_stopped(stop->reason);
      spdlog::error("strategy {} stopped: {}", st.settings->config.name, stop->reason);
      if (own_decision && st.settings->board)
        st.settings->board->kill().trigger(
            {"loss limit of " + st.settings->config.name, stop->reason});
    }
  }
}

// ---- finding the markets' actors ----

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

/// Asks an exchange actor for order notices when it is new, and again every few seconds for
/// the same reason as subscribe_depth: notices come too seldom to notice their absence.
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
              if (same_incarnation(current.exchange, exchange))
                current.subscribed = reply.ok;
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

/// Builds the strategy once every market's rules are in; a stopped strategy stays stopped.
void build(strategy_actor* self) {
  auto& st = self->state;
  if (st.logic)
    return;
  std::map<std::string, trading_rules> rules;
  for (const auto& market : st.markets)
    if (market.rules)
      rules.emplace(market.need.id.to_string(), *market.rules);
  if (rules.size() < st.markets.size())
    return;
  // Ids are never reused across incarnations (a late notice must not land on a new order).
  const auto prefix = st.child.is_restart()
                          ? st.settings->config.name + "-r" + std::to_string(st.child.restart_count)
                          : std::string{};
  auto made = make_strategy(st.settings->config, rules, prefix);
  if (!made) {
    st.build_error = made.error();
    return;
  }
  st.logic = std::move(*made);
  st.build_error.clear();
  if (auto reason = st.settings->memory->stopped(); !reason.empty()) {
    carry_out(self, st.logic->stop(reason));
    return;
  }
  // The books that came while the rules were awaited: a quiet market may send no other soon.
  for (const auto& market : st.markets)
    if (market.last_book != timestamp{} && all_markets_reachable(st))
      carry_out(self, st.logic->on_book(market.depth, market.last_book));
}

void on_tick(strategy_actor* self) {
  auto& st = self->state;
  find_actors(self);
  for (const auto& key : std::exchange(st.cancel_retry, {}))
    if (st.by_order.count(key) > 0)
      cancel(self, key.first, key.second);
  build(self);
  if (st.logic)
    for (auto& [account, link] : st.accounts)
      if (link.exchange && link.subscribed && !link.recovered)
        recover(self, account);
  poll_balances(self);
  if (st.logic)
    carry_out(self, st.logic->on_tick(now_of(st)));
  look_for_unconfirmed(self);
  for (auto it = st.early.begin(); it != st.early.end();)  // nobody claimed them
    it = st.places_in_flight == 0 ? st.early.erase(it) : std::next(it);
  publish(self);
  self->delayed_send(self, st.settings->tick, strattick_atom::value);
}

void take_book(strategy_actor* self, const caf::actor_addr& from, const book_snapshot& book) {
  auto& st = self->state;
  for (auto& market : st.markets) {
    if (!market.book || from != market.book.address() ||
        book.pair != market.need.id.pair.to_string())
      continue;
    market.last_book = now_of(st);
    auto& top = market.top;
    top = {market.need.id.account, book.pair, std::nullopt, {}, std::nullopt, {}, market.last_book};
    if (!book.bids.empty())
      top.bid_price = book.bids.front().price, top.bid_size = book.bids.front().size;
    if (!book.asks.empty())
      top.ask_price = book.asks.front().price, top.ask_size = book.asks.front().size;
    market.depth = {market.need.id, book.bids, book.asks};
    if (st.logic && all_markets_reachable(st))
      carry_out(self, st.logic->on_book(market.depth, market.last_book));
  }
}

/// The kill switch: stop, cancel what the strategy knows, then every open order of its markets.
caf::result<std::string> kill(strategy_actor* self, const std::string& reason) {
  auto& st = self->state;
  st.settings->memory->set_stopped(reason);
  if (st.logic && st.logic->running())
    carry_out(self, st.logic->stop(reason));  // its cancels and a cancel_all
  else
    carry_out(self, {strategies::cancel_all{}});
  auto promise = self->make_response_promise<std::string>();
  auto outcome = std::make_shared<std::pair<int, std::string>>(0, st.settings->config.name + ":");
  for (const auto& market : st.markets) {
    const auto exchange = st.accounts[market.need.id.account].exchange;
    const auto label = market.need.id.to_string();
    if (!exchange) {
      outcome->second += " " + label + " unreachable;";
      continue;
    }
    ++outcome->first;
    auto finish = [promise, outcome, label](std::string text) mutable {
      outcome->second += " " + label + " " + text + ";";
      if (--outcome->first == 0)
        promise.deliver(outcome->second);
    };
    self->request(exchange, st.settings->request_timeout, cancel_all_atom::value,
                  market.need.id.pair.to_string())
        .then([finish](const command_reply& r) mutable { finish(r.ok ? "cancelled" : r.message); },
              [self, finish](caf::error& e) mutable { finish(self->system().render(e)); });
  }
  publish(self);
  if (outcome->first == 0)
    promise.deliver(outcome->second);
  return promise;
}

caf::behavior strategy_behavior(strategy_actor* self,
                                std::shared_ptr<const strategy_actor_settings> settings,
                                supervision::child_context child) {
  auto& st = self->state;
  st.settings = std::move(settings);
  st.child = std::move(child);
  auto needs = markets_of(st.settings->config);
  if (!needs)
    throw std::invalid_argument{needs.error()};
  for (auto& need : *needs) {
    st.accounts.emplace(need.id.account, account_link{});
    st.markets.push_back(market_link{std::move(need), {}, std::nullopt, false, {}, false, {}, {}, {}});
  }
  // Anything else is ignored without answering: CAF's `drop` would send the sender an
  // unexpected_message error, which ends an actor that has no error handler (a book).
  self->set_default_handler(
      [](caf::scheduled_actor*, caf::message_view&) -> caf::result<caf::message> {
        return caf::message{};
      });
  self->send(self, strattick_atom::value);
  return {
      [self](strattick_atom) { on_tick(self); },
      [self](const book_snapshot& book) {
        const auto& sender = self->current_sender();
        take_book(self, sender ? sender->address() : caf::actor_addr{}, book);
      },
      [](const top_of_book&) {},  // the depth snapshots carry the same levels
      [](const trade&) {},         // the books forward trades and funding to all subscribers
      [](const funding_info&) {},
      [self](const order_notice& notice) { on_notice(self, notice); },
      [self](stratkill_atom, const std::string& reason) { return kill(self, reason); },
  };
}

} // namespace detail

caf::actor spawn_strategy(caf::actor_system& system,
                          std::shared_ptr<const strategy_actor_settings> settings,
                          const supervision::child_context& child) {
  return system.spawn(detail::strategy_behavior, std::move(settings), child);
}

} // namespace tern::strategy_actors
