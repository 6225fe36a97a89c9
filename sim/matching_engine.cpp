#include "sim/matching_engine.hpp"

#include <functional>
#include <stdexcept>

namespace tern::sim {

namespace {

market_spec checked(market_spec spec) {
  if (auto valid = validate(spec); !valid)
    throw std::invalid_argument{valid.error().message};
  return spec;
}

unexpected<error> refuse(error_code code, std::string message) {
  return unexpected{error{code, std::move(message)}};
}

bool crosses(side taker, decimal limit, decimal level_price) {
  return taker == side::buy ? level_price <= limit : level_price >= limit;
}

} // namespace

std::size_t matching_engine::client_key_hash::operator()(const client_key& key) const noexcept {
  return std::hash<std::string>{}(key.id) ^ (std::hash<account_id>{}(key.account) * 0x9e3779b97f4a7c15ULL);
}

matching_engine::matching_engine(market_spec spec, ledger& accounts, engine_options options)
    : spec_(checked(std::move(spec))),
      ledger_(accounts),
      options_(options),
      base_(accounts.intern(spec_.base)),
      quote_(accounts.intern(spec_.quote)),
      positions_(spec_.default_leverage) {}

expected<void, error> matching_engine::validate(const order_request& request) const {
  if (!ledger_.exists(request.account))
    return refuse(error_code::unknown_account, "no account " + std::to_string(request.account));
  bool exempt = ledger_.options(request.account).exempt_from_size_rules;
  if (!request.quantity.is_positive() || (!exempt && !request.quantity.is_multiple_of(spec_.step)))
    return refuse(error_code::invalid_quantity, "quantity " + request.quantity.to_string()
                                                    + " is not a positive multiple of the step "
                                                    + spec_.step.to_string());
  bool market = request.type == order_type::market;
  if (!market && (!request.price.is_positive() || !request.price.is_multiple_of(spec_.tick)))
    return refuse(error_code::invalid_price, "price " + request.price.to_string()
                                                 + " is not a positive multiple of the tick "
                                                 + spec_.tick.to_string());
  if (request.type == order_type::limit_maker && request.tif != time_in_force::gtc)
    return refuse(error_code::invalid_order, "a limit-maker (post-only) order must be GTC, got "
                                                 + std::string{to_string(request.tif)});
  if (spec_.kind == market_kind::spot && request.reduce_only)
    return refuse(error_code::reduce_only_not_allowed, "reduce-only on spot market " + spec_.symbol);
  if (spec_.kind == market_kind::spot && request.pos_side != position_side::both)
    return refuse(error_code::position_side_mismatch,
                  "position side " + std::string{to_string(request.pos_side)} + " on spot market "
                      + spec_.symbol);
  if (exempt)
    return {};
  if (request.quantity < spec_.min_quantity)
    return refuse(error_code::below_min_quantity, "quantity " + request.quantity.to_string()
                                                      + " is below the minimum "
                                                      + spec_.min_quantity.to_string());
  std::optional<decimal> reference;
  if (!market)
    reference = request.price;
  else if (auto best = book_.best(opposite(request.side)))
    reference = best->price;
  if (reference && decimal::multiply(*reference, request.quantity, rounding::down) < spec_.min_notional)
    return refuse(error_code::below_min_notional,
                  "notional " + decimal::multiply(*reference, request.quantity, rounding::down).to_string()
                      + " is below the minimum " + spec_.min_notional.to_string());
  return {};
}

expected<void, error> matching_engine::validate_position(const order_request& request,
                                                         bool& closing, decimal& cap) const {
  closing = false;
  if (spec_.kind == market_kind::spot)
    return {};
  position_mode mode = ledger_.mode(request.account);
  position_side key = request.pos_side;
  if (mode == position_mode::one_way) {
    if (key != position_side::both)
      return refuse(error_code::position_side_mismatch,
                    "position side " + std::string{to_string(key)} + " in one-way mode");
    closing = request.reduce_only;
  } else {
    if (request.reduce_only)
      return refuse(error_code::reduce_only_not_allowed, "reduce-only is not used in hedge mode");
    if (key == position_side::both)
      return refuse(error_code::position_side_mismatch,
                    "hedge mode needs position side long or short");
    closing = (key == position_side::long_side) == (request.side == side::sell);
  }
  if (!closing)
    return {};
  cap = closable(request.account, request.side, key);
  if (!cap.is_positive())
    return refuse(error_code::reduce_only_rejected,
                  "a " + std::string{to_string(request.side)} + " reduce-only/closing order would"
                      + " increase the " + std::string{to_string(key)} + " position");
  return {};
}

expected<void, error> matching_engine::admissible(const order_request& request, bool& closing,
                                                  decimal& cap) const {
  if (auto valid = validate(request); !valid)
    return valid;
  if (auto valid = validate_position(request, closing, cap); !valid)
    return valid;
  if (!request.client_order_id.empty()) {
    auto found = client_ids_.find(client_key{request.account, request.client_order_id});
    if (found != client_ids_.end() && open_.contains(found->second))
      return refuse(error_code::duplicate_client_order_id,
                    "client order id '" + request.client_order_id + "' is already open");
  }
  if (!request.post_only_expires && post_only_takes(request))
    return refuse(error_code::post_only_would_take,
                  "post-only " + std::string{to_string(request.side)} + " at "
                      + request.price.to_string() + " would take the best "
                      + book_.best(opposite(request.side))->price.to_string());
  return {};
}

bool matching_engine::post_only_takes(const order_request& request) const {
  if (request.type != order_type::limit_maker) return false;
  auto best = book_.best(opposite(request.side));
  return best && crosses(request.side, request.price, best->price);
}

// Plans the match on a stand-in before anything changes, so that FOK, the funds to lock and
// the taker's fate are known up front. Returns what becomes of the unfilled remainder
// (`none`: it rests).
end_reason matching_engine::plan_taker(const order_request& request, bool closing, decimal cap,
                                       live_order& candidate) {
  candidate.view.account = request.account;
  candidate.view.side = request.side;
  candidate.view.type = request.type;
  candidate.view.price = request.type == order_type::market ? decimal{} : request.price;
  candidate.view.stp = request.stp;
  candidate.view.pos_side = request.pos_side;
  candidate.view.leverage = spec_.kind == market_kind::perpetual ? leverage(request.account) : 0;
  candidate.closing = closing;
  decimal max_quantity = closing ? min(request.quantity, cap) : request.quantity;
  build_plan(candidate, max_quantity);
  if (request.tif == time_in_force::fok && plan_.quantity < request.quantity)
    return end_reason::fok_unfillable;
  if (plan_.taker_stopped)
    return end_reason::self_trade_prevention;
  if (plan_.quantity == max_quantity && max_quantity < request.quantity)
    return end_reason::reduce_only_exhausted;
  if (request.type == order_type::market || request.tif != time_in_force::gtc)
    return end_reason::ioc_remainder;
  return end_reason::none;
}

expected<order_view, error> matching_engine::place(const order_request& request, timestamp now,
                                                   event_buffer& out) {
  bool closing = false;
  decimal cap;
  if (auto valid = admissible(request, closing, cap); !valid)
    return unexpected{valid.error()};
  live_order candidate;
  end_reason leftover = plan_taker(request, closing, cap, candidate);
  if (request.post_only_expires && post_only_takes(request)) {
    // Accepted but never matched: it locks what resting would need (so funds are checked as
    // for any order), and ends at once, releasing it.
    plan_.steps.clear();
    plan_.projections.clear();
    plan_.quantity = decimal{};
    plan_.cost = decimal{};
    leftover = end_reason::post_only_would_take;
  }
  bool ends_unmatched = leftover == end_reason::fok_unfillable ||
                   leftover == end_reason::post_only_would_take;

  decimal lock = ends_unmatched ? decimal{} : lock_for(candidate, plan_.cost, plan_.quantity);
  decimal resting = request.quantity - plan_.quantity;
  bool would_rest = leftover == end_reason::none || leftover == end_reason::post_only_would_take;
  if (would_rest && resting.is_positive())
    lock += lock_for(candidate, decimal::multiply(request.price, resting, rounding::up), resting);
  asset_id lock_asset = lock_asset_of(candidate);
  if (!ledger_.try_lock(request.account, lock_asset, lock))
    return refuse(error_code::insufficient_balance,
                  "order needs " + lock.to_string() + " " + ledger_.asset_name(lock_asset)
                      + ", free balance is "
                      + ledger_.balance(request.account, lock_asset).free.to_string());

  live_order& order = admit(request, closing, now);
  order.lock_asset = lock_asset;
  order.locked = lock;
  emit(execution_kind::new_order, order, now, out);
  order_view result;
  if (ends_unmatched) {
    result = finish(order, order_status::expired, leftover, now, out, true);
  } else {
    execute(order, now, out);
    result = conclude_taker(order, leftover, now, out);
  }
  flush(now, out);
  return result;
}

live_order& matching_engine::admit(const order_request& request, bool closing, timestamp now) {
  order_id id = ++last_order_;
  live_order& order = open_[id];
  order.view.id = id;
  order.view.client_order_id = request.client_order_id;
  order.view.account = request.account;
  order.view.symbol = spec_.symbol;
  order.view.side = request.side;
  order.view.type = request.type;
  order.view.tif = request.type == order_type::market ? time_in_force::ioc : request.tif;
  order.view.price = request.type == order_type::market ? decimal{} : request.price;
  order.view.quantity = request.quantity;
  order.view.stp = request.stp;
  order.view.reduce_only = request.reduce_only;
  order.view.pos_side = request.pos_side;
  order.view.leverage = spec_.kind == market_kind::perpetual ? leverage(request.account) : 0;
  order.view.created_time = now;
  order.view.updated_time = now;
  order.remaining = request.quantity;
  order.closing = closing;
  open_by_account_[request.account].insert(id);
  if (!request.client_order_id.empty())
    client_ids_[client_key{request.account, request.client_order_id}] = id;
  return order;
}

order_view matching_engine::finish(live_order& order, order_status status, end_reason reason,
                                   timestamp now, event_buffer& out, bool report) {
  if (order.level != nullptr)
    book_.erase(order);
  release_excess(order, decimal{});
  order.view.status = status;
  order.view.reason = reason;
  order.view.updated_time = now;
  if (report)
    emit(status == order_status::cancelled ? execution_kind::cancelled : execution_kind::expired,
         order, now, out);
  order_view view = order.view;
  order_id id = view.id;
  finished_[id] = view;
  finished_fifo_.push_back(id);
  while (finished_fifo_.size() > options_.retained_finished_orders) {
    order_id oldest = finished_fifo_.front();
    finished_fifo_.pop_front();
    auto forgotten = finished_.find(oldest);
    auto client = client_ids_.find(client_key{forgotten->second.account,
                                              forgotten->second.client_order_id});
    if (client != client_ids_.end() && client->second == oldest)
      client_ids_.erase(client);
    finished_.erase(forgotten);
  }
  auto owner = open_by_account_.find(view.account);
  owner->second.erase(id);
  if (owner->second.empty())
    open_by_account_.erase(owner);
  open_.erase(id);
  return view;
}

void matching_engine::emit(execution_kind kind, const live_order& order, timestamp now,
                           event_buffer& out, std::optional<fill_detail> fill) {
  out.emplace_back(order_event{kind, order.view, std::move(fill), now});
}

void matching_engine::flush(timestamp now, event_buffer& out) {
  ledger_.flush_balance_events(now, out);
  positions_.flush(spec_.symbol, now, out);
  book_.flush(spec_.symbol, now, out);
}

live_order* matching_engine::open_order_of(account_id account, order_id id) {
  auto found = open_.find(id);
  if (found == open_.end() || found->second.view.account != account)
    return nullptr;
  return &found->second;
}

expected<order_view, error> matching_engine::cancel(account_id account, order_id id,
                                                    timestamp now, event_buffer& out) {
  live_order* order = open_order_of(account, id);
  if (order == nullptr)
    return refuse(error_code::unknown_order, "no open order " + std::to_string(id) + " in "
                                                 + spec_.symbol + " for this account");
  order_view view = finish(*order, order_status::cancelled, end_reason::cancelled_by_user, now,
                           out, true);
  flush(now, out);
  return view;
}

expected<order_view, error> matching_engine::cancel_by_client_id(
    account_id account, std::string_view client_order_id, timestamp now, event_buffer& out) {
  auto found = client_ids_.find(client_key{account, std::string{client_order_id}});
  if (found == client_ids_.end() || !open_.contains(found->second))
    return refuse(error_code::unknown_order, "no open order with client order id '"
                                                 + std::string{client_order_id} + "' in "
                                                 + spec_.symbol);
  return cancel(account, found->second, now, out);
}

std::vector<order_view> matching_engine::cancel_all(account_id account, timestamp now,
                                                    event_buffer& out) {
  std::vector<order_view> cancelled;
  auto owner = open_by_account_.find(account);
  if (owner == open_by_account_.end())
    return cancelled;
  std::vector<order_id> ids(owner->second.begin(), owner->second.end());
  for (order_id id : ids)
    cancelled.push_back(finish(open_.at(id), order_status::cancelled,
                               end_reason::cancelled_by_user, now, out, true));
  flush(now, out);
  return cancelled;
}

expected<order_view, error> matching_engine::amend_keep_priority(account_id account, order_id id,
                                                                 decimal new_quantity,
                                                                 timestamp now, event_buffer& out) {
  live_order* order = open_order_of(account, id);
  if (order == nullptr || order->level == nullptr)
    return refuse(error_code::unknown_order, "no resting order " + std::to_string(id) + " in "
                                                 + spec_.symbol + " for this account");
  bool exempt = ledger_.options(account).exempt_from_size_rules;
  if (new_quantity <= order->view.executed_quantity || new_quantity >= order->view.quantity
      || (!exempt && !new_quantity.is_multiple_of(spec_.step)))
    return refuse(error_code::invalid_amendment,
                  "new quantity " + new_quantity.to_string() + " must be a step multiple above "
                      + order->view.executed_quantity.to_string() + " and below "
                      + order->view.quantity.to_string());
  book_.shrink(*order, order->view.quantity - new_quantity);
  order->view.quantity = new_quantity;
  order->view.updated_time = now;
  release_excess(*order, resting_requirement(*order));
  emit(execution_kind::amended, *order, now, out);
  flush(now, out);
  return order->view;
}

expected<order_view, error> matching_engine::find_order(account_id account, order_id id) const {
  if (auto open = open_.find(id); open != open_.end() && open->second.view.account == account)
    return open->second.view;
  if (auto done = finished_.find(id); done != finished_.end() && done->second.account == account)
    return done->second;
  return refuse(error_code::unknown_order,
                "order " + std::to_string(id) + " does not exist in " + spec_.symbol);
}

expected<order_view, error> matching_engine::find_order_by_client_id(
    account_id account, std::string_view client_order_id) const {
  auto found = client_ids_.find(client_key{account, std::string{client_order_id}});
  if (found == client_ids_.end())
    return refuse(error_code::unknown_order, "no order with client order id '"
                                                 + std::string{client_order_id} + "' in "
                                                 + spec_.symbol);
  return find_order(account, found->second);
}

std::vector<order_view> matching_engine::open_orders(account_id account) const {
  std::vector<order_view> result;
  if (auto owner = open_by_account_.find(account); owner != open_by_account_.end())
    for (order_id id : owner->second)
      result.push_back(open_.at(id).view);
  return result;
}

bool matching_engine::has_open_orders(account_id account) const {
  return open_by_account_.contains(account);
}

book_snapshot matching_engine::snapshot(std::size_t depth) const {
  return book_.snapshot(spec_.symbol, depth);
}

expected<void, error> matching_engine::set_leverage(account_id account, int leverage) {
  if (spec_.kind != market_kind::perpetual)
    return refuse(error_code::not_perpetual, spec_.symbol + " has no leverage");
  if (!ledger_.exists(account))
    return refuse(error_code::unknown_account, "no account " + std::to_string(account));
  if (leverage < 1 || leverage > spec_.max_leverage)
    return refuse(error_code::leverage_out_of_range,
                  "leverage " + std::to_string(leverage) + " outside 1.."
                      + std::to_string(spec_.max_leverage));
  positions_.set_leverage(account, leverage);
  return {};
}

std::vector<position_view> matching_engine::positions(account_id account) const {
  std::vector<position_view> result;
  for (auto side : {position_side::both, position_side::long_side, position_side::short_side}) {
    position_state position = positions_.find(account, side);
    if (position.size.is_zero())
      continue;
    decimal value = decimal::multiply(mark_price_, position.size, rounding::half_even);
    decimal unrealized = position.size.is_positive() ? value - position.cost : value + position.cost;
    result.push_back(position_view{side, position.size, entry_price(position), position.margin,
                                   unrealized, leverage(account)});
  }
  return result;
}

decimal matching_engine::locked_by(account_id account, asset_id asset) const {
  decimal sum;
  if (auto owner = open_by_account_.find(account); owner != open_by_account_.end())
    for (order_id id : owner->second)
      if (const live_order& order = open_.at(id); order.lock_asset == asset)
        sum += order.locked;
  if (asset == quote_)
    sum += positions_.margin_of(account);
  return sum;
}

} // namespace tern::sim
