#include "sim/form_params.hpp"

#include <algorithm>

namespace tern::sim {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view key_of(std::string_view component) {
  return component.substr(0, component.find('='));
}

} // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
                      u == '-' || u == '.' || u == '_' || u == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += digits[u >> 4U];
      out += digits[u & 15U];
    }
  }
  return out;
}

std::pair<std::string_view, std::string_view> split_target(std::string_view target) {
  auto question = target.find('?');
  if (question == std::string_view::npos)
    return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

std::string without_param(std::string_view encoded, std::string_view key) {
  std::string out;
  std::size_t start = 0;
  while (start <= encoded.size()) {
    std::size_t end = encoded.find('&', start);
    if (end == std::string_view::npos) end = encoded.size();
    std::string_view component = encoded.substr(start, end - start);
    if (!component.empty() && key_of(component) != key) {
      if (!out.empty()) out += '&';
      out += component;
    }
    start = end + 1;
  }
  return out;
}

std::optional<form_params> form_params::parse(std::string_view encoded) {
  form_params params;
  std::size_t start = 0;
  while (start <= encoded.size()) {
    std::size_t end = encoded.find('&', start);
    if (end == std::string_view::npos) end = encoded.size();
    std::string_view component = encoded.substr(start, end - start);
    start = end + 1;
    if (component.empty()) continue;
    auto equals = component.find('=');
    auto key = percent_decode(component.substr(0, equals));
    auto value = percent_decode(equals == std::string_view::npos ? std::string_view{}
                                                                 : component.substr(equals + 1));
    if (!key || !value) return std::nullopt;
    params.items_.emplace_back(std::move(*key), std::move(*value));
  }
  return params;
}

void form_params::merge(const form_params& more) {
  for (const auto& item : more.items_)
    if (!has(item.first)) items_.push_back(item);
}

const std::string* form_params::find(std::string_view key) const {
  for (const auto& [name, value] : items_)
    if (name == key) return &value;
  return nullptr;
}

std::size_t form_params::count(std::string_view key) const {
  return static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(),
                                                [&](const auto& item) { return item.first == key; }));
}

} // namespace tern::sim
