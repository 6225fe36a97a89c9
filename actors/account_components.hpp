#pragma once

// The exchange-account components of a node's supervision tree (supervision/node_tree.hpp),
// and what they share: one account_context per account and the io threads every connection
// runs on. `tern run` builds one account_runtime from the topology, adds each account on the
// node, and hands `components()` to build_tree; tests build an account's subtree directly with
// `account_tree`.
//
// An account's children, in start order (node_tree plans the same):
//   services, connection, book.<PAIR>..., and with credentials user_stream, orders, exchange.
// Recovery after a restart: a book re-snapshots (after_restart sends resync_atom); the order
// tracker reloads its journal and reconciles with the exchange (it does so on every start, and
// after_restart sends reconcile_atom).

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "actors/account_context.hpp"
#include "core/expected.hpp"
#include "supervision/node_tree.hpp"
#include "supervision/supervisor.hpp"

namespace tern::net {
class io_runtime;
} // namespace tern::net

namespace tern {

class account_runtime {
 public:
  explicit account_runtime(std::size_t io_threads = 1);
  /// Closes every account's HTTPS pool and stops the io threads. Destroy the actor system (or
  /// stop the tree) first, so no actor still holds a connection.
  ~account_runtime();
  account_runtime(const account_runtime&) = delete;
  account_runtime& operator=(const account_runtime&) = delete;

  /// Adds an account; fails (naming the account) when its connector, endpoints or trust store
  /// cannot be set up, or the name is taken.
  expected<account_context_ptr, std::string> add(account_settings settings);
  /// The account named `name`, or null.
  [[nodiscard]] account_context_ptr find(std::string_view name) const;

  /// Component factories by name, for supervision::build_tree: "services", "connection",
  /// "order_book", "user_stream", "order_tracker", "exchange". Each reads the account from
  /// the planned worker's "exchange" setting (and "market" for books).
  [[nodiscard]] supervision::component_registry components();

  /// The child spec of one component of account `name` (the names above; "order_book" needs
  /// `market`). Throws std::invalid_argument for an unknown account or component.
  [[nodiscard]] supervision::child_spec component(const std::string& name,
                                                  const std::string& kind,
                                                  const std::string& market = {});

  /// The whole subtree of account `name`, children in the node tree's order.
  [[nodiscard]] supervision::supervisor_spec account_tree(const std::string& name,
                                                          supervision::supervisor_policy policy);

  [[nodiscard]] net::io_runtime& io() noexcept { return *io_; }

 private:
  std::unique_ptr<net::io_runtime> io_;
  std::map<std::string, account_context_ptr, std::less<>> accounts_;
};

} // namespace tern
