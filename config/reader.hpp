#pragma once

// One-pass reading and validation of JSON configuration. A section is read by declaring its
// keys on an `object_reader`: each declaration reads the typed value (with its default and
// bounds), reports what is wrong at the value's JSON pointer, and records the key as known so
// that `finish()` can report every key nobody declared. The schema is therefore the reading
// code itself: there is no second description of the format to keep in step with it.

#include <concepts>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/diagnostic.hpp"
#include "config/json_document.hpp"
#include "core/decimal.hpp"

namespace tern::config {

/// Collects every diagnostic of one reading pass; gives readers the document's number text.
class reader_context {
 public:
  explicit reader_context(const json_document& document) : document_(&document) {}

  void error(std::string pointer, std::string message);
  void warning(std::string pointer, std::string message);
  [[nodiscard]] const std::string* number_text(const std::string& pointer) const;
  [[nodiscard]] std::size_t error_count() const noexcept { return errors_; }
  [[nodiscard]] const std::vector<diagnostic>& diagnostics() const noexcept { return diagnostics_; }
  [[nodiscard]] std::vector<diagnostic> take_diagnostics() { return std::move(diagnostics_); }

 private:
  const json_document* document_;
  std::vector<diagnostic> diagnostics_;
  std::size_t errors_ = 0;
};

/// A JSON value together with where it was found.
struct value_at {
  reader_context& context;
  const nlohmann::json& value;
  std::string pointer;

  void error(std::string message) const { context.error(pointer, std::move(message)); }
  void warning(std::string message) const { context.warning(pointer, std::move(message)); }
};

/// "a string", "the number 42", "an array": how a wrong value is named in messages. Strings are
/// not quoted, because a misplaced string may be a secret.
[[nodiscard]] std::string describe_json_value(const nlohmann::json& value);

/// A field reader: turns a value into T or reports why not (and returns nullopt).
template <class R>
concept field_reader = requires(const R& reader, const value_at& at) {
  { reader.describe() } -> std::convertible_to<std::string>;
  { reader(at).has_value() } -> std::convertible_to<bool>;
};

template <class R>
using read_type = typename std::invoke_result_t<const R&, const value_at&>::value_type;

/// Reads the keys of one JSON object; see the file comment.
class object_reader {
 public:
  /// Reports "expected an object" when `at` is not one; every read then yields nothing.
  explicit object_reader(const value_at& at, std::string_view what = "an object");
  object_reader(const object_reader&) = delete;
  object_reader& operator=(const object_reader&) = delete;

  [[nodiscard]] bool is_object() const noexcept { return object_ != nullptr; }
  [[nodiscard]] const std::string& pointer() const noexcept { return pointer_; }
  [[nodiscard]] reader_context& context() const noexcept { return *context_; }
  [[nodiscard]] std::string pointer_to(std::string_view key) const { return pointer_append(pointer_, key); }
  /// Whether `key` is present; does not declare it.
  [[nodiscard]] bool has(std::string_view key) const;

  /// Declares `key` and returns its value, or nullopt when absent.
  [[nodiscard]] std::optional<value_at> optional_field(std::string_view key);
  /// Declares `key`; when absent reports "missing required key (expected <what>)".
  [[nodiscard]] std::optional<value_at> required_field(std::string_view key, std::string_view what);

  /// The value of a required key, read by `reader`; nullopt when missing or invalid.
  template <field_reader R>
  std::optional<read_type<R>> required(std::string_view key, const R& reader) {
    auto at = required_field(key, reader.describe());
    return at ? reader(*at) : std::nullopt;
  }

  /// The value of an optional key, or `fallback` when absent (or invalid, which is reported).
  template <field_reader R>
  read_type<R> optional(std::string_view key, const R& reader, read_type<R> fallback) {
    auto at = optional_field(key);
    if (!at) return fallback;
    auto value = reader(*at);
    return value ? std::move(*value) : fallback;
  }

  /// Like `optional` with no default: nullopt when absent or invalid.
  template <field_reader R>
  std::optional<read_type<R>> optional(std::string_view key, const R& reader) {
    auto at = optional_field(key);
    return at ? reader(*at) : std::nullopt;
  }

  /// Reports every key that was not declared, with a did-you-mean suggestion. A key that looks
  /// like an inline secret gets an explanation of how secrets are given instead.
  void finish();

 private:
  reader_context* context_;
  const nlohmann::json* object_ = nullptr;
  std::string pointer_;
  std::vector<std::string> declared_;
};

/// Calls `each(element_at)` for every element of an array, after checking the size.
template <class F>
void for_each_element(const value_at& at, std::string_view element_what, std::size_t min_size, F&& each) {
  if (!at.value.is_array()) {
    at.error("expected an array of " + std::string{element_what} + ", got " + describe_json_value(at.value));
    return;
  }
  if (at.value.size() < min_size)
    at.error("expected at least " + std::to_string(min_size) + " " + std::string{element_what} +
             ", got " + std::to_string(at.value.size()));
  for (std::size_t i = 0; i < at.value.size(); ++i)
    each(value_at{at.context, at.value[i], pointer_append(at.pointer, i)});
}

// ---- field readers ----

/// A string; empty strings are rejected unless `allow_empty`.
struct string_field {
  bool allow_empty = false;
  [[nodiscard]] std::string describe() const { return allow_empty ? "a string" : "a non-empty string"; }
  std::optional<std::string> operator()(const value_at& at) const;
};

/// A name other parts of the config refer to: 1-64 of letters, digits, '_', '-', '.'.
struct name_field {
  [[nodiscard]] std::string describe() const {
    return "a name of 1 to 64 letters, digits, '_', '-' or '.'";
  }
  std::optional<std::string> operator()(const value_at& at) const;
};

/// The name of an environment variable holding a secret: capitals, digits and '_' (POSIX
/// portable names), so that a secret pasted in by mistake is refused rather than echoed.
struct env_name_field {
  [[nodiscard]] std::string describe() const {
    return "the name of an environment variable (capital letters, digits and '_', not starting with a digit)";
  }
  std::optional<std::string> operator()(const value_at& at) const;
};

struct bool_field {
  [[nodiscard]] std::string describe() const { return "true or false"; }
  std::optional<bool> operator()(const value_at& at) const;
};

/// A JSON integer within [min, max].
struct integer_field {
  std::int64_t min;
  std::int64_t max;
  [[nodiscard]] std::string describe() const;
  std::optional<std::int64_t> operator()(const value_at& at) const;
};

/// A decimal given as a JSON string ("0.003") or number (0.003). Numbers are read from their
/// source text, never through double, so both forms are exact.
struct decimal_field {
  std::optional<decimal> min;
  std::optional<decimal> max;
  bool min_exclusive = false;
  bool max_exclusive = false;
  [[nodiscard]] std::string describe() const;
  std::optional<decimal> operator()(const value_at& at) const;
};

/// One entry of a fixed table named by a string (a connector, a strategy kind, ...): yields a
/// pointer to the entry whose `name` matches, or suggests the closest name.
template <class Entry>
struct table_field {
  std::span<const Entry> entries;
  std::string_view what;  ///< e.g. "connector"

  [[nodiscard]] std::string describe() const {
    std::string text = "a " + std::string{what} + ": one of ";
    for (std::size_t i = 0; i < entries.size(); ++i) text += (i > 0 ? ", " : "") + quote(entries[i].name);
    return text;
  }
  std::optional<const Entry*> operator()(const value_at& at) const {
    if (!at.value.is_string()) {
      at.error("expected " + describe() + ", got " + describe_json_value(at.value));
      return std::nullopt;
    }
    const auto& text = at.value.get_ref<const std::string&>();
    std::vector<std::string_view> names;
    for (const Entry& entry : entries) {
      if (entry.name == text) return &entry;
      names.push_back(entry.name);
    }
    at.error("unknown " + std::string{what} + " " + describe_unknown(text, names));
    return std::nullopt;
  }
};

/// A string from a fixed set, mapped to a value of T.
template <class T>
struct choice {
  std::string_view name;
  T value;
};

template <class T>
struct choice_field {
  std::span<const choice<T>> choices;
  std::string_view what;  ///< e.g. "log level"

  [[nodiscard]] std::string describe() const { return table().describe(); }
  std::optional<T> operator()(const value_at& at) const {
    auto entry = table()(at);
    return entry ? std::optional<T>{(*entry)->value} : std::nullopt;
  }

 private:
  [[nodiscard]] table_field<choice<T>> table() const { return {choices, what}; }
};

} // namespace tern::config
