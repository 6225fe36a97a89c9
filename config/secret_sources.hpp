#pragma once

// Looking up the secrets a topology names. Kept apart from loading so that `tern validate`
// works on a machine without the secrets: there, a missing variable or file is a warning.
// At run time the same lookup is an error, and every value found is registered for scrubbing.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/secrets.hpp"
#include "config/topology.hpp"
#include "core/expected.hpp"

namespace tern::config {

/// The shortest ops control token accepted.
inline constexpr std::size_t min_control_token_length = 16;

/// Looks up an environment variable; nullopt when unset.
using environment = std::function<std::optional<std::string>(const std::string& name)>;

/// The process environment (getenv).
[[nodiscard]] environment process_environment();

struct exchange_credentials {
  secret api_key;
  secret api_secret;
  std::optional<secret> passphrase;
};

struct resolved_secrets {
  std::map<std::string, exchange_credentials> exchanges;  ///< by exchange name
  std::optional<secret> ops_control_token;
};

/// For validation: warnings for unset variables, missing secrets files and secrets files that
/// group or others may read. Reads no secret value.
[[nodiscard]] std::vector<diagnostic> check_secret_sources(const topology& value, const environment& env);

/// For run time: every secret the topology names, or an error for each one that cannot be had
/// (unset or empty variable, unreadable or malformed file, a file group or others may read).
/// Every value found is added to `registry` before this returns.
[[nodiscard]] expected<resolved_secrets, std::vector<diagnostic>> resolve_secrets(
    const topology& value, const environment& env, secret_registry& registry = secret_registry::global());

} // namespace tern::config
