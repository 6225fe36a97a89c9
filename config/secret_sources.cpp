#include "config/secret_sources.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "config/connectors.hpp"

namespace tern::config {

environment process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe): read at start-up
    if (value == nullptr) return std::nullopt;
    return std::string{value};
  };
}

namespace {

namespace fs = std::filesystem;

std::string mode_text(fs::perms permissions) {
  auto bits = static_cast<unsigned>(permissions) & 0777U;
  std::string text = "0";
  for (int shift = 6; shift >= 0; shift -= 3) text += static_cast<char>('0' + ((bits >> shift) & 7U));
  return text;
}

// One lookup pass. Without a registry it only checks (warnings); with one it resolves (errors)
// and registers every value it finds.
class secret_lookup {
 public:
  secret_lookup(const environment& env, secret_registry* registry) : env_(env), registry_(registry) {}

  std::optional<secret> from_env(const env_secret& ref) {
    std::optional<std::string> value = env_(ref.variable);
    if (!value) {
      report(ref.pointer, "environment variable " + ref.variable + " is not set");
      return std::nullopt;
    }
    if (value->empty()) {
      report(ref.pointer, "environment variable " + ref.variable + " is empty");
      return std::nullopt;
    }
    return keep(secret{std::move(*value)});
  }

  /// The ops control token: long enough to resist guessing, and so that scrubbing it from logs
  /// (every occurrence of a secret is masked) cannot mangle ordinary words.
  std::optional<secret> control_token(const env_secret& ref) {
    const std::optional<std::string> value = env_(ref.variable);
    if (value && !value->empty() && value->size() < min_control_token_length) {
      // Refused before it is registered: a one-letter token would mask that letter everywhere.
      report(ref.pointer, "environment variable " + ref.variable + " holds a token of " +
                              std::to_string(value->size()) + " characters; use at least " +
                              std::to_string(min_control_token_length) +
                              " (e.g. the output of `openssl rand -hex 16`)");
      return std::nullopt;
    }
    return from_env(ref);
  }

  std::optional<exchange_credentials> from_file(const file_credentials& ref, bool needs_passphrase);

  std::vector<diagnostic> diagnostics;

 private:
  void report(const std::string& pointer, std::string message) {
    if (registry_ == nullptr) message += " (needed when Tern runs)";
    diagnostics.push_back({registry_ ? severity::error : severity::warning, pointer, std::move(message)});
  }

  secret keep(secret value) {
    if (registry_ != nullptr) registry_->add(value);
    return value;
  }

  bool file_is_private(const file_credentials& ref);
  std::optional<nlohmann::json> read_file(const file_credentials& ref);

  const environment& env_;
  secret_registry* registry_;
};

bool secret_lookup::file_is_private(const file_credentials& ref) {
  std::error_code error;
  fs::file_status status = fs::status(ref.path, error);
  std::string name = ref.path.string();
  if (status.type() == fs::file_type::not_found) {
    report(ref.pointer, "secrets file " + name + " does not exist");
    return false;
  }
  if (error || status.type() != fs::file_type::regular) {
    report(ref.pointer, "secrets file " + name + " is not a readable regular file");
    return false;
  }
  // Like ssh with private keys: a secret others can read or replace is refused outright.
  if ((status.permissions() & (fs::perms::group_all | fs::perms::others_all)) != fs::perms::none) {
    report(ref.pointer, "secrets file " + name + " is accessible to group or others (mode " +
                            mode_text(status.permissions()) + "); Tern refuses it until you run: chmod 600 " + name);
    return false;
  }
  return true;
}

std::optional<nlohmann::json> secret_lookup::read_file(const file_credentials& ref) {
  if (!file_is_private(ref)) return std::nullopt;
  std::ifstream in{ref.path, std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  std::string name = ref.path.string();
  if (!in) {
    report(ref.pointer, "cannot read secrets file " + name);
    return std::nullopt;
  }
  // Parser messages quote the text they stopped at, which here is a secret: say only where.
  auto document = nlohmann::json::parse(text.str(), nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    report(ref.pointer, "secrets file " + name + " is not a JSON object of the form "
                        "{\"api_key\": \"...\", \"secret\": \"...\"} (plus \"passphrase\" where needed)");
    return std::nullopt;
  }
  return document;
}

std::optional<exchange_credentials> secret_lookup::from_file(const file_credentials& ref, bool needs_passphrase) {
  auto document = read_file(ref);
  if (!document) return std::nullopt;
  std::string name = ref.path.string();
  for (const auto& [key, value] : document->items())
    if (key != "api_key" && key != "secret" && key != "passphrase")
      report(ref.pointer, "secrets file " + name + " has unknown key " +
                              describe_unknown(key, std::vector<std::string_view>{"api_key", "secret", "passphrase"}));
  auto field = [&](const char* key, bool wanted) -> std::optional<secret> {
    auto it = document->find(key);
    if (it == document->end()) {
      if (wanted) report(ref.pointer, "secrets file " + name + " has no \"" + key + "\"");
      return std::nullopt;
    }
    if (!wanted) {
      report(ref.pointer, "secrets file " + name + " has a \"" + key + "\" this connector does not use");
      return std::nullopt;
    }
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
      report(ref.pointer, "secrets file " + name + ": \"" + key + "\" must be a non-empty string");
      return std::nullopt;
    }
    return keep(secret{it->get<std::string>()});
  };
  exchange_credentials credentials;
  auto api_key = field("api_key", true);
  auto api_secret = field("secret", true);
  credentials.passphrase = field("passphrase", needs_passphrase);
  if (!api_key || !api_secret || (needs_passphrase && !credentials.passphrase)) return std::nullopt;
  credentials.api_key = std::move(*api_key);
  credentials.api_secret = std::move(*api_secret);
  return credentials;
}

resolved_secrets look_up_all(const topology& value, secret_lookup& lookup) {
  resolved_secrets resolved;
  for (const auto& exchange : value.exchanges) {
    if (!exchange.credentials) continue;
    std::optional<exchange_credentials> found;
    if (const auto* file = std::get_if<file_credentials>(&*exchange.credentials)) {
      const connector_info* info = find_connector(exchange.connector);
      found = lookup.from_file(*file, info != nullptr && info->needs_passphrase);
    } else {
      const auto& env = std::get<env_credentials>(*exchange.credentials);
      auto api_key = lookup.from_env(env.api_key);
      auto api_secret = lookup.from_env(env.api_secret);
      std::optional<secret> passphrase;
      if (env.passphrase) passphrase = lookup.from_env(*env.passphrase);
      if (api_key && api_secret && (passphrase || !env.passphrase))
        found = exchange_credentials{std::move(*api_key), std::move(*api_secret), std::move(passphrase)};
    }
    if (found) resolved.exchanges.emplace(exchange.name, std::move(*found));
  }
  if (value.ops.enabled && value.ops.control_enabled && value.ops.control_token)
    resolved.ops_control_token = lookup.control_token(*value.ops.control_token);
  return resolved;
}

} // namespace

std::vector<diagnostic> check_secret_sources(const topology& value, const environment& env) {
  secret_lookup lookup{env, nullptr};
  (void)look_up_all(value, lookup);
  return std::move(lookup.diagnostics);
}

expected<resolved_secrets, std::vector<diagnostic>> resolve_secrets(const topology& value, const environment& env,
                                                                    secret_registry& registry) {
  secret_lookup lookup{env, &registry};
  resolved_secrets resolved = look_up_all(value, lookup);
  if (!lookup.diagnostics.empty()) return unexpected{std::move(lookup.diagnostics)};
  return resolved;
}

} // namespace tern::config
