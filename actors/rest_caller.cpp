#include "actors/rest_caller.hpp"

#include <utility>

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include <spdlog/spdlog.h>

#include "actors/account_messages.hpp"

namespace tern {
namespace {

timestamp wall_now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

/// Sends the answer to the actor that asked, if it still runs.
net::https_callback deliver_to(caf::event_based_actor* self, std::uint64_t id) {
  caf::weak_actor_ptr weak{self->ctrl()};
  return [weak = std::move(weak), id](net::https_result result) {
    if (auto strong = weak.lock())
      caf::anon_send(caf::actor_cast<caf::actor>(std::move(strong)),
                     rest_reply{id, std::move(result)});
  };
}

} // namespace

signing_context signing_now(const account_context& context) {
  signing_context signing{context.keys(), to_unix_ms(context.clock.now()), std::nullopt};
  signing.recv_window_ms = context.timings().receive_window.count();
  return signing;
}

void rest_caller::call(caf::event_based_actor* self, request_builder build, rest_handler done,
                       std::chrono::milliseconds timeout) {
  const auto id = next_id_++;
  pending_call entry;
  entry.build = std::move(build);
  entry.done = std::move(done);
  entry.timeout = timeout;
  calls_.emplace(id, std::move(entry));
  attempt(self, id);
}

void rest_caller::call(caf::event_based_actor* self, prepared_request request, rest_handler done) {
  call(
      self,
      [request = std::move(request)](const signing_context&)
          -> expected<prepared_request, request_error> { return request; },
      std::move(done));
}

rest_caller::~rest_caller() {
  if (running_resync_)
    context_->clock.end_resync(resync_ticket_, std::nullopt);
}

void rest_caller::sample_clock(caf::event_based_actor* self,
                               std::function<void(std::optional<clock_sample>)> done) {
  auto before = std::make_shared<timestamp>();
  auto context = context_;
  call(
      self,
      [context, before](const signing_context&) -> expected<prepared_request, request_error> {
        *before = wall_now();
        return context->protocol().server_time();
      },
      [context, before, done = std::move(done)](rest_result result) {
        const auto after = wall_now();
        std::optional<clock_sample> sample;
        if (result.response)
          if (auto server = context->protocol().parse_server_time(*result.response))
            sample = clock_sample{*before, *server, after};
        done(sample);
      });
}

void rest_caller::sync_clock(caf::event_based_actor* self, std::function<void(bool)> done) {
  auto context = context_;
  sample_clock(self, [context, done = std::move(done)](std::optional<clock_sample> sample) {
    if (sample)
      context->clock.add_sample(sample->before, sample->server, sample->after);
    if (done)
      done(sample.has_value());
  });
}

void rest_caller::attempt(caf::event_based_actor* self, std::uint64_t id) {
  auto it = calls_.find(id);
  if (it == calls_.end())
    return;
  auto& call = it->second;
  const auto now = std::chrono::steady_clock::now();
  if (const auto until = context_->backed_off_until(); until > now) {
    self->delayed_send(self, until - now, rest_retry_atom::value, id);
    return;
  }
  call.clock_generation = context_->clock.generation(); // before signing: never newer than it
  auto request = call.build(signing_now(*context_));
  if (!request) {
    finish(id, rest_result{std::nullopt, net::outcome_class::fatal,
                           "the request could not be built: " + request.error().message,
                           call.kind});
    return;
  }
  call.kind = request->kind;
  auto decision = context_->limiter().try_acquire(request->limit_id, now);
  if (!decision) {
    finish(id, rest_result{std::nullopt, net::outcome_class::fatal,
                           "rate limiter: " + decision.error().message, call.kind});
    return;
  }
  if (!decision->granted) {
    self->delayed_send(self, decision->wait, rest_retry_atom::value, id);
    return;
  }
  auto http = std::move(request->http);
  http.timeout = call.timeout.count() > 0 ? call.timeout : context_->timings().request_timeout;
  call.sent = true;
  context_->rest().async_request(std::move(http), deliver_to(self, id));
}

void rest_caller::on_retry(caf::event_based_actor* self, std::uint64_t id) {
  attempt(self, id);
}

void rest_caller::on_reply(caf::event_based_actor* self, rest_reply& reply) {
  auto it = calls_.find(reply.id);
  if (it == calls_.end())
    return;
  auto& call = it->second;
  if (reply.result) {
    on_response(self, reply.id, std::move(*reply.result));
    return;
  }
  const auto& failure = reply.result.error();
  const auto outcome = net::classify(failure);
  if (outcome == net::outcome_class::retryable && call.kind != request_kind::place_order
      && retry_later(self, reply.id, call, context_->timings().retry_delay))
    return;
  finish(reply.id, rest_result{std::nullopt, outcome, failure.describe(), call.kind});
}

void rest_caller::on_response(caf::event_based_actor* self, std::uint64_t id,
                              net::http_response response) {
  auto& call = calls_.at(id);
  if (is_success(response.status)) {
    finish(id, rest_result{std::move(response), net::outcome_class::retryable, {}, call.kind});
    return;
  }
  const auto error = context_->protocol().classify_error(response, call.kind);
  if (error.category == error_category::clock_skew) {
    if (!call.skew_retried) {
      call.skew_retried = true;
      resync_then_retry(self, id);
      return;
    }
    // Refused again after the resync: one retry only. The exchange did not accept it.
    finish(id, rest_result{std::move(response), error.outcome, error.describe(), call.kind});
    return;
  }
  if (error.category == error_category::rate_limited || response.status == 429
      || response.status == 418) {
    const auto wait = error.retry_after.value_or(std::chrono::seconds{1});
    context_->back_off_until(std::chrono::steady_clock::now() + wait);
    if (call.kind != request_kind::place_order && retry_later(self, id, call, wait))
      return;
  } else if (error.outcome == net::outcome_class::retryable && call.kind == request_kind::query
             && retry_later(self, id, call, context_->timings().retry_delay)) {
    return;
  }
  finish(id, rest_result{std::move(response), error.outcome, error.describe(), call.kind});
}

bool rest_caller::retry_later(caf::event_based_actor* self, std::uint64_t id, pending_call& call,
                              std::chrono::nanoseconds delay) {
  if (call.retries >= max_retries)
    return false;
  ++call.retries;
  self->delayed_send(self, delay, rest_retry_atom::value, id);
  return true;
}

void rest_caller::resync_then_retry(caf::event_based_actor* self, std::uint64_t id) {
  const auto signed_at = calls_.at(id).clock_generation;
  // A waiter is woken by whichever actor ran the resync: back through this actor's mailbox.
  caf::weak_actor_ptr weak{self->ctrl()};
  auto wake = [weak, id] {
    if (auto strong = weak.lock())
      caf::anon_send(caf::actor_cast<caf::actor>(std::move(strong)), rest_retry_atom::value, id);
  };
  const auto& timings = context_->timings();
  const auto stale_after = 2 * timings.request_timeout + timings.retry_delay;
  switch (context_->clock.join_resync(signed_at, std::move(wake), std::chrono::steady_clock::now(),
                                      stale_after, &resync_ticket_)) {
    case resync_role::retry_now: attempt(self, id); return;
    case resync_role::wait: return;
    case resync_role::run: break;
  }
  running_resync_ = true;
  caf::event_based_actor* owner = self;
  sample_clock(self, [this, owner, id](std::optional<clock_sample> sample) {
    running_resync_ = false;
    context_->clock.end_resync(resync_ticket_, sample);
    if (sample) {
      const auto midpoint = sample->before + (sample->after - sample->before) / 2;
      spdlog::info("{}: server clock resynced after a timestamp refusal: offset {} ms",
                   context_->name(),
                   std::chrono::duration_cast<std::chrono::milliseconds>(sample->server - midpoint)
                       .count());
    } else {
      spdlog::warn("{}: server clock resync failed; the refused request is retried once as it is",
                   context_->name());
    }
    attempt(owner, id);
  });
}

void rest_caller::finish(std::uint64_t id, rest_result result) {
  auto it = calls_.find(id);
  if (it == calls_.end())
    return;
  auto done = std::move(it->second.done);
  calls_.erase(it);
  if (done)
    done(std::move(result));
}

} // namespace tern
