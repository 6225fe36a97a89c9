#pragma once

// The latest health tree of a node, where the root supervisor leaves it and readers (the ops
// endpoint, `tern status`, tests) take it. Readers never wait on an actor: a hung supervisor
// leaves the last tree it published, with its age visible in `updated_at`.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <memory>
#include <mutex>
#include <vector>

#include "core/types.hpp"
#include "supervision/health.hpp"
#include "supervision/node_links.hpp"

namespace tern::supervision {

/// One published tree and when it arrived.
struct board_snapshot {
  std::shared_ptr<const health_node> tree; ///< null until the first publish
  std::uint64_t version = 0;               ///< counts publishes
  timestamp updated_at{};
  /// Extra top-level members of /health from other parts of the node, as key and JSON text, in
  /// key order.
  std::shared_ptr<const std::map<std::string, std::string>> sections;
  /// The peer links last published by the cluster layer; null when it never published (a
  /// single-node topology), so /health leaves "nodes" out.
  std::shared_ptr<const std::vector<node_link>> nodes;
};

/// Thread-safe holder of the latest tree.
class health_board {
 public:
  /// Stores `tree` as the latest, stamped with the wall-clock time.
  void publish(const health_node& tree);
  /// Stores the links to peer nodes as the latest (the cluster layer calls this on every
  /// change). Does not count as a tree publish: `version` is unchanged.
  void publish_nodes(std::vector<node_link> links);
  /// The latest tree, shared: cheap to take, safe to keep.
  [[nodiscard]] board_snapshot latest() const;
  /// Waits (real time, at most `timeout`) until the latest tree satisfies `condition`.
  /// Returns the tree that did, or an empty snapshot on timeout.
  board_snapshot await(const std::function<bool(const health_node&)>& condition,
                       std::chrono::milliseconds timeout) const;
  /// Waits (real time, at most `timeout`) for a publish after `version`; true if one came.
  bool await_newer(std::uint64_t version, std::chrono::milliseconds timeout) const;
  /// Sets the top-level /health member `key` to `json` (a complete JSON value).
  void publish_section(const std::string& key, std::string json);
  /// A publish function for tree_options::publish that feeds this board; the board must
  /// outlive the tree.
  [[nodiscard]] std::function<void(const health_node&)> publisher();

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  board_snapshot latest_;
};

/// The node at `path` ("root/exchange/book", names joined by '/'), or null.
[[nodiscard]] const health_node* find_node(const health_node& root, std::string_view path);

} // namespace tern::supervision
