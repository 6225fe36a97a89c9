#pragma once

// The WebSocket connections of one simulated exchange: who is connected, who subscribed to
// what, and the one place frames leave the exchange, so stream faults (drop, stale, gap,
// malformed) apply to every dialect alike. Lives on the exchange's thread; the sockets it
// holds are thread-safe.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/types.hpp"
#include "net/http_server.hpp"
#include "sim/faults.hpp"

namespace tern::sim {

/// What a frame carries, for fault targeting ("depth", "trade", ...).
enum class stream_kind : std::uint8_t { depth, trade, book_ticker, mark_price, user, other };

[[nodiscard]] std::string_view to_string(stream_kind kind) noexcept;

/// A dialect's own per-connection state (subscriptions ids, session login...).
struct session_state {
  virtual ~session_state() = default;
};

/// One WebSocket connection.
struct stream_session {
  std::uint64_t id = 0;        ///< the server's connection id
  std::string target;          ///< the upgrade request's target ("/ws/btcusdt@depth", ...)
  std::shared_ptr<net::websocket_session> socket;
  std::unique_ptr<session_state> state;
  std::set<std::string> channels;
  /// Receives `wrapped` frames (Binance combined streams: {"stream":...,"data":...}).
  bool wrapped = false;
  bool dropped = false;
  std::optional<timestamp> silent_until;  ///< stale-stream fault in force (max() = for good)
  std::uint32_t skip_frames = 0;          ///< sequence-gap fault: frames still to skip
  std::string skip_channel;               ///< ... on this channel
};

class stream_hub {
 public:
  stream_hub(std::string exchange, fault_plan& faults, std::function<timestamp()> clock);

  stream_session& add(std::uint64_t id, std::string target,
                      std::shared_ptr<net::websocket_session> socket);
  void remove(std::uint64_t id);
  [[nodiscard]] stream_session* find(std::uint64_t id);
  [[nodiscard]] std::size_t size() const noexcept { return sessions_.size(); }

  void subscribe(stream_session& session, const std::string& channel);
  void unsubscribe(stream_session& session, const std::string& channel);
  [[nodiscard]] bool has_subscribers(const std::string& channel) const;
  /// Whether a subscriber of `channel` wants the wrapped form.
  [[nodiscard]] bool wants_wrapped(const std::string& channel) const;

  /// Sends a frame to every subscriber of `channel`: `text`, or `wrapped_text` to sessions
  /// that asked for wrapping. `corrupted_text`, when given, is the frame with a wrong checksum,
  /// sent instead when a bad_checksum fault fires.
  void publish(const std::string& channel, stream_kind kind, const std::string& text,
               const std::string& wrapped_text = {}, const std::string& corrupted_text = {});
  /// Sends one frame to one session, stream faults applied.
  void send(stream_session& session, stream_kind kind, std::string_view channel, std::string text,
            const std::string& corrupted_text = {});
  /// Answers a request on the connection (subscription acks, WebSocket API responses).
  void reply(stream_session& session, std::string text);

  /// Ends stale-stream faults whose duration passed.
  void on_tick(timestamp now);
  /// Frames handed to sockets so far.
  [[nodiscard]] std::uint64_t frames_sent() const noexcept { return frames_sent_; }

 private:
  /// What a stream fault does to the frame about to be sent.
  enum class verdict : std::uint8_t { send, skip, corrupt };
  verdict pass_faults(stream_session& session, stream_kind kind, std::string_view channel,
                      bool checksummed);
  bool deliverable(stream_session& session, timestamp now) const;

  std::string exchange_;
  fault_plan& faults_;
  std::function<timestamp()> clock_;
  std::unordered_map<std::uint64_t, std::unique_ptr<stream_session>> sessions_;
  std::unordered_map<std::string, std::vector<stream_session*>> subscribers_;
  std::uint64_t frames_sent_ = 0;
};

} // namespace tern::sim
