#include "connectors/binance/signer.hpp"

#include <algorithm>

#include "connectors/common/hmac.hpp"

namespace tern::binance {

std::string sign(std::string_view secret, std::string_view payload) {
  return hmac_sha256_hex(secret, payload);
}

std::string signed_query(query_params params, const signing_context& signing) {
  if (signing.recv_window_ms)
    params.push_back({"recvWindow", std::to_string(*signing.recv_window_ms)});
  params.push_back({"timestamp", std::to_string(signing.timestamp_ms)});
  std::string query = encode_query(params);
  std::string signature = sign(signing.keys.reveal_secret(), query);
  query += "&signature=";
  query += signature;
  return query;
}

std::string ws_api_payload(query_params params) {
  std::stable_sort(params.begin(), params.end(),
                   [](const query_param& a, const query_param& b) { return a.name < b.name; });
  std::string payload;
  for (const query_param& param : params) {
    if (!payload.empty())
      payload.push_back('&');
    payload += param.name;
    payload.push_back('=');
    payload += param.value;
  }
  return payload;
}

} // namespace tern::binance
