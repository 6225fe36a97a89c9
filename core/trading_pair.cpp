#include "core/trading_pair.hpp"

#include <ostream>
#include <stdexcept>

namespace tern {
namespace {

constexpr bool is_alnum(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

constexpr char to_upper(char c) noexcept {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

std::string quoted_char(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string{"'"} + c + "'";
  static constexpr char hex[] = "0123456789abcdef";
  auto byte = static_cast<unsigned char>(c);
  return std::string{"byte 0x"} + hex[byte >> 4] + hex[byte & 0xf];
}

/// Empty when `asset` is a valid symbol, else the reason it is not. `role` is "base" or "quote".
std::string asset_problem(std::string_view asset, std::string_view role) {
  std::string name{role};
  if (asset.empty()) return name + " asset is empty";
  if (asset.size() > trading_pair::max_asset_length) {
    return name + " asset is longer than " + std::to_string(trading_pair::max_asset_length)
           + " characters";
  }
  for (char c : asset) {
    if (!is_alnum(c) && c != '.') {
      return name + " asset contains " + quoted_char(c)
             + "; only letters, digits and '.' are allowed";
    }
  }
  if (!is_alnum(asset.front()) || !is_alnum(asset.back())) {
    return name + " asset must begin and end with a letter or digit";
  }
  return {};
}

} // namespace

std::string trading_pair_error::message() const {
  return "invalid trading pair \"" + input + "\": " + reason;
}

expected<trading_pair, trading_pair_error> trading_pair::parse(std::string_view text) {
  auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    return unexpected{trading_pair_error{std::string{text},
                                         "expected BASE-QUOTE with a '-' between the assets"}};
  }
  if (text.find('-', dash + 1) != std::string_view::npos) {
    return unexpected{trading_pair_error{std::string{text},
                                         "expected exactly one '-' between base and quote"}};
  }
  auto problem = asset_problem(text.substr(0, dash), "base");
  if (problem.empty()) problem = asset_problem(text.substr(dash + 1), "quote");
  if (!problem.empty()) return unexpected{trading_pair_error{std::string{text}, problem}};

  std::string normalised{text};
  for (char& c : normalised) c = to_upper(c);
  return trading_pair{std::move(normalised), dash};
}

expected<trading_pair, trading_pair_error> trading_pair::from_assets(std::string_view base,
                                                                     std::string_view quote) {
  std::string joined{base};
  joined += '-';
  joined += quote;
  // A '-' inside either asset would make the joined text ambiguous; parse rejects it as a
  // second '-', but the error should name the asset that carried it.
  for (auto [asset, role] : {std::pair{base, "base"}, std::pair{quote, "quote"}}) {
    if (asset.find('-') != std::string_view::npos) {
      return unexpected{trading_pair_error{joined, std::string{role} + " asset contains '-'"}};
    }
  }
  return parse(joined);
}

trading_pair trading_pair::from_string(std::string_view text) {
  auto parsed = parse(text);
  if (!parsed) throw std::invalid_argument(parsed.error().message());
  return std::move(parsed).value();
}

std::ostream& operator<<(std::ostream& out, const trading_pair& pair) {
  return out << pair.to_string();
}

} // namespace tern
