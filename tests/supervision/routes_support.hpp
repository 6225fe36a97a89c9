#pragma once

// Asking ops_routes directly, without sockets, for the route tests.

#include <catch2/catch.hpp>

#include <optional>
#include <string>

#include "supervision/ops_routes.hpp"

namespace tern::supervision::testing {

/// The remote address every test request comes from.
inline constexpr const char* test_remote = "127.0.0.1:1";

/// Sends one request and returns its answer; fails unless exactly one answer came at once.
inline ops_response ask(const ops_routes& routes, std::string method, std::string target,
                        std::string authorization = {}) {
  std::optional<ops_response> answer;
  int replies = 0;
  routes.handle({std::move(method), std::move(target), std::move(authorization), test_remote},
                [&](ops_response response) {
                  ++replies;
                  answer = std::move(response);
                });
  REQUIRE(replies == 1);
  return *answer;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace tern::supervision::testing
