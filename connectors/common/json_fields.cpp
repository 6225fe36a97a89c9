#include "connectors/common/json_fields.hpp"

#include <charconv>

namespace tern::json_fields {

namespace {

field_error problem(std::string_view name, std::string_view what, const nlohmann::json* value) {
  std::string text = "field \"" + std::string{name} + "\": " + std::string{what};
  if (value != nullptr)
    text += ", got " + excerpt(*value);
  return text;
}

const nlohmann::json* find(const nlohmann::json& object, std::string_view name) {
  if (!object.is_object())
    return nullptr;
  auto found = object.find(name);
  return found == object.end() ? nullptr : &*found;
}

expected<std::int64_t, field_error> integer_from(const nlohmann::json& value,
                                                 std::string_view name) {
  if (value.is_number_integer())
    return value.get<std::int64_t>();
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    std::int64_t out = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (error == std::errc{} && end == text.data() + text.size() && !text.empty())
      return out;
  }
  return unexpected{problem(name, "expected an integer", &value)};
}

expected<decimal, field_error> decimal_from(const nlohmann::json& value, std::string_view name) {
  if (value.is_string()) {
    auto parsed = decimal::parse(value.get_ref<const std::string&>());
    if (parsed)
      return *parsed;
    return unexpected{problem(name, parsed.error().message(), nullptr)};
  }
  if (value.is_number_integer())
    return decimal::from_integer(value.get<std::int64_t>());
  return unexpected{problem(name, "expected a decimal string", &value)};
}

} // namespace

expected<nlohmann::json, field_error> parse(std::string_view text) {
  auto value = nlohmann::json::parse(text, nullptr, false);
  if (value.is_discarded())
    return unexpected{field_error{"not valid JSON"}};
  return value;
}

expected<std::string, field_error> string_of(const nlohmann::json& object, std::string_view name) {
  const nlohmann::json* value = find(object, name);
  if (value == nullptr)
    return unexpected{problem(name, "missing", nullptr)};
  if (!value->is_string())
    return unexpected{problem(name, "expected a string", value)};
  return value->get<std::string>();
}

expected<decimal, field_error> decimal_of(const nlohmann::json& object, std::string_view name) {
  const nlohmann::json* value = find(object, name);
  if (value == nullptr)
    return unexpected{problem(name, "missing", nullptr)};
  return decimal_from(*value, name);
}

expected<std::int64_t, field_error> integer_of(const nlohmann::json& object,
                                               std::string_view name) {
  const nlohmann::json* value = find(object, name);
  if (value == nullptr)
    return unexpected{problem(name, "missing", nullptr)};
  return integer_from(*value, name);
}

expected<std::string, field_error> id_of(const nlohmann::json& object, std::string_view name) {
  const nlohmann::json* value = find(object, name);
  if (value == nullptr)
    return unexpected{problem(name, "missing", nullptr)};
  if (value->is_string())
    return value->get<std::string>();
  if (value->is_number_integer())
    return std::to_string(value->get<std::int64_t>());
  if (value->is_number_unsigned())
    return std::to_string(value->get<std::uint64_t>());
  return unexpected{problem(name, "expected an id", value)};
}

expected<bool, field_error> bool_of(const nlohmann::json& object, std::string_view name) {
  const nlohmann::json* value = find(object, name);
  if (value == nullptr)
    return unexpected{problem(name, "missing", nullptr)};
  if (!value->is_boolean())
    return unexpected{problem(name, "expected true or false", value)};
  return value->get<bool>();
}

expected<std::optional<decimal>, field_error> optional_decimal_of(const nlohmann::json& object,
                                                                  std::string_view name) {
  const nlohmann::json* value = find(object, name);
  if (value == nullptr || value->is_null())
    return std::optional<decimal>{};
  auto parsed = decimal_from(*value, name);
  if (!parsed)
    return unexpected{std::move(parsed).error()};
  return std::optional<decimal>{*parsed};
}

expected<std::optional<decimal>, field_error> optional_decimal_or_empty_of(
    const nlohmann::json& object, std::string_view name) {
  const nlohmann::json* value = find(object, name);
  if (value != nullptr && value->is_string() && value->get_ref<const std::string&>().empty())
    return std::optional<decimal>{};
  return optional_decimal_of(object, name);
}

expected<std::optional<std::string>, field_error> optional_string_of(const nlohmann::json& object,
                                                                     std::string_view name) {
  const nlohmann::json* value = find(object, name);
  if (value == nullptr || value->is_null())
    return std::optional<std::string>{};
  if (!value->is_string())
    return unexpected{problem(name, "expected a string", value)};
  return std::optional<std::string>{value->get<std::string>()};
}

expected<std::optional<std::int64_t>, field_error> optional_integer_of(
    const nlohmann::json& object, std::string_view name) {
  const nlohmann::json* value = find(object, name);
  if (value == nullptr || value->is_null())
    return std::optional<std::int64_t>{};
  auto parsed = integer_from(*value, name);
  if (!parsed)
    return unexpected{std::move(parsed).error()};
  return std::optional<std::int64_t>{*parsed};
}

std::string excerpt(const nlohmann::json& value, std::size_t limit) {
  std::string text = value.dump();
  if (text.size() > limit)
    text = text.substr(0, limit) + "...";
  return text;
}

} // namespace tern::json_fields
