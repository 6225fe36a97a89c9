#pragma once

// HTTP vocabulary shared by the client and the server, free of Beast types.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tern::net {

/// Header fields in wire order; names compare case-insensitively.
using header_list = std::vector<std::pair<std::string, std::string>>;

/// The first value of header `name` (ASCII case-insensitive), if present.
[[nodiscard]] std::optional<std::string_view> find_header(const header_list& headers,
                                                          std::string_view name);

/// A request the HTTPS client sends.
struct http_request {
  std::string method = "GET"; ///< any standard verb, upper case
  std::string target = "/";   ///< path plus query string
  header_list headers;        ///< Host, User-Agent and Accept-Encoding are added unless given
  std::string body;
  /// Budget for writing the request and reading the whole response, and for waiting for a
  /// pooled connection; zero takes the client's default.
  std::chrono::nanoseconds timeout{};
};

/// A response the HTTPS client received. The body is already decoded when the server sent
/// it gzip- or deflate-encoded; `headers` are as received (Content-Encoding included).
struct http_response {
  unsigned status = 0;
  header_list headers;
  std::string body;
  bool connection_reused = false; ///< sent on a pooled keep-alive connection

  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const {
    return find_header(headers, name);
  }
};

} // namespace tern::net
