#pragma once

// A small blocking client of the simulator's control API (sim/control_api.hpp), for tests that
// run the simulator as a `tern sim` child process and for tools. Plain HTTP/1.1 over a loopback
// socket, one connection per request, every wait bounded by the timeout.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/expected.hpp"
#include "sim/faults.hpp"

namespace tern::sim {

struct control_response {
  unsigned status = 0;
  std::string body;
};

class control_client {
 public:
  control_client(std::string host, std::uint16_t port,
                 std::chrono::milliseconds timeout = std::chrono::seconds{10})
      : host_(std::move(host)), port_(port), timeout_(timeout) {}

  /// One request; an error names what failed (connect, send, read, malformed answer).
  [[nodiscard]] expected<control_response, std::string> request(std::string_view method,
                                                                std::string_view target,
                                                                std::string_view body = {}) const;
  /// A request whose 2xx answer is JSON; any other status is an error quoting the answer.
  [[nodiscard]] expected<nlohmann::json, std::string> call(std::string_view method, std::string_view target,
                                                           const nlohmann::json& body = nullptr) const;

  expected<std::uint64_t, std::string> add_fault(const fault& value) const;
  expected<void, std::string> clear_faults() const;
  expected<void, std::string> set_clock_skew(std::chrono::milliseconds skew) const;
  [[nodiscard]] expected<nlohmann::json, std::string> records(std::uint64_t since = 0) const;
  [[nodiscard]] expected<nlohmann::json, std::string> status() const;

 private:
  std::string host_;
  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
};

} // namespace tern::sim
