#include "strategies/actors/order_events.hpp"

#include <optional>

namespace tern::strategy_actors {

bool ends_order(order_notice_kind kind) noexcept {
  return kind == order_notice_kind::completed || kind == order_notice_kind::cancelled ||
         kind == order_notice_kind::failed;
}

std::vector<strategies::order_event> events_of(const order_notice& notice, const std::string& id) {
  std::vector<strategies::order_event> out;
  switch (notice.kind) {
    case order_notice_kind::filled: {
      decimal executed = notice.executed_base;
      for (const auto& f : notice.fills)
        executed -= f.base_amount;  // what was filled before this notice's fills
      for (const auto& f : notice.fills) {
        executed += f.base_amount;
        const auto state = executed >= notice.amount ? order_state::filled
                                                     : order_state::partially_filled;
        out.push_back({id, state, strategies::fill_input{f.price, f.base_amount, f.fee}, {}});
      }
      break;
    }
    case order_notice_kind::created: out.push_back({id, order_state::open, std::nullopt, {}}); break;
    case order_notice_kind::completed:
      out.push_back({id, order_state::filled, std::nullopt, {}});
      break;
    case order_notice_kind::cancelled:
      out.push_back({id, order_state::cancelled, std::nullopt, notice.message});
      break;
    case order_notice_kind::failed:
      out.push_back({id, order_state::failed, std::nullopt, notice.message});
      break;
    case order_notice_kind::state:
    case order_notice_kind::recovered:
      if (!is_final(notice.state))
        out.push_back({id, notice.state, std::nullopt, notice.message});
      break;
    case order_notice_kind::adopted: break;
  }
  return out;
}

bool same_order(const order_intent& intent, const order_notice& notice) {
  if (notice.pair != intent.pair || notice.order_side != intent.order_side ||
      notice.amount != intent.amount)
    return false;
  return intent.type == order_type::market || notice.price == intent.price;
}

strategies::tracked_order adopted_order(const std::string& account, const order_notice& notice,
                                        const std::string& id) {
  strategies::place_order order;
  order.market = {account, *trading_pair::parse(notice.pair)};
  order.client_id = id;
  order.order_side = notice.order_side;
  order.price = notice.price;
  order.amount = notice.amount;
  order.purpose = "placed before the restart";
  return {order, notice.executed_base, notice.executed_quote, notice.state};
}

} // namespace tern::strategy_actors
