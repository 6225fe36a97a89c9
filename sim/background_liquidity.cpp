#include "sim/background_liquidity.hpp"

#include <set>
#include <stdexcept>

namespace tern::sim {

account_id open_driver_account(matching_engine& engine, ledger& accounts,
                               const std::string& api_key, const driver_funds& funds) {
  auto opened = accounts.open_account(api_key, account_options{true});
  if (!opened)
    throw std::invalid_argument{"driver account '" + api_key + "': " + opened.error().message};
  account_id account = *opened;
  if (!accounts.deposit(account, engine.spec().base, funds.base)
      || !accounts.deposit(account, engine.spec().quote, funds.quote))
    throw std::invalid_argument{"driver funds must be positive"};
  return account;
}

bool top_up_if_short(const expected<order_view, error>& placed, ledger& accounts,
                     const matching_engine& engine, account_id account,
                     const driver_funds& funds) {
  if (placed || placed.error().code != error_code::insufficient_balance)
    return false;
  return accounts.deposit(account, engine.spec().base, funds.base)
         && accounts.deposit(account, engine.spec().quote, funds.quote);
}

background_liquidity::background_liquidity(matching_engine& engine, ledger& accounts,
                                           const std::string& api_key, driver_funds funds)
    : engine_(engine),
      ledger_(accounts),
      funds_(funds),
      account_(open_driver_account(engine, accounts, api_key, funds)) {}

decimal background_liquidity::shown(side s, decimal price) {
  auto& levels = orders(s);
  auto found = levels.find(price);
  if (found == levels.end())
    return {};
  decimal total;
  auto& ids = found->second;
  std::erase_if(ids, [&](order_id id) {
    auto order = engine_.find_order(account_, id);
    if (!order || !order->is_open())
      return true;
    total += order->remaining();
    return false;
  });
  if (ids.empty())
    levels.erase(found);
  return total;
}

void background_liquidity::apply(const std::vector<price_level>& bids,
                                 const std::vector<price_level>& asks, timestamp now,
                                 event_buffer& out) {
  for (bool increases : {false, true}) {
    for (side s : {side::buy, side::sell}) {
      for (const auto& level : s == side::buy ? bids : asks) {
        decimal current = shown(s, level.price);
        if ((level.size > current) == increases && level.size != current)
          set_level(s, level.price, level.size, now, out);
      }
    }
  }
}

void background_liquidity::reconcile(const std::vector<price_level>& bids,
                                     const std::vector<price_level>& asks, timestamp now,
                                     event_buffer& out) {
  auto with_removals = [this](side s, const std::vector<price_level>& targets) {
    std::vector<price_level> all = targets;
    std::set<decimal> wanted;
    for (const auto& level : targets)
      wanted.insert(level.price);
    for (const auto& [price, ids] : orders(s))
      if (!wanted.contains(price))
        all.push_back(price_level{price, decimal{}});
    return all;
  };
  apply(with_removals(side::buy, bids), with_removals(side::sell, asks), now, out);
}

void background_liquidity::clear(timestamp now, event_buffer& out) { reconcile({}, {}, now, out); }

void background_liquidity::set_level(side s, decimal price, decimal target, timestamp now,
                                     event_buffer& out) {
  decimal current = shown(s, price);
  if (target < current)
    reduce(s, price, current - target, now, out);
  else if (target > current)
    add(s, price, target - current, now, out);
}

// Takes size off the newest orders first, so the oldest keep their place in the queue.
void background_liquidity::reduce(side s, decimal price, decimal by, timestamp now,
                                  event_buffer& out) {
  auto& ids = orders(s)[price];
  while (by.is_positive() && !ids.empty()) {
    order_id id = ids.back();
    auto order = engine_.find_order(account_, id);
    decimal remaining = order ? order->remaining() : decimal{};
    if (remaining <= by) {
      if (order && order->is_open())
        (void)engine_.cancel(account_, id, now, out);
      ids.pop_back();
      by -= remaining;
      continue;
    }
    auto amended = engine_.amend_keep_priority(account_, id, order->quantity - by, now, out);
    if (!amended)
      refuse(amended.error());
    by = decimal{};
  }
  if (ids.empty())
    orders(s).erase(price);
}

void background_liquidity::add(side s, decimal price, decimal quantity, timestamp now,
                               event_buffer& out) {
  order_request request;
  request.account = account_;
  request.side = s;
  request.type = order_type::limit;
  request.price = price;
  request.quantity = quantity;
  auto placed = engine_.place(request, now, out);
  if (top_up_if_short(placed, ledger_, engine_, account_, funds_))
    placed = engine_.place(request, now, out);
  if (!placed) {
    refuse(placed.error());
    return;
  }
  if (placed->is_open())
    orders(s)[price].push_back(placed->id);
}

void background_liquidity::refuse(const error& reason) {
  ++refused_;
  last_refusal_ = reason.message;
}

} // namespace tern::sim
