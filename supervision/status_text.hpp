#pragma once

// The supervision tree for a terminal, as `tern status` prints it:
//
//   node  restarting  (tree updated 0.4 s ago)
//   node                  supervisor one_for_one  ready
//   ├── binance           supervisor rest_for_one  restarting  restarts 2  last failure
//   │                                                            22:13:01 exit_reason(kill)
//   │   ├── connection    ready
//   │   └── book          degraded: stale stream   mailbox 3
//   └── strategies        ...
//
// Colours (ANSI) when asked: green ready, cyan starting, yellow degraded, magenta restarting,
// red failed, grey stopped.

#include <string>

#include "core/types.hpp"
#include "supervision/health.hpp"
#include "supervision/node_links.hpp"
#include "supervision/strategy_json.hpp"

namespace tern::supervision {

struct status_style {
  bool colour = false;
  timestamp now{};        ///< for "updated N s ago"
  timestamp updated_at{}; ///< when the root last published; zero: not shown
};

/// The tree as lines of text, ending in a newline.
[[nodiscard]] std::string render_status_text(const health_node& root, const status_style& style);

/// The strategies as `tern status` prints them below the tree, one block per strategy:
///
///   strategies  (kill switch armed, not pulled)
///   arb-btc  arbitrage  running  P&L 3.2 USDT (binance 1.7, okx 1.5)
///            opportunities 12  orders 8  fills 7  open orders 2
///            balances binance BTC 0.5 (0.4 free), okx USDT 1000 (1000 free)
///
/// Empty when there are no strategies.
[[nodiscard]] std::string render_strategies_text(const strategies_document& document,
                                                 const status_style& style);

/// The links to peer nodes, one line each; empty when there are none.
///
///   nodes
///   books-eu  10.0.0.2:4242  connected  latency 310 us
///   books-us  10.0.0.3:4242  lost: heartbeat timeout  last loss 22:13:01.023
[[nodiscard]] std::string render_nodes_text(const std::vector<node_link>& links,
                                            const status_style& style);

/// The exit status `tern status` uses: 0 when nothing in the tree has failed, 1 otherwise.
[[nodiscard]] int status_exit_code(const health_node& root) noexcept;

} // namespace tern::supervision
