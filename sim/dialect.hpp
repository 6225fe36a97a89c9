#pragma once

// The interface every exchange dialect implements. A dialect is the exchange's side of one
// wire protocol, written from the exchange's documentation: it routes and answers REST
// requests (parsing, authentication, rate limits, the exchange's error codes), serves
// WebSocket connections (subscriptions, WebSocket API requests), and renders the engine's
// events as the exchange's stream frames. The exchange host calls it, always on the exchange's
// thread, so a dialect needs no locks. Faults, recording and pacing are the host's, so a new
// dialect (OKX next) gets them for free.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/types.hpp"
#include "net/http_server.hpp"
#include "sim/events.hpp"
#include "sim/exchange_state.hpp"
#include "sim/faults.hpp"
#include "sim/recorder.hpp"
#include "sim/stream_hub.hpp"

namespace tern::sim {

/// A REST answer plus what the recorder should know about the request. The host fills in
/// time, exchange, transport, method, path, connection and status; the dialect the rest.
struct rest_outcome {
  net::server_response response;
  request_record record;
};

/// An address the simulated exchange serves, for `tern sim` to print.
struct endpoint_info {
  std::string label;  ///< "rest", "ws", "ws-api"
  std::string url;
};

class dialect {
 public:
  dialect() = default;
  dialect(const dialect&) = delete;
  dialect& operator=(const dialect&) = delete;
  virtual ~dialect() = default;

  /// The dialect's name in configuration: "binance", "binance_perpetual".
  [[nodiscard]] virtual std::string_view name() const noexcept = 0;
  [[nodiscard]] virtual market_kind kind() const noexcept = 0;
  /// The exchange's symbol for a pair: BTC, USDT -> "BTCUSDT".
  [[nodiscard]] virtual std::string symbol_for(std::string_view base, std::string_view quote) const = 0;

  /// Binds the dialect to its exchange before anything is served; fails on settings it does
  /// not understand (an unknown rate-limit name, ...).
  virtual expected<void, std::string> attach(exchange_state& state) = 0;

  /// Answers one REST request. Engine calls append their events to `state.events`; the host
  /// publishes them after this returns.
  virtual rest_outcome handle_rest(const net::server_request& request) = 0;
  /// The exchange's answer when a fault replaces it: 429/418 with Retry-After, a 5xx, or an
  /// exchange error code, in the exchange's body format.
  virtual net::server_response fault_response(const fault& applied) = 0;

  /// A WebSocket connection was opened (its upgrade target is `session.target`); false refuses
  /// it (the host closes it).
  virtual bool open_stream(stream_session& session) = 0;
  virtual void on_stream_message(stream_session& session, std::string_view payload) = 0;
  virtual void on_stream_closed(stream_session& session) = 0;

  /// Renders engine events (from requests or market drivers) for the connections that see them.
  virtual void publish(const event_buffer& events) = 0;
  /// Periodic work at `now` (aggregated depth streams, expiring listen keys); returns when it
  /// next wants to be called, if ever.
  virtual std::optional<timestamp> on_tick(timestamp now) = 0;

  /// The URLs a client uses, for a server at `host`:`port`.
  [[nodiscard]] virtual std::vector<endpoint_info> endpoints(std::string_view host,
                                                             std::uint16_t port) const = 0;
};

/// The dialects the simulator speaks, by name.
[[nodiscard]] std::vector<std::string_view> dialect_names();
/// A new dialect by name, or an error naming the known ones.
expected<std::unique_ptr<dialect>, std::string> make_dialect(std::string_view name);

} // namespace tern::sim
