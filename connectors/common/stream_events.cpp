#include "connectors/common/stream_events.hpp"

namespace tern {

std::string_view to_string(stream_control_kind value) noexcept {
  switch (value) {
    case stream_control_kind::subscribed: return "subscribed";
    case stream_control_kind::request_failed: return "request_failed";
    case stream_control_kind::stream_terminated: return "stream_terminated";
    case stream_control_kind::server_shutdown: return "server_shutdown";
    case stream_control_kind::heartbeat: return "heartbeat";
  }
  return "unknown";
}

std::string_view to_string(public_event_kind value) noexcept {
  switch (value) {
    case public_event_kind::book_delta: return "book_delta";
    case public_event_kind::book_snapshot: return "book_snapshot";
    case public_event_kind::top_of_book: return "top_of_book";
    case public_event_kind::trade: return "trade";
    case public_event_kind::funding_info: return "funding_info";
    case public_event_kind::control: return "control";
  }
  return "unknown";
}

std::string frame_problem::message() const {
  std::string text = kind == kind_type::unknown ? "unknown frame" : "malformed frame";
  text += " on channel \"" + channel + "\": " + detail;
  return text;
}

} // namespace tern
