#include "sim/perpetuals.hpp"

#include <algorithm>

namespace tern::sim {

position_state position_book::find(account_id account, position_side side) const {
  auto found = positions_.find({account, side});
  return found == positions_.end() ? position_state{} : found->second;
}

bool position_book::has_position(account_id account) const {
  for (auto side : {position_side::both, position_side::long_side, position_side::short_side})
    if (!find(account, side).size.is_zero())
      return true;
  return false;
}

int position_book::leverage(account_id account) const {
  auto found = leverage_.find(account);
  return found == leverage_.end() ? default_leverage_ : found->second;
}

decimal position_book::signed_cost() const {
  decimal sum;
  for (const auto& [key, position] : positions_)
    sum += position.size.is_negative() ? -position.cost : position.cost;
  return sum;
}

decimal position_book::margin_of(account_id account) const {
  decimal sum;
  for (auto side : {position_side::both, position_side::long_side, position_side::short_side})
    sum += find(account, side).margin;
  return sum;
}

void position_book::touch(account_id account, position_side side) {
  position_key changed{account, side};
  if (std::find(changed_.begin(), changed_.end(), changed) == changed_.end())
    changed_.push_back(changed);
}

void position_book::flush(const std::string& symbol, timestamp now, event_buffer& out) {
  for (const auto& [account, side] : changed_) {
    position_state position = find(account, side);
    out.emplace_back(position_update{account, symbol, side, position.size, entry_price(position),
                                     position.margin, now});
  }
  changed_.clear();
}

decimal entry_price(const position_state& position) {
  if (position.size.is_zero())
    return {};
  return decimal::divide(position.cost, position.size.abs(), rounding::half_even);
}

} // namespace tern::sim
