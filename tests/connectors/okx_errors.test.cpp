#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "connectors/okx/errors.hpp"
#include "connectors/registry.hpp"
#include "tests/connectors/okx_fixtures_rest.hpp"

// The OKX error table (connectors/okx/errors.hpp), row by row, and what each means for each
// kind of request. Codes, messages and HTTP statuses are the documented ones
// (#error-code-rest-api-public, #error-code-websocket-public). The docs show no failed
// place-order body; the tests make one from the documented successful answer
// (#order-book-trading-trade-post-place-order) field by field: code "1", msg "Operation
// failed." (code 1 of the table), and the item's sCode/sMsg from the table's row.

using namespace tern;
using nlohmann::json;
using net::outcome_class;

namespace {

net::http_response response(unsigned status, std::string body,
                            net::header_list headers = {}) {
  return net::http_response{status, std::move(headers), std::move(body), false};
}

std::string failed_order(std::string_view code, std::string_view message) {
  json body = json::parse(okx_fixtures::place_order);
  body["code"] = "1";
  body["msg"] = "Operation failed.";
  body["data"][0]["sCode"] = std::string{code};
  body["data"][0]["sMsg"] = std::string{message};
  body["data"][0]["ordId"] = "";
  return body.dump();
}

std::string envelope(std::string_view code, std::string_view message) {
  json body{{"code", std::string{code}}, {"msg", std::string{message}}, {"data", json::array()}};
  return body.dump();
}

} // namespace

TEST_CASE("okx errors: the classification table, row by row") {
  struct row {
    std::string code;
    unsigned status;
    error_category category;
  };
  const std::vector<row> rows{
      {"50011", 429, error_category::rate_limited},   // Too Many Requests
      {"50011", 200, error_category::rate_limited},   // Rate limit reached
      {"50040", 200, error_category::rate_limited},
      {"50061", 200, error_category::rate_limited},
      {"", 429, error_category::rate_limited},
      {"50102", 401, error_category::clock_skew},     // Timestamp request expired
      {"51603", 200, error_category::order_not_found},
      {"51400", 200, error_category::order_not_found},
      {"51008", 200, error_category::insufficient_balance},
      {"51008_1000", 200, error_category::insufficient_balance},
      {"51131", 200, error_category::insufficient_balance},
      {"51127", 200, error_category::insufficient_balance},
      {"50111", 401, error_category::authentication}, // Invalid OK-ACCESS-KEY
      {"50113", 401, error_category::authentication}, // Invalid signature
      {"50105", 401, error_category::authentication}, // passphrase incorrect
      {"50030", 200, error_category::authentication}, // no permission
      {"60009", 0, error_category::authentication},   // WS login failure
      {"50001", 503, error_category::server_error},
      {"50004", 400, error_category::server_error},   // endpoint timeout, result unknown
      {"50013", 429, error_category::rate_limited},   // 429 first: back off
      {"50026", 500, error_category::server_error},
      {"51149", 500, error_category::server_error},   // order timed out, result unknown
      {"", 502, error_category::server_error},
      {"", 401, error_category::authentication},
  };
  for (const row& r : rows) {
    INFO("code " << r.code << ", HTTP " << r.status);
    CHECK(okx::categorize(r.code, r.status, request_kind::query) == r.category);
  }
  // Any other code: a refused order, or a refused request.
  CHECK(okx::categorize("51121", 200, request_kind::place_order) == error_category::order_rejected);
  CHECK(okx::categorize("51121", 200, request_kind::query) == error_category::invalid_request);
  CHECK(okx::categorize("", 200, request_kind::query) == error_category::other);
}

TEST_CASE("okx a failed order is classified by its item's sCode, not the envelope's code 1") {
  auto error = okx::read_error(
      response(200, failed_order("51008", "Order failed. Insufficient USDT balance in account")),
      request_kind::place_order);
  CHECK(error.code == "51008");
  CHECK(error.message == "Order failed. Insufficient USDT balance in account");
  CHECK(error.category == error_category::insufficient_balance);
  CHECK(error.outcome == outcome_class::fatal);
  // Through the protocol: a code-1 answer is an error, not an ack.
  auto okx = std::move(make_protocol("okx")).value();
  auto ack = okx->parse_place_order(response(200, failed_order("51121", "Order quantity must be a multiple of the lot size.")),
                                    symbol_map{});
  REQUIRE_FALSE(ack);
  CHECK(ack.error().category == error_category::order_rejected);
  CHECK(ack.error().code == "51121");
}

TEST_CASE("okx ambiguous answers to an order placement leave the order in flight") {
  for (auto [code, status] : std::vector<std::pair<std::string, unsigned>>{
           {"50004", 400}, {"51149", 500}, {"50001", 503}, {"50011", 429}, {"50026", 500}}) {
    INFO(code);
    auto error = okx::read_error(response(status, envelope(code, "documented message")),
                                 request_kind::place_order);
    CHECK(error.outcome == outcome_class::outcome_unknown);
  }
  auto unreadable = okx::read_error(response(502, "<html>Bad Gateway</html>"), request_kind::place_order);
  CHECK(unreadable.category == error_category::server_error);
  CHECK(unreadable.outcome == outcome_class::outcome_unknown);
  CHECK(unreadable.message == "HTTP 502: <html>Bad Gateway</html>");
}

TEST_CASE("okx outcomes by request kind: retry queries, resync the clock, stop on refusals") {
  auto query = okx::read_error(response(200, envelope("50026", "System error. Try again later")),
                               request_kind::query);
  CHECK(query.outcome == outcome_class::retryable);
  auto skew = okx::read_error(response(401, envelope("50102", "Timestamp request expired.")),
                              request_kind::place_order);
  CHECK(skew.category == error_category::clock_skew);
  CHECK(skew.outcome == outcome_class::retryable);
  auto missing = okx::read_error(
      response(200, failed_order("51400", "Order cancellation failed as the order has been filled, canceled or does not exist.")),
      request_kind::cancel_order);
  CHECK(missing.category == error_category::order_not_found);
  CHECK(missing.outcome == outcome_class::fatal);
  auto limited = okx::read_error(response(429, envelope("50011", "Too Many Requests"), {{"Retry-After", "2"}}),
                                 request_kind::cancel_order);
  CHECK(limited.outcome == outcome_class::retryable);
  REQUIRE(limited.retry_after);
  CHECK(limited.retry_after->count() == 2);
}

TEST_CASE("okx WebSocket errors use the same table") {
  auto login = okx::ws_error("60009", "Login failed.", request_kind::account_change);
  CHECK(login.category == error_category::authentication);
  CHECK(login.outcome == outcome_class::fatal);
  CHECK(okx::ws_error("60014", "Requests too frequent", request_kind::account_change).category
        == error_category::rate_limited);
  CHECK(okx::ws_error("60012", "Invalid request", request_kind::account_change).category
        == error_category::invalid_request);
}
