#include "net/errors.hpp"

namespace tern::net {

outcome_class classify_http_status(unsigned status) noexcept {
  if (status >= 500 || status == 408 || status == 429) return outcome_class::outcome_unknown;
  if (status >= 300) return outcome_class::fatal;
  return outcome_class::retryable;
}

outcome_class classify(const net_error& error) noexcept {
  switch (error.code) {
    case net_errc::invalid_argument:
    case net_errc::certificate_verification_failed:
      return outcome_class::fatal;
    case net_errc::http_status:
      return classify_http_status(error.http_status);
    default:
      break;
  }
  return error.request_written ? outcome_class::outcome_unknown : outcome_class::retryable;
}

std::string net_error::describe() const {
  std::string text{to_string(code)};
  if (phase != net_phase::none) text += " during " + std::string{to_string(phase)};
  if (code == net_errc::http_status) text += " " + std::to_string(http_status);
  if (certificate != certificate_problem::none) text += " (" + std::string{to_string(certificate)} + ")";
  text += request_written ? " (request written)" : " (request not written)";
  if (!message.empty()) text += ": " + message;
  return text;
}

std::string_view to_string(net_errc value) noexcept {
  switch (value) {
    case net_errc::invalid_argument: return "invalid_argument";
    case net_errc::resolve_failed: return "resolve_failed";
    case net_errc::connect_failed: return "connect_failed";
    case net_errc::tls_handshake_failed: return "tls_handshake_failed";
    case net_errc::certificate_verification_failed: return "certificate_verification_failed";
    case net_errc::timeout: return "timeout";
    case net_errc::closed_by_peer: return "closed_by_peer";
    case net_errc::protocol_error: return "protocol_error";
    case net_errc::http_status: return "http_status";
    case net_errc::cancelled: return "cancelled";
    case net_errc::queue_full: return "queue_full";
  }
  return "unknown";
}

std::string_view to_string(net_phase value) noexcept {
  switch (value) {
    case net_phase::none: return "none";
    case net_phase::queue: return "queue";
    case net_phase::resolve: return "resolve";
    case net_phase::connect: return "connect";
    case net_phase::tls_handshake: return "tls_handshake";
    case net_phase::websocket_handshake: return "websocket_handshake";
    case net_phase::write: return "write";
    case net_phase::read: return "read";
  }
  return "unknown";
}

std::string_view to_string(certificate_problem value) noexcept {
  switch (value) {
    case certificate_problem::none: return "none";
    case certificate_problem::untrusted: return "untrusted";
    case certificate_problem::hostname_mismatch: return "hostname_mismatch";
    case certificate_problem::expired: return "expired";
    case certificate_problem::not_yet_valid: return "not_yet_valid";
    case certificate_problem::other: return "other";
  }
  return "unknown";
}

std::string_view to_string(outcome_class value) noexcept {
  switch (value) {
    case outcome_class::retryable: return "retryable";
    case outcome_class::fatal: return "fatal";
    case outcome_class::outcome_unknown: return "outcome_unknown";
  }
  return "unknown";
}

} // namespace tern::net
