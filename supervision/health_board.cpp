#include "supervision/health_board.hpp"

namespace tern::supervision {

void health_board::publish(const health_node& tree) {
  auto copy = std::make_shared<const health_node>(tree);
  const auto now = std::chrono::time_point_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now());
  {
    std::lock_guard lock{mutex_};
    latest_.tree = std::move(copy);
    ++latest_.version;
    latest_.updated_at = now;
  }
  changed_.notify_all();
}

void health_board::publish_section(const std::string& key, std::string json) {
  {
    std::lock_guard lock{mutex_};
    // Copy on write: readers keep the map they took.
    auto sections = latest_.sections ? std::make_shared<std::map<std::string, std::string>>(
                                           *latest_.sections)
                                     : std::make_shared<std::map<std::string, std::string>>();
    (*sections)[key] = std::move(json);
    latest_.sections = std::move(sections);
  }
  changed_.notify_all();
}

void health_board::publish_nodes(std::vector<node_link> links) {
  auto shared = std::make_shared<const std::vector<node_link>>(std::move(links));
  {
    std::lock_guard lock{mutex_};
    latest_.nodes = std::move(shared);
  }
  changed_.notify_all();
}

board_snapshot health_board::latest() const {
  std::lock_guard lock{mutex_};
  return latest_;
}

board_snapshot health_board::await(const std::function<bool(const health_node&)>& condition,
                                   std::chrono::milliseconds timeout) const {
  std::unique_lock lock{mutex_};
  const bool met = changed_.wait_for(lock, timeout, [&] {
    return latest_.tree && condition(*latest_.tree);
  });
  return met ? latest_ : board_snapshot{};
}

bool health_board::await_newer(std::uint64_t version, std::chrono::milliseconds timeout) const {
  std::unique_lock lock{mutex_};
  return changed_.wait_for(lock, timeout, [&] { return latest_.version > version; });
}

std::function<void(const health_node&)> health_board::publisher() {
  return [this](const health_node& tree) { publish(tree); };
}

const health_node* find_node(const health_node& root, std::string_view path) {
  const auto slash = path.find('/');
  if (path.substr(0, slash) != root.name)
    return nullptr;
  if (slash == std::string_view::npos)
    return &root;
  const auto rest = path.substr(slash + 1);
  const auto next = rest.substr(0, rest.find('/'));
  for (const auto& child : root.children)
    if (child.name == next)
      return find_node(child, rest);
  return nullptr;
}

} // namespace tern::supervision
