#include "sim/okx/auth.hpp"

#include <cstdlib>

namespace tern::sim::okx {

namespace {

api_error unauthorized(std::string code, std::string msg) { return {401, std::move(code), std::move(msg)}; }

std::string header_text(const net::server_request& raw, std::string_view name) {
  auto value = raw.header(name);
  return value ? std::string{*value} : std::string{};
}

bool too_far(timestamp sent, timestamp now) {
  auto gap = sent > now ? sent - now : now - sent;
  return gap > timestamp_tolerance;
}

/// HMAC signatures compared without leaking where they differ.
bool same_signature(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

} // namespace

std::optional<std::string> param(const request& incoming, std::string_view name) {
  if (incoming.method == "GET") {
    const std::string* value = incoming.query.find(name);
    if (value == nullptr || value->empty()) return std::nullopt;
    return *value;
  }
  auto value = text_of(incoming.body, name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

expected<request, api_error> parse_request(const net::server_request& raw) {
  request out;
  out.method = raw.method;
  out.request_path = raw.target;
  auto [path, query] = split_target(raw.target);
  out.path = std::string{path};
  auto parsed_query = form_params::parse(query);
  if (!parsed_query) return unexpected{parameter_error("query")};
  out.query = std::move(*parsed_query);
  out.raw_body = raw.body;
  if (raw.method == "POST") {
    if (raw.body.empty()) {
      out.body_error = api_error{400, "50000", "Body for POST request cannot be empty."};
    } else {
      out.body = json::parse(raw.body, nullptr, false);
      if (out.body.is_discarded() || !out.body.is_structured())
        out.body_error = api_error{400, "50002", "JSON syntax error"};
    }
  }
  out.api_key = header_text(raw, "OK-ACCESS-KEY");
  out.passphrase = header_text(raw, "OK-ACCESS-PASSPHRASE");
  out.sign = header_text(raw, "OK-ACCESS-SIGN");
  out.timestamp_text = header_text(raw, "OK-ACCESS-TIMESTAMP");
  return out;
}

expected<const account_credentials*, api_error> authenticate(const request& incoming, const exchange_state& state,
                                                             timestamp now) {
  if (incoming.api_key.empty()) return unexpected{unauthorized("50103", R"(Request header "OK-ACCESS-KEY" cannot be empty.)")};
  if (incoming.passphrase.empty())
    return unexpected{unauthorized("50104", R"(Request header "OK-ACCESS-PASSPHRASE" cannot be empty.)")};
  if (incoming.sign.empty()) return unexpected{unauthorized("50106", R"(Request header "OK-ACCESS-SIGN" cannot be empty.)")};
  if (incoming.timestamp_text.empty())
    return unexpected{unauthorized("50107", R"(Request header "OK-ACCESS-TIMESTAMP" cannot be empty.)")};
  auto sent = parse_iso_time(incoming.timestamp_text);
  if (!sent) return unexpected{unauthorized("50112", "Invalid OK-ACCESS-TIMESTAMP.")};
  if (too_far(*sent, now)) return unexpected{unauthorized("50102", "Timestamp request expired.")};
  const account_credentials* account = state.credentials(incoming.api_key);
  if (account == nullptr) return unexpected{unauthorized("50111", "Invalid OK-ACCESS-KEY.")};
  if (!same_signature(incoming.passphrase, account->passphrase))
    return unexpected{unauthorized("50105", R"(Request header "OK-ACCESS-PASSPHRASE" incorrect.)")};
  std::string prehash = incoming.timestamp_text + incoming.method + incoming.request_path + incoming.raw_body;
  if (!same_signature(incoming.sign, hmac_sha256_base64(account->secret, prehash)))
    return unexpected{unauthorized("50113", "Invalid signature.")};
  return account;
}

expected<const account_credentials*, ws_error> verify_login(const json& arg, const exchange_state& state,
                                                            timestamp now) {
  for (std::string_view field : {"apiKey", "passphrase", "timestamp", "sign"}) {
    auto value = text_of(arg, field);
    if (!value || value->empty())
      return unexpected{ws_error{"60027", "Parameter " + std::string{field} + " can not be empty."}};
  }
  std::string stamp = *text_of(arg, "timestamp");
  // "Unix Epoch time, the unit is seconds": clients send whole or fractional seconds.
  auto seconds = decimal::parse(stamp);
  if (!seconds || !seconds->is_positive()) return unexpected{ws_error{"60004", "Invalid timestamp"}};
  auto sent_ms = static_cast<std::int64_t>((*seconds * 1000).round(0, rounding::down).raw() / decimal::one_raw);
  if (too_far(from_unix_ms(sent_ms), now)) return unexpected{ws_error{"60006", "Timestamp request expired"}};
  const account_credentials* account = state.credentials(*text_of(arg, "apiKey"));
  if (account == nullptr) return unexpected{ws_error{"60005", "Invalid apiKey"}};
  if (!same_signature(*text_of(arg, "passphrase"), account->passphrase))
    return unexpected{ws_error{"60024", "Wrong passphrase"}};
  if (!same_signature(*text_of(arg, "sign"), hmac_sha256_base64(account->secret, stamp + "GET/users/self/verify")))
    return unexpected{ws_error{"60007", "Invalid sign"}};
  return account;
}

} // namespace tern::sim::okx
