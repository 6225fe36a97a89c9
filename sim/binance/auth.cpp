#include "sim/binance/auth.hpp"

#include <charconv>

namespace tern::sim::binance {

namespace {

/// Timestamps above this are microseconds (rest-api.md: either unit is accepted).
constexpr std::int64_t microsecond_threshold = 100'000'000'000'000;  // year 5138 in ms
constexpr std::int64_t max_window_us = 60'000'000;
constexpr std::int64_t default_window_us = 5'000'000;
constexpr std::int64_t ahead_limit_us = 1'000'000;

std::optional<std::int64_t> parse_integer(const std::string& text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

/// recvWindow in microseconds: milliseconds with up to three decimals.
std::optional<std::int64_t> parse_window_us(const std::string& text) {
  auto value = decimal::parse(text);
  if (!value || value->is_negative() || !value->is_multiple_of(decimal::from_scaled(1, 3)))
    return std::nullopt;
  decimal scaled = *value * 1000;
  if (scaled > decimal::from_integer(max_window_us * 1000)) return max_window_us + 1;
  return static_cast<std::int64_t>(scaled.raw() / decimal::one_raw);
}

} // namespace

const std::string* sent(const request& incoming, std::string_view name) {
  const std::string* value = incoming.params.find(name);
  return value != nullptr && !value->empty() ? value : nullptr;
}

expected<request, api_error> parse_request(const net::server_request& raw) {
  request out;
  out.method = raw.method;
  auto [path, query] = split_target(raw.target);
  out.path = std::string{path};
  auto query_params = form_params::parse(query);
  auto body_params = form_params::parse(raw.body);
  if (!query_params || !body_params) return unexpected{illegal_characters("query")};
  out.params = std::move(*query_params);
  out.params.merge(*body_params);
  // The signed text is the query string followed directly by the body (rest-api.md, "SIGNED
  // Endpoint Examples"), each as sent, with the signature parameter taken out.
  out.signed_payload = without_param(query, "signature") + without_param(raw.body, "signature");
  if (auto key = raw.header("X-MBX-APIKEY")) out.api_key = std::string{*key};
  return out;
}

expected<void, api_error> check_timing(const std::string* timestamp_text, const std::string* window_text,
                                       timestamp now) {
  if (timestamp_text == nullptr || timestamp_text->empty()) return unexpected{missing_parameter("timestamp")};
  auto sent = parse_integer(*timestamp_text);
  if (!sent || *sent <= 0) return unexpected{missing_parameter("timestamp")};
  std::int64_t sent_us = *sent >= microsecond_threshold ? *sent : *sent * 1000;
  std::int64_t window_us = default_window_us;
  if (window_text != nullptr) {
    auto parsed = parse_window_us(*window_text);
    if (!parsed) return unexpected{missing_parameter("recvWindow")};
    if (*parsed > max_window_us)
      return unexpected{api_error{400, -1102, "'recvWindow' contains unexpected value. Cannot be greater than 60000."}};
    window_us = *parsed;
  }
  std::int64_t server_us = to_unix_ns(now) / 1000;
  if (sent_us >= server_us + ahead_limit_us)
    return unexpected{api_error{400, -1021, "Timestamp for this request was 1000ms ahead of the server's time."}};
  if (server_us - sent_us > window_us)
    return unexpected{api_error{400, -1021, "Timestamp for this request is outside of the recvWindow."}};
  return {};
}

expected<const account_credentials*, api_error> authenticate(const request& incoming, security level,
                                                             const exchange_state& state, timestamp now) {
  if (level == security::none) return nullptr;
  if (incoming.api_key.empty()) return unexpected{api_error{401, -2014, "API-key format invalid."}};
  const account_credentials* account = state.credentials(incoming.api_key);
  if (account == nullptr)
    return unexpected{api_error{401, -2015, "Invalid API-key, IP, or permissions for action."}};
  if (level == security::api_key) return account;
  // Timing first, as the documented processing logic does, then the signature.
  if (auto timing = check_timing(incoming.params.find("timestamp"), incoming.params.find("recvWindow"), now); !timing)
    return unexpected{timing.error()};
  const std::string* signature = incoming.params.find("signature");
  if (signature == nullptr || signature->empty()) return unexpected{missing_parameter("signature")};
  if (!equal_ignoring_case(*signature, hmac_sha256_hex(account->secret, incoming.signed_payload)))
    return unexpected{api_error{400, -1022, "Signature for this request is not valid."}};
  return account;
}

} // namespace tern::sim::binance
