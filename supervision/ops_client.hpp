#pragma once

// A small blocking HTTP/1.1 client for the ops endpoint: what `tern status` and the tests use
// to read /health, /metrics and the probes. Plain HTTP over a POSIX socket (the endpoint is
// loopback HTTP), one request per connection, every step bounded by the timeout.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace tern::supervision {

struct ops_endpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 9180;
};

/// Reads "host:port", "[v6-address]:port" or "http://host:port"; the error quotes the input.
[[nodiscard]] expected<ops_endpoint, std::string> parse_endpoint(std::string_view text);

struct fetched_response {
  unsigned status = 0;
  std::string content_type;
  std::string body;
};

/// Sends one request and reads the whole response, or says what failed (connection refused,
/// timeout, malformed response), naming the endpoint.
[[nodiscard]] expected<fetched_response, std::string> fetch(
    const ops_endpoint& endpoint, std::string_view method, std::string_view target,
    std::chrono::milliseconds timeout = std::chrono::seconds{5},
    std::string_view authorization = {});

} // namespace tern::supervision
