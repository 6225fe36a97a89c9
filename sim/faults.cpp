#include "sim/faults.hpp"

#include <array>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

namespace tern::sim {

namespace {

constexpr std::array<std::pair<fault_kind, std::string_view>, 10> kind_names = {{
    {fault_kind::reject, "reject"},
    {fault_kind::rate_limit, "rate_limit"},
    {fault_kind::server_error, "server_error"},
    {fault_kind::delay_response, "delay_response"},
    {fault_kind::drop_response, "drop_response"},
    {fault_kind::drop_websocket, "drop_websocket"},
    {fault_kind::stale_stream, "stale_stream"},
    {fault_kind::sequence_gap, "sequence_gap"},
    {fault_kind::malformed_frame, "malformed_frame"},
    {fault_kind::bad_checksum, "bad_checksum"},
}};

bool endpoint_matches(std::string_view pattern, std::string_view method, std::string_view path) {
  if (pattern.empty() || pattern == "*")
    return true;
  auto space = pattern.find(' ');
  if (space == std::string_view::npos)
    return pattern == path;
  return pattern.substr(0, space) == method && pattern.substr(space + 1) == path;
}

bool stream_matches(std::string_view pattern, std::string_view kind, std::string_view channel) {
  if (pattern.empty() || pattern == "*")
    return true;
  return pattern == kind || channel.find(pattern) != std::string_view::npos;
}

/// Checks that the kind's parameters make sense, with the defaults each kind implies.
expected<void, std::string> complete(fault& value) {
  switch (value.kind) {
    case fault_kind::reject:
      if (value.status == 0) value.status = 400;
      if (value.code == 0) return unexpected{std::string{"\"code\": a reject needs the exchange's error code"}};
      break;
    case fault_kind::rate_limit:
      if (value.status == 0) value.status = 429;
      if (value.status != 429 && value.status != 418)
        return unexpected{std::string{"\"status\": a rate_limit answers 429 or 418"}};
      if (value.retry_after_s <= 0) value.retry_after_s = value.status == 418 ? 120 : 1;
      break;
    case fault_kind::server_error:
      if (value.status == 0) value.status = 503;
      if (value.status < 500 || value.status > 599)
        return unexpected{std::string{"\"status\": a server_error answers 500..599"}};
      break;
    case fault_kind::delay_response:
      if (value.delay_ms <= 0) return unexpected{std::string{"\"delay_ms\": must be positive"}};
      break;
    case fault_kind::sequence_gap:
      if (value.frames == 0) value.frames = 1;
      break;
    case fault_kind::malformed_frame:
      if (value.payload.empty()) value.payload = R"({"e":"depthUpdate","E":17)";
      break;
    case fault_kind::drop_response:
    case fault_kind::drop_websocket:
    case fault_kind::stale_stream:
    case fault_kind::bad_checksum:
      break;
  }
  if (!(value.probability > 0.0 && value.probability <= 1.0))
    return unexpected{std::string{"\"probability\": must be in (0, 1]"}};
  return {};
}

template <class T>
expected<void, std::string> read(const nlohmann::json& object, const char* key, T& out) {
  auto found = object.find(key);
  if (found == object.end())
    return {};
  try {
    out = found->get<T>();
  } catch (const nlohmann::json::exception&) {
    return unexpected{"\"" + std::string{key} + "\": wrong type"};
  }
  return {};
}

} // namespace

std::string_view to_string(fault_kind kind) noexcept {
  for (const auto& [value, name] : kind_names)
    if (value == kind) return name;
  return "unknown";
}

std::optional<fault_kind> fault_kind_from(std::string_view name) noexcept {
  for (const auto& [value, text] : kind_names)
    if (text == name) return value;
  return std::nullopt;
}

bool is_stream_fault(fault_kind kind) noexcept {
  return kind == fault_kind::drop_websocket || kind == fault_kind::stale_stream ||
         kind == fault_kind::sequence_gap || kind == fault_kind::malformed_frame ||
         kind == fault_kind::bad_checksum;
}

expected<fault, std::string> fault_from_json(const nlohmann::json& value) {
  if (!value.is_object())
    return unexpected{std::string{"a fault is a JSON object"}};
  static constexpr std::array<std::string_view, 18> known = {
      "kind", "exchange", "endpoint", "stream", "connection", "count", "probability", "status",
      "code", "message", "retry_after_s", "delay_ms", "after_accept", "duration_ms", "frames",
      "payload", "id", "fired"};
  for (const auto& item : value.items()) {
    bool ok = false;
    for (auto key : known) ok = ok || key == item.key();
    if (!ok) return unexpected{"unknown key \"" + item.key() + "\""};
  }
  fault out;
  std::string kind;
  if (auto r = read(value, "kind", kind); !r) return unexpected{r.error()};
  auto parsed = fault_kind_from(kind);
  if (!parsed) return unexpected{"\"kind\": unknown fault kind \"" + kind + "\""};
  out.kind = *parsed;
  for (auto r : {read(value, "exchange", out.exchange), read(value, "endpoint", out.endpoint),
                 read(value, "stream", out.stream), read(value, "connection", out.connection),
                 read(value, "count", out.count), read(value, "probability", out.probability),
                 read(value, "status", out.status), read(value, "code", out.code),
                 read(value, "message", out.message), read(value, "retry_after_s", out.retry_after_s),
                 read(value, "delay_ms", out.delay_ms), read(value, "after_accept", out.after_accept),
                 read(value, "duration_ms", out.duration_ms), read(value, "frames", out.frames),
                 read(value, "payload", out.payload)})
    if (!r) return unexpected{r.error()};
  if (auto valid = complete(out); !valid)
    return unexpected{valid.error()};
  return out;
}

nlohmann::json to_json(const fault& value) {
  return {{"id", value.id}, {"kind", std::string{to_string(value.kind)}},
          {"exchange", value.exchange}, {"endpoint", value.endpoint}, {"stream", value.stream},
          {"connection", value.connection}, {"count", value.count},
          {"probability", value.probability}, {"status", value.status}, {"code", value.code},
          {"message", value.message}, {"retry_after_s", value.retry_after_s},
          {"delay_ms", value.delay_ms}, {"after_accept", value.after_accept},
          {"duration_ms", value.duration_ms}, {"frames", value.frames},
          {"payload", value.payload}, {"fired", value.fired}};
}

std::uint64_t fault_plan::add(fault value) {
  std::lock_guard lock{mutex_};
  if (auto valid = complete(value); !valid)
    throw std::invalid_argument{"fault: " + valid.error()};
  value.id = next_id_++;
  value.fired = 0;
  faults_.push_back(std::move(value));
  recount();
  return faults_.back().id;
}

bool fault_plan::remove(std::uint64_t id) {
  std::lock_guard lock{mutex_};
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->id == id) {
      faults_.erase(it);
      recount();
      return true;
    }
  }
  return false;
}

void fault_plan::clear() {
  std::lock_guard lock{mutex_};
  faults_.clear();
  recount();
}

std::vector<fault> fault_plan::list() const {
  std::lock_guard lock{mutex_};
  return faults_;
}

std::uint64_t fault_plan::fired_total() const {
  std::lock_guard lock{mutex_};
  return fired_;
}

std::optional<fault> fault_plan::take_rest(std::string_view exchange, std::string_view method,
                                           std::string_view path) {
  std::lock_guard lock{mutex_};
  for (std::size_t i = 0; i < faults_.size(); ++i) {
    const fault& f = faults_[i];
    if (is_stream_fault(f.kind) || (!f.exchange.empty() && f.exchange != exchange) ||
        !endpoint_matches(f.endpoint, method, path))
      continue;
    if (auto fired = fire(i)) return fired;
  }
  return std::nullopt;
}

std::optional<fault> fault_plan::take_stream(std::string_view exchange, std::string_view stream_kind,
                                             std::string_view channel, std::uint64_t connection,
                                             bool checksummed) {
  std::lock_guard lock{mutex_};
  for (std::size_t i = 0; i < faults_.size(); ++i) {
    const fault& f = faults_[i];
    if (!is_stream_fault(f.kind) || (f.kind == fault_kind::bad_checksum && !checksummed) ||
        (!f.exchange.empty() && f.exchange != exchange) ||
        (f.connection != 0 && f.connection != connection) ||
        !stream_matches(f.stream, stream_kind, channel))
      continue;
    if (auto fired = fire(i)) return fired;
  }
  return std::nullopt;
}

std::optional<fault> fault_plan::fire(std::size_t index) {
  fault& f = faults_[index];
  if (f.probability < 1.0 && std::uniform_real_distribution<double>{0.0, 1.0}(random_) >= f.probability)
    return std::nullopt;
  ++f.fired;
  ++fired_;
  fault copy = f;
  if (f.count != 0 && f.fired >= f.count) {
    faults_.erase(faults_.begin() + static_cast<std::ptrdiff_t>(index));
    recount();
  }
  return copy;
}

void fault_plan::recount() {
  std::size_t streams = 0;
  for (const auto& f : faults_) streams += is_stream_fault(f.kind) ? 1 : 0;
  stream_faults_.store(streams);
}

} // namespace tern::sim
