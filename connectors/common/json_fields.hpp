#pragma once

// Reading fields of REST and private-stream JSON (nlohmann) into exact types, with errors that
// name the field. Exchanges send decimals as strings ("0.00100000") so they stay exact;
// integers (ids, times) come as numbers or as strings, and both are accepted.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/decimal.hpp"
#include "core/expected.hpp"

/// Reads a chain of fields and stops at the first unreadable one: `TERN_TRY(value, expression)`
/// declares `value` from an expected<T, E> and returns its error (as unexpected) from the
/// enclosing function when it holds one. Parsers read a dozen fields in a row; this keeps each
/// read one line and every failure named by the field reader.
#define TERN_TRY(name, expression) \
  auto name = (expression);        \
  if (!name)                       \
  return ::tern::unexpected{std::move(name).error()}

namespace tern::json_fields {

/// Why a field could not be read: "field \"price\": expected a decimal string, got 12.5".
using field_error = std::string;

/// Parses `text` as JSON; the error quotes the parser's reason.
[[nodiscard]] expected<nlohmann::json, field_error> parse(std::string_view text);

/// A required string field.
[[nodiscard]] expected<std::string, field_error> string_of(const nlohmann::json& object,
                                                           std::string_view name);
/// A required decimal, written as a string or as an integer (never a float: it would not be
/// exact).
[[nodiscard]] expected<decimal, field_error> decimal_of(const nlohmann::json& object,
                                                        std::string_view name);
/// A required integer, written as a number or a string of digits.
[[nodiscard]] expected<std::int64_t, field_error> integer_of(const nlohmann::json& object,
                                                             std::string_view name);
/// A required id (order id, trade id) as text, whether sent as number or string.
[[nodiscard]] expected<std::string, field_error> id_of(const nlohmann::json& object,
                                                       std::string_view name);
/// A required boolean.
[[nodiscard]] expected<bool, field_error> bool_of(const nlohmann::json& object,
                                                  std::string_view name);

/// Optional variants: nothing when the field is absent or null, an error when it is present
/// but unreadable.
[[nodiscard]] expected<std::optional<decimal>, field_error> optional_decimal_of(
    const nlohmann::json& object, std::string_view name);
/// Like optional_decimal_of, but an empty string is absent too: OKX sends "" for values that do
/// not apply ("avgPx": "" before any fill).
[[nodiscard]] expected<std::optional<decimal>, field_error> optional_decimal_or_empty_of(
    const nlohmann::json& object, std::string_view name);
[[nodiscard]] expected<std::optional<std::string>, field_error> optional_string_of(
    const nlohmann::json& object, std::string_view name);
[[nodiscard]] expected<std::optional<std::int64_t>, field_error> optional_integer_of(
    const nlohmann::json& object, std::string_view name);

/// The start of a JSON value as text, for error messages (at most `limit` characters).
[[nodiscard]] std::string excerpt(const nlohmann::json& value, std::size_t limit = 80);

} // namespace tern::json_fields
