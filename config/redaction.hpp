#pragma once

// Redaction of structured data: which keys hold secrets, and a copy of a JSON document with
// their values (and any registered secret value elsewhere) replaced by "***".

#include <string_view>

#include <nlohmann/json.hpp>

#include "config/secrets.hpp"

namespace tern::config {

/// True for keys whose values are secrets in configs, requests and exchange messages:
/// api_key, secret, passphrase, password, token, private_key, signature, listenKey,
/// X-MBX-APIKEY, OK-ACCESS-SIGN, ... (case, '_' and '-' ignored). Keys ending in "_env" or
/// "_file" say where a secret is kept (a variable name, a path) and are not secrets.
[[nodiscard]] bool looks_like_secret_key(std::string_view key) noexcept;

/// A key that, written in a Tern config, would hold a secret value inline. Same rule as
/// `looks_like_secret_key`: one list decides both what is redacted and what is refused.
[[nodiscard]] inline bool is_inline_secret_key(std::string_view key) noexcept {
  return looks_like_secret_key(key);
}

/// A copy of `document` where every value (even an object) under a secret-looking key is "***"
/// and every string containing a value registered in `registry` has it scrubbed. Keys are kept.
[[nodiscard]] nlohmann::json redact(const nlohmann::json& document,
                                    const secret_registry& registry = secret_registry::global());

} // namespace tern::config
