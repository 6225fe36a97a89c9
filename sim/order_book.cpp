#include "sim/order_book.hpp"

#include <algorithm>
#include <stdexcept>

namespace tern::sim {

void order_book::insert(live_order& order) {
  if (order.level != nullptr || !order.remaining.is_positive())
    throw std::logic_error{"order_book: inserting an order that rests already or has nothing left"};
  side s = order.view.side;
  auto [found, created] = side_levels(s).try_emplace(key(s, order.view.price));
  book_level& level = found->second;
  if (created)
    level.price = order.view.price;
  order.prev = level.tail;
  order.next = nullptr;
  if (level.tail != nullptr)
    level.tail->next = &order;
  else
    level.head = &order;
  level.tail = &order;
  order.level = &level;
  level.total += order.remaining;
  record_change(s, level.price);
}

void order_book::erase(live_order& order) {
  book_level* level = order.level;
  if (level == nullptr)
    throw std::logic_error{"order_book: erasing an order that does not rest"};
  if (order.prev != nullptr)
    order.prev->next = order.next;
  else
    level->head = order.next;
  if (order.next != nullptr)
    order.next->prev = order.prev;
  else
    level->tail = order.prev;
  level->total -= order.remaining;
  side s = order.view.side;
  decimal price = level->price;
  if (level->head == nullptr)
    side_levels(s).erase(key(s, price));
  order.prev = order.next = nullptr;
  order.level = nullptr;
  record_change(s, price);
}

void order_book::shrink(live_order& order, decimal quantity) {
  if (order.level == nullptr || !quantity.is_positive() || quantity >= order.remaining)
    throw std::logic_error{"order_book: shrink must leave a resting order with something left"};
  order.remaining -= quantity;
  order.level->total -= quantity;
  record_change(order.view.side, order.level->price);
}

std::size_t order_book::order_count(side s, decimal price) const {
  const auto& levels = this->levels(s);
  auto found = levels.find(key(s, price));
  if (found == levels.end())
    return 0;
  std::size_t count = 0;
  for (const live_order* order = found->second.head; order != nullptr; order = order->next)
    ++count;
  return count;
}

std::optional<price_level> order_book::best(side s) const {
  const auto& levels = this->levels(s);
  if (levels.empty())
    return std::nullopt;
  const auto& level = levels.begin()->second;
  return price_level{level.price, level.total};
}

book_snapshot order_book::snapshot(std::string symbol, std::size_t depth) const {
  book_snapshot result;
  result.pair = std::move(symbol);
  result.sequence = last_update_;
  auto copy = [depth](const level_map& levels, std::vector<price_level>& into) {
    for (const auto& [key, level] : levels) {
      if (into.size() >= depth)
        break;
      into.push_back(price_level{level.price, level.total});
    }
  };
  copy(bids_, result.bids);
  copy(asks_, result.asks);
  return result;
}

void order_book::record_change(side s, decimal price) {
  ++last_update_;
  if (pending_.empty())
    first_pending_ = last_update_;
  auto change = std::pair{s, price};
  // A sweep touches few levels, so a linear search beats a hash set here.
  if (std::find(pending_.begin(), pending_.end(), change) == pending_.end())
    pending_.push_back(change);
}

decimal order_book::total_at(side s, decimal price) const {
  const auto& levels = this->levels(s);
  auto found = levels.find(key(s, price));
  return found == levels.end() ? decimal{} : found->second.total;
}

void order_book::flush(const std::string& symbol, timestamp now, event_buffer& out) {
  if (pending_.empty())
    return;
  book_update update;
  update.symbol = symbol;
  update.first_update = first_pending_;
  update.last_update = last_update_;
  update.time = now;
  for (auto [s, price] : pending_) {
    auto& into = s == side::buy ? update.bids : update.asks;
    into.push_back(price_level{price, total_at(s, price)});
  }
  std::sort(update.bids.begin(), update.bids.end(),
            [](const price_level& a, const price_level& b) { return a.price > b.price; });
  std::sort(update.asks.begin(), update.asks.end(),
            [](const price_level& a, const price_level& b) { return a.price < b.price; });
  pending_.clear();
  out.emplace_back(std::move(update));
}

} // namespace tern::sim
