#pragma once

// The node processes of `tern demo`: one `tern run` for a one-node topology, or with
// --distributed one `tern node` per node of the topology (certificates from
// `tern certs init`'s code where the config's files are missing), each logging to its own file
// in the run folder. The ops endpoint is the one the topology's ops node prints.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "apps/child_process.hpp"
#include "config/topology.hpp"
#include "core/expected.hpp"

namespace tern {
class signal_watch;
} // namespace tern

namespace tern::apps {

/// Starts `tern <command> --config CONFIG <extra...>` in `folder` with its output in
/// folder/<log_name>.log, and waits (at most `timeout`) for a line starting with `ready_prefix`;
/// the child and the rest of that line. Fails naming the log when the child did not get ready.
struct ready_child {
  child_process process;
  std::string line;
};
[[nodiscard]] expected<ready_child, std::string> start_ready_child(
    const std::string& command, const std::filesystem::path& config, const std::filesystem::path& folder,
    const std::string& log_name, const std::vector<std::string>& extra, const std::string& ready_prefix,
    std::chrono::milliseconds timeout, signal_watch& signals);

/// The processes that run a topology's components in the demo, in start order.
class demo_nodes {
 public:
  /// One `tern run` (`distributed` false) or one `tern node` per node of `topology` (loaded from
  /// `config`, the run folder's copy). Waits until every node listens and the ops node serves.
  [[nodiscard]] static expected<demo_nodes, std::string> start(const config::topology& topology,
                                                                const std::filesystem::path& config,
                                                                bool distributed,
                                                                signal_watch& signals);

  /// The ops endpoint's URL ("http://127.0.0.1:9280").
  [[nodiscard]] const std::string& ops_url() const noexcept { return ops_url_; }
  /// Empty while every process runs; else "the node 'okx' ended".
  [[nodiscard]] std::string which_ended();
  /// Stops them in reverse start order (the strategies' node first, the exchanges' last).
  void stop();
  /// "binance.log, okx.log, strategy.log" for the user.
  [[nodiscard]] std::string log_names() const;

 private:
  struct named_child {
    std::string name;
    child_process process;
  };
  std::vector<named_child> children_;
  std::string ops_url_;
};

/// Writes the CA and each node's key and certificate where `topology`'s "tls" entries say, when
/// none of those files exists yet (a demo's first run); nothing when all exist. Fails when some
/// exist and others not, or when the entries are not CA "ca.pem" and "<node>.pem"/"<node>.key"
/// in one folder (the layout `tern certs init` writes).
[[nodiscard]] expected<void, std::string> ensure_demo_certificates(const config::topology& topology);

} // namespace tern::apps
