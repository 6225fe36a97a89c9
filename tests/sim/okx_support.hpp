#pragma once

// Shared by the OKX dialect tests: simulated OKX exchanges (spot "okx", swap "okx_perpetual"),
// requests signed as OKX's "REST Authentication" describes (OK-ACCESS-SIGN = base64 of
// HMAC-SHA256 over timestamp + METHOD + requestPath + body, with the project's own HMAC and
// base64 from connectors/common/hmac.hpp, not the simulator's), ISO-8601 timestamps written
// here, and WebSocket login messages ("WebSocket" > "Login").

#include <cstdio>
#include <ctime>

#include "connectors/common/hmac.hpp"
#include "tests/sim/server_support.hpp"

namespace tern::sim::testing {

inline constexpr std::string_view okx_key = "5d8e0c52-7c2b-4a54-9a3e-1b2f3c4d5e6f";
inline constexpr std::string_view okx_secret = "0F4E6A1B2C3D4E5F60718293A4B5C6D7";
inline constexpr std::string_view okx_passphrase = "Sim-Passphrase-1";

/// "2020-12-08T09:08:57.715Z" for `ms` since the epoch (written here with gmtime_r).
inline std::string okx_iso(std::int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1,
                parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, static_cast<int>(ms % 1000));
  return text;
}

inline account_setup okx_account(std::vector<std::pair<std::string, decimal>> balances) {
  account_setup account;
  account.api_key = std::string{okx_key};
  account.secret = std::string{okx_secret};
  account.passphrase = std::string{okx_passphrase};
  account.balances = std::move(balances);
  return account;
}

/// BTC-USDT spot with OKX's published rules (tickSz 0.1, lotSz 0.00000001, minSz 0.00001) and
/// fees 0.08 % / 0.1 %, moved by a random walk (paused unless the test resumes it).
inline market_setup okx_spot_market(std::chrono::milliseconds step = 20ms) {
  market_setup market = btcusdt_walk(step);
  market.spec.tick = "0.1"_d;
  market.spec.step = "0.00000001"_d;
  market.spec.min_quantity = "0.00001"_d;
  market.spec.min_notional = decimal{};
  market.spec.maker_fee_rate = "0.0008"_d;
  market.spec.taker_fee_rate = "0.001"_d;
  market.random_walk->initial_mid = "60000.0"_d;
  return market;
}

/// BTC-USDT-SWAP: ctVal 0.01 BTC, lotSz 0.01 contracts (0.0001 BTC), fees 0.02 % / 0.05 %.
inline market_setup okx_swap_market(std::chrono::milliseconds step = 20ms) {
  market_setup market = okx_spot_market(step);
  market.spec.kind = market_kind::perpetual;
  market.spec.step = "0.0001"_d;
  market.spec.min_quantity = "0.0001"_d;
  market.spec.maker_fee_rate = "0.0002"_d;
  market.spec.taker_fee_rate = "0.0005"_d;
  market.spec.default_leverage = 10;
  market.spec.max_leverage = 100;
  market.contract_value = "0.01"_d;
  market.random_walk->level_size = "2.0000"_d;
  market.random_walk->funding_interval = 1s;
  market.random_walk->funding_rate = "0.0001"_d;
  return market;
}

inline server_options okx_options(bool swap, bool paused, std::function<timestamp()> clock = {},
                                  std::chrono::milliseconds step = 20ms) {
  server_options options;
  options.clock = std::move(clock);
  exchange_setup exchange;
  exchange.name = swap ? "okx_perpetual" : "okx";
  exchange.dialect = exchange.name;
  exchange.markets = {swap ? okx_swap_market(step) : okx_spot_market(step)};
  exchange.accounts = {swap ? okx_account({{"USDT", "100000"_d}})
                            : okx_account({{"USDT", "100000"_d}, {"BTC", "2"_d}})};
  options.exchanges = {exchange};
  options.start_paused = paused;
  options.control_port.reset();
  return options;
}

/// The OK-ACCESS-* headers' request, signed with `secret` at `timestamp`.
inline net::http_request okx_request(std::string method, std::string target, std::string body, std::string timestamp,
                                     std::string_view secret = okx_secret, std::string_view key = okx_key,
                                     std::string_view passphrase = okx_passphrase) {
  net::http_request request;
  std::string sign = tern::hmac_sha256_base64(secret, timestamp + method + target + body);
  request.method = std::move(method);
  request.target = std::move(target);
  request.body = std::move(body);
  request.timeout = 10s;
  if (!key.empty()) request.headers.emplace_back("OK-ACCESS-KEY", std::string{key});
  request.headers.emplace_back("OK-ACCESS-SIGN", sign);
  request.headers.emplace_back("OK-ACCESS-TIMESTAMP", timestamp);
  request.headers.emplace_back("OK-ACCESS-PASSPHRASE", std::string{passphrase});
  if (!request.body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  return request;
}

inline net::https_result okx_send(sim_fixture& fixture, net::http_request request) {
  auto promise = std::make_shared<std::promise<net::https_result>>();
  auto answer = promise->get_future();
  fixture.http->async_request(std::move(request), [promise](net::https_result r) { promise->set_value(std::move(r)); });
  REQUIRE(answer.wait_for(15s) == std::future_status::ready);
  return answer.get();
}

/// A signed request at `now_ms` (the exchange's clock in the test).
inline net::https_result okx_call(sim_fixture& fixture, std::string method, std::string target, std::string body,
                                  std::int64_t now_ms) {
  return okx_send(fixture, okx_request(std::move(method), std::move(target), std::move(body), okx_iso(now_ms)));
}

inline net::https_result okx_public(sim_fixture& fixture, std::string target) {
  net::http_request request;
  request.method = "GET";
  request.target = std::move(target);
  request.timeout = 10s;
  return okx_send(fixture, std::move(request));
}

/// {"op":"login","args":[...]} signed over timestamp (seconds) + "GET" + "/users/self/verify".
inline std::string okx_login(std::int64_t seconds, std::string_view secret = okx_secret,
                             std::string_view passphrase = okx_passphrase) {
  std::string stamp = std::to_string(seconds);
  nlohmann::json arg = {{"apiKey", okx_key}, {"passphrase", passphrase}, {"timestamp", stamp},
                        {"sign", tern::hmac_sha256_base64(secret, stamp + "GET/users/self/verify")}};
  return nlohmann::json{{"op", "login"}, {"args", nlohmann::json::array({arg})}}.dump();
}

inline std::string okx_subscribe(const nlohmann::json& arg, std::string_view op = "subscribe") {
  return nlohmann::json{{"op", op}, {"args", nlohmann::json::array({arg})}}.dump();
}

inline decimal mul(decimal a, decimal b) { return decimal::multiply(a, b, rounding::half_even); }

inline decimal dec(const nlohmann::json& value) { return decimal::from_string(value.get<std::string>()); }

} // namespace tern::sim::testing
