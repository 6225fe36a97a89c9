#pragma once

// JSON pieces shared by /health and /strategies (internal to supervision/: it exposes
// nlohmann, which the public rendering headers keep out).

#include <string>

#include <nlohmann/json.hpp>

#include "core/decimal.hpp"
#include "core/expected.hpp"
#include "core/types.hpp"
#include "supervision/kill_switch.hpp"

namespace tern::supervision::json_parts {

/// {"armed": true, "running": false, "invocations": 1, "last": null | {"source", "reason",
///  "requested_at", "requested_at_unix_ms", "completed_at" (null while running),
///  "completed_at_unix_ms", "ok" (null while running), "detail"}}
[[nodiscard]] nlohmann::json kill_switch_to_json(const kill_switch_status& status);
[[nodiscard]] expected<kill_switch_status, std::string> kill_switch_from_json(
    const nlohmann::json& object);

/// Reads the decimal string at `key`; the error names `where` and the key.
[[nodiscard]] expected<decimal, std::string> decimal_field(const nlohmann::json& object,
                                                           const char* key,
                                                           const std::string& where);

} // namespace tern::supervision::json_parts
