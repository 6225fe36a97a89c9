// Placements the exchange actor did not answer in time. No answer is an ambiguous outcome,
// never a rejection (DEVELOPERS.md): the exchange actor may have named, journalled and sent the
// order and only its reply was lost or late. So the strategy keeps the order in flight (an
// arbitrage round stays open, its exposure reported) and the placement is shown as unconfirmed
// until one of these settles it:
//   - an order notice about an order nobody named that matches it (pair, side, amount, limit
//     price): the order exists; from then on it is tracked like any other;
//   - the tracker's open orders list such an order: the same;
//   - the tracker's open orders, asked twice on separate ticks while the subscription to its
//     notices never broke, show no such order and no notice named one: the order was never
//     recorded (the exchange actor records before it sends, and answers in order), so the
//     strategy hears it failed and its leg-failure policy runs.
// A placement whose account's exchange actor changed since it was sent is never concluded
// failed this way (notices may have been lost in between); it stays unconfirmed and shown.

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <set>
#include <utility>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "strategies/actors/order_events.hpp"
#include "strategies/actors/strategy_state.hpp"

namespace tern::strategy_actors::detail {
namespace {

/// Empty open-order lists in a row that prove an unconfirmed placement was never recorded:
/// the second is asked a tick after the first, so notices on their way have arrived.
constexpr int empty_looks_to_conclude = 2;

using placement_iterator = std::vector<unconfirmed_placement>::iterator;

std::string describe(const unconfirmed_placement& placement) {
  return placement.id + " (" + placement.purpose + ": " +
         std::string{to_string(placement.intent.order_side)} + " " +
         placement.intent.amount.to_string() + " " + placement.intent.pair + " on " +
         placement.account + ")";
}

/// The oldest unconfirmed placement `notice` can be about, if any.
placement_iterator match(strategy_state& st, const order_notice& notice) {
  if (st.by_order.count({notice.account, notice.client_order_id}) > 0)
    return st.unconfirmed.end();  // named already: someone's reply claimed it
  return std::find_if(st.unconfirmed.begin(), st.unconfirmed.end(),
                      [&](const unconfirmed_placement& placement) {
                        return placement.account == notice.account &&
                               same_order(placement.intent, notice);
                      });
}

/// The placement is the exchange's order `client_order_id`: name it, feed its early notices.
std::string settle(strategy_actor* self, placement_iterator it, const std::string& client_order_id) {
  auto& st = self->state;
  auto placement = std::move(*it);
  st.unconfirmed.erase(it);
  spdlog::info("strategy {}: unconfirmed placement {} is order {}: tracked from now on",
               st.settings->config.name, describe(placement), client_order_id);
  name_order(self, placement.account, placement.id, client_order_id);
  return placement.id;
}

/// Notices kept while other placements were in flight may name an unconfirmed order.
void claim_early(strategy_actor* self) {
  auto& st = self->state;
  std::vector<order_key> keys;
  for (const auto& [key, notices] : st.early)
    keys.push_back(key);
  for (const auto& key : keys) {
    auto found = st.early.find(key);
    if (found == st.early.end() || found->second.empty())
      continue;
    if (auto it = match(st, found->second.front()); it != st.unconfirmed.end())
      settle(self, it, key.second);  // name_order feeds and removes the kept notices
  }
}

/// Gives up on a placement the tracker proved it never recorded.
void conclude_not_placed(strategy_actor* self, placement_iterator it) {
  auto& st = self->state;
  auto placement = std::move(*it);
  st.unconfirmed.erase(it);
  st.cancel_on_reply.erase(placement.id);
  st.settings->memory->forget_pending(placement.id);
  spdlog::warn("strategy {}: placement {} was never recorded by the exchange actor of '{}' "
               "(its open orders and notices show no such order): failed",
               st.settings->config.name, describe(placement), placement.account);
  if (st.logic)
    carry_out(self, st.logic->on_order_event(
                        {placement.id, order_state::failed, std::nullopt,
                         "the exchange actor never answered and never recorded the order"},
                        now_of(st)));
}

void read_open_orders(strategy_actor* self, const std::string& account, std::uint64_t serial,
                      const std::vector<order_notice>& open) {
  auto& st = self->state;
  if (st.places_in_flight > 0)
    return;  // a reply on its way may name what this list shows: look again next tick
  claim_early(self);
  for (const auto& notice : open) {
    if (notice.account != account || is_final(notice.state))
      continue;
    auto it = match(st, notice);
    if (it == st.unconfirmed.end())
      continue;
    const auto id = settle(self, it, notice.client_order_id);
    feed_notice(self, notice, id);
  }
  // Counted for every placement first: concluding one runs the strategy, which may change the
  // list (and must not count this look twice for the others).
  const auto generation = st.accounts[account].generation;
  std::vector<std::string> proven;
  for (auto& placement : st.unconfirmed)
    if (placement.account == account && placement.generation == generation &&
        serial > placement.after_look && ++placement.empty_looks >= empty_looks_to_conclude)
      proven.push_back(placement.id);
  for (const auto& id : proven) {
    auto it = std::find_if(st.unconfirmed.begin(), st.unconfirmed.end(),
                           [&](const unconfirmed_placement& placement) { return placement.id == id; });
    if (it != st.unconfirmed.end())
      conclude_not_placed(self, it);
  }
}

void look(strategy_actor* self, const std::string& account) {
  auto& st = self->state;
  const auto exchange = st.accounts[account].exchange;
  if (!exchange)
    return;
  for (auto& placement : st.unconfirmed)
    placement.looking = placement.looking || placement.account == account;
  auto done = [self, account] {
    for (auto& placement : self->state.unconfirmed)
      if (placement.account == account)
        placement.looking = false;
  };
  const auto serial = ++st.looks;
  self->request(exchange, st.settings->request_timeout, orders_atom::value)
      .then(
          [self, account, serial, done](const std::vector<order_notice>& open) {
            done();
            read_open_orders(self, account, serial, open);
            publish(self);
          },
          [done](caf::error&) { done(); });  // no answer proves nothing: asked again next tick
}

} // namespace

void keep_unconfirmed(strategy_actor* self, const strategies::place_order& order,
                      const order_intent& intent) {
  auto& st = self->state;
  unconfirmed_placement placement{order.client_id, order.market.account, intent, order.purpose,
                                  st.accounts[order.market.account].generation, st.looks, 0,
                                  false};
  spdlog::warn("strategy {}: no answer to placement {} within {} ms: kept in flight until the "
               "exchange actor's tracker shows whether the order exists",
               st.settings->config.name, describe(placement),
               st.settings->request_timeout.count());
  st.unconfirmed.push_back(std::move(placement));
  if (st.places_in_flight == 0)
    claim_early(self);  // notices that came ahead of the lost reply
  publish(self);
}

bool claim_by_notice(strategy_actor* self, const order_notice& notice) {
  auto& st = self->state;
  auto it = match(st, notice);
  if (it == st.unconfirmed.end())
    return false;
  const auto id = settle(self, it, notice.client_order_id);
  feed_notice(self, notice, id);
  return true;
}

void look_for_unconfirmed(strategy_actor* self) {
  auto& st = self->state;
  if (st.unconfirmed.empty() || st.places_in_flight > 0)
    return;
  claim_early(self);
  std::set<std::string> accounts;
  for (const auto& placement : st.unconfirmed)
    if (!placement.looking)
      accounts.insert(placement.account);
  for (const auto& account : accounts)
    look(self, account);
}

std::string unconfirmed_problem(const strategy_state& st) {
  if (st.unconfirmed.empty())
    return {};
  return std::to_string(st.unconfirmed.size()) +
         " placement(s) unanswered by the exchange actor, kept in flight: " +
         describe(st.unconfirmed.front());
}

} // namespace tern::strategy_actors::detail
