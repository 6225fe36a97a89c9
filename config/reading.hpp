#pragma once

// Internal to config/: the section readers the loader runs, in order, over one document.

#include <filesystem>
#include <map>
#include <set>
#include <string>

#include "config/reader.hpp"
#include "config/topology.hpp"

namespace tern::config::detail {

/// The topology as read so far plus what later sections need to check their references
/// without piling up follow-on errors: when a section had an entry whose name could not be
/// read, a reference to an unknown name may mean that entry, so it is not reported again.
struct read_state {
  topology result;
  std::filesystem::path base_dir;
  bool node_names_complete = true;
  bool exchange_names_complete = true;
  std::set<std::string> exchanges_with_unread_markets;
};

/// Reports a second use of a name, pointing at the first.
class unique_names {
 public:
  explicit unique_names(std::string what) : what_(std::move(what)) {}
  /// False (and an error at `pointer`) when `name` was seen before.
  bool insert(reader_context& context, const std::string& name, const std::string& pointer);

 private:
  std::string what_;
  std::map<std::string, std::string> first_pointer_;
};

/// A market written BASE-QUOTE in capitals, e.g. "BTC-USDT" (with a did-you-mean for "btc/usdt").
struct market_field {
  [[nodiscard]] std::string describe() const { return "a market written BASE-QUOTE in capitals, e.g. \"BTC-USDT\""; }
  std::optional<std::string> operator()(const value_at& at) const;
};

/// Reads "node": the name of a configured node; optional when exactly one node exists.
std::string read_node_reference(object_reader& object, const read_state& state);
/// Reads an optional "supervision" object whose keys default to `defaults`.
supervision_policy read_supervision(object_reader& parent, const supervision_policy& defaults);
/// `path` made absolute against the config file's folder.
std::filesystem::path resolve_path(const read_state& state, const std::string& path);

void read_nodes(object_reader& root, read_state& state);
void read_exchanges(object_reader& root, read_state& state);
void read_strategies(object_reader& root, read_state& state);
void read_ops(object_reader& root, read_state& state);
void read_logging(object_reader& root, read_state& state);
void read_cluster(object_reader& root, read_state& state);
void read_simulator(object_reader& root, read_state& state);

} // namespace tern::config::detail
