#include "sim/binance/wire.hpp"

#include <cctype>
#include <regex>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace tern::sim::binance {

std::string json_string(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += hex[u >> 4U];
      out += hex[u & 15U];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string error_body(std::int64_t code, std::string_view msg) {
  return R"({"code":)" + std::to_string(code) + R"(,"msg":)" + json_string(msg) + "}";
}

net::server_response json_response(unsigned status, std::string body) {
  net::server_response response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/json;charset=UTF-8");
  response.body = std::move(body);
  return response;
}

net::server_response error_response(const api_error& error) {
  return json_response(error.status, error_body(error.code, error.msg));
}

api_error missing_parameter(std::string_view name) {
  return {400, -1102,
          "Mandatory parameter '" + std::string{name} + "' was not sent, was empty/null, or malformed."};
}

api_error illegal_characters(std::string_view name) {
  return {400, -1100, "Illegal characters found in parameter '" + std::string{name} + "'."};
}

namespace {

api_error futures_engine_error(const error& refused, bool cancel) {
  // USD-M futures error codes (derivatives docs, "Error Codes").
  switch (refused.code) {
    case error_code::unknown_market: return {400, -1121, "Invalid symbol."};
    case error_code::invalid_price: return {400, -4014, "Price not increased by tick size."};
    case error_code::invalid_quantity: return {400, -4023, "Qty not increased by step size."};
    case error_code::below_min_quantity: return {400, -4004, "Quantity less than min quantity."};
    case error_code::below_min_notional:
      return {400, -4164, "Order's notional must be no smaller than the minimum (unless you choose reduce only)."};
    case error_code::duplicate_client_order_id: return {400, -4116, "clientOrderId is duplicated"};
    case error_code::post_only_would_take:
      return {400, -5022, "Due to the order could not be executed as maker, the Post Only order will be rejected."};
    case error_code::insufficient_balance: return {400, -2019, "Margin is insufficient."};
    case error_code::reduce_only_rejected: return {400, -2022, "ReduceOnly Order is rejected."};
    case error_code::reduce_only_not_allowed:
      return {400, -1106, "Parameter 'reduceonly' sent when not required."};
    case error_code::position_side_mismatch:
      return {400, -4061, "Order's position side does not match user's setting."};
    case error_code::unknown_order:
      return cancel ? api_error{400, -2011, "Unknown order sent."} : api_error{400, -2013, "Order does not exist."};
    case error_code::position_mode_unchanged: return {400, -4059, "No need to change position side."};
    case error_code::position_exists:
      return {400, -4068, "Position side cannot be changed if there exists position."};
    case error_code::open_orders_exist:
      return {400, -4067, "Position side cannot be changed if there exists open orders."};
    case error_code::leverage_out_of_range: return {400, -4028, "Leverage is not valid."};
    default: return {400, -1000, "An unknown error occurred while processing the request."};
  }
}

} // namespace

api_error from_engine(const error& refused, bool cancel, bool futures) {
  if (futures) return futures_engine_error(refused, cancel);
  switch (refused.code) {
    case error_code::unknown_market: return {400, -1121, "Invalid symbol."};
    case error_code::invalid_price: return {400, -1013, "Filter failure: PRICE_FILTER"};
    case error_code::invalid_quantity:
    case error_code::below_min_quantity: return {400, -1013, "Filter failure: LOT_SIZE"};
    case error_code::below_min_notional: return {400, -1013, "Filter failure: NOTIONAL"};
    case error_code::duplicate_client_order_id: return {400, -2010, "Duplicate order sent."};
    case error_code::post_only_would_take: return {400, -2010, "Order would immediately match and take."};
    case error_code::insufficient_balance:
      return {400, -2010, "Account has insufficient balance for requested action."};
    case error_code::invalid_order: return {400, -1014, "Unsupported order combination."};
    case error_code::unknown_order:
      return cancel ? api_error{400, -2011, "Unknown order sent."} : api_error{400, -2013, "Order does not exist."};
    default: return {400, -1000, "An unknown error occurred while processing the request."};
  }
}

std::string fixed(decimal value, int places) { return value.to_string(places, rounding::half_even); }

int places_of(decimal step) {
  int places = 0;
  while (places < decimal::places && !step.is_multiple_of(decimal::from_scaled(1, places))) ++places;
  return places;
}

std::string_view side_name(side s) noexcept { return s == side::buy ? "BUY" : "SELL"; }

std::string_view order_type_name(order_type type) noexcept {
  switch (type) {
    case order_type::limit: return "LIMIT";
    case order_type::limit_maker: return "LIMIT_MAKER";
    case order_type::market: return "MARKET";
  }
  return "LIMIT";
}

std::string_view tif_name(time_in_force tif) noexcept {
  switch (tif) {
    case time_in_force::gtc: return "GTC";
    case time_in_force::ioc: return "IOC";
    case time_in_force::fok: return "FOK";
  }
  return "GTC";
}

std::string_view order_tif_name(const order_view& order, bool futures) noexcept {
  if (order.type == order_type::market) return "GTC";
  if (order.type == order_type::limit_maker) return futures ? "GTX" : "GTC";
  return tif_name(order.tif);
}

std::string_view stp_name(stp_mode mode) noexcept {
  switch (mode) {
    case stp_mode::expire_taker: return "EXPIRE_TAKER";
    case stp_mode::expire_maker: return "EXPIRE_MAKER";
    case stp_mode::expire_both: return "EXPIRE_BOTH";
  }
  return "EXPIRE_MAKER";
}

std::string_view status_name(const order_view& order) noexcept {
  switch (order.status) {
    case order_status::new_order: return "NEW";
    case order_status::partially_filled: return "PARTIALLY_FILLED";
    case order_status::filled: return "FILLED";
    case order_status::cancelled: return "CANCELED";
    case order_status::expired:
      return order.reason == end_reason::self_trade_prevention ? "EXPIRED_IN_MATCH" : "EXPIRED";
    case order_status::rejected: return "REJECTED";
  }
  return "NEW";
}

std::string_view execution_name(execution_kind kind, const order_view& order) noexcept {
  switch (kind) {
    case execution_kind::new_order: return "NEW";
    case execution_kind::trade: return "TRADE";
    case execution_kind::cancelled: return "CANCELED";
    case execution_kind::expired:
      return order.reason == end_reason::self_trade_prevention ? "TRADE_PREVENTION" : "EXPIRED";
    case execution_kind::amended: return "REPLACED";
  }
  return "NEW";
}

std::string_view position_side_name(position_side s) noexcept {
  switch (s) {
    case position_side::both: return "BOTH";
    case position_side::long_side: return "LONG";
    case position_side::short_side: return "SHORT";
  }
  return "BOTH";
}

bool valid_client_order_id(const std::string& id) {
  static const std::regex pattern{R"(^[\.A-Z\:/a-z0-9_-]{1,36}$)"};
  return std::regex_match(id, pattern);
}

decimal average_price(const order_view& order) {
  if (order.executed_quantity.is_zero()) return {};
  return decimal::divide(order.cumulative_quote, order.executed_quantity, rounding::half_even);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4U];
    out += hex[digest[i] & 15U];
  }
  return out;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string id_generator::next(std::size_t length) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<std::size_t> pick{0, alphabet.size() - 1};
  std::string out;
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) out += alphabet[pick(random_)];
  return out;
}

} // namespace tern::sim::binance
