#include "net/http_types.hpp"

#include <algorithm>
#include <cctype>

namespace tern::net {

std::optional<std::string_view> find_header(const header_list& headers, std::string_view name) {
  const auto same = [&](const std::string& field) {
    return std::equal(field.begin(), field.end(), name.begin(), name.end(), [](char a, char b) {
      return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
  };
  for (const auto& [field, value] : headers)
    if (same(field)) return std::string_view{value};
  return std::nullopt;
}

} // namespace tern::net
