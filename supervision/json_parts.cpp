#include "supervision/json_parts.hpp"

#include "supervision/health_json.hpp"

namespace tern::supervision::json_parts {

using json = nlohmann::json;

json kill_switch_to_json(const kill_switch_status& status) {
  json out{{"armed", status.armed},
           {"running", status.running},
           {"invocations", status.invocations},
           {"last", nullptr}};
  if (!status.last)
    return out;
  const auto& last = *status.last;
  json invocation{{"source", last.request.source},
                  {"reason", last.request.reason},
                  {"requested_at", format_utc(last.requested_at)},
                  {"requested_at_unix_ms", to_unix_ms(last.requested_at)},
                  {"completed_at", nullptr},
                  {"completed_at_unix_ms", nullptr},
                  {"ok", nullptr},
                  {"detail", ""}};
  if (last.completed_at) {
    invocation["completed_at"] = format_utc(*last.completed_at);
    invocation["completed_at_unix_ms"] = to_unix_ms(*last.completed_at);
  }
  if (last.result) {
    invocation["ok"] = last.result->ok;
    invocation["detail"] = last.result->detail;
  }
  out["last"] = std::move(invocation);
  return out;
}

expected<kill_switch_status, std::string> kill_switch_from_json(const json& object) {
  if (!object.is_object())
    return unexpected{std::string{"kill_switch: not an object"}};
  try {
    kill_switch_status status;
    status.armed = object.value("armed", false);
    status.running = object.value("running", false);
    status.invocations = object.value("invocations", std::uint64_t{0});
    if (object.contains("last") && object.at("last").is_object()) {
      // at() after contains(), not find(): GCC 12 sees a null dereference in the iterator.
      const json& last = object.at("last");
      kill_switch_invocation invocation;
      invocation.request.source = last.value("source", "");
      invocation.request.reason = last.value("reason", "");
      invocation.requested_at = from_unix_ms(last.value("requested_at_unix_ms", std::int64_t{0}));
      if (last.contains("completed_at_unix_ms") && last.at("completed_at_unix_ms").is_number_integer())
        invocation.completed_at = from_unix_ms(last.at("completed_at_unix_ms").get<std::int64_t>());
      if (last.contains("ok") && last.at("ok").is_boolean())
        invocation.result = kill_switch_result{last.at("ok").get<bool>(), last.value("detail", "")};
      status.last = std::move(invocation);
    }
    return status;
  } catch (const json::exception&) {
    return unexpected{std::string{"kill_switch: a field has the wrong type"}};
  }
}

expected<decimal, std::string> decimal_field(const json& object, const char* key,
                                             const std::string& where) {
  if (!object.contains(key) || !object.at(key).is_string())
    return unexpected{where + ": \"" + key + "\" is not a decimal string"};
  const auto& text = object.at(key).get_ref<const std::string&>();
  auto value = decimal::parse(text);
  if (!value)
    return unexpected{where + ": \"" + key + "\" is not a decimal: '" + text + "'"};
  return *value;
}

} // namespace tern::supervision::json_parts
