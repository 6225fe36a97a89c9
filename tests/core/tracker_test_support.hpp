#pragma once

// Helpers for the order tracker tests: a tracker with the BTC-USDT buy of order_test_support
// started, and readers of what a call returned.

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "core/order_tracker.hpp"
#include "tests/core/order_test_support.hpp"

namespace tern::test {

using notice = tracker_notice_kind;

inline timestamp at(int ms) {
  return t0 + std::chrono::milliseconds{ms};
}

/// The kinds of the notices, in order.
inline std::vector<notice> kinds(const tracker_result& result) {
  std::vector<notice> out;
  for (const auto& n : result.notices) out.push_back(n.kind);
  return out;
}

inline std::size_t count_journal(const tracker_result& result, journal_entry::kind_type kind) {
  return static_cast<std::size_t>(
      std::count_if(result.journal.begin(), result.journal.end(),
                    [kind](const journal_entry& e) { return e.kind == kind; }));
}

/// A tracker with `buy_spec()` started at t0.
inline order_tracker started_tracker(order_tracker_options options = {}) {
  order_tracker tracker{options};
  auto started = tracker.start(buy_spec(), t0);
  if (!started) throw std::logic_error(started.error().message);
  return tracker;
}

inline place_ack ack_with(std::string exchange_order_id, int ms = 1) {
  place_ack ack;
  ack.exchange_order_id = std::move(exchange_order_id);
  ack.state = order_state::open;
  ack.exchange_time = at(ms);
  return ack;
}

/// The order as the exchange reports it in a status or open-orders answer.
inline exchange_order listed(order_state state, std::string client = client_id,
                             std::string exchange = exchange_id) {
  exchange_order report;
  report.pair = "BTC-USDT";
  report.client_order_id = std::move(client);
  report.exchange_order_id = std::move(exchange);
  report.state = state;
  report.order_side = side::buy;
  report.price = decimal::from_integer(30000);
  report.amount = decimal::from_integer(1);
  report.update_time = at(5);
  return report;
}

} // namespace tern::test
