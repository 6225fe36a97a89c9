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

namespace tern::supervision {

struct status_style {
  bool colour = false;
  timestamp now{};        ///< for "updated N s ago"
  timestamp updated_at{}; ///< when the root last published; zero: not shown
};

/// The tree as lines of text, ending in a newline.
[[nodiscard]] std::string render_status_text(const health_node& root, const status_style& style);

/// The exit status `tern status` uses: 0 when nothing in the tree has failed, 1 otherwise.
[[nodiscard]] int status_exit_code(const health_node& root) noexcept;

} // namespace tern::supervision
