#include "actors/exchange_actor.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <unistd.h>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/account_messages.hpp"
#include "actors/exchange_state.hpp"
#include "actors/rest_caller.hpp"
#include "core/client_order_id.hpp"
#include "supervision/supervisor.hpp"

namespace tern {
namespace {

using namespace exchange_detail;
using supervision::health_state;
using namespace std::chrono_literals;

timestamp wall_now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}


/// What the tracker must learn from a placement's answer. Only a definite answer rejects: a
/// lost one (timeout, 5xx, disconnect, 429 after sending) leaves the outcome unknown.
place_outcome place_result(const account_context& context, const std::string& client_order_id,
                           const rest_result& result, const symbol_map& symbols) {
  place_outcome outcome;
  outcome.client_order_id = client_order_id;
  if (!result.response) {
    outcome.kind = result.outcome == net::outcome_class::outcome_unknown
                       ? place_outcome::kind_type::unknown
                       : place_outcome::kind_type::rejected;  // never written: nothing placed
    outcome.reason = result.error;
    return outcome;
  }
  auto ack = context.protocol().parse_place_order(*result.response, symbols);
  if (ack) {
    outcome.kind = place_outcome::kind_type::acknowledged;
    outcome.ack = std::move(*ack);
    return outcome;
  }
  const auto& error = ack.error();
  outcome.kind = error.outcome == net::outcome_class::outcome_unknown
                         || error.category == error_category::malformed_response
                     ? place_outcome::kind_type::unknown
                     : place_outcome::kind_type::rejected;
  outcome.error_code = error.code;
  outcome.reason = error.describe();
  return outcome;
}

cancel_outcome cancel_result(const account_context& context, const std::string& client_order_id,
                             const rest_result& result, const symbol_map& symbols) {
  cancel_outcome outcome;
  outcome.client_order_id = client_order_id;
  if (!result.response) {
    outcome.kind = result.outcome == net::outcome_class::outcome_unknown
                       ? cancel_outcome::kind_type::unknown
                       : cancel_outcome::kind_type::refused;
    outcome.reason = result.error;
    return outcome;
  }
  auto report = context.protocol().parse_cancel_order(*result.response, symbols);
  if (report) {
    outcome.kind = cancel_outcome::kind_type::confirmed;
    outcome.report = std::move(*report);
    return outcome;
  }
  const auto& error = report.error();
  outcome.reason = error.describe();
  if (error.category == error_category::order_not_found)
    outcome.kind = cancel_outcome::kind_type::not_found;
  else if (error.outcome == net::outcome_class::outcome_unknown)
    outcome.kind = cancel_outcome::kind_type::unknown;
  else
    outcome.kind = cancel_outcome::kind_type::refused;
  return outcome;
}

/// Sends the recorded order and tells the tracker how it went.
void send_order(exchange_actor* self, order_spec spec, std::string symbol) {
  auto& st = self->state;
  auto context = st.context;
  order_request request;
  request.client_order_id = spec.client_order_id;
  request.order_side = spec.order_side;
  request.type = spec.type;
  request.tif = spec.tif;
  request.price = spec.price;
  request.amount = spec.amount;
  request.action = spec.action;
  // Hedge mode names the position side; `ready` waited until the mode was known.
  request.mode = context->position_mode().value_or(position_mode::one_way);
  auto markets = context->markets();
  request.contract_size = markets->symbols.contract_size(symbol);
  st.rest->call(
      self,
      [context, symbol, request](const signing_context& signing) {
        return context->protocol().place_order(symbol, request, signing);
      },
      [self, id = spec.client_order_id](rest_result result) {
        auto& state = self->state;
        auto catalog = state.context->markets();
        auto outcome = place_result(*state.context, id, result, catalog->symbols);
        if (auto orders = state.context->directory.get("orders"))
          self->send(orders, std::move(outcome));
      },
      st.context->timings().place_timeout);
}

caf::result<place_reply> place(exchange_actor* self, const order_intent& intent) {
  auto& st = self->state;
  auto markets = st.context->markets();
  const auto* market = markets ? markets->find(intent.pair) : nullptr;
  const auto* symbol = markets ? markets->symbol_of(intent.pair) : nullptr;
  auto orders = st.context->directory.get("orders");
  if (market == nullptr || symbol == nullptr || !orders)
    return place_reply{"", "market " + intent.pair + " is not available on " + st.context->name()
                               + (markets ? "" : " yet")};
  if (needs_position_mode(st))  // hedge mode or not decides the request: never guess it
    return place_reply{"", "the position mode of " + st.context->name() + " is not known yet"};
  auto valid = validate_order(*market, order_proposal{intent.order_side, intent.type,
                                                      intent.price, intent.amount});
  if (!valid)
    return place_reply{"", valid.error().message};
  order_record_request record;
  record.spec.client_order_id = st.ids->next(intent.order_side, market->pair, wall_now());
  record.spec.pair = market->pair;
  record.spec.order_side = intent.order_side;
  record.spec.type = intent.type;
  record.spec.tif = intent.tif;
  record.spec.price = intent.type == order_type::market ? decimal{} : valid->price;
  record.spec.amount = valid->amount;
  record.spec.action = intent.action;
  record.spec.creation_time = wall_now();
  record.kind = market->kind;
  record.symbol = *symbol;
  record.budget_price = valid->price;
  auto promise = self->make_response_promise<place_reply>();
  self->request(orders, 10s, record_atom::value, record)
      .then(
          [self, promise, spec = record.spec, sym = record.symbol](const std::string& refusal) mutable {
            if (!refusal.empty()) {
              promise.deliver(place_reply{"", refusal});
              return;
            }
            promise.deliver(place_reply{spec.client_order_id, ""});
            send_order(self, std::move(spec), std::move(sym));
          },
          [promise](caf::error& error) mutable {
            promise.deliver(place_reply{"", "the order tracker did not answer: " + to_string(error)});
          });
  return promise;
}

caf::result<command_reply> cancel(exchange_actor* self, const std::string& client_order_id) {
  auto& st = self->state;
  auto orders = st.context->directory.get("orders");
  if (!orders)
    return refused("the order tracker is not running");
  auto promise = self->make_response_promise<command_reply>();
  self->request(orders, 10s, cancelling_atom::value, client_order_id)
      .then(
          [self, promise, client_order_id](const std::string& pair) mutable {
            auto& state = self->state;
            auto markets = state.context->markets();
            const auto* symbol = markets ? markets->symbol_of(pair) : nullptr;
            if (pair.empty() || symbol == nullptr) {
              promise.deliver(refused("no open order " + client_order_id));
              return;
            }
            auto context = state.context;
            state.rest->call(
                self,
                [context, symbol = *symbol, client_order_id](const signing_context& signing) {
                  return context->protocol().cancel_order(symbol, client_order_id, signing);
                },
                [self, promise, client_order_id](rest_result result) mutable {
                  auto& inner = self->state;
                  auto outcome = cancel_result(*inner.context, client_order_id, result,
                                               inner.context->markets()->symbols);
                  const bool ok = outcome.kind == cancel_outcome::kind_type::confirmed;
                  promise.deliver(command_reply{ok, ok ? "cancelled" : outcome.reason});
                  if (auto tracker = inner.context->directory.get("orders"))
                    self->send(tracker, std::move(outcome));
                });
          },
          [promise](caf::error& error) mutable {
            promise.deliver(refused("the order tracker did not answer: " + to_string(error)));
          });
  return promise;
}

/// Cancel-all where the exchange has no such call (OKX: mass-cancel is for options, and
/// cancel-batch-orders needs the ids): one cancel per open order of the pair the tracker knows.
/// The reply comes once every cancel has been answered; ok when all of them were.
caf::result<command_reply> cancel_each(exchange_actor* self, const std::string& pair) {
  auto orders = self->state.context->directory.get("orders");
  if (!orders)
    return refused("the order tracker is not running");
  auto promise = self->make_response_promise<command_reply>();
  self->request(orders, 10s, orders_atom::value)
      .then(
          [self, promise, pair](std::vector<order_notice>& open) mutable {
            struct tally {
              std::size_t left = 0;
              std::size_t done = 0;
              std::string failures;
            };
            auto count = std::make_shared<tally>();
            for (const auto& notice : open)
              count->left += notice.pair == pair ? 1 : 0;
            if (count->left == 0) {
              promise.deliver(command_reply{true, "0 cancelled"});
              return;
            }
            auto settle = [promise, count](const std::string& id, bool ok,
                                           const std::string& why) mutable {
              if (ok)
                ++count->done;
              else
                count->failures += (count->failures.empty() ? "" : "; ") + id + ": " + why;
              if (--count->left == 0)
                promise.deliver(command_reply{
                    count->failures.empty(),
                    count->failures.empty() ? std::to_string(count->done) + " cancelled"
                                            : count->failures});
            };
            for (const auto& notice : open) {
              if (notice.pair != pair)
                continue;
              self->request(caf::actor_cast<caf::actor>(self), 30s, cancel_atom::value,
                            notice.client_order_id)
                  .then([settle, id = notice.client_order_id](const command_reply& reply) mutable {
                          settle(id, reply.ok, reply.message);
                        },
                        [settle, id = notice.client_order_id](caf::error& error) mutable {
                          settle(id, false, to_string(error));
                        });
            }
          },
          [promise](caf::error& error) mutable {
            promise.deliver(refused("the order tracker did not answer: " + to_string(error)));
          });
  return promise;
}

caf::result<command_reply> cancel_all(exchange_actor* self, const std::string& pair) {
  auto& st = self->state;
  auto markets = st.context->markets();
  const auto* symbol = markets ? markets->symbol_of(pair) : nullptr;
  if (symbol == nullptr)
    return refused("market " + pair + " is not available on " + st.context->name());
  if (!st.context->protocol().info().caps.cancel_all)
    return cancel_each(self, pair);
  auto promise = self->make_response_promise<command_reply>();
  auto context = st.context;
  st.rest->call(
      self,
      [context, symbol = *symbol](const signing_context& signing) {
        return context->protocol().cancel_all(symbol, signing);
      },
      [self, promise](rest_result result) mutable {
        auto& state = self->state;
        if (!result.response) {
          promise.deliver(refused(result.error));
          return;
        }
        auto done = state.context->protocol().parse_cancel_all(*result.response,
                                                            state.context->markets()->symbols);
        if (!done) {
          promise.deliver(refused(done.error().describe()));
          return;
        }
        auto tracker = state.context->directory.get("orders");
        for (auto& report : done->cancelled) {
          cancel_outcome outcome;
          outcome.client_order_id = report.client_order_id;
          outcome.kind = cancel_outcome::kind_type::confirmed;
          outcome.report = std::move(report);
          if (tracker)
            self->send(tracker, std::move(outcome));
        }
        promise.deliver(command_reply{true, std::to_string(done->cancelled.size()) + " cancelled"});
      });
  return promise;
}

/// Asks the tracker and passes its answer on.
template <class Reply, class... Args>
caf::result<Reply> from_tracker(exchange_actor* self, Args... args) {
  auto orders = self->state.context->directory.get("orders");
  if (!orders)
    return caf::make_error(caf::sec::runtime_error, "the order tracker is not running");
  auto promise = self->template make_response_promise<Reply>();
  self->request(orders, 10s, std::move(args)...)
      .then([promise](Reply& reply) mutable { promise.deliver(std::move(reply)); },
            [promise](caf::error& error) mutable { promise.deliver(std::move(error)); });
  return promise;
}

caf::behavior exchange(exchange_actor* self, account_context_ptr context,
                       supervision::child_context child) {
  self->set_exception_handler(supervision::exception_reason);
  auto& init = self->state;
  init.context = std::move(context);
  init.child = std::move(child);
  init.rest = std::make_unique<rest_caller>(init.context);
  auto ids = client_order_id_generator::create(
      init.context->protocol().client_order_ids(),
      init.context->name() + ":" + std::to_string(::getpid()) + ":"
          + std::to_string(init.child.restart_count));
  if (!ids)
    throw std::runtime_error{"client order ids: " + ids.error().message};
  init.ids.emplace(std::move(*ids));
  supervision::report_health(self, init.child, health_state::starting);
  self->send(self, retry_atom::value);
  return {
      [self](retry_atom) {
        auto& st = self->state;
        if (needs_position_mode(st))
          load_position_mode(self);
        if (st.context->markets() && st.context->directory.get("orders") && !needs_position_mode(st)) {
          st.ready = true;
          supervision::report_health(self, st.child, health_state::ready);
        } else {
          self->delayed_send(self, st.context->timings().retry_delay, retry_atom::value);
        }
      },
      [self](rest_reply& reply) { self->state.rest->on_reply(self, reply); },
      [self](rest_retry_atom, std::uint64_t id) { self->state.rest->on_retry(self, id); },
      [self](place_atom, const order_intent& intent) { return place(self, intent); },
      [self](cancel_atom, const std::string& id) { return cancel(self, id); },
      [self](cancel_all_atom, const std::string& pair) { return cancel_all(self, pair); },
      [self](subscribe_atom) {
        self->state.context->order_subscribers.add(
            caf::actor_cast<caf::actor>(self->current_sender()));
        return command_reply{true, "subscribed"};
      },
      [self](unsubscribe_atom) {
        if (const auto& sender = self->current_sender())
          self->state.context->order_subscribers.remove(sender->address());
        return command_reply{true, "unsubscribed"};
      },
      [self](balances_atom atom) {
        return from_tracker<std::vector<balance>>(self, atom);
      },
      [self](positions_atom atom) {
        return from_tracker<std::vector<position>>(self, atom);
      },
      [self](orders_atom atom) {
        return from_tracker<std::vector<order_notice>>(self, atom);
      },
      [self](ordstate_atom atom, const std::vector<std::string>& client_order_ids) {
        return from_tracker<std::vector<order_notice>>(self, atom, client_order_ids);
      },
      [self](rules_atom, const std::string& pair) -> caf::result<instrument> {
        auto markets = self->state.context->markets();
        const auto* market = markets ? markets->find(pair) : nullptr;
        if (market == nullptr)
          return caf::make_error(caf::sec::runtime_error, "no market " + pair);
        return *market;
      },
      [self](leverage_atom, const std::string& pair, std::int32_t leverage) {
        return set_leverage(self, pair, leverage);
      },
      [self](posmode_atom, position_mode mode) { return set_mode(self, mode); },
      [self](funding_atom, const std::string& pair) { return funding_of(self, pair); },
      [self](fundpaid_atom, const std::string& pair, std::int64_t since_ms) {
        return funding_paid(self, pair, since_ms);
      },
  };
}

} // namespace

caf::actor spawn_exchange(caf::actor_system& system, account_context_ptr context,
                          const supervision::child_context& child) {
  return system.spawn(exchange, std::move(context), child);
}

} // namespace tern
