#include <catch2/catch.hpp>

#include "connectors/binance/errors.hpp"
#include "connectors/common/exchange_error.hpp"
#include "tests/connectors/binance_fixtures.hpp"

// The Binance error table (connectors/binance/errors.hpp) and the outcome rule
// (connectors/common/exchange_error.hpp). Codes and messages are errors.md's and the USD-M
// "Error Codes" page's.

using namespace tern;
using net::outcome_class;

namespace {

net::http_response response(unsigned status, std::string body, net::header_list headers = {}) {
  return net::http_response{status, std::move(headers), std::move(body), false};
}

std::string body(int code, const char* message) {
  return "{\"code\":" + std::to_string(code) + ",\"msg\":\"" + message + "\"}";
}

struct row {
  unsigned status;
  int code;  // 0: no Binance body
  const char* message;
  request_kind kind;
  error_category category;
  outcome_class outcome;
};

} // namespace

TEST_CASE("Binance errors classify by code, message and status, and the outcome by request kind") {
  using enum error_category;
  const auto place = request_kind::place_order;
  const auto cancel = request_kind::cancel_order;
  const auto query = request_kind::query;
  const row table[] = {
      // Ambiguous answers to an order placement are never rejections.
      {503, 0, "", place, server_error, outcome_class::outcome_unknown},
      {500, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
       place, server_error, outcome_class::outcome_unknown},
      {408, -1007, "Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
       place, server_error, outcome_class::outcome_unknown},
      {429, -1003, "Too many requests queued.", place, rate_limited, outcome_class::outcome_unknown},
      {418, -1003, "Way too much request weight used; IP banned until 1659146400000.", place,
       rate_limited, outcome_class::outcome_unknown},
      {400, -1015, "Too many new orders.", place, rate_limited, outcome_class::outcome_unknown},
      // The same answers to a query may simply be sent again.
      {503, 0, "", query, server_error, outcome_class::retryable},
      {429, -1003, "Too many requests queued.", query, rate_limited, outcome_class::retryable},
      {502, 0, "", cancel, server_error, outcome_class::outcome_unknown},
      // Clock skew: refused before processing; resync and resend.
      {400, -1021, "Timestamp for this request is outside of the recvWindow.", place, clock_skew,
       outcome_class::retryable},
      // Not found.
      {400, -2013, "Order does not exist.", query, order_not_found, outcome_class::fatal},
      {400, -2011, "Unknown order sent.", cancel, order_not_found, outcome_class::fatal},
      {400, -2026, "Order was canceled or expired with no executed qty over 90 days ago and has been archived.",
       query, order_not_found, outcome_class::fatal},
      {400, -2011, "Order was not canceled due to cancel restrictions.", cancel, invalid_request,
       outcome_class::fatal},
      // Definite refusals of an order.
      {400, -2010, "Account has insufficient balance for requested action.", place,
       insufficient_balance, outcome_class::fatal},
      {400, -2019, "Margin is insufficient.", place, insufficient_balance, outcome_class::fatal},
      {400, -2010, "Order would immediately match and take.", place, post_only_would_take,
       outcome_class::fatal},
      {400, -5022, "Due to the order could not be executed as maker, the Post Only order will be rejected.",
       place, post_only_would_take, outcome_class::fatal},
      {400, -1013, "Filter failure: LOT_SIZE", place, order_rejected, outcome_class::fatal},
      {400, -2010, "Market is closed.", place, order_rejected, outcome_class::fatal},
      {400, -1121, "Invalid symbol.", query, invalid_request, outcome_class::fatal},
      // Credentials.
      {400, -1022, "Signature for this request is not valid.", place, authentication,
       outcome_class::fatal},
      {401, -2015, "Invalid API-key, IP, or permissions for action.", query, authentication,
       outcome_class::fatal},
      {401, 0, "", query, authentication, outcome_class::fatal},
      // No body: the status decides.
      {403, 0, "", place, other, outcome_class::fatal},
  };
  for (const row& expected : table) {
    INFO("HTTP " << expected.status << " code " << expected.code << " " << expected.message << " ("
                 << to_string(expected.kind) << ")");
    std::string text = expected.code == 0 ? std::string{} : body(expected.code, expected.message);
    exchange_error error = binance::read_error(response(expected.status, text), expected.kind);
    CHECK(error.category == expected.category);
    CHECK(error.outcome == expected.outcome);
    CHECK(error.http_status == expected.status);
    if (expected.code != 0) {
      CHECK(error.code == std::to_string(expected.code));
      CHECK(error.message == expected.message);
    }
  }
}

TEST_CASE("Retry-After is kept with a 429 or 418") {
  auto error = binance::read_error(response(429, body(-1003, "Too many requests queued."),
                                            {{"Retry-After", "42"}}),
                                   request_kind::query);
  REQUIRE(error.retry_after);
  CHECK(*error.retry_after == std::chrono::seconds{42});
  auto banned = binance::read_error(response(418, "", {{"retry-after", " 120 "}}), request_kind::query);
  CHECK(banned.retry_after == std::chrono::seconds{120});
  auto garbage = binance::read_error(response(429, "", {{"Retry-After", "Wed, 21 Oct 2015"}}),
                                     request_kind::query);
  CHECK_FALSE(garbage.retry_after);
}

TEST_CASE("an error without a Binance body quotes the status and the start of the body") {
  auto error = binance::read_error(response(502, "<html>Bad Gateway</html>"), request_kind::query);
  CHECK(error.code.empty());
  CHECK(error.message == "HTTP 502: <html>Bad Gateway</html>");
  CHECK(error.describe() == "server_error (HTTP 502, retryable): HTTP 502: <html>Bad Gateway</html>");
}

TEST_CASE("the outcome rule: unknown only where something may have happened") {
  // A 2xx with an unreadable body: an order may well exist; a query is simply retried.
  CHECK(outcome_for(error_category::malformed_response, request_kind::place_order, 200)
        == outcome_class::outcome_unknown);
  CHECK(outcome_for(error_category::malformed_response, request_kind::query, 200)
        == outcome_class::retryable);
  // Unclassified errors follow the HTTP status, softened for queries.
  CHECK(outcome_for(error_category::other, request_kind::place_order, 504) == outcome_class::outcome_unknown);
  CHECK(outcome_for(error_category::other, request_kind::query, 504) == outcome_class::retryable);
  CHECK(outcome_for(error_category::other, request_kind::place_order, 409) == outcome_class::fatal);
  CHECK(outcome_for(error_category::unsupported, request_kind::query, 0) == outcome_class::fatal);
}
