#include "supervision/ops_routes.hpp"

#include <charconv>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include <spdlog/spdlog.h>

#include "supervision/health_json.hpp"
#include "supervision/json_parts.hpp"
#include "supervision/strategy_json.hpp"

namespace tern::supervision {
namespace {

constexpr const char* json_type = "application/json";

ops_response text(unsigned status, std::string body) {
  ops_response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0
               && hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

/// Compares without returning early, so the time taken says nothing about the token.
bool same_secret(std::string_view given, std::string_view expected) {
  if (expected.empty())
    return false;
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i)
    difference |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
  return difference == 0;
}

/// Kubernetes-style check lines: "[+]root/book ok" or "[-]root/book restarting: why".
std::string check_lines(const health_node& tree, bool (*passes)(health_state)) {
  std::string out;
  for_each_node(tree, [&](const health_node& node, const std::string& path) {
    if (passes(node.state)) {
      out += "[+]" + path + " ok\n";
    } else {
      out += "[-]" + path + " " + std::string{to_string(node.state)};
      out += node.reason.empty() ? "\n" : ": " + node.reason + "\n";
    }
  });
  return out;
}

bool alive(health_state state) {
  return state != health_state::failed;
}

bool ready(health_state state) {
  return severity(state) <= severity(health_state::degraded) && state != health_state::starting;
}

} // namespace

ops_routes::ops_routes(const health_board& board, const metrics_registry& metrics,
                       ops_settings settings, restart_control restart,
                       std::function<timestamp()> now, strategy_board* strategies)
    : board_(board), metrics_(metrics), settings_(std::move(settings)),
      restart_(std::move(restart)), now_(std::move(now)), strategies_(strategies) {
  if (settings_.control_enabled && settings_.control_token.empty())
    throw std::invalid_argument{"ops: control is enabled but no control token is set"};
}

namespace {

/// The endpoint a request counts under: one of the served paths, or "other" (so a scan of
/// random paths cannot grow the label set).
std::string endpoint_label(std::string_view target) {
  const auto path = target.substr(0, target.find('?'));
  for (const std::string_view known :
       {"/", "/livez", "/readyz", "/health", "/metrics", "/strategies", "/strategies/pnl",
        "/control/restart", "/control/kill-switch"})
    if (path == known)
      return std::string{known};
  if (path.rfind("/dashboard/", 0) == 0)
    return "/dashboard/";
  return "other";
}

} // namespace

void ops_routes::handle(const ops_request& request, const ops_reply& reply) const {
  route(request, [this, label = endpoint_label(request.target), reply](ops_response response) {
    {
      std::lock_guard lock{counts_mutex_};
      ++counts_[{label, response.status}];
    }
    reply(std::move(response));
  });
}

metric_family ops_routes::request_counts() const {
  metric_family family{"tern_ops_http_requests_total",
                       "Requests the ops endpoint answered, by endpoint and status code.",
                       metric_type::counter,
                       {}};
  std::lock_guard lock{counts_mutex_};
  for (const auto& [key, count] : counts_)
    family.samples.push_back(
        {{{"endpoint", key.first}, {"code", std::to_string(key.second)}},
         static_cast<double>(count)});
  return family;
}

void ops_routes::route(const ops_request& request, const ops_reply& reply) const {
  const auto target = std::string_view{request.target};
  const auto question = target.find('?');
  const auto path = target.substr(0, question);
  const auto query = question == std::string_view::npos ? std::string_view{}
                                                        : target.substr(question + 1);
  if (path == "/control/restart")
    return control(request, query, reply);
  if (path == "/control/kill-switch")
    return kill(request, query, reply);
  if (request.method != "GET") {
    auto refused = text(405, "only GET is served here\n");
    refused.headers.emplace_back("Allow", "GET");
    return reply(std::move(refused));
  }
  if (path == "/" || path == "/index.html") {
    ops_response page;
    page.content_type = "text/html; charset=utf-8";
    page.body = std::string{dashboard_html()};
    return reply(std::move(page));
  }
  if (path.rfind("/dashboard/", 0) == 0) {
    if (const auto asset = dashboard_asset(path.substr(11))) {
      ops_response script;
      script.content_type = "text/javascript; charset=utf-8";
      script.body = std::string{*asset};
      return reply(std::move(script));
    }
  }
  if (path == "/strategies" || path == "/strategies/pnl")
    return reply(strategies(path, query));
  if (path == "/livez" || path == "/readyz")
    return reply(probe(path.substr(1), query_has(query, "verbose")));
  if (path == "/health") {
    ops_response health;
    health.content_type = json_type;
    const auto kill_switch = strategies_ ? std::optional{strategies_->kill_switch_state()}
                                         : std::nullopt;
    health.body = render_health_json(board_.latest(), now_(),
                                     kill_switch ? &*kill_switch : nullptr);
    health.headers.emplace_back("Cache-Control", "no-store");
    return reply(std::move(health));
  }
  if (path == "/metrics")
    return reply(metrics());
  reply(text(404, "no such endpoint: " + std::string{path} + "\n"));
}

ops_response ops_routes::probe(std::string_view which, bool verbose) const {
  const auto latest = board_.latest();
  const bool readiness = which == "readyz";
  if (!latest.tree) {
    // Alive while the tree starts; not ready until it has reported.
    return readiness ? text(503, "[-]supervision tree not reported yet\nreadyz check failed\n")
                     : text(200, verbose ? "[+]process ok\nlivez check passed\n" : "ok\n");
  }
  const auto& tree = *latest.tree;
  bool passed = false;
  if (readiness)
    passed = tree.state != health_state::stopped && ready(overall_state(tree));
  else
    passed = tree.state != health_state::failed; // only the root giving up ends liveness
  std::string body;
  if (verbose) {
    body = readiness ? check_lines(tree, ready) : check_lines(tree, alive);
    if (readiness && tree.state == health_state::stopped)
      body += "[-]shutting down\n";
    body += std::string{which} + (passed ? " check passed\n" : " check failed\n");
  } else {
    body = passed ? "ok\n" : std::string{which} + " check failed\n";
  }
  return text(passed ? 200 : 503, std::move(body));
}

ops_response ops_routes::metrics() const {
  const auto latest = board_.latest();
  auto families = supervision_metrics(latest);
  for (auto& family : node_link_metrics(latest))
    families.push_back(std::move(family));
  if (strategies_)
    for (auto& family : strategy_metrics(strategies_->snapshot()))
      families.push_back(std::move(family));
  families.push_back(request_counts());
  auto more = metrics_.collect();
  families.insert(families.end(), std::make_move_iterator(more.begin()),
                  std::make_move_iterator(more.end()));
  auto rendered = render_prometheus(families);
  for (const auto& problem : rendered.problems)
    spdlog::warn("ops: /metrics left out {}", problem);
  ops_response response;
  response.content_type = prometheus_content_type;
  response.body = std::move(rendered.text);
  return response;
}

std::optional<ops_response> ops_routes::refuse_control(const ops_request& request) const {
  if (!settings_.control_enabled)
    return text(404, "control endpoints are disabled (ops.control_enabled is false)\n");
  if (request.method != "POST") {
    auto refused = text(405, "control endpoints take POST\n");
    refused.headers.emplace_back("Allow", "POST");
    return refused;
  }
  constexpr std::string_view bearer = "Bearer ";
  const auto& given = request.authorization;
  if (given.rfind(bearer, 0) != 0
      || !same_secret(std::string_view{given}.substr(bearer.size()),
                      settings_.control_token.reveal())) {
    auto refused = text(401, "a valid control token is required\n");
    refused.headers.emplace_back("WWW-Authenticate", "Bearer");
    return refused;
  }
  return std::nullopt;
}

void ops_routes::control(const ops_request& request, std::string_view query,
                         const ops_reply& reply) const {
  if (auto refused = refuse_control(request))
    return reply(std::move(*refused));
  const auto path = query_value(query, "path");
  const auto latest = board_.latest();
  const auto root = latest.tree ? latest.tree->name + "/" : std::string{};
  if (root.empty() || path.rfind(root, 0) != 0 || path.size() == root.size())
    return reply(text(404, "no node '" + path + "' below the root\n"));
  spdlog::info("ops: restart of '{}' requested from {}", path, request.remote_address);
  restart_(path.substr(root.size()), [reply, path](bool found) {
    ops_response response;
    response.status = found ? 200 : 404;
    response.content_type = json_type;
    response.body = std::string{"{\"path\":\""} + path + "\",\"restarted\":"
                    + (found ? "true" : "false") + "}";
    reply(std::move(response));
  });
}

ops_response ops_routes::strategies(std::string_view path, std::string_view query) const {
  const auto snapshot = strategies_ ? strategies_->snapshot() : strategy_board_snapshot{};
  ops_response response;
  response.content_type = json_type;
  response.headers.emplace_back("Cache-Control", "no-store");
  if (path == "/strategies") {
    response.body = render_strategies_json(snapshot, now_());
    return response;
  }
  std::optional<timestamp> since;
  if (const auto text_since = query_value(query, "since_unix_ms"); !text_since.empty()) {
    std::int64_t ms = 0;
    const auto* end = text_since.data() + text_since.size();
    const auto parsed = std::from_chars(text_since.data(), end, ms);
    if (parsed.ec != std::errc{} || parsed.ptr != end)
      return text(400, "since_unix_ms is not an integer: '" + text_since + "'\n");
    since = from_unix_ms(ms);
  }
  response.body = render_pnl_json(snapshot, now_(), query_value(query, "strategy"), since);
  return response;
}

void ops_routes::kill(const ops_request& request, std::string_view query,
                      const ops_reply& reply) const {
  if (auto refused = refuse_control(request))
    return reply(std::move(*refused));
  if (!strategies_)
    return reply(text(503, "no kill switch on this node: it keeps no strategy board\n"));
  kill_switch_request asked{"ops " + request.remote_address, query_value(query, "reason")};
  spdlog::warn("ops: kill switch requested from {}{}", request.remote_address,
               asked.reason.empty() ? "" : " (" + asked.reason + ")");
  auto* board = strategies_;
  const auto outcome = board->kill().trigger(asked, [board, reply](const kill_switch_result& result) {
    spdlog::warn("ops: kill switch {}: {}", result.ok ? "done" : "incomplete", result.detail);
    ops_response response;
    response.status = result.ok ? 200 : 500;
    response.content_type = json_type;
    response.body = nlohmann::json{{"ok", result.ok},
                                   {"detail", result.detail},
                                   {"kill_switch", json_parts::kill_switch_to_json(
                                                       board->kill_switch_state())}}
                        .dump();
    reply(std::move(response));
  });
  if (outcome == kill_switch_outcome::unarmed)
    return reply(text(503, "the kill switch is not armed: no strategy layer registered it\n"));
  if (outcome == kill_switch_outcome::busy)
    return reply(text(409, "the kill switch is already running; see /strategies\n"));
}

std::string query_value(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (percent_decode(pair.substr(0, eq)) == key)
      return eq == std::string_view::npos ? std::string{} : percent_decode(pair.substr(eq + 1));
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
  }
  return {};
}

bool query_has(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    if (percent_decode(pair.substr(0, pair.find('='))) == key)
      return true;
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
  }
  return false;
}

} // namespace tern::supervision
