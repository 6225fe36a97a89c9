#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <sstream>

#include "config/loader.hpp"
#include "config/redaction.hpp"
#include "config/secret_sources.hpp"

using namespace tern::config;

namespace {

environment map_environment(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

topology load(std::string_view text, const std::filesystem::path& base = {}) {
  auto result = load_topology(text, base);
  for (const auto& d : result.diagnostics) UNSCOPED_INFO(d.to_string());
  REQUIRE(result.ok());
  return std::move(*result.value);
}

constexpr std::string_view env_topology = R"({
  "nodes": [{"name": "main", "host": "h", "port": 1}],
  "exchanges": [
    {"connector": "okx", "markets": ["BTC-USDT"],
     "credentials": {"api_key_env": "OKX_KEY", "secret_env": "OKX_SECRET", "passphrase_env": "OKX_PASS"}}],
  "ops": {"control_enabled": true, "control_token_env": "OPS_TOKEN"}})";

// A folder of its own under the system temp folder, removed afterwards.
struct temp_folder {
  std::filesystem::path path;
  temp_folder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tern-secrets-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~temp_folder() { std::filesystem::remove_all(path); }
  std::filesystem::path write(const std::string& name, std::string_view text, std::filesystem::perms mode) const {
    auto file = path / name;
    std::ofstream{file} << text;
    std::filesystem::permissions(file, mode);
    return file;
  }
};

} // namespace

TEST_CASE("a secret prints and formats as ***") {
  secret value{"AbC123-very-secret"};
  std::ostringstream out;
  out << value;
  CHECK(out.str() == "***");
  CHECK(fmt::format("key={} ", value) == "key=*** ");
  CHECK(value.reveal() == "AbC123-very-secret");
}

TEST_CASE("a moved-from secret is empty") {
  secret a{"short"};
  secret b{std::move(a)};
  CHECK(b.reveal() == "short");
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): that is the point
  secret c;
  c = std::move(b);
  CHECK(b.empty());  // NOLINT(bugprone-use-after-move)
  CHECK(c.reveal() == "short");
}

TEST_CASE("the registry scrubs a secret in raw, JSON-escaped and URL-encoded form") {
  secret_registry registry;
  registry.add(secret{R"(p@ss "word"/+=)"});
  registry.add(std::string_view{"k3y"});
  CHECK(registry.scrub(R"(passphrase p@ss "word"/+= end)") == "passphrase *** end");
  CHECK(registry.scrub(R"({"passphrase":"p@ss \"word\"/+="})") == R"({"passphrase":"***"})");
  CHECK(registry.scrub("passphrase=p%40ss%20%22word%22%2F%2B%3D&key=k3y") == "passphrase=***&key=***");
  CHECK(registry.scrub("k3yk3y and k3") == "****** and k3");
  CHECK(registry.appears_in("xx k3y"));
  CHECK_FALSE(registry.appears_in("nothing here"));
  registry.add(std::string_view{});
  CHECK(registry.scrub("unchanged") == "unchanged");
}

TEST_CASE("secret-looking keys are recognised in configs, requests and exchange headers") {
  for (std::string_view key : {"api_key", "apiKey", "secret", "api_secret", "passphrase", "password", "token",
                               "control_token", "private_key", "signature", "listenKey", "X-MBX-APIKEY",
                               "OK-ACCESS-KEY", "OK-ACCESS-SIGN", "OK-ACCESS-PASSPHRASE"}) {
    INFO(key);
    CHECK(looks_like_secret_key(key));
  }
  for (std::string_view key : {"api_key_env", "secret_env", "control_token_env", "PASSPHRASE_ENV", "secrets_file",
                               "symbol", "price", "orderId", "markets", "timestamp", "node", "credentials"}) {
    INFO(key);
    CHECK_FALSE(looks_like_secret_key(key));
  }
}

TEST_CASE("redacting a JSON document hides secret keys and registered values, and keeps the rest") {
  secret_registry registry;
  registry.add(std::string_view{"tok-123456"});
  nlohmann::json document = {
      {"api_key", "AKIA-visible?"},
      {"api_key_env", "TERN_KEY"},
      {"secret", {{"nested", "deep"}}},
      {"orders", {{{"price", "1.5"}, {"signature", "abcdef"}}}},
      {"note", "the token is tok-123456!"},
      {"size", 3},
  };
  auto redacted = redact(document, registry);
  CHECK(redacted["api_key"] == "***");
  CHECK(redacted["api_key_env"] == "TERN_KEY");
  CHECK(redacted["secret"] == "***");
  CHECK(redacted["orders"][0]["signature"] == "***");
  CHECK(redacted["orders"][0]["price"] == "1.5");
  CHECK(redacted["note"] == "the token is ***!");
  CHECK(redacted["size"] == 3);
  CHECK(redacted.dump().find("AKIA") == std::string::npos);
}

TEST_CASE("validation warns about unset variables and resolution refuses them") {
  topology t = load(env_topology);
  auto env = map_environment({{"OKX_KEY", "okx-key-value"}, {"OKX_PASS", ""}});
  auto warnings = check_secret_sources(t, env);
  REQUIRE(warnings.size() == 3);
  CHECK(warnings[0].to_string() ==
        "warning: /exchanges/0/credentials/secret_env: environment variable OKX_SECRET is not set (needed when Tern runs)");
  CHECK(warnings[1].to_string() ==
        "warning: /exchanges/0/credentials/passphrase_env: environment variable OKX_PASS is empty (needed when Tern runs)");
  CHECK(warnings[2].pointer == "/ops/control_token_env");

  secret_registry registry;
  auto resolved = resolve_secrets(t, env, registry);
  REQUIRE_FALSE(resolved.has_value());
  REQUIRE(resolved.error().size() == 3);
  CHECK(resolved.error()[0].level == severity::error);
  CHECK(resolved.error()[0].message == "environment variable OKX_SECRET is not set");
  CHECK(registry.appears_in("okx-key-value"));  // what was found is scrubbed even so
}

TEST_CASE("resolved secrets come from the environment and are registered for scrubbing") {
  topology t = load(env_topology);
  secret_registry registry;
  auto resolved = resolve_secrets(t, map_environment({{"OKX_KEY", "key-1"}, {"OKX_SECRET", "secret-2"},
                                                      {"OKX_PASS", "pass-3"}, {"OPS_TOKEN", "token-4-0123456789"}}),
                                  registry);
  REQUIRE(resolved.has_value());
  const auto& okx = resolved->exchanges.at("okx");
  CHECK(okx.api_key.reveal() == "key-1");
  CHECK(okx.api_secret.reveal() == "secret-2");
  CHECK(okx.passphrase->reveal() == "pass-3");
  CHECK(resolved->ops_control_token->reveal() == "token-4-0123456789");
  CHECK(registry.scrub("key-1 secret-2 pass-3 token-4-0123456789") == "*** *** *** ***");
}

TEST_CASE("a short control token is refused by length and never registered for scrubbing") {
  topology t = load(env_topology);
  secret_registry registry;
  auto resolved = resolve_secrets(t, map_environment({{"OKX_KEY", "key-1"}, {"OKX_SECRET", "secret-2"},
                                                      {"OKX_PASS", "pass-3"}, {"OPS_TOKEN", "x"}}),
                                  registry);
  REQUIRE_FALSE(resolved.has_value());
  REQUIRE(resolved.error().size() == 1);
  CHECK(resolved.error()[0].pointer == "/ops/control_token_env");
  CHECK(resolved.error()[0].message ==
        "environment variable OPS_TOKEN holds a token of 1 characters; use at least 16 (e.g. the output "
        "of `openssl rand -hex 16`)");
  CHECK(registry.scrub("okx exit") == "okx exit");
}

TEST_CASE("a secrets file must be private to its owner") {
  temp_folder folder;
  std::string_view contents = R"({"api_key": "file-key-1", "secret": "file-secret-2"})";
  folder.write("open.json", contents, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                          std::filesystem::perms::group_read | std::filesystem::perms::others_read);
  folder.write("private.json", contents, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  topology t = load(R"({"nodes": [{"name": "main", "host": "h", "port": 1}],
    "exchanges": [
      {"name": "a", "connector": "binance", "markets": ["BTC-USDT"], "credentials": {"secrets_file": "open.json"}},
      {"name": "b", "connector": "binance", "markets": ["BTC-USDT"], "credentials": {"secrets_file": "private.json"}},
      {"name": "c", "connector": "binance", "markets": ["BTC-USDT"], "credentials": {"secrets_file": "absent.json"}}]})",
                    folder.path);
  auto env = map_environment({});
  auto warnings = check_secret_sources(t, env);
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[0].level == severity::warning);
  CHECK(warnings[0].pointer == "/exchanges/0/credentials/secrets_file");
  CHECK(warnings[0].message.find("(mode 0644)") != std::string::npos);
  CHECK(warnings[0].message.find("chmod 600") != std::string::npos);
  CHECK(warnings[1].message.find("absent.json does not exist") != std::string::npos);

  secret_registry registry;
  auto resolved = resolve_secrets(t, env, registry);
  REQUIRE_FALSE(resolved.has_value());
  CHECK(resolved.error().size() == 2);
  CHECK(resolved.error()[0].level == severity::error);
  CHECK(registry.appears_in("file-secret-2"));  // read from the private file
}

TEST_CASE("a private secrets file resolves, with the passphrase its connector needs") {
  temp_folder folder;
  auto owner_only = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;
  folder.write("okx.json", R"({"api_key": "k", "secret": "s", "passphrase": "p"})", owner_only);
  folder.write("okx_short.json", R"({"api_key": "k", "secret": "s"})", owner_only);
  folder.write("bad.json", R"({"api_key": "sk-live-0123", "secret": )", owner_only);
  folder.write("extra.json", R"({"api_key": "k", "secret": 5, "passphrase": "p", "pasphrase": "p"})", owner_only);
  auto topology_with = [&](std::string_view file) {
    return load(R"({"nodes": [{"name": "main", "host": "h", "port": 1}],
      "exchanges": [{"connector": "okx", "markets": ["BTC-USDT"], "credentials": {"secrets_file": ")" +
                    std::string{file} + "\"}}]}",
                folder.path);
  };
  secret_registry registry;
  auto good = resolve_secrets(topology_with("okx.json"), map_environment({}), registry);
  REQUIRE(good.has_value());
  CHECK(good->exchanges.at("okx").passphrase->reveal() == "p");

  auto short_file = resolve_secrets(topology_with("okx_short.json"), map_environment({}), registry);
  REQUIRE_FALSE(short_file.has_value());
  CHECK(short_file.error()[0].message.find("has no \"passphrase\"") != std::string::npos);

  auto bad = resolve_secrets(topology_with("bad.json"), map_environment({}), registry);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error()[0].message.find("is not a JSON object") != std::string::npos);
  CHECK(bad.error()[0].message.find("sk-live") == std::string::npos);

  auto extra = resolve_secrets(topology_with("extra.json"), map_environment({}), registry);
  REQUIRE_FALSE(extra.has_value());
  REQUIRE(extra.error().size() == 2);
  CHECK(extra.error()[0].message.find("unknown key \"pasphrase\" (did you mean \"passphrase\"?)") != std::string::npos);
  CHECK(extra.error()[1].message.find("\"secret\" must be a non-empty string") != std::string::npos);
}
