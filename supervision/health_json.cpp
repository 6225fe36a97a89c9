#include "supervision/health_json.hpp"

#include <array>
#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "supervision/json_parts.hpp"

namespace tern::supervision {
namespace {

using json = nlohmann::json;

json node_to_json(const health_node& node, const std::string& path) {
  json out{
      {"name", node.name},
      {"path", path},
      {"kind", std::string{to_string(node.kind)}},
      {"state", std::string{to_string(node.state)}},
      {"overall", std::string{to_string(overall_state(node))}},
      {"reason", node.reason},
      {"strategy", node.strategy},
      {"restart", node.restart},
      {"restarts", node.restarts},
      {"since", format_utc(node.since)},
      {"since_unix_ms", to_unix_ms(node.since)},
  };
  out["mailbox_size"] = node.mailbox_size >= 0 ? json(node.mailbox_size) : json(nullptr);
  if (node.last_failure.empty())
    out["last_failure"] = nullptr;
  else
    out["last_failure"] = json{{"reason", node.last_failure},
                               {"time", format_utc(node.last_failure_time)},
                               {"unix_ms", to_unix_ms(node.last_failure_time)}};
  auto children = json::array();
  for (const auto& child : node.children)
    children.push_back(node_to_json(child, path + "/" + child.name));
  out["children"] = std::move(children);
  return out;
}

/// Reads `key` of `object` as T, naming `where` in the error.
template <class T>
expected<T, std::string> field(const json& object, const char* key, const std::string& where) {
  const auto found = object.find(key);
  if (found == object.end())
    return unexpected{where + ": missing \"" + key + "\""};
  try {
    return found->get<T>();
  } catch (const json::exception&) {
    return unexpected{where + ": \"" + key + "\" has the wrong type"};
  }
}

expected<health_node, std::string> node_from_json(const json& object, const std::string& where) {
  if (!object.is_object())
    return unexpected{where + ": not an object"};
  health_node node;
  auto name = field<std::string>(object, "name", where);
  if (!name)
    return unexpected{name.error()};
  node.name = std::move(*name);
  const auto here = where + "/" + node.name;
  auto state = field<std::string>(object, "state", here);
  if (!state)
    return unexpected{state.error()};
  const auto parsed = parse_health_state(*state);
  if (!parsed)
    return unexpected{here + ": unknown state '" + *state + "'"};
  node.state = *parsed;
  node.kind = object.value("kind", "worker") == "supervisor" ? child_kind::supervisor
                                                             : child_kind::worker;
  node.reason = object.value("reason", "");
  node.strategy = object.value("strategy", "");
  node.restart = object.value("restart", "");
  node.restarts = object.value("restarts", std::uint64_t{0});
  node.since = from_unix_ms(object.value("since_unix_ms", std::int64_t{0}));
  const auto mailbox = object.find("mailbox_size");
  node.mailbox_size = mailbox != object.end() && mailbox->is_number_integer()
                          ? mailbox->get<std::int64_t>()
                          : -1;
  const auto failure = object.find("last_failure");
  if (failure != object.end() && failure->is_object()) {
    node.last_failure = failure->value("reason", "");
    node.last_failure_time = from_unix_ms(failure->value("unix_ms", std::int64_t{0}));
  }
  const auto children = object.find("children");
  if (children != object.end() && children->is_array()) {
    for (const auto& child : *children) {
      auto parsed_child = node_from_json(child, here);
      if (!parsed_child)
        return unexpected{parsed_child.error()};
      node.children.push_back(std::move(*parsed_child));
    }
  }
  return node;
}

json link_to_json(const node_link& link) {
  return json{{"name", link.name},
              {"address", link.address},
              {"state", std::string{to_string(link.state)}},
              {"latency_us", link.latency_us ? json(*link.latency_us) : json(nullptr)},
              {"last_loss", link.last_loss ? json(format_utc(*link.last_loss)) : json(nullptr)},
              {"reason", link.reason},
              {"losses", link.losses}};
}

expected<std::vector<node_link>, std::string> links_from_json(const json& array) {
  if (!array.is_array())
    return unexpected{std::string{"nodes: not an array"}};
  std::vector<node_link> links;
  for (const auto& item : array) {
    const auto where = "nodes[" + std::to_string(links.size()) + "]";
    if (!item.is_object())
      return unexpected{where + ": not an object"};
    node_link link;
    link.name = item.value("name", "");
    link.address = item.value("address", "");
    const auto state = item.value("state", "");
    const auto parsed = parse_link_state(state);
    if (!parsed)
      return unexpected{where + ": unknown state '" + state + "'"};
    link.state = *parsed;
    const auto latency = item.find("latency_us");
    if (latency != item.end() && latency->is_number_integer())
      link.latency_us = latency->get<std::int64_t>();
    const auto loss = item.find("last_loss");
    if (loss != item.end() && loss->is_string()) {
      link.last_loss = parse_utc(loss->get<std::string>());
      if (!link.last_loss)
        return unexpected{where + ": last_loss is not a UTC time: '" + loss->get<std::string>()
                          + "'"};
    }
    link.reason = item.value("reason", "");
    link.losses = item.value("losses", std::uint64_t{0});
    links.push_back(std::move(link));
  }
  return links;
}

/// The optional members of a /health document, read into `document`.
expected<void, std::string> read_extras(const json& parsed, health_document& document) {
  try {
    if (const auto nodes = parsed.find("nodes"); nodes != parsed.end() && !nodes->is_null()) {
      auto links = links_from_json(*nodes);
      if (!links)
        return unexpected{links.error()};
      document.nodes = std::move(*links);
    }
    if (const auto kill = parsed.find("kill_switch"); kill != parsed.end() && !kill->is_null()) {
      auto status = json_parts::kill_switch_from_json(*kill);
      if (!status)
        return unexpected{status.error()};
      document.kill_switch = std::move(*status);
    }
  } catch (const json::exception&) {
    return unexpected{std::string{"nodes: a field has the wrong type"}};
  }
  return {};
}

} // namespace

std::optional<timestamp> parse_utc(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  const std::string copy{text};
  int consumed = 0;
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6)
    return std::nullopt;
  auto rest = std::string_view{copy}.substr(static_cast<std::size_t>(consumed));
  if (rest.size() == 5 && rest[0] == '.') {
    int digits = 0;
    if (std::sscanf(copy.c_str() + consumed, ".%3d%n", &millis, &digits) != 1 || digits != 4)
      return std::nullopt;
    rest = rest.substr(4);
  }
  if (rest != "Z" || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59
      || second > 60)
    return std::nullopt;
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  const auto seconds = ::timegm(&parts);
  return from_unix_ms(static_cast<std::int64_t>(seconds) * 1000 + millis);
}

std::string format_utc(timestamp time) {
  const auto ms = to_unix_ms(time);
  const auto seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  const auto millis = static_cast<int>(ms - static_cast<std::int64_t>(seconds) * 1000);
  std::tm parts{};
  ::gmtime_r(&seconds, &parts);
  std::array<char, 96> text{}; // room for any int the compiler cannot rule out
  std::snprintf(text.data(), text.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
                parts.tm_min, parts.tm_sec, millis);
  return text.data();
}

std::string render_health_json(const board_snapshot& snapshot, timestamp now,
                               const kill_switch_status* kill_switch) {
  json out;
  out["generated_at"] = format_utc(now);
  out["generated_at_unix_ms"] = to_unix_ms(now);
  if (snapshot.sections)
    for (const auto& [key, text] : *snapshot.sections) {
      auto value = json::parse(text, nullptr, false);
      out[key] = value.is_discarded() ? json(nullptr) : std::move(value);
    }
  if (snapshot.nodes) {
    auto nodes = json::array();
    for (const auto& link : *snapshot.nodes)
      nodes.push_back(link_to_json(link));
    out["nodes"] = std::move(nodes);
  }
  if (kill_switch)
    out["kill_switch"] = json_parts::kill_switch_to_json(*kill_switch);
  if (!snapshot.tree) {
    out["status"] = std::string{to_string(health_state::starting)};
    out["tree"] = nullptr;
    return out.dump();
  }
  out["status"] = std::string{to_string(overall_state(*snapshot.tree))};
  out["updated_at"] = format_utc(snapshot.updated_at);
  out["updated_at_unix_ms"] = to_unix_ms(snapshot.updated_at);
  out["tree"] = node_to_json(*snapshot.tree, snapshot.tree->name);
  return out.dump();
}

expected<health_document, std::string> parse_health_json(std::string_view text) {
  const auto parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    return unexpected{std::string{"the health document is not a JSON object"}};
  const auto tree = parsed.find("tree");
  if (tree == parsed.end() || tree->is_null())
    return unexpected{std::string{"the node has not published its supervision tree yet"}};
  auto node = node_from_json(*tree, "tree");
  if (!node)
    return unexpected{node.error()};
  health_document document;
  document.tree = std::move(*node);
  document.generated_at = from_unix_ms(parsed.value("generated_at_unix_ms", std::int64_t{0}));
  document.updated_at = from_unix_ms(parsed.value("updated_at_unix_ms", std::int64_t{0}));
  if (auto extras = read_extras(parsed, document); !extras)
    return unexpected{extras.error()};
  return document;
}

} // namespace tern::supervision
