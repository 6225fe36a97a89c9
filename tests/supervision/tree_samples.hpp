#pragma once

// A fixed health tree for rendering tests: a node whose exchange supervisor is restarting
// after a kill, and a strategies supervisor with a degraded feed.

#include <chrono>
#include <memory>

#include "supervision/health.hpp"
#include "supervision/health_board.hpp"

namespace tern::supervision::testing {

inline const timestamp sample_failure = from_unix_ms(1'700'000'000'250);
inline const timestamp sample_published = from_unix_ms(1'700'000'001'000);
inline const timestamp sample_now = from_unix_ms(1'700'000'003'000);

inline health_node sample_worker(std::string name, health_state state) {
  health_node node;
  node.name = std::move(name);
  node.state = state;
  node.restart = "permanent";
  node.since = sample_failure;
  return node;
}

inline health_node sample_tree() {
  health_node binance;
  binance.name = "binance";
  binance.kind = child_kind::supervisor;
  binance.state = health_state::restarting;
  binance.reason = "exit_reason(kill)";
  binance.strategy = "rest_for_one";
  binance.restart = "permanent";
  binance.restarts = 2;
  binance.last_failure = "exit_reason(kill)";
  binance.last_failure_time = sample_failure;
  binance.since = sample_failure;
  binance.children = {sample_worker("connection", health_state::stopped),
                      sample_worker("book", health_state::stopped)};

  auto feed = sample_worker("feed", health_state::degraded);
  feed.reason = "stale stream \"BTC-USDT\"";
  feed.mailbox_size = 3;
  health_node strategies;
  strategies.name = "strategies";
  strategies.kind = child_kind::supervisor;
  strategies.state = health_state::ready;
  strategies.strategy = "one_for_one";
  strategies.restart = "permanent";
  strategies.mailbox_size = 0;
  strategies.children = {feed};

  health_node root;
  root.name = "node";
  root.kind = child_kind::supervisor;
  root.state = health_state::ready;
  root.strategy = "one_for_one";
  root.children = {binance, strategies};
  return root;
}

inline board_snapshot snapshot_of(const health_node& tree) {
  return board_snapshot{std::make_shared<const health_node>(tree), 1, sample_published, nullptr};
}

} // namespace tern::supervision::testing
