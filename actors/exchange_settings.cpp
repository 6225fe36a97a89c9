// The exchange actor's account settings (leverage, position mode) and perpetual questions
// (funding rate, funding payments): signed REST calls answered to the asking strategy.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/exchange_state.hpp"

namespace tern::exchange_detail {
namespace {

/// A signed setting change (leverage, position mode): `parse` reads the answer.
template <class Build, class Parse>
caf::result<command_reply> change(exchange_actor* self, Build build, Parse parse) {
  auto promise = self->make_response_promise<command_reply>();
  self->state.rest->call(self, std::move(build),
                         [self, promise, parse](rest_result result) mutable {
                           if (!result.response) {
                             promise.deliver(refused(result.error));
                             return;
                           }
                           promise.deliver(parse(*self->state.context, *result.response));
                         });
  return promise;
}

/// A REST question about one perpetual market: `build` makes the request for its symbol,
/// `parse` reads the answer into a Reply (or an exchange_error).
template <class Reply, class Build, class Parse>
caf::result<Reply> ask_market(exchange_actor* self, const std::string& pair, Build build, Parse parse) {
  auto markets = self->state.context->markets();
  const auto* market = markets ? markets->find(pair) : nullptr;
  const auto* symbol = markets ? markets->symbol_of(pair) : nullptr;
  if (market == nullptr || symbol == nullptr)
    return caf::make_error(caf::sec::runtime_error,
                           "market " + pair + " is not available on " + self->state.context->name());
  if (!self->state.context->protocol().info().caps.funding)
    return caf::make_error(caf::sec::runtime_error, self->state.context->name() + " has no funding");
  auto promise = self->template make_response_promise<Reply>();
  auto context = self->state.context;
  self->state.rest->call(
      self,
      [context, build, symbol = *symbol](const signing_context& signing) {
        return build(context->protocol(), symbol, signing);
      },
      [self, promise, parse, instrument_pair = market->pair](rest_result result) mutable {
        if (!result.response) {
          promise.deliver(caf::make_error(caf::sec::runtime_error, result.error));
          return;
        }
        auto catalog = self->state.context->markets();
        auto parsed = parse(self->state.context->protocol(), *result.response, instrument_pair,
                            catalog->symbols);
        if (parsed)
          promise.deliver(std::move(*parsed));
        else
          promise.deliver(caf::make_error(caf::sec::runtime_error, parsed.error().describe()));
      });
  return promise;
}

} // namespace

/// Perpetuals whose orders name a position side need the account's mode before trading.
bool needs_position_mode(const exchange_state& st) {
  const auto& info = st.context->protocol().info();
  return info.kind == market_kind::perpetual && info.caps.hedge_mode
         && !st.context->position_mode();
}

/// Reads the account's position mode from the exchange (one query at a time; after a failure,
/// which is logged, the next readiness check asks again once the pause is over).
void load_position_mode(exchange_actor* self) {
  auto& st = self->state;
  if (st.mode_pending || std::chrono::steady_clock::now() < st.mode_retry_at)
    return;
  st.mode_pending = true;
  auto context = st.context;
  st.rest->call(
      self, [context](const signing_context& signing) { return context->protocol().position_mode(signing); },
      [self](rest_result result) {
        auto& state = self->state;
        state.mode_pending = false;
        std::string problem = result.error;
        if (result.response) {
          auto mode = state.context->protocol().parse_position_mode(*result.response);
          if (mode) {
            state.context->set_position_mode(*mode);
            return;
          }
          problem = mode.error().describe();
        }
        state.mode_retry_at = std::chrono::steady_clock::now() + std::chrono::seconds{5};
        spdlog::warn("{}: exchange: the position mode could not be read ({}); orders wait for it",
                     state.context->name(), problem);
      });
}


caf::result<command_reply> set_leverage(exchange_actor* self, const std::string& pair,
                                        std::int32_t leverage) {
  auto markets = self->state.context->markets();
  const auto* symbol = markets ? markets->symbol_of(pair) : nullptr;
  if (symbol == nullptr)
    return refused("market " + pair + " is not available");
  auto context = self->state.context;
  return change(
      self,
      [context, symbol = *symbol, leverage](const signing_context& signing) {
        return context->protocol().set_leverage(symbol, leverage, signing);
      },
      [](const account_context& ctx, const net::http_response& response) {
        auto set = ctx.protocol().parse_set_leverage(response);
        return set ? command_reply{true, "leverage " + std::to_string(*set)}
                   : refused(set.error().describe());
      });
}

/// Sets the account's position mode. A refused or unanswered change is followed by reading the
/// mode back: an unanswered one may have applied, and orders must name the side the exchange
/// expects.
caf::result<command_reply> set_mode(exchange_actor* self, position_mode mode) {
  auto promise = self->make_response_promise<command_reply>();
  auto context = self->state.context;
  self->state.rest->call(
      self,
      [context, mode](const signing_context& signing) {
        return context->protocol().set_position_mode(mode, signing);
      },
      [self, promise, mode](rest_result result) mutable {
        auto& ctx = *self->state.context;
        if (result.response) {
          auto set = ctx.protocol().parse_set_position_mode(*result.response);
          if (set) {
            ctx.set_position_mode(mode);
            promise.deliver(command_reply{true, "position mode " + std::string{to_string(mode)}});
            return;
          }
          promise.deliver(refused(set.error().describe()));
        } else {
          promise.deliver(refused(result.error));
        }
        self->state.mode_retry_at = {};
        load_position_mode(self);
      });
  return promise;
}

caf::result<funding_info> funding_of(exchange_actor* self, const std::string& pair) {
  return ask_market<funding_info>(
      self, pair,
      [](const exchange_protocol& protocol, const std::string& symbol, const signing_context&) {
        return protocol.funding_info(symbol);
      },
      [](const exchange_protocol& protocol, const net::http_response& response,
         const trading_pair& market, const symbol_map&) {
        return protocol.parse_funding_info(response, market);
      });
}

/// Funding payments since `since_ms`, oldest first, of this market only.
caf::result<std::vector<funding_payment>> funding_paid(exchange_actor* self, const std::string& pair,
                                                       std::int64_t since_ms) {
  return ask_market<std::vector<funding_payment>>(
      self, pair,
      [since = from_unix_ms(since_ms)](const exchange_protocol& protocol, const std::string& symbol,
                                       const signing_context& signing) {
        return protocol.funding_payments(symbol, since, signing);
      },
      [pair](const exchange_protocol& protocol, const net::http_response& response,
             const trading_pair&, const symbol_map& symbols)
          -> expected<std::vector<funding_payment>, exchange_error> {
        auto payments = protocol.parse_funding_payments(response, symbols);
        if (!payments)
          return payments;
        std::vector<funding_payment> out;
        for (auto& payment : *payments)
          if (payment.pair == pair)
            out.push_back(std::move(payment));
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
          return a.payment_time < b.payment_time;
        });
        return out;
      });
}

} // namespace tern::exchange_detail
