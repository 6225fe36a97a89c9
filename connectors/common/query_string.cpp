#include "connectors/common/query_string.hpp"

namespace tern {

namespace {

bool unreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
         || c == '.' || c == '_' || c == '~';
}

} // namespace

std::string percent_encode(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char raw : text) {
    auto c = static_cast<unsigned char>(raw);
    if (unreserved(c)) {
      out.push_back(raw);
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 0x0F]);
    }
  }
  return out;
}

std::string encode_query(const query_params& params) {
  std::string out;
  for (const query_param& param : params) {
    if (!out.empty())
      out.push_back('&');
    out += percent_encode(param.name);
    out.push_back('=');
    out += percent_encode(param.value);
  }
  return out;
}

const std::string* find_param(const query_params& params, std::string_view name) {
  for (const query_param& param : params)
    if (param.name == name)
      return &param.value;
  return nullptr;
}

} // namespace tern
