#pragma once

// The health tree as JSON, for /health and the dashboard, and back again for `tern status`.
//
//   {"status": "restarting", "generated_at": "2026-11-24T22:13:01.023Z",
//    "generated_at_unix_ms": 1795...,  "updated_at": "...", "updated_at_unix_ms": ...,
//    "tree": {"name": "node", "path": "node", "kind": "supervisor", "state": "ready",
//             "overall": "restarting", "reason": "", "strategy": "one_for_one",
//             "restart": "", "restarts": 0, "since": "...", "since_unix_ms": ...,
//             "mailbox_size": 0, "last_failure": null, "children": [...]}}
//
// `state` is the node alone, `overall` the worst state in its subtree. `last_failure` is null
// or {"reason": "...", "time": "...", "unix_ms": ...}; `mailbox_size` is null when unknown.
//
// Two optional top-level members: "nodes", the links to peer nodes (supervision/node_links.hpp)
// once the cluster layer has published them, and "kill_switch" (supervision/json_parts.hpp)
// on a node that keeps a strategy board.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/types.hpp"
#include "supervision/health.hpp"
#include "supervision/health_board.hpp"
#include "supervision/kill_switch.hpp"
#include "supervision/node_links.hpp"

namespace tern::supervision {

/// A /health document read back.
struct health_document {
  health_node tree;
  timestamp generated_at{};
  timestamp updated_at{};
  std::optional<std::vector<node_link>> nodes;    ///< when the document had "nodes"
  std::optional<kill_switch_status> kill_switch; ///< when the document had "kill_switch"
};

/// The /health body for the board's latest tree at `now`. Without a tree yet, the document
/// has status "starting" and no "tree". With `kill_switch`, the document shows its state.
[[nodiscard]] std::string render_health_json(const board_snapshot& snapshot, timestamp now,
                                             const kill_switch_status* kill_switch = nullptr);

/// Reads a /health body; the error names what is missing or malformed.
[[nodiscard]] expected<health_document, std::string> parse_health_json(std::string_view text);

/// "2026-11-24T22:13:01.023Z" (UTC, milliseconds).
[[nodiscard]] std::string format_utc(timestamp time);
/// Reads what format_utc writes (the milliseconds may be left out); nothing if malformed.
[[nodiscard]] std::optional<timestamp> parse_utc(std::string_view text);

} // namespace tern::supervision
