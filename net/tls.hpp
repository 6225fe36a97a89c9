#pragma once

// Client and server TLS contexts. Clients always verify the peer: TLS 1.2 or newer, a
// certificate chain to a trusted CA, and the certificate issued for the host we meant to
// reach. There is deliberately no way to turn verification off; tests trust the simulator's
// CA instead (see certificate_authority.hpp).

#include <memory>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "net/errors.hpp"

namespace boost::asio::ssl {
class context;
} // namespace boost::asio::ssl

struct ssl_st; // OpenSSL's SSL

namespace tern::net {

/// An Asio TLS context, shared by every connection made with it.
using tls_context_ptr = std::shared_ptr<boost::asio::ssl::context>;

/// Where a client's trusted CAs come from.
enum class trust_source : std::uint8_t {
  system_default, ///< the operating system's store (production)
  ca_file,        ///< a PEM bundle file, e.g. the CA the simulator wrote at start
  ca_pem,         ///< PEM text held in memory
};

struct tls_client_options {
  trust_source trust = trust_source::system_default;
  std::string ca_file; ///< with trust_source::ca_file
  std::string ca_pem;  ///< with trust_source::ca_pem
};

/// A client context: TLS 1.2+, verify_peer, the configured trust store. Fails when the
/// trust store cannot be loaded (a missing file is an error, never "trust nothing checked").
[[nodiscard]] expected<tls_context_ptr, tls_error> make_client_tls_context(
    const tls_client_options& options);

/// A server context: TLS 1.2+, the certificate chain and private key given as PEM.
[[nodiscard]] expected<tls_context_ptr, tls_error> make_server_tls_context(
    std::string_view certificate_chain_pem, std::string_view private_key_pem);

/// Prepares one client connection before its handshake: SNI (for names, not IP literals) and
/// OpenSSL's own host check (`SSL_set1_host`, or the IP check for literals), so a mismatch
/// fails the handshake with a typed verify result.
[[nodiscard]] expected<void, net_error> prepare_client_session(ssl_st* session,
                                                               std::string_view expected_host);

/// After a failed handshake: which certificate check failed, or `none` when the
/// certificate was not the problem.
[[nodiscard]] certificate_problem certificate_failure(const ssl_st* session);

/// The OpenSSL text for the verify result of a failed handshake ("certificate has expired").
[[nodiscard]] std::string certificate_failure_text(const ssl_st* session);

} // namespace tern::net
