#include "config/secrets.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <ostream>

#include <nlohmann/json.hpp>

namespace tern::config {

void secret::wipe() noexcept {
  // explicit_bzero is not optimised away like a memset before destruction would be.
  explicit_bzero(value_.data(), value_.capacity());
  value_.clear();
}

secret& secret::operator=(const secret& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
  }
  return *this;
}

secret::secret(secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }

secret& secret::operator=(secret&& other) noexcept {
  if (this != &other) {
    wipe();
    value_ = std::move(other.value_);
    other.wipe();
  }
  return *this;
}

secret::~secret() { wipe(); }

std::ostream& operator<<(std::ostream& out, const secret&) { return out << redacted_text; }

secret_registry& secret_registry::global() {
  static secret_registry registry;
  return registry;
}

namespace {

std::string json_escaped(std::string_view value) {
  std::string text = nlohmann::json(std::string{value}).dump(-1, ' ', false,
                                                            nlohmann::json::error_handler_t::replace);
  return text.substr(1, text.size() - 2);
}

std::string percent_encoded(std::string_view value) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string text;
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      text += c;
    } else {
      text += '%';
      text += hex[byte >> 4];
      text += hex[byte & 0xF];
    }
  }
  return text;
}

} // namespace

void secret_registry::insert_locked(std::string value) {
  if (value.empty() || std::find(values_.begin(), values_.end(), value) != values_.end()) return;
  auto position = std::find_if(values_.begin(), values_.end(),
                               [&](const std::string& known) { return known.size() < value.size(); });
  values_.insert(position, std::move(value));
}

void secret_registry::add(std::string_view value) {
  if (value.empty()) return;
  std::unique_lock lock{mutex_};
  insert_locked(std::string{value});
  insert_locked(json_escaped(value));
  insert_locked(percent_encoded(value));
}

std::string secret_registry::scrub(std::string_view text) const {
  std::shared_lock lock{mutex_};
  std::string out{text};
  for (const std::string& value : values_) {
    for (auto at = out.find(value); at != std::string::npos; at = out.find(value, at + redacted_text.size()))
      out.replace(at, value.size(), redacted_text);
  }
  return out;
}

bool secret_registry::appears_in(std::string_view text) const {
  std::shared_lock lock{mutex_};
  return std::any_of(values_.begin(), values_.end(),
                     [&](const std::string& value) { return text.find(value) != std::string_view::npos; });
}

std::size_t secret_registry::size() const {
  std::shared_lock lock{mutex_};
  return values_.size();
}

} // namespace tern::config
