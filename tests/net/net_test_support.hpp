#pragma once

// Shared by the transport tests: a CA and server certificate made once, TLS contexts, and a
// thread-safe collector that waits (bounded) for events from io threads. No sleeps.

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

#include "net/certificate_authority.hpp"
#include "net/http_server.hpp"
#include "net/io_runtime.hpp"
#include "net/tls.hpp"

namespace tern::net::testing {

/// The simulator's setup in miniature: a CA, a certificate for localhost and 127.0.0.1.
struct test_pki {
  certificate_authority ca;
  pem_key_pair server;

  static const test_pki& get() {
    static const test_pki pki = [] {
      auto ca = certificate_authority::create("Tern test CA");
      REQUIRE(ca.has_value());
      auto server = ca->issue_server_certificate();
      REQUIRE(server.has_value());
      return test_pki{*ca, *server};
    }();
    return pki;
  }
};

inline tls_context_ptr server_tls() {
  auto context = make_server_tls_context(test_pki::get().server.certificate_pem,
                                         test_pki::get().server.private_key_pem);
  REQUIRE(context.has_value());
  return *context;
}

/// A client context trusting the test CA only.
inline tls_context_ptr client_tls() {
  tls_client_options options;
  options.trust = trust_source::ca_pem;
  options.ca_pem = test_pki::get().ca.certificate_pem();
  auto context = make_client_tls_context(options);
  REQUIRE(context.has_value());
  return *context;
}

/// Collects values pushed from any thread; `wait_for` blocks until enough arrived.
template <class T>
class collector {
 public:
  void push(T value) {
    // Notified under the lock: a waiter that returns may destroy the collector at once,
    // so nothing may touch it after the mutex is released.
    std::lock_guard lock{mutex_};
    values_.push_back(std::move(value));
    changed_.notify_all();
  }

  /// True once at least `count` values arrived, false after `limit`.
  bool wait_for(std::size_t count, std::chrono::milliseconds limit = std::chrono::seconds{10}) {
    std::unique_lock lock{mutex_};
    return changed_.wait_for(lock, limit, [&] { return values_.size() >= count; });
  }

  /// True once `predicate(values)` holds, false after `limit`.
  bool wait_until(const std::function<bool(const std::vector<T>&)>& predicate,
                  std::chrono::milliseconds limit = std::chrono::seconds{10}) {
    std::unique_lock lock{mutex_};
    return changed_.wait_for(lock, limit, [&] { return predicate(values_); });
  }

  std::vector<T> snapshot() const {
    std::lock_guard lock{mutex_};
    return values_;
  }
  std::size_t size() const {
    std::lock_guard lock{mutex_};
    return values_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<T> values_;
};

/// A running http_server (TLS if `options.tls` is set) on 127.0.0.1 with its own runtime.
/// Records every request in `seen`; with no handler, keeps each responder in `held` for
/// the test to answer.
struct http_peer {
  explicit http_peer(request_handler handler = {}, http_server_options options = {}) {
    server = std::make_unique<http_server>(runtime.context(), std::move(options),
                                           [this, handler = std::move(handler)](server_request r, responder reply) {
                                             seen.push(r);
                                             if (handler) handler(std::move(r), std::move(reply));
                                             else held.push(std::move(reply));
                                           });
    runtime.start();
    auto started = server->start();
    REQUIRE(started.has_value());
    port = *started;
  }

  io_runtime runtime{2};
  // Between the runtime and the server: destroyed after the server stops calling handlers,
  // and before the io_context that held responders' connections belong to.
  collector<server_request> seen;
  collector<responder> held;
  std::unique_ptr<http_server> server;
  std::uint16_t port = 0;
};

} // namespace tern::net::testing
