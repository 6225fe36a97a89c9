#include "supervision/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace tern::supervision {
namespace {

using labels = std::vector<std::pair<std::string, std::string>>;

bool valid_name(std::string_view name, bool allow_colon) {
  if (name.empty())
    return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
                        || (allow_colon && c == ':');
    const bool digit = c >= '0' && c <= '9';
    if (!(letter || (digit && i > 0)))
      return false;
  }
  return true;
}

bool valid_label_name(std::string_view name) {
  return valid_name(name, false) && name.rfind("__", 0) != 0; // "__" is reserved
}

std::string escape(std::string_view text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quotes)
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

std::string format_value(double value) {
  if (std::isnan(value))
    return "NaN";
  if (std::isinf(value))
    return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string{buffer, result.ptr};
}

double seconds(timestamp time) {
  return static_cast<double>(to_unix_ms(time)) / 1000.0;
}

/// Why `family` cannot be rendered, or empty.
std::string check(const metric_family& family) {
  if (!valid_name(family.name, true))
    return "invalid metric name '" + family.name + "'";
  const bool total = family.name.size() > 6
                     && family.name.compare(family.name.size() - 6, 6, "_total") == 0;
  if (family.type == metric_type::counter && !total)
    return "counter '" + family.name + "' must end in _total";
  for (const auto& sample : family.samples)
    for (const auto& [label, value] : sample.labels)
      if (!valid_label_name(label))
        return "metric '" + family.name + "' has an invalid label name '" + label + "'";
  return {};
}

void write_family(std::string& out, const metric_family& family) {
  out += "# HELP " + family.name + " " + escape(family.help, false) + "\n";
  out += "# TYPE " + family.name + (family.type == metric_type::counter ? " counter\n"
                                                                        : " gauge\n");
  for (const auto& sample : family.samples) {
    out += family.name;
    if (!sample.labels.empty()) {
      out += '{';
      for (std::size_t i = 0; i < sample.labels.size(); ++i) {
        if (i > 0)
          out += ',';
        out += sample.labels[i].first + "=\"" + escape(sample.labels[i].second, true) + "\"";
      }
      out += '}';
    }
    out += ' ' + format_value(sample.value) + '\n';
  }
}

metric_family family(std::string name, std::string help, metric_type type) {
  return metric_family{std::move(name), std::move(help), type, {}};
}

} // namespace

std::uint64_t metrics_registry::add(std::string owner, metric_collector collector) {
  std::lock_guard lock{mutex_};
  const auto id = next_id_++;
  collectors_.emplace(id, std::make_pair(std::move(owner), std::move(collector)));
  return id;
}

void metrics_registry::remove(std::uint64_t id) {
  std::lock_guard lock{mutex_};
  collectors_.erase(id);
}

std::vector<metric_family> metrics_registry::collect() const {
  std::vector<metric_collector> collectors;
  {
    std::lock_guard lock{mutex_};
    for (const auto& entry : collectors_)
      collectors.push_back(entry.second.second);
  }
  std::vector<metric_family> families;
  for (const auto& collector : collectors) {
    auto more = collector();
    families.insert(families.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
  }
  return families;
}

std::vector<metric_family> supervision_metrics(const board_snapshot& snapshot) {
  auto state = family("tern_supervision_child_state",
                      "1 for the state the supervision tree node is in, 0 for the others.",
                      metric_type::gauge);
  auto restarts = family("tern_supervision_child_restarts_total",
                         "Restarts of the node by its current supervisor incarnation.",
                         metric_type::counter);
  auto failure = family("tern_supervision_child_last_failure_timestamp_seconds",
                        "Unix time of the node's last failure (only nodes that failed).",
                        metric_type::gauge);
  auto mailbox = family("tern_actor_mailbox_messages",
                        "Messages waiting in the actor's mailbox at its last health report.",
                        metric_type::gauge);
  auto overall = family("tern_supervision_tree_state",
                        "1 for the worst state anywhere in the supervision tree, 0 for others.",
                        metric_type::gauge);
  auto published = family("tern_supervision_tree_published_timestamp_seconds",
                          "Unix time the root supervisor last published the tree.",
                          metric_type::gauge);
  if (snapshot.tree) {
    for_each_node(*snapshot.tree, [&](const health_node& node, const std::string& path) {
      const auto slash = path.rfind('/');
      const labels where{{"supervisor", slash == std::string::npos ? "" : path.substr(0, slash)},
                         {"child", node.name}};
      for (const auto s : all_health_states) {
        auto with_state = where;
        with_state.emplace_back("state", std::string{to_string(s)});
        state.samples.push_back({std::move(with_state), s == node.state ? 1.0 : 0.0});
      }
      restarts.samples.push_back({where, static_cast<double>(node.restarts)});
      if (!node.last_failure.empty())
        failure.samples.push_back({where, seconds(node.last_failure_time)});
      if (node.mailbox_size >= 0)
        mailbox.samples.push_back({where, static_cast<double>(node.mailbox_size)});
    });
    const auto worst = overall_state(*snapshot.tree);
    for (const auto s : all_health_states)
      overall.samples.push_back({{{"state", std::string{to_string(s)}}}, s == worst ? 1.0 : 0.0});
    published.samples.push_back({{}, seconds(snapshot.updated_at)});
  }
  return {std::move(state),   std::move(restarts), std::move(failure),
          std::move(mailbox), std::move(overall),  std::move(published)};
}

rendered_metrics render_prometheus(const std::vector<metric_family>& families) {
  rendered_metrics out;
  std::vector<metric_family> merged;
  for (const auto& candidate : families) {
    if (auto problem = check(candidate); !problem.empty()) {
      out.problems.push_back(std::move(problem));
      continue;
    }
    auto same = std::find_if(merged.begin(), merged.end(),
                             [&](const metric_family& f) { return f.name == candidate.name; });
    if (same == merged.end()) {
      merged.push_back(candidate);
    } else if (same->type != candidate.type) {
      out.problems.push_back("metric '" + candidate.name + "' registered with two types");
    } else {
      same->samples.insert(same->samples.end(), candidate.samples.begin(),
                           candidate.samples.end());
    }
  }
  for (const auto& entry : merged)
    write_family(out.text, entry);
  return out;
}

} // namespace tern::supervision
