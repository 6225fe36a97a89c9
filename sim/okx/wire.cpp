#include "sim/okx/wire.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace tern::sim::okx {

net::server_response envelope(unsigned status, std::string_view code, std::string_view msg, const json& data,
                              const json& extra) {
  json body = {{"code", code}, {"msg", msg}, {"data", data}};
  for (const auto& [key, value] : extra.items()) body[key] = value;
  net::server_response response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/json");
  response.body = body.dump();
  return response;
}

net::server_response error_response(const api_error& error) {
  return envelope(error.status, error.code, error.msg, error.data);
}

api_error parameter_empty(std::string_view name) {
  return {400, "50014", "Parameter " + std::string{name} + " can not be empty."};
}

api_error parameter_error(std::string_view name) {
  return {400, "51000", "Parameter " + std::string{name} + " error"};
}

api_error unknown_instrument() {
  return {200, "51001", "Instrument ID, Instrument ID code or Spread ID doesn't exist."};
}

item_error item_parameter_error(std::string_view name) {
  return {"51000", "Parameter " + std::string{name} + " error", ""};
}

item_error order_refusal(const error& refused, std::string_view margin_asset, bool swap) {
  // Error Code, "Trade" class (51000-51999).
  switch (refused.code) {
    case error_code::unknown_market: return {"51001", unknown_instrument().msg, ""};
    case error_code::invalid_price: return item_parameter_error("px");
    case error_code::invalid_quantity: return {"51121", "Order quantity must be a multiple of the lot size.", ""};
    case error_code::below_min_quantity:
    case error_code::below_min_notional:
      return {"51020", "Your order should meet or exceed the minimum order amount.", ""};
    case error_code::duplicate_client_order_id: return {"51016", "Client order ID already exists.", ""};
    case error_code::insufficient_balance:
      return swap ? item_error{"51008", "Order failed. Insufficient " + std::string{margin_asset} + " margin in account",
                               "1001"}
                  : item_error{"51008", "Order failed. Insufficient " + std::string{margin_asset} + " balance in account",
                               "1000"};
    case error_code::reduce_only_rejected:
      return {"51169",
              "Order failed because you don't have any positions in this direction for this contract to reduce or close.",
              ""};
    case error_code::reduce_only_not_allowed: return {"51205", "Reduce Only is not available.", ""};
    case error_code::position_side_mismatch: return item_parameter_error("posSide");
    default: return item_parameter_error("order");
  }
}

std::string number(decimal value) { return value.to_string(); }

std::string millis(timestamp time) { return std::to_string(to_unix_ms(time)); }

std::string micros(timestamp time) { return std::to_string(to_unix_ns(time) / 1000); }

std::string iso_time(timestamp time) {
  using namespace std::chrono;
  auto ms = to_unix_ms(time);
  sys_days day{floor<days>(sys_time<milliseconds>{milliseconds{ms}})};
  year_month_day date{day};
  auto in_day = ms - duration_cast<milliseconds>(day.time_since_epoch()).count();
  std::array<char, 64> out{};
  std::snprintf(out.data(), out.size(), "%04d-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<long long>(in_day / 3'600'000), static_cast<long long>(in_day / 60'000 % 60),
                static_cast<long long>(in_day / 1000 % 60), static_cast<long long>(in_day % 1000));
  return out.data();
}

namespace {

/// Digits at `text[at..at+count)` as a number, or -1.
int digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + count, value);
  return ec == std::errc{} && end == text.data() + at + count ? value : -1;
}

} // namespace

std::optional<timestamp> parse_iso_time(std::string_view text) {
  using namespace std::chrono;
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text.back() != 'Z')
    return std::nullopt;
  int y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
  int h = digits(text, 11, 2), mi = digits(text, 14, 2), s = digits(text, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return std::nullopt;
  int ms = 0;
  std::string_view fraction = text.substr(19, text.size() - 20);
  if (!fraction.empty()) {
    if (fraction[0] != '.' || fraction.size() < 2 || fraction.size() > 4) return std::nullopt;
    ms = digits(fraction, 1, fraction.size() - 1);
    if (ms < 0) return std::nullopt;
    for (std::size_t i = fraction.size() - 1; i < 3; ++i) ms *= 10;
  }
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  auto since_epoch = sys_days{date}.time_since_epoch() + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
  return from_unix_ms(duration_cast<milliseconds>(since_epoch).count());
}

std::string hmac_sha256_base64(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), digest, &length);
  std::string out(4 * ((length + 2) / 3), '\0');
  int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), digest, static_cast<int>(length));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

bool valid_client_order_id(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id)
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) return false;
  return true;
}

std::string_view state_name(const order_view& order) noexcept {
  switch (order.status) {
    case order_status::new_order: return "live";
    case order_status::partially_filled: return "partially_filled";
    case order_status::filled: return "filled";
    default: return "canceled";
  }
}

std::string_view cancel_source(const order_view& order) noexcept {
  if (order.status != order_status::cancelled && order.status != order_status::expired) return "";
  switch (order.reason) {
    case end_reason::cancelled_by_user: return "1";
    case end_reason::fok_unfillable: return "13";
    case end_reason::ioc_remainder: return "14";
    case end_reason::post_only_would_take: return "31";
    case end_reason::self_trade_prevention: return "32";
    default: return "0";
  }
}

std::string_view order_type_name(const order_view& order) noexcept {
  if (order.type == order_type::market) return "market";
  if (order.type == order_type::limit_maker) return "post_only";
  if (order.tif == time_in_force::fok) return "fok";
  if (order.tif == time_in_force::ioc) return "ioc";
  return "limit";
}

std::string_view stp_name(stp_mode mode) noexcept {
  switch (mode) {
    case stp_mode::expire_taker: return "cancel_taker";
    case stp_mode::expire_both: return "cancel_both";
    case stp_mode::expire_maker: return "cancel_maker";
  }
  return "cancel_maker";
}

std::string_view side_name(side s) noexcept { return s == side::buy ? "buy" : "sell"; }

std::string_view position_side_name(position_side s) noexcept {
  switch (s) {
    case position_side::long_side: return "long";
    case position_side::short_side: return "short";
    case position_side::both: return "net";
  }
  return "net";
}

std::optional<std::string> text_of(const json& object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  auto found = object.find(std::string{key});
  if (found == object.end() || found->is_null()) return std::nullopt;
  if (found->is_string()) return found->get<std::string>();
  if (found->is_structured()) return std::nullopt;
  return found->dump();
}

} // namespace tern::sim::okx
