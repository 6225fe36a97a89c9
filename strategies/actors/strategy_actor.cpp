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

// ---- order notices ----

void forget_order(strategy_state& st, const order_key& key) {
  st.cancelling.erase(key);
  st.fills_seen.erase(key);
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

/// The fills of `fills` not booked yet for order `key`, now marked booked. A fill without a
/// trade id cannot be matched and is taken as new.
std::vector<fill> take_unseen(strategy_state& st, const order_key& key, const std::vector<fill>& fills) {
  std::vector<fill> out;
  auto& seen = st.fills_seen[key];
  for (const auto& f : fills)
    if (f.trade_id.empty() || seen.insert(f.trade_id).second)
      out.push_back(f);
  return out;
}

void feed_notice(strategy_actor* self, const order_notice& in, const std::string& id) {
  auto& st = self->state;
  order_notice deduplicated;
  if (!in.fills.empty()) {
    deduplicated = in;
    deduplicated.fills = take_unseen(st, {in.account, in.client_order_id}, in.fills);
  }
  const order_notice& notice = in.fills.empty() ? in : deduplicated;
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

/// The notice that ends an order in final state `state`.
order_notice_kind ending_kind(order_state state) {
  if (state == order_state::filled)
    return order_notice_kind::completed;
  return state == order_state::cancelled ? order_notice_kind::cancelled : order_notice_kind::failed;
}

void catch_up(strategy_actor* self, const order_notice& answer) {
  auto& st = self->state;
  const order_key key{answer.account, answer.client_order_id};
  auto it = st.by_order.find(key);
  if (it == st.by_order.end())
    return;  // final for the strategy already, or not its order
  const auto id = it->second;  // feed_notice may forget the order
  const auto& seen = st.fills_seen[key];
  order_notice missed = answer;
  missed.kind = order_notice_kind::filled;
  missed.fills.clear();
  for (const auto& f : answer.fills)
    if (!f.trade_id.empty() && seen.count(f.trade_id) == 0)
      missed.fills.push_back(f);
  if (!missed.fills.empty()) {
    spdlog::info("strategy {}: {} fill(s) of {} on {} were missed (notices lost); booked now",
                 st.settings->config.name, missed.fills.size(), answer.client_order_id, answer.account);
    feed_notice(self, missed, id);
  }
  if (!is_final(answer.state) || st.by_order.count(key) == 0)
    return;
  spdlog::info("strategy {}: {} on {} is {} (its notice was lost)", st.settings->config.name,
               answer.client_order_id, answer.account, to_string(answer.state));
  order_notice ended = answer;
  ended.kind = ending_kind(answer.state);
  ended.fills.clear();
  feed_notice(self, ended, id);
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
