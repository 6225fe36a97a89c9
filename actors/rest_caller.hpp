#pragma once

// REST calls of one actor: each request is built (and signed) at the moment it is sent, waits
// for the account's rate limiter and for any 429 back-off, goes out on the account's HTTPS
// pool, and its answer comes back to the actor as a message (rest_reply), never on the io
// thread. The actor's behaviour routes rest_reply and (rest_retry_atom, id) to `on_reply` and
// `on_retry`; the continuation then runs inside the actor.
//
// What it decides by itself, the same for every actor:
// - A clock_skew refusal (the signed timestamp was outside the receive window) resyncs the
//   server time and sends the request once more, signed again with the new offset. Safe: the
//   exchange refused it. One resync runs at a time per account (server_clock::join_resync):
//   requests refused meanwhile wait for it, and one signed before a finished resync just
//   retries. A second timestamp refusal ends the call as refused: a definite "not accepted".
// - A 429/418 makes the whole account wait (Retry-After, else one second). Queries and cancels
//   are then sent again (at most `max_retries` times); an order placement is not: a 429 after
//   sending leaves its outcome unknown, and that is the caller's to settle.
// - A transport failure before anything was written is retried the same way for queries;
//   anything else goes to the continuation as it is.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

#include <caf/fwd.hpp>

#include "actors/account_context.hpp"
#include "connectors/common/exchange_protocol.hpp"
#include "net/errors.hpp"
#include "net/http_types.hpp"

namespace tern {

struct rest_reply;

/// How one REST call ended.
struct rest_result {
  /// The response, whatever its status (the connector's parser reads errors from it).
  std::optional<net::http_response> response;
  /// Without a response: whether the request may have reached the exchange, and why not.
  net::outcome_class outcome = net::outcome_class::retryable;
  std::string error;
  request_kind kind = request_kind::query;

  [[nodiscard]] bool has_response() const noexcept { return response.has_value(); }
};

using rest_handler = std::function<void(rest_result)>;
/// Builds the request for one attempt, signed at the time given.
using request_builder =
    std::function<expected<prepared_request, request_error>(const signing_context&)>;

class rest_caller {
 public:
  static constexpr int max_retries = 3;

  explicit rest_caller(account_context_ptr context) : context_(std::move(context)) {}

  /// Sends a request; `done` runs in the actor with the result. `timeout` zero: the account's
  /// request timeout (placements pass place_timeout).
  void call(caf::event_based_actor* self, request_builder build, rest_handler done,
            std::chrono::milliseconds timeout = {});
  /// An unsigned request already built (public endpoints).
  void call(caf::event_based_actor* self, prepared_request request, rest_handler done);

  /// Samples the exchange's time once into the account's clock; `done(ok)` runs in the actor.
  void sync_clock(caf::event_based_actor* self, std::function<void(bool)> done);

  rest_caller(const rest_caller&) = delete;
  rest_caller& operator=(const rest_caller&) = delete;
  /// Ends a resync this caller was running (its actor is going), waking the account's waiters.
  ~rest_caller();

  void on_reply(caf::event_based_actor* self, rest_reply& reply);
  void on_retry(caf::event_based_actor* self, std::uint64_t id);

  [[nodiscard]] std::size_t pending() const noexcept { return calls_.size(); }
  [[nodiscard]] const account_context_ptr& context() const noexcept { return context_; }

 private:
  struct pending_call {
    request_builder build;
    rest_handler done;
    std::chrono::milliseconds timeout{};
    request_kind kind = request_kind::query;
    int retries = 0;
    bool skew_retried = false;
    bool sent = false;
    std::uint64_t clock_generation = 0; ///< the account clock's generation when last signed
  };

  void attempt(caf::event_based_actor* self, std::uint64_t id);
  void finish(std::uint64_t id, rest_result result);
  bool retry_later(caf::event_based_actor* self, std::uint64_t id, pending_call& call,
                   std::chrono::nanoseconds delay);
  void resync_then_retry(caf::event_based_actor* self, std::uint64_t id);
  /// One round trip to the exchange's time endpoint; `done` gets the sample, if any.
  void sample_clock(caf::event_based_actor* self,
                    std::function<void(std::optional<clock_sample>)> done);
  void on_response(caf::event_based_actor* self, std::uint64_t id, net::http_response response);

  account_context_ptr context_;
  std::unordered_map<std::uint64_t, pending_call> calls_;
  std::uint64_t next_id_ = 1;
  bool running_resync_ = false; ///< this caller runs the account's clock resync ...
  std::uint64_t resync_ticket_ = 0; ///< ... under this ticket
};

/// A signing context for the account at the exchange's current time.
[[nodiscard]] signing_context signing_now(const account_context& context);

} // namespace tern
