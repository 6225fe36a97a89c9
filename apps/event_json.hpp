#pragma once

// Connector events as JSON objects, for the tools that print them (`tern parse`, `tern replay`).
// Decimals are written as strings so no reader rounds them; times as Unix milliseconds.

#include <nlohmann/json.hpp>

#include "connectors/common/stream_events.hpp"
#include "core/events.hpp"

namespace tern::apps {

[[nodiscard]] nlohmann::ordered_json to_json(const private_event& event);
/// The member of `frame` that `kind` names.
[[nodiscard]] nlohmann::ordered_json to_json(public_event_kind kind, const public_frame& frame);

} // namespace tern::apps
