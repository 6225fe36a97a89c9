#pragma once

// The simulator's fault plan: what should go wrong, where, and how often. Tests (in process or
// through the control API) add faults; the server consults the plan for every REST request and
// every stream frame it is about to send. Thread-safe: the plan is read on the exchanges'
// threads and changed from any thread.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/expected.hpp"

namespace tern::sim {

/// What goes wrong. REST faults match requests by endpoint; stream faults match frames by stream.
enum class fault_kind : std::uint8_t {
  // REST
  reject,          ///< answer an exchange error (status + code + message); nothing executes
  rate_limit,      ///< answer 429 (or 418 with status 418) with Retry-After; nothing executes
  server_error,    ///< answer a 5xx; with after_accept the request executes first (ambiguous)
  delay_response,  ///< execute, then answer only after delay_ms (ambiguous for a short timeout)
  drop_response,   ///< execute, then reset the connection without answering (ambiguous)
  // streams
  drop_websocket,  ///< reset the connection (no close frame) instead of sending a frame
  stale_stream,    ///< stop sending on the connection (it stays open) for duration_ms or for good
  sequence_gap,    ///< skip `frames` sequenced frames (depth): the client sees a gap
  malformed_frame, ///< send `payload` (default: broken JSON) in place of a frame
  bad_checksum,    ///< send the next checksummed book frame with a wrong checksum (OKX books
                   ///< with checksums on); frames that carry no checksum never trigger it
};

[[nodiscard]] std::string_view to_string(fault_kind kind) noexcept;
[[nodiscard]] std::optional<fault_kind> fault_kind_from(std::string_view name) noexcept;
[[nodiscard]] bool is_stream_fault(fault_kind kind) noexcept;

/// One entry of the plan. Unset targets match everything.
struct fault {
  std::uint64_t id = 0;               ///< assigned by the plan
  fault_kind kind = fault_kind::reject;
  std::string exchange;               ///< exchange name ("" = any)
  /// REST: "POST /api/v3/order" (method and path), "/api/v3/order" (any method), "" = any.
  std::string endpoint;
  /// Streams: a stream kind ("depth", "trade", "book_ticker", "mark_price", "user") or a part
  /// of the stream name ("btcusdt@depth"); "" = any.
  std::string stream;
  std::uint64_t connection = 0;       ///< only this connection id (0 = any)
  /// How many times it fires before it is used up; 0 = until cleared.
  std::uint32_t count = 1;
  double probability = 1.0;           ///< chance that a matching request or frame triggers it

  // Parameters (each kind reads the ones it needs).
  unsigned status = 0;                ///< reject (400), rate_limit (429 or 418), server_error (500..599)
  std::int64_t code = 0;              ///< reject: the exchange's error code
  std::string message;                ///< reject: the exchange's error message
  std::int64_t retry_after_s = 0;     ///< rate_limit: Retry-After seconds
  std::int64_t delay_ms = 0;          ///< delay_response
  bool after_accept = false;          ///< server_error: execute the request first
  std::int64_t duration_ms = 0;       ///< stale_stream: 0 = until the client reconnects
  std::uint32_t frames = 1;           ///< sequence_gap: frames to skip
  std::string payload;                ///< malformed_frame: what to send
  std::uint32_t fired = 0;            ///< how often it fired so far (reported by the plan)
};

/// Reads a fault from its JSON form (the control API's); names the key that is wrong.
expected<fault, std::string> fault_from_json(const nlohmann::json& value);
[[nodiscard]] nlohmann::json to_json(const fault& value);

/// The set of active faults.
class fault_plan {
 public:
  explicit fault_plan(std::uint64_t seed = 7) : random_(seed) {}

  /// Adds a fault and returns its id.
  std::uint64_t add(fault value);
  /// Removes one fault; false when no such id is active.
  bool remove(std::uint64_t id);
  void clear();
  [[nodiscard]] std::vector<fault> list() const;
  /// How often faults fired in total (including used-up ones).
  [[nodiscard]] std::uint64_t fired_total() const;

  /// The REST fault that fires for this request, if any (consumes one use).
  std::optional<fault> take_rest(std::string_view exchange, std::string_view method,
                                 std::string_view path);
  /// The stream fault that fires for this frame, if any (consumes one use).
  /// `checksummed`: the frame has a variant with a wrong checksum, so bad_checksum may fire.
  std::optional<fault> take_stream(std::string_view exchange, std::string_view stream_kind,
                                   std::string_view channel, std::uint64_t connection,
                                   bool checksummed = false);
  /// False when no stream fault is active: the hot path skips the lock.
  [[nodiscard]] bool has_stream_faults() const noexcept { return stream_faults_.load() > 0; }

 private:
  std::optional<fault> fire(std::size_t index);
  void recount();

  mutable std::mutex mutex_;
  std::vector<fault> faults_;
  std::uint64_t next_id_ = 1;
  std::uint64_t fired_ = 0;
  std::mt19937_64 random_;
  std::atomic<std::size_t> stream_faults_{0};
};

} // namespace tern::sim
