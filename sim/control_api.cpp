#include "sim/control_api.hpp"

#include <charconv>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/form_params.hpp"
#include "sim/server.hpp"

namespace tern::sim {

namespace {

using nlohmann::json;

net::server_response answer(unsigned status, const json& body) {
  net::server_response response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "application/json");
  response.body = body.dump();
  return response;
}

net::server_response failure(unsigned status, const std::string& message) {
  return answer(status, json{{"error", message}});
}

std::optional<json> parse_body(const net::server_request& request) {
  if (request.body.empty()) return json::object();
  auto parsed = json::parse(request.body, nullptr, false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

std::uint64_t query_number(const form_params& query, std::string_view key, std::uint64_t fallback) {
  const std::string* text = query.find(key);
  std::uint64_t value = fallback;
  if (text != nullptr) std::from_chars(text->data(), text->data() + text->size(), value);
  return value;
}

json status_of(server& sim) {
  json exchanges = json::array();
  for (const auto& host : sim.exchanges()) {
    json endpoints = json::object();
    for (const auto& endpoint : host->endpoints()) endpoints[endpoint.label] = endpoint.url;
    exchanges.push_back({{"name", host->name()}, {"dialect", host->dialect_name()},
                         {"port", host->port()}, {"paused", host->paused()},
                         {"endpoints", endpoints}});
  }
  return {{"exchanges", exchanges}, {"clock_skew_ms", sim.clock_skew().count()},
          {"server_time_ms", to_unix_ms(sim.exchange_now())}, {"ca_file", sim.ca_file()}};
}

net::server_response faults_route(server& sim, const net::server_request& request, std::string_view path) {
  if (path == "/faults" && request.method == "GET") {
    json list = json::array();
    for (const auto& f : sim.faults().list()) list.push_back(to_json(f));
    return answer(200, json{{"faults", list}, {"fired_total", sim.faults().fired_total()}});
  }
  if (path == "/faults" && request.method == "POST") {
    auto body = parse_body(request);
    if (!body) return failure(400, "the body is not JSON");
    auto parsed = fault_from_json(*body);
    if (!parsed) return failure(400, parsed.error());
    return answer(200, json{{"id", sim.faults().add(std::move(*parsed))}});
  }
  if (path == "/faults" && request.method == "DELETE") {
    sim.faults().clear();
    return answer(200, json::object());
  }
  if (path.starts_with("/faults/") && request.method == "DELETE") {
    std::uint64_t id = 0;
    auto text = path.substr(8);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size()) return failure(400, "bad fault id");
    if (!sim.faults().remove(id)) return failure(404, "no active fault " + std::string{text});
    return answer(200, json::object());
  }
  return failure(404, "no route " + request.method + " " + std::string{path});
}

net::server_response market_route(server& sim, const net::server_request& request, std::string_view path) {
  auto body = parse_body(request);
  if (!body || !body->is_object()) return failure(400, "the body is not a JSON object");
  std::string only = body->value("exchange", std::string{});
  if (!only.empty() && sim.exchange(only) == nullptr) return failure(404, "no exchange " + only);
  std::size_t count = body->value("count", std::size_t{1});
  json result = json::object();
  for (const auto& host : sim.exchanges()) {
    if (!only.empty() && host->name() != only) continue;
    if (path == "/market/pause") host->pause();
    else if (path == "/market/resume") host->resume();
    else if (path == "/market/step") result[host->name()] = host->step(count);
    else return failure(404, "no route " + std::string{path});
  }
  return answer(200, result);
}

net::server_response book_route(server& sim, const form_params& query) {
  const std::string* exchange = query.find("exchange");
  const std::string* symbol = query.find("symbol");
  if (exchange == nullptr || symbol == nullptr) return failure(400, "give exchange and symbol");
  exchange_host* host = sim.exchange(*exchange);
  if (host == nullptr) return failure(404, "no exchange " + *exchange);
  auto depth = query_number(query, "depth", 1000);
  std::optional<json> book;
  host->run_sync([&](exchange_state& state) {
    const matching_engine* engine = state.venue.market(*symbol);
    if (engine == nullptr) return;
    auto snapshot = engine->snapshot(depth);
    auto levels = [](const std::vector<price_level>& side) {
      json out = json::array();
      for (const auto& level : side) out.push_back({level.price.to_string(), level.size.to_string()});
      return out;
    };
    book = json{{"lastUpdateId", snapshot.sequence}, {"bids", levels(snapshot.bids)},
                {"asks", levels(snapshot.asks)}};
  });
  if (!book) return failure(404, "no market " + *symbol + " on " + *exchange);
  return answer(200, *book);
}

/// POST /balances {"exchange": E, "api_key": K}: one account's balances, for reconciliation
/// (the key travels in the body, not the URL, so it stays out of access logs).
net::server_response balances_route(server& sim, const net::server_request& request) {
  auto body = parse_body(request);
  if (!body || !body->is_object()) return failure(400, "the body is not a JSON object");
  const std::string name = body->value("exchange", std::string{});
  exchange_host* host = sim.exchange(name);
  if (host == nullptr) return failure(404, "no exchange " + name);
  const std::string key = body->value("api_key", std::string{});
  std::optional<json> out;
  host->run_sync([&](exchange_state& state) {
    auto account = state.venue.accounts().find_by_api_key(key);
    if (!account) return;
    out = json::object();
    for (const auto& [asset, held] : state.venue.accounts().balances(*account))
      (*out)[asset] = {{"free", held.free.to_string()}, {"locked", held.locked.to_string()}};
  });
  if (!out) return failure(404, "no account with that API key on " + name);
  return answer(200, *out);
}

} // namespace

namespace {

net::server_response route(server& sim, const net::server_request& request) {
  auto [path, query_text] = split_target(request.target);
  auto query = form_params::parse(query_text);
  if (!query) return failure(400, "malformed query string");
  if (path == "/status" && request.method == "GET") return answer(200, status_of(sim));
  if (path.starts_with("/faults")) return faults_route(sim, request, path);
  if (path == "/records" && request.method == "GET") {
    json list = json::array();
    for (const auto& record : sim.records().since(query_number(*query, "since", 0)))
      list.push_back(to_json(record));
    return answer(200, json{{"records", list}});
  }
  if (path == "/records" && request.method == "DELETE") {
    sim.records().clear();
    return answer(200, json::object());
  }
  if (path == "/clock" && request.method == "GET")
    return answer(200, json{{"skew_ms", sim.clock_skew().count()}});
  if (path == "/clock" && request.method == "PUT") {
    auto body = parse_body(request);
    if (!body || !body->contains("skew_ms") || !(*body)["skew_ms"].is_number_integer())
      return failure(400, "expected {\"skew_ms\": integer}");
    sim.set_clock_skew(std::chrono::milliseconds{(*body)["skew_ms"].get<std::int64_t>()});
    return answer(200, json{{"skew_ms", sim.clock_skew().count()}});
  }
  if (path.starts_with("/market/") && request.method == "POST") return market_route(sim, request, path);
  if (path == "/book" && request.method == "GET") return book_route(sim, *query);
  if (path == "/balances" && request.method == "POST") return balances_route(sim, request);
  return failure(404, "no route " + request.method + " " + std::string{path});
}

} // namespace

net::server_response handle_control_request(server& sim, const net::server_request& request) {
  try {
    return route(sim, request);
  } catch (const nlohmann::json::exception& e) {
    // A body with a wrong type somewhere ("count": "ten"): the caller's mistake, not ours.
    return failure(400, std::string{"malformed body: "} + e.what());
  }
}

} // namespace tern::sim
