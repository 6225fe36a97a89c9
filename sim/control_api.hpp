#pragma once

// The simulator's control API: JSON over plain HTTP on the loopback, for tests in other
// processes and for users of `tern sim`. Routes (bodies and answers are JSON):
//
//   GET    /status                      exchanges, their endpoints, paused, clock skew
//   GET    /faults                      active faults
//   POST   /faults                      add one fault (sim/faults.hpp) -> {"id": N}
//   DELETE /faults, /faults/N           clear all, or one
//   GET    /records?since=N             requests received after sequence N
//   DELETE /records                     forget them
//   GET    /clock, PUT /clock           {"skew_ms": N}: move the exchanges' clocks
//   POST   /market/pause, /market/resume, /market/step   {"exchange": "...", "count": N}
//   GET    /book?exchange=E&symbol=S&depth=N            the engine's book and its update id

#include "net/http_server.hpp"

namespace tern::sim {

class server;

/// Answers one control request. Runs on an io thread; waits for exchange threads when it
/// reads or changes their state.
[[nodiscard]] net::server_response handle_control_request(server& sim, const net::server_request& request);

} // namespace tern::sim
