#include "config/reader.hpp"

#include <algorithm>
#include <cctype>

#include "config/redaction.hpp"

namespace tern::config {

void reader_context::error(std::string pointer, std::string message) {
  diagnostics_.push_back({severity::error, std::move(pointer), std::move(message)});
  ++errors_;
}

void reader_context::warning(std::string pointer, std::string message) {
  diagnostics_.push_back({severity::warning, std::move(pointer), std::move(message)});
}

const std::string* reader_context::number_text(const std::string& pointer) const {
  auto it = document_->number_text.find(pointer);
  return it == document_->number_text.end() ? nullptr : &it->second;
}

std::string describe_json_value(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return "a number";
    default: return "an unsupported value";
  }
}

object_reader::object_reader(const value_at& at, std::string_view what)
    : context_(&at.context), pointer_(at.pointer) {
  if (at.value.is_object()) object_ = &at.value;
  else at.error("expected " + std::string{what} + ", got " + describe_json_value(at.value));
}

bool object_reader::has(std::string_view key) const {
  return object_ != nullptr && object_->contains(key);
}

std::optional<value_at> object_reader::optional_field(std::string_view key) {
  declared_.emplace_back(key);
  if (object_ == nullptr) return std::nullopt;
  auto it = object_->find(key);
  if (it == object_->end()) return std::nullopt;
  return value_at{*context_, *it, pointer_to(key)};
}

std::optional<value_at> object_reader::required_field(std::string_view key, std::string_view what) {
  bool present = has(key);
  auto at = optional_field(key);
  if (!present && object_ != nullptr)
    context_->error(pointer_to(key), "missing required key (expected " + std::string{what} + ")");
  return at;
}

namespace {

// Tells the user the way to give this secret that the surrounding object accepts.
std::string inline_secret_message(const std::string& key, std::span<const std::string_view> known) {
  auto accepts = [&](std::string_view name) { return std::binary_search(known.begin(), known.end(), name); };
  std::string text = "inline secret " + quote(key) + ": secrets are never written in the config; ";
  std::string env_key = key + "_env";
  if (accepts(env_key)) {
    text += "put the value in an environment variable and give its name as " + quote(env_key);
    if (accepts("secrets_file")) text += ", or name a secrets file with \"secrets_file\"";
  } else {
    text += "give credentials as environment variable names or a secrets file";
  }
  return text + " (see \"Secrets\" in docs/configuration.md)";
}

} // namespace

void object_reader::finish() {
  if (object_ == nullptr) return;
  std::vector<std::string_view> known{declared_.begin(), declared_.end()};
  std::sort(known.begin(), known.end());
  known.erase(std::unique(known.begin(), known.end()), known.end());
  for (const auto& [key, value] : object_->items()) {
    if (std::binary_search(known.begin(), known.end(), std::string_view{key})) continue;
    if (is_inline_secret_key(key)) {
      context_->error(pointer_to(key), inline_secret_message(key, known));
      continue;
    }
    context_->error(pointer_to(key), "unknown key " + describe_unknown(key, known));
  }
}

// ---- field readers ----

namespace {

std::optional<std::string> read_string(const value_at& at, const std::string& what) {
  if (!at.value.is_string()) {
    at.error("expected " + what + ", got " + describe_json_value(at.value));
    return std::nullopt;
  }
  return at.value.get<std::string>();
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
}

} // namespace

std::optional<std::string> string_field::operator()(const value_at& at) const {
  auto text = read_string(at, describe());
  if (text && text->empty() && !allow_empty) {
    at.error("expected " + describe() + ", got an empty string");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> name_field::operator()(const value_at& at) const {
  auto text = read_string(at, describe());
  if (!text) return std::nullopt;
  if (text->empty() || text->size() > 64 || !std::all_of(text->begin(), text->end(), is_name_char)) {
    at.error("expected " + describe() + ", got " + quote(*text));
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> env_name_field::operator()(const value_at& at) const {
  auto text = read_string(at, describe());
  if (!text) return std::nullopt;
  auto valid_char = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; };
  bool valid = !text->empty() && text->size() <= 128 && !(text->front() >= '0' && text->front() <= '9') &&
               std::all_of(text->begin(), text->end(), valid_char);
  if (!valid) {
    // Not quoted: a value that is not a variable name is most likely the secret itself.
    at.error("expected " + describe() + "; the value is not repeated here in case it is the secret itself");
    return std::nullopt;
  }
  return text;
}

std::optional<bool> bool_field::operator()(const value_at& at) const {
  if (!at.value.is_boolean()) {
    at.error("expected " + describe() + ", got " + describe_json_value(at.value));
    return std::nullopt;
  }
  return at.value.get<bool>();
}

std::string integer_field::describe() const {
  return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

std::optional<std::int64_t> integer_field::operator()(const value_at& at) const {
  std::optional<std::int64_t> value;
  if (at.value.is_number_integer() && !at.value.is_number_unsigned()) value = at.value.get<std::int64_t>();
  else if (at.value.is_number_unsigned() && at.value.get<std::uint64_t>() <= static_cast<std::uint64_t>(max))
    value = static_cast<std::int64_t>(at.value.get<std::uint64_t>());
  if (!value) {
    if (at.value.is_number()) {
      const std::string* text = at.context.number_text(at.pointer);
      at.error("expected " + describe() + ", got " + (text ? *text : at.value.dump()));
    } else {
      at.error("expected " + describe() + ", got " + describe_json_value(at.value));
    }
    return std::nullopt;
  }
  if (*value < min || *value > max) {
    at.error("expected " + describe() + ", got " + std::to_string(*value));
    return std::nullopt;
  }
  return value;
}

std::string decimal_field::describe() const {
  std::string text = "a decimal (as a string or number)";
  if (min) text += std::string{min_exclusive ? " greater than " : " at least "} + min->to_string();
  if (min && max) text += " and";
  if (max) text += std::string{max_exclusive ? " less than " : " at most "} + max->to_string();
  return text;
}

std::optional<decimal> decimal_field::operator()(const value_at& at) const {
  std::string text;
  if (at.value.is_string()) text = at.value.get<std::string>();
  else if (at.value.is_number_float()) {
    const std::string* source = at.context.number_text(at.pointer);
    if (source == nullptr) throw std::logic_error("config: no source text for number at " + at.pointer);
    text = *source;
  } else if (at.value.is_number()) text = at.value.dump();  // integers are exact
  else {
    at.error("expected " + describe() + ", got " + describe_json_value(at.value));
    return std::nullopt;
  }
  auto parsed = decimal::parse(text);
  if (!parsed) {
    at.error("expected " + describe() + ": " + parsed.error().message());
    return std::nullopt;
  }
  decimal value = *parsed;
  bool below = min && (min_exclusive ? value <= *min : value < *min);
  bool above = max && (max_exclusive ? value >= *max : value > *max);
  if (below || above) {
    at.error("expected " + describe() + ", got " + value.to_string());
    return std::nullopt;
  }
  return value;
}

} // namespace tern::config
