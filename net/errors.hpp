#pragma once

// Typed transport errors and the one question the order layer asks of them: may the request
// have reached the server? A retry is safe only when the answer is certainly "no".

#include <cstdint>
#include <string>
#include <string_view>

namespace tern::net {

/// What went wrong in the transport.
enum class net_errc : std::uint8_t {
  invalid_argument,                ///< a malformed URL or option: a bug, not a network event
  resolve_failed,                  ///< DNS gave no address
  connect_failed,                  ///< TCP connect refused or unreachable
  tls_handshake_failed,            ///< TLS failed for a reason other than the certificate
  certificate_verification_failed, ///< the peer's certificate is not trusted for this host
  timeout,                         ///< a phase ran out of time (see `net_error::phase`)
  closed_by_peer,                  ///< EOF or reset from the server
  protocol_error,                  ///< malformed HTTP/WebSocket, oversized or undecodable body
  http_status,                     ///< the server answered with a status the caller rejects
  cancelled,                       ///< the client was closed while the operation ran
  queue_full,                      ///< too many requests waiting; nothing was sent
};

/// Where the operation was when it failed.
enum class net_phase : std::uint8_t {
  none,
  queue,               ///< waiting for a pooled connection
  resolve,
  connect,
  tls_handshake,
  websocket_handshake,
  write,               ///< sending the request or frame
  read,                ///< waiting for the response or the next frame
};

/// Why the certificate was refused, when it was.
enum class certificate_problem : std::uint8_t {
  none,
  untrusted,         ///< no path to a trusted CA (self-signed, unknown issuer)
  hostname_mismatch, ///< valid chain, but not issued for the expected host or IP
  expired,
  not_yet_valid,
  other,
};

/// What a caller may do after the error.
enum class outcome_class : std::uint8_t {
  retryable,       ///< the request certainly did not reach the server: retry is safe
  fatal,           ///< retrying the same thing cannot help (bad certificate, bad argument,
                   ///< a definite refusal): escalate, never retry blindly
  outcome_unknown, ///< the server may have acted on it: resolve by stream or reconciliation,
                   ///< never treat as rejected and never resend blindly
};

/// One transport failure. `request_written` is the fact everything hinges on: true as soon
/// as the first byte of the request was handed to the socket, because from then on the
/// server may have received it all (a partial write counts as written).
struct net_error {
  net_errc code = net_errc::protocol_error;
  net_phase phase = net_phase::none;
  bool request_written = false;
  certificate_problem certificate = certificate_problem::none; ///< set with certificate errors
  unsigned http_status = 0;                                    ///< set with http_status
  std::string message;                                         ///< names what failed, no secrets

  /// "timeout during read (request written): ..." for logs.
  [[nodiscard]] std::string describe() const;
};

/// Why a TLS context or a certificate could not be built; `message` names the file or step.
struct tls_error {
  std::string message;
};

/// Classification of an HTTP status returned by a server: 5xx, 408 and 429 leave the
/// outcome unknown (the server may have acted, or may act, on the request); any other
/// non-2xx status is a definite refusal (`fatal`); 1xx-2xx are not errors and give
/// `retryable` only as a placeholder that callers never consult.
[[nodiscard]] outcome_class classify_http_status(unsigned status) noexcept;

/// The table in docs/net.md: invalid arguments and certificate failures are fatal; once the
/// request was written anything else is outcome_unknown; before that it is retryable.
[[nodiscard]] outcome_class classify(const net_error& error) noexcept;

[[nodiscard]] std::string_view to_string(net_errc value) noexcept;
[[nodiscard]] std::string_view to_string(net_phase value) noexcept;
[[nodiscard]] std::string_view to_string(certificate_problem value) noexcept;
[[nodiscard]] std::string_view to_string(outcome_class value) noexcept;

} // namespace tern::net
