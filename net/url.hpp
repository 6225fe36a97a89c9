#pragma once

// Splits the URLs connectors configure ("wss://stream.example.com:9443/ws") into the parts a
// connection needs. Pure.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "net/errors.hpp"

namespace tern::net {

/// A parsed absolute URL. `host` has no IPv6 brackets; `target` is path plus query, at
/// least "/".
struct url_parts {
  std::string scheme; ///< lower case: "https", "wss", "http" or "ws"
  std::string host;
  std::uint16_t port = 0;
  std::string target = "/";

  [[nodiscard]] bool secure() const noexcept { return scheme == "https" || scheme == "wss"; }
  /// The Host header value: the host, plus ":port" when it is not the scheme's default.
  [[nodiscard]] std::string host_header() const;
};

/// Parses http, https, ws and wss URLs; the port defaults to 80 or 443. Fragments are
/// dropped; user info is refused (credentials never belong in a URL).
[[nodiscard]] expected<url_parts, net_error> parse_url(std::string_view url);

/// True for a literal IPv4 or IPv6 address (which gets no SNI and is matched against the
/// certificate's IP entries instead of its DNS names).
[[nodiscard]] bool is_ip_literal(std::string_view host);

} // namespace tern::net
