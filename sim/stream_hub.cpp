#include "sim/stream_hub.hpp"

#include <algorithm>

namespace tern::sim {

std::string_view to_string(stream_kind kind) noexcept {
  switch (kind) {
    case stream_kind::depth: return "depth";
    case stream_kind::trade: return "trade";
    case stream_kind::book_ticker: return "book_ticker";
    case stream_kind::mark_price: return "mark_price";
    case stream_kind::user: return "user";
    case stream_kind::other: return "other";
  }
  return "other";
}

stream_hub::stream_hub(std::string exchange, fault_plan& faults, std::function<timestamp()> clock)
    : exchange_(std::move(exchange)), faults_(faults), clock_(std::move(clock)) {}

stream_session& stream_hub::add(std::uint64_t id, std::string target,
                                std::shared_ptr<net::websocket_session> socket) {
  auto session = std::make_unique<stream_session>();
  session->id = id;
  session->target = std::move(target);
  session->socket = std::move(socket);
  auto& slot = sessions_[id];
  slot = std::move(session);
  return *slot;
}

void stream_hub::remove(std::uint64_t id) {
  auto found = sessions_.find(id);
  if (found == sessions_.end()) return;
  for (const auto& channel : found->second->channels) {
    auto& list = subscribers_[channel];
    std::erase(list, found->second.get());
    if (list.empty()) subscribers_.erase(channel);
  }
  sessions_.erase(found);
}

stream_session* stream_hub::find(std::uint64_t id) {
  auto found = sessions_.find(id);
  return found == sessions_.end() ? nullptr : found->second.get();
}

void stream_hub::subscribe(stream_session& session, const std::string& channel) {
  if (session.channels.insert(channel).second) subscribers_[channel].push_back(&session);
}

void stream_hub::unsubscribe(stream_session& session, const std::string& channel) {
  if (session.channels.erase(channel) == 0) return;
  auto found = subscribers_.find(channel);
  if (found == subscribers_.end()) return;
  std::erase(found->second, &session);
  if (found->second.empty()) subscribers_.erase(found);
}

bool stream_hub::has_subscribers(const std::string& channel) const {
  return subscribers_.contains(channel);
}

bool stream_hub::wants_wrapped(const std::string& channel) const {
  auto found = subscribers_.find(channel);
  if (found == subscribers_.end()) return false;
  return std::any_of(found->second.begin(), found->second.end(),
                     [](const stream_session* s) { return s->wrapped; });
}

void stream_hub::publish(const std::string& channel, stream_kind kind, const std::string& text,
                         const std::string& wrapped_text, const std::string& corrupted_text) {
  auto found = subscribers_.find(channel);
  if (found == subscribers_.end()) return;
  // Sending never changes the subscriber lists: a dropped session leaves them only when its
  // socket's close callback reaches the exchange thread.
  for (stream_session* session : found->second)
    send(*session, kind, channel, session->wrapped && !wrapped_text.empty() ? wrapped_text : text,
         corrupted_text);
}

void stream_hub::send(stream_session& session, stream_kind kind, std::string_view channel,
                      std::string text, const std::string& corrupted_text) {
  switch (pass_faults(session, kind, channel, !corrupted_text.empty())) {
    case verdict::skip: return;
    case verdict::corrupt: text = corrupted_text; break;
    case verdict::send: break;
  }
  ++frames_sent_;
  session.socket->send_text(std::move(text));
}

void stream_hub::reply(stream_session& session, std::string text) {
  if (session.dropped) return;
  session.socket->send_text(std::move(text));
}

void stream_hub::on_tick(timestamp now) {
  for (auto& [id, session] : sessions_) {
    if (session->silent_until && *session->silent_until <= now) {
      session->silent_until.reset();
      session->socket->set_paused(false);
    }
  }
}

bool stream_hub::deliverable(stream_session& session, timestamp now) const {
  return !session.dropped && !(session.silent_until && *session.silent_until > now);
}

stream_hub::verdict stream_hub::pass_faults(stream_session& session, stream_kind kind,
                                            std::string_view channel, bool checksummed) {
  if (session.dropped) return verdict::skip;
  if (session.silent_until && !deliverable(session, clock_())) return verdict::skip;
  if (session.skip_frames > 0 && channel == session.skip_channel) {
    --session.skip_frames;
    return verdict::skip;
  }
  if (!faults_.has_stream_faults()) return verdict::send;
  auto fired = faults_.take_stream(exchange_, to_string(kind), channel, session.id, checksummed);
  if (!fired) return verdict::send;
  switch (fired->kind) {
    case fault_kind::drop_websocket:
      session.dropped = true;
      session.socket->drop();
      return verdict::skip;
    case fault_kind::stale_stream:
      session.silent_until = fired->duration_ms > 0
                                 ? clock_() + std::chrono::milliseconds{fired->duration_ms}
                                 : timestamp::max();
      session.socket->set_paused(true);
      return verdict::skip;
    case fault_kind::sequence_gap:
      session.skip_frames = fired->frames - 1;
      session.skip_channel = std::string{channel};
      return verdict::skip;
    case fault_kind::malformed_frame:
      // Sent before the frame, which follows intact: the client must survive a bad frame
      // without losing the stream.
      session.socket->send_text(fired->payload);
      return verdict::send;
    case fault_kind::bad_checksum:
      return verdict::corrupt;
    default:
      return verdict::send;
  }
}

} // namespace tern::sim
