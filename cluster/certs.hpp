#pragma once

// Certificates for a topology's links: one CA, and per node a key and a certificate the CA
// signed, with the node's host in its subjectAltName. For users who have no PKI of their own
// (`tern certs init`); any CA works as long as every node trusts the same one.
//
//   DIR/ca.key  DIR/ca.pem            the CA (keep ca.key off the nodes)
//   DIR/<node>.key  DIR/<node>.pem    each node's key (mode 0600) and certificate
//
// Keys are EC P-256; certificates are X.509 v3 signed with SHA-256.

#include <filesystem>
#include <string>
#include <vector>

#include "core/expected.hpp"

namespace tern::cluster {

struct cert_subject {
  std::string name; ///< the node name: the certificate's common name and file stem
  std::string host; ///< "127.0.0.1" or "book-a.example.net": an IP or a DNS subjectAltName
};

struct cert_request {
  std::filesystem::path folder;
  std::vector<cert_subject> nodes;
  int days = 365;
  /// False refuses to replace files that exist (a CA already in use must not be lost).
  bool overwrite = false;
};

/// The files written, in order (CA first).
[[nodiscard]] expected<std::vector<std::filesystem::path>, std::string>
create_certificates(const cert_request& request);

/// True when `cert` (PEM file) verifies against `ca` (PEM file); the error says why not.
[[nodiscard]] expected<void, std::string> verify_certificate(const std::filesystem::path& cert,
                                                             const std::filesystem::path& ca);

} // namespace tern::cluster
