#include "connectors/okx/signer.hpp"

#include <chrono>
#include <cstdio>

#include "connectors/common/hmac.hpp"
#include "connectors/okx/constants.hpp"

namespace tern::okx {

std::string iso8601_ms(std::int64_t unix_ms) {
  using namespace std::chrono;
  sys_time<milliseconds> instant{milliseconds{unix_ms}};
  sys_days day = floor<days>(instant);
  year_month_day date{day};
  hh_mm_ss<milliseconds> time{instant - day};
  char text[32];
  std::snprintf(text, sizeof(text), "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return text;
}

std::string sign(std::string_view secret, std::string_view timestamp, std::string_view method,
                 std::string_view request_path, std::string_view body) {
  std::string payload;
  payload.reserve(timestamp.size() + method.size() + request_path.size() + body.size());
  payload.append(timestamp).append(method).append(request_path).append(body);
  return hmac_sha256_base64(secret, payload);
}

net::header_list auth_headers(const credentials& keys, std::int64_t timestamp_ms,
                              std::string_view method, std::string_view request_path,
                              std::string_view body) {
  std::string timestamp = iso8601_ms(timestamp_ms);
  std::string signature = sign(keys.reveal_secret(), timestamp, method, request_path, body);
  return net::header_list{{std::string{header_key}, keys.api_key()},
                          {std::string{header_sign}, std::move(signature)},
                          {std::string{header_timestamp}, std::move(timestamp)},
                          {std::string{header_passphrase}, std::string{keys.reveal_passphrase()}}};
}

std::string login_signature(std::string_view secret, std::string_view timestamp_seconds) {
  return sign(secret, timestamp_seconds, "GET", login_path, "");
}

} // namespace tern::okx
