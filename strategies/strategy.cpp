#include "strategies/strategy.hpp"

#include <stdexcept>

namespace tern::strategies {

std::optional<decimal> mid_price(const order_book& book) {
  auto bid = book.best_bid();
  auto ask = book.best_ask();
  if (!bid || !ask) return std::nullopt;
  return decimal::divide(bid->price + ask->price, decimal::from_integer(2), rounding::half_even);
}

strategy::strategy(common_params common, std::string kind, std::vector<market_info> markets)
    : common_(std::move(common)), kind_(std::move(kind)), markets_(std::move(markets)),
      ledger_(markets_.empty() ? trading_pair{} : markets_.front().id.pair) {
  if (markets_.empty()) throw std::invalid_argument("a strategy needs at least one market");
  for (const auto& m : markets_) books_.try_emplace(m.id, m.id.pair.to_string());
}

const market_info& strategy::info(const market_id& market) const {
  for (const auto& m : markets_)
    if (m.id == market) return m;
  throw std::out_of_range("market " + market.to_string() + " is not one of the strategy's");
}

const order_book* strategy::book(const market_id& market) const {
  auto it = books_.find(market);
  if (it == books_.end() || !it->second.best_bid() || !it->second.best_ask()) return nullptr;
  return &it->second;
}

void strategy::refresh_mark() {
  // The first listed market with both sides prices the base: one mark for the whole strategy,
  // so P&L does not jump between venues' mids.
  for (const auto& m : markets_) {
    if (const order_book* b = book(m.id)) {
      ledger_.set_mark(*mid_price(*b));
      return;
    }
  }
}

void strategy::check_kill_switch(actions& out) {
  if (!running_ || !common_.kill_switch_loss) return;
  const decimal pnl = ledger_.total_pnl();
  if (pnl > -*common_.kill_switch_loss) return;
  auto stop_actions = stop("kill switch: P&L " + pnl.to_string() + " " + std::string{pair().quote()} +
                           " reached the loss limit " + common_.kill_switch_loss->to_string());
  out.insert(out.end(), stop_actions.begin(), stop_actions.end());
}

actions strategy::on_book(const book_input& input, timestamp now) {
  actions out;
  auto it = books_.find(input.market);
  if (it == books_.end()) {
    out.push_back(notice{notice_level::warning, "book for " + input.market.to_string() + " is not a market of " +
                                                    common_.name + "; ignored"});
    return out;
  }
  book_snapshot snapshot{input.market.pair.to_string(), input.bids, input.asks, 0, {}, {}};
  if (auto applied = it->second.apply_snapshot(snapshot); !applied) {
    it->second.clear();  // trading on a broken picture is worse than not trading
    out.push_back(notice{notice_level::warning,
                         "book for " + input.market.to_string() + " dropped: " + applied.error().message()});
    return out;
  }
  refresh_mark();
  check_kill_switch(out);
  if (running_ && book(input.market) != nullptr) book_changed(input.market, now, out);
  return out;
}

actions strategy::on_order_event(const order_event& event, timestamp now) {
  actions out;
  auto it = orders_.find(event.client_id);
  if (it == orders_.end()) {
    out.push_back(notice{notice_level::warning, "event for unknown order " + event.client_id + " (state " +
                                                    std::string{to_string(event.state)} + "); ignored"});
    return out;
  }
  tracked_order& order = it->second;
  if (event.fill && event.fill->amount.is_positive()) {
    ++fills_;
    order.filled += event.fill->amount;
    order.filled_quote += decimal::multiply(event.fill->price, event.fill->amount, rounding::half_even);
    ledger_.record_fill(order.order.market.account, order.order.order_side, *event.fill);
    if (order.filled > order.order.amount)
      out.push_back(notice{notice_level::error, "order " + order.order.client_id + " filled " +
                                                    order.filled.to_string() + ", more than its amount " +
                                                    order.order.amount.to_string()});
  }
  // A cancel we asked for stays pending until the order is final, whatever fills come first,
  // so that it is not asked for twice.
  if (!(order.state == order_state::pending_cancel && !is_final(event.state))) order.state = event.state;
  order_changed(order, event, now, out);
  if (is_final(order.state)) orders_.erase(event.client_id);
  check_kill_switch(out);
  return out;
}

actions strategy::on_balance(const balance_input& balance, timestamp /*now*/) {
  ledger_.set_balance(balance);
  return {};
}

actions strategy::on_tick(timestamp now) {
  actions out;
  check_kill_switch(out);
  if (running_) tick(now, out);
  return out;
}

actions strategy::stop(const std::string& reason) {
  actions out;
  if (!running_) return out;
  running_ = false;
  stop_reason_ = reason;
  stopping(out);
  std::vector<std::string> ids;
  for (const auto& [id, order] : orders_) ids.push_back(id);
  for (const auto& id : ids) cancel(out, id);
  out.push_back(cancel_all{});
  out.push_back(notice{notice_level::warning, common_.name + " stopped: " + reason});
  out.push_back(stopped{reason});
  return out;
}

actions strategy::adopt(const std::vector<tracked_order>& orders) {
  actions out;
  for (const auto& order : orders) {
    if (is_final(order.state) || orders_.contains(order.order.client_id)) continue;
    orders_.emplace(order.order.client_id, order);
    out.push_back(notice{notice_level::warning, "adopted open order " + order.order.client_id + " (" +
                                                    order.order.purpose + ") from before the restart; cancelling it"});
    cancel(out, order.order.client_id);
  }
  return out;
}

std::string strategy::place(actions& out, place_order order) {
  if (!running_) {  // a stopped strategy places nothing, whatever a late event asks
    out.push_back(notice{notice_level::warning, common_.name + " is stopped; not placing " + order.purpose});
    return {};
  }
  order.client_id = (common_.client_id_prefix.empty() ? common_.name : common_.client_id_prefix) + "-" +
                    std::to_string(next_id_++);
  ++placed_;
  orders_.emplace(order.client_id, tracked_order{order, {}, {}, order_state::pending_create});
  out.push_back(order);
  return order.client_id;
}

void strategy::cancel(actions& out, const std::string& client_id) {
  auto it = orders_.find(client_id);
  if (it == orders_.end() || it->second.state == order_state::pending_cancel || is_final(it->second.state)) return;
  it->second.state = order_state::pending_cancel;
  out.push_back(cancel_order{it->second.order.market, client_id});
}

strategy_status strategy::status() const {
  strategy_status s;
  s.name = common_.name;
  s.kind = kind_;
  s.running = running_;
  s.stop_reason = stop_reason_;
  s.opportunities_seen = opportunities_;
  s.orders_placed = placed_;
  s.fills = fills_;
  ledger_.fill_status(s);
  for (const auto& [id, o] : orders_)
    s.open_orders.push_back({o.order.market, id, o.order.order_side, o.order.price, o.order.amount, o.filled});
  add_status(s);
  return s;
}

} // namespace tern::strategies
