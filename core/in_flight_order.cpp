#include "core/in_flight_order.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace tern {
namespace {

/// States only an exchange reports; seeing one proves the order exists there. pending_cancel
/// and failed are also decided locally, so they prove nothing.
bool proves_existence(order_state state) noexcept {
  return state == order_state::open || state == order_state::partially_filled
         || state == order_state::filled || state == order_state::cancelled;
}

std::string quoted(std::string_view text) {
  std::string result;
  result.reserve(text.size() + 2);
  result += '"';
  result += text;
  result += '"';
  return result;
}

} // namespace

in_flight_order::in_flight_order(order_spec spec)
    : spec_(std::move(spec)), last_update_time_(spec_.creation_time) {
  if (spec_.client_order_id.empty()) {
    throw std::invalid_argument("in_flight_order: the client order id is empty");
  }
  if (spec_.pair.empty()) {
    throw std::invalid_argument("in_flight_order " + spec_.client_order_id + ": the pair is empty");
  }
  if (!spec_.amount.is_positive()) {
    throw std::invalid_argument("in_flight_order " + spec_.client_order_id + ": amount "
                                + spec_.amount.to_string() + " is not positive");
  }
}

decimal in_flight_order::remaining() const noexcept {
  return is_fully_executed() ? decimal{} : spec_.amount - executed_base_;
}

std::optional<decimal> in_flight_order::average_price() const {
  if (!executed_base_.is_positive()) return std::nullopt;
  return decimal::divide(executed_quote_, executed_base_, rounding::half_even);
}

decimal in_flight_order::fee_paid(std::string_view asset) const noexcept {
  auto it = std::find_if(fees_.begin(), fees_.end(),
                         [&](const fee& charged) { return charged.asset == asset; });
  return it == fees_.end() ? decimal{} : it->amount;
}

order_change in_flight_order::apply_update(const order_update& update) {
  return update_state(update, false);
}

order_change in_flight_order::reconcile(const order_update& update) {
  return update_state(update, true);
}

order_change in_flight_order::update_state(const order_update& update, bool reconciled) {
  order_change change{apply_status::unchanged, state_, update.new_state, {}, {}};
  auto problem = identity_problem(update.client_order_id, update.exchange_order_id, update.pair);
  if (!problem.empty()) {
    change.status = apply_status::mismatch;
    change.message = std::move(problem);
    return change;
  }
  const bool learnt_id = exchange_order_id_.empty() && !update.exchange_order_id.empty();
  if (learnt_id) exchange_order_id_ = update.exchange_order_id;

  order_state target = update.new_state;
  if (target == order_state::open && executed_base_.is_positive()) {
    target = order_state::partially_filled;
  }
  change.to = target;
  auto rule = transition_rule_for(state_, target);
  if (rule == transition_rule::reconcile_only && reconciled) rule = transition_rule::legal;

  // Messages are built only for the outcomes that carry one: the legal path allocates nothing.
  auto order = [this] { return "order " + quoted(spec_.client_order_id); };
  auto from = [this] { return std::string{to_string(state_)}; };
  auto to = [target] { return std::string{to_string(target)}; };
  switch (rule) {
    case transition_rule::legal: return enter(target, update, std::move(change));
    case transition_rule::same:
      if (proves_existence(target)) not_found_count_ = 0;
      touch(update.update_time);
      change.status = learnt_id ? apply_status::applied : apply_status::unchanged;
      if (reconciled && lost_) {
        // The exchange confirms the failure of an order we had only presumed lost (§A6).
        lost_ = false;
        change.status = apply_status::applied;
        change.message = order() + " was lost; the exchange confirms it failed";
      }
      return change;
    case transition_rule::stale:
      change.status = apply_status::stale;
      change.message = order() + " is already " + from() + "; the report of " + to()
                       + " is older and was ignored";
      return change;
    case transition_rule::illegal:
      change.status = apply_status::illegal_transition;
      change.message = order() + " is " + from() + ", which is final; " + to() + " contradicts it";
      return change;
    case transition_rule::reconcile_only:
      change.status = apply_status::illegal_transition;
      change.message = order() + " is failed; only reconciliation (an authoritative status query)"
                       + " can move it to " + to();
      return change;
  }
  return change;
}

order_change in_flight_order::enter(order_state target, const order_update& update,
                                    order_change change) {
  if (state_ == order_state::failed) revive(change.events);
  state_ = target;
  switch (target) {
    case order_state::open:
    case order_state::partially_filled: emit_created(change.events); break;
    case order_state::filled:
      emit_created(change.events);
      emit_completed_if_covered(change.events);
      break;
    case order_state::cancelled:
      // The exchange's reason for ending it (e.g. OKX cancels a post-only order that would
      // take), kept so the cancelled notice and the journal say why.
      if (!update.error_message.empty()) {
        error_code_ = update.error_code;
        error_message_ = update.error_message;
      }
      change.events.push_back(order_event_kind::cancelled);
      break;
    case order_state::failed:
      error_code_ = update.error_code;
      error_message_ = update.error_message;
      change.events.push_back(order_event_kind::failed);
      break;
    case order_state::pending_create:
    case order_state::pending_cancel: break;
  }
  if (proves_existence(target)) not_found_count_ = 0;
  touch(update.update_time);
  change.status = apply_status::applied;
  change.to = state_;
  return change;
}

void in_flight_order::revive(order_events& events) {
  events.push_back(order_event_kind::recovered);
  lost_ = false;
  not_found_count_ = 0;
  error_code_.clear();
  error_message_.clear();
}

order_change in_flight_order::apply_fill(const fill& execution) {
  order_change change{apply_status::applied, state_, state_, {}, {}};
  auto refuse = [&change](apply_status status, std::string message) {
    change.status = status;
    change.message = std::move(message);
    return std::move(change);
  };
  if (auto problem = fill_identity_problem(execution); !problem.empty()) {
    return refuse(apply_status::mismatch, std::move(problem));
  }
  if (auto problem = fill_problem(execution); !problem.empty()) {
    return refuse(apply_status::invalid, std::move(problem));
  }
  if (auto seen = fills_.find(execution.trade_id); seen != fills_.end()) {
    return refuse(apply_status::duplicate, duplicate_message(seen->second, execution));
  }
  if (exchange_order_id_.empty()) exchange_order_id_ = execution.exchange_order_id;
  record(execution);

  if (is_fully_executed() && state_ != order_state::filled) {
    if (state_ == order_state::failed) revive(change.events);
    state_ = order_state::filled;
  } else if (state_ == order_state::pending_create || state_ == order_state::open) {
    state_ = order_state::partially_filled;
  }
  emit_created(change.events);
  change.events.push_back(order_event_kind::filled);
  if (state_ == order_state::filled) emit_completed_if_covered(change.events);
  change.to = state_;
  if (executed_base_ > spec_.amount) {
    change.status = apply_status::overfill;
    change.message = "fill " + quoted(execution.trade_id) + " brings executed base to "
                     + executed_base_.to_string() + ", above the amount "
                     + spec_.amount.to_string() + " of order " + quoted(spec_.client_order_id)
                     + "; recorded";
  }
  return change;
}

order_change in_flight_order::record_not_found(timestamp when) {
  order_change change{apply_status::unchanged, state_, state_, {}, {}};
  ++not_found_count_;
  const auto order = "order " + quoted(spec_.client_order_id);
  const auto count = std::to_string(not_found_count_);
  if (is_final(state_)) {
    change.message = order + " is " + std::string{to_string(state_)} + " and was not found ("
                     + count + " times)";
    return change;
  }
  if (not_found_count_ <= lost_order_threshold) {
    change.message = order + " not found (" + count + " of "
                     + std::to_string(lost_order_threshold) + " allowed)";
    return change;
  }
  state_ = order_state::failed;
  lost_ = true;
  error_code_ = "order_not_found";
  error_message_ = "not found by " + count + " consecutive status queries; declared lost";
  change.events.push_back(order_event_kind::failed);
  change.status = apply_status::applied;
  change.to = state_;
  change.message = order + " " + error_message_;
  touch(when);
  return change;
}

order_change in_flight_order::finish_completion(timestamp when) {
  order_change change{apply_status::unchanged, state_, state_, {}, {}};
  if (!completion_pending()) return change;
  completed_emitted_ = true;
  change.events.push_back(order_event_kind::completed);
  change.status = apply_status::applied;
  change.message = "order " + quoted(spec_.client_order_id) + " completed with executed base "
                   + executed_base_.to_string() + " of " + spec_.amount.to_string()
                   + ": the remaining fills never arrived";
  touch(when);
  return change;
}

order_snapshot in_flight_order::snapshot() const {
  order_snapshot saved;
  saved.spec = spec_;
  saved.exchange_order_id = exchange_order_id_;
  saved.state = state_;
  saved.executed_base = executed_base_;
  saved.executed_quote = executed_quote_;
  saved.last_update_time = last_update_time_;
  saved.error_code = error_code_;
  saved.error_message = error_message_;
  saved.not_found_count = not_found_count_;
  saved.lost = lost_;
  saved.created_emitted = created_emitted_;
  saved.completed_emitted = completed_emitted_;
  return saved;
}

in_flight_order in_flight_order::restore(const order_snapshot& saved,
                                         const std::vector<fill>& fills) {
  in_flight_order order{saved.spec};
  order.exchange_order_id_ = saved.exchange_order_id;
  for (const auto& execution : fills) {
    if (order.fills_.contains(execution.trade_id)) continue;
    if (auto problem = order.fill_identity_problem(execution); !problem.empty()) {
      throw std::invalid_argument("restoring order " + quoted(saved.spec.client_order_id) + ": "
                                  + problem);
    }
    order.record(execution);
  }
  order.state_ = saved.state;
  order.last_update_time_ = std::max(order.last_update_time_, saved.last_update_time);
  order.error_code_ = saved.error_code;
  order.error_message_ = saved.error_message;
  order.not_found_count_ = saved.not_found_count;
  order.lost_ = saved.lost;
  order.created_emitted_ = saved.created_emitted;
  order.completed_emitted_ = saved.completed_emitted;
  return order;
}

std::string in_flight_order::identity_problem(std::string_view client_id,
                                              std::string_view exchange_id,
                                              std::string_view pair) const {
  if (client_id.empty() && exchange_id.empty()) {
    return "the report names no order (no client or exchange order id)";
  }
  if (!client_id.empty() && client_id != spec_.client_order_id) {
    return "client order id " + quoted(client_id) + " is not this order's "
           + quoted(spec_.client_order_id);
  }
  if (!exchange_id.empty() && !exchange_order_id_.empty() && exchange_id != exchange_order_id_) {
    return "exchange order id " + quoted(exchange_id) + " differs from "
           + quoted(exchange_order_id_) + " of order " + quoted(spec_.client_order_id);
  }
  if (!pair.empty() && pair != spec_.pair.to_string()) {
    return "pair " + quoted(pair) + " is not " + spec_.pair.to_string() + " of order "
           + quoted(spec_.client_order_id);
  }
  return {};
}

std::string in_flight_order::fill_identity_problem(const fill& execution) const {
  auto problem = identity_problem(execution.client_order_id, execution.exchange_order_id,
                                  execution.pair);
  if (problem.empty() && execution.order_side != spec_.order_side) {
    problem = "fill " + quoted(execution.trade_id) + " is a "
              + std::string{to_string(execution.order_side)} + " but order "
              + quoted(spec_.client_order_id) + " is a "
              + std::string{to_string(spec_.order_side)};
  }
  return problem;
}

std::string in_flight_order::duplicate_message(const fill& recorded, const fill& repeat) {
  auto message = "trade " + quoted(repeat.trade_id) + " was already applied";
  if (recorded.base_amount != repeat.base_amount || recorded.price != repeat.price) {
    // Same trade id, other numbers: a connector bug or an exchange correction; the first
    // version stays, and the difference is reported rather than silently dropped.
    message += "; the repeat differs from the recorded fill (" + repeat.base_amount.to_string()
               + " at " + repeat.price.to_string() + " vs " + recorded.base_amount.to_string()
               + " at " + recorded.price.to_string() + ")";
  }
  return message;
}

std::string in_flight_order::fill_problem(const fill& execution) const {
  if (execution.trade_id.empty()) {
    return "a fill of order " + quoted(spec_.client_order_id) + " has no trade id";
  }
  const auto name = "fill " + quoted(execution.trade_id);
  if (!execution.price.is_positive()) {
    return name + " has non-positive price " + execution.price.to_string();
  }
  if (!execution.base_amount.is_positive()) {
    return name + " has non-positive base amount " + execution.base_amount.to_string();
  }
  if (!execution.quote_amount.is_positive()) {
    return name + " has non-positive quote amount " + execution.quote_amount.to_string();
  }
  if (execution.fee.asset.empty() && !execution.fee.amount.is_zero()) {
    return name + " charges a fee of " + execution.fee.amount.to_string() + " in no asset";
  }
  return {};
}

void in_flight_order::record(const fill& execution) {
  executed_base_ += execution.base_amount;
  executed_quote_ += execution.quote_amount;
  const auto& charged = execution.fee;
  if (!charged.amount.is_zero()) {
    auto by_asset = [](const fee& f, const std::string& asset) { return f.asset < asset; };
    auto it = std::lower_bound(fees_.begin(), fees_.end(), charged.asset, by_asset);
    if (it != fees_.end() && it->asset == charged.asset) {
      it->amount += charged.amount;
    } else {
      fees_.insert(it, charged);
    }
  }
  fills_.emplace(execution.trade_id, execution);
  not_found_count_ = 0;
  touch(execution.fill_time);
}

void in_flight_order::touch(timestamp when) noexcept {
  last_update_time_ = std::max(last_update_time_, when);
}

void in_flight_order::emit_created(order_events& events) {
  if (created_emitted_) return;
  created_emitted_ = true;
  events.push_back(order_event_kind::created);
}

void in_flight_order::emit_completed_if_covered(order_events& events) {
  if (completed_emitted_ || !is_fully_executed()) return;
  completed_emitted_ = true;
  events.push_back(order_event_kind::completed);
}

} // namespace tern
