#include "config/redaction.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace tern::config {

bool looks_like_secret_key(std::string_view key) noexcept {
  std::string folded;
  for (char c : key) {
    if (c == '_' || c == '-') continue;
    folded += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::string_view name = folded;
  // "<name>_env" and "<name>_file" say where a secret is kept, not what it is.
  for (std::string_view suffix : {"_env", "_file"}) {
    if (key.size() > suffix.size() &&
        std::equal(suffix.rbegin(), suffix.rend(), key.rbegin(),
                   [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }))
      return false;
  }
  // Fragments of the names exchanges and configs give secrets; "accesssign"/"accesskey" are
  // OKX's header names, "apikey" covers Binance's X-MBX-APIKEY.
  static constexpr std::array<std::string_view, 10> fragments = {
      "secret", "password", "passphrase", "token", "apikey", "privatekey", "listenkey",
      "signature", "accesssign", "accesskey"};
  for (std::string_view fragment : fragments)
    if (name.find(fragment) != std::string_view::npos) return true;
  return false;
}

nlohmann::json redact(const nlohmann::json& document, const secret_registry& registry) {
  if (document.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : document.items()) {
      out[key] = looks_like_secret_key(key) ? nlohmann::json(std::string{redacted_text}) : redact(value, registry);
    }
    return out;
  }
  if (document.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& value : document) out.push_back(redact(value, registry));
    return out;
  }
  if (document.is_string()) return registry.scrub(document.get_ref<const std::string&>());
  return document;
}

} // namespace tern::config
