#pragma once

// The exchange simulator as a whole: a certificate authority made at start (its certificate
// written where clients are told to find it), one TLS server per simulated exchange, the
// shared fault plan and request recorder, the clock (with a skew tests can move) and the
// control API (plain HTTP on the loopback: faults, records, clock, market pause/step, books).
// Used in process by tests and by `tern sim`.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/types.hpp"
#include "sim/exchange_host.hpp"
#include "sim/faults.hpp"
#include "sim/recorder.hpp"

namespace tern::net {
class io_runtime;
class http_server;
} // namespace tern::net

namespace tern::sim {

struct server_options {
  std::string host = "127.0.0.1";
  std::vector<exchange_setup> exchanges;
  /// Port of the control API; 0 picks one; nullopt serves none.
  std::optional<std::uint16_t> control_port = 0;
  /// Where to write the CA certificate (PEM) for clients; "" writes nothing.
  std::string ca_file;
  /// The simulator's clock; empty means the system clock. Tests may inject their own.
  std::function<timestamp()> clock;
  std::chrono::milliseconds clock_skew{0};
  bool start_paused = false;  ///< market drivers start paused (step them from tests)
  std::size_t io_threads = 2;
  std::uint64_t fault_seed = 7;  ///< for faults with a probability
};

class server {
 public:
  /// Makes the CA, builds every exchange and starts serving; fails naming what went wrong.
  static expected<std::unique_ptr<server>, std::string> start(server_options options);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Stops every exchange and the control API. Idempotent.
  void stop();

  [[nodiscard]] exchange_host* exchange(std::string_view name);
  [[nodiscard]] const std::vector<std::unique_ptr<exchange_host>>& exchanges() const noexcept {
    return exchanges_;
  }
  [[nodiscard]] fault_plan& faults() noexcept { return faults_; }
  [[nodiscard]] recorder& records() noexcept { return records_; }

  /// Moves the exchanges' clocks relative to the simulator's clock (a server-time fault).
  void set_clock_skew(std::chrono::milliseconds skew) { skew_ms_.store(skew.count()); }
  [[nodiscard]] std::chrono::milliseconds clock_skew() const { return std::chrono::milliseconds{skew_ms_.load()}; }
  /// The exchanges' time: the clock plus the skew.
  [[nodiscard]] timestamp exchange_now() const;

  [[nodiscard]] const std::string& host() const noexcept { return options_.host; }
  [[nodiscard]] std::uint16_t control_port() const noexcept { return control_port_; }
  [[nodiscard]] const std::string& ca_certificate_pem() const noexcept { return ca_pem_; }
  [[nodiscard]] const std::string& ca_file() const noexcept { return options_.ca_file; }
  /// One line per endpoint ("binance rest: https://127.0.0.1:PORT", ..., "control: ...",
  /// "ca: PATH"), what `tern sim` prints.
  [[nodiscard]] std::vector<std::string> endpoint_lines() const;

 private:
  explicit server(server_options options);
  expected<void, std::string> launch();

  server_options options_;
  std::atomic<std::int64_t> skew_ms_{0};
  fault_plan faults_;
  recorder records_;
  std::string ca_pem_;
  std::unique_ptr<net::io_runtime> runtime_;
  std::vector<std::unique_ptr<exchange_host>> exchanges_;
  std::unique_ptr<net::http_server> control_;
  std::uint16_t control_port_ = 0;
  bool stopped_ = false;
};

} // namespace tern::sim
