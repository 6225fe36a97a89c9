#pragma once

// An in-process certificate authority for the simulator and tests: it makes a CA and server
// certificates (P-256 keys, OpenSSL 3 EVP) so every TLS test runs real verification against
// a CA the client was told to trust, with no files checked in and no "verify none".

#include <chrono>
#include <string>
#include <vector>

#include "core/expected.hpp"
#include "net/errors.hpp"

namespace tern::net {

/// A certificate and its private key, both PEM.
struct pem_key_pair {
  std::string certificate_pem;
  std::string private_key_pem;
};

/// Names a server certificate is valid for.
struct server_names {
  std::vector<std::string> dns_names{"localhost"};
  std::vector<std::string> ip_addresses{"127.0.0.1"};
};

/// A self-signed CA that issues server certificates. Copyable; holds PEM text only.
class certificate_authority {
 public:
  /// Generates the CA key and its self-signed certificate, valid from an hour ago (clock skew)
  /// for `validity`.
  static expected<certificate_authority, tls_error> create(
      const std::string& common_name = "Tern simulator CA",
      std::chrono::hours validity = std::chrono::hours{24 * 30});

  /// A server certificate (serverAuth, subjectAltName from `names`) signed by this CA.
  [[nodiscard]] expected<pem_key_pair, tls_error> issue_server_certificate(
      const server_names& names = {},
      std::chrono::hours validity = std::chrono::hours{24 * 30}) const;

  /// The CA certificate clients should trust.
  [[nodiscard]] const std::string& certificate_pem() const noexcept { return ca_.certificate_pem; }

  /// Writes the CA certificate to `path` (what a client's `trust_source::ca_file` reads).
  [[nodiscard]] expected<void, tls_error> write_certificate_pem(const std::string& path) const;

 private:
  explicit certificate_authority(pem_key_pair ca) : ca_(std::move(ca)) {}
  pem_key_pair ca_;
};

} // namespace tern::net
