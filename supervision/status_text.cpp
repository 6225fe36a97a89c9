#include "supervision/status_text.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "supervision/health_json.hpp"

namespace tern::supervision {
namespace {

const char* colour_of(health_state state) {
  switch (state) {
    case health_state::ready: return "\033[32m";
    case health_state::starting: return "\033[36m";
    case health_state::degraded: return "\033[33m";
    case health_state::restarting: return "\033[35m";
    case health_state::failed: return "\033[1;31m";
    case health_state::stopped: return "\033[90m";
  }
  return "";
}

constexpr const char* reset = "\033[0m";

/// One line of the tree before alignment: the tree-drawing prefix with the name, the rest.
struct line {
  std::string label;
  std::string detail;
};

std::string paint(const std::string& text, health_state state, bool colour) {
  return colour ? colour_of(state) + text + reset : text;
}

std::string describe(const health_node& node, const status_style& style) {
  std::string text;
  if (node.kind == child_kind::supervisor)
    text += "supervisor " + node.strategy + "  ";
  auto state = std::string{to_string(node.state)};
  if (!node.reason.empty())
    state += ": " + node.reason;
  text += paint(state, node.state, style.colour);
  if (node.restarts > 0)
    text += "  restarts " + std::to_string(node.restarts);
  if (node.mailbox_size > 0)
    text += "  mailbox " + std::to_string(node.mailbox_size);
  if (!node.last_failure.empty() && node.last_failure != node.reason)
    text += "  last failure " + format_utc(node.last_failure_time).substr(11, 12) + " "
            + node.last_failure;
  else if (!node.last_failure.empty())
    text += "  at " + format_utc(node.last_failure_time).substr(11, 12);
  return text;
}

void collect(const health_node& node, const std::string& prefix, bool last, bool root,
             const status_style& style, std::vector<line>& out) {
  line entry;
  const std::string branch = root ? "" : (last ? "└── " : "├── ");
  entry.label = prefix + branch + node.name;
  entry.detail = describe(node, style);
  out.push_back(std::move(entry));
  const std::string child_prefix = root ? "" : prefix + (last ? "    " : "│   ");
  for (std::size_t i = 0; i < node.children.size(); ++i)
    collect(node.children[i], child_prefix, i + 1 == node.children.size(), false, style, out);
}

/// Display width of a label: box-drawing characters take 3 bytes and one column.
std::size_t columns(const std::string& text) {
  std::size_t count = 0;
  for (const unsigned char c : text)
    if ((c & 0xC0U) != 0x80U) // count everything but UTF-8 continuation bytes
      ++count;
  return count;
}

} // namespace

std::string render_status_text(const health_node& root, const status_style& style) {
  std::vector<line> lines;
  collect(root, "", true, true, style, lines);
  std::size_t width = 0;
  for (const auto& entry : lines)
    width = std::max(width, columns(entry.label));
  const auto worst = overall_state(root);
  std::string out = root.name + "  " + paint(std::string{to_string(worst)}, worst, style.colour);
  if (style.updated_at != timestamp{}) {
    const auto age = std::chrono::duration<double>(style.now - style.updated_at).count();
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "  (tree updated %.1f s ago)", age < 0 ? 0.0 : age);
    out += buffer;
  }
  out += '\n';
  for (const auto& entry : lines)
    out += entry.label + std::string(width - columns(entry.label) + 2, ' ') + entry.detail + '\n';
  return out;
}

int status_exit_code(const health_node& root) noexcept {
  return overall_state(root) == health_state::failed ? 1 : 0;
}

} // namespace tern::supervision
