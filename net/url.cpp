#include "net/url.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <charconv>

namespace tern::net {

namespace {

net_error bad_url(std::string_view url, std::string_view why) {
  return net_error{net_errc::invalid_argument, net_phase::none, false,
                   certificate_problem::none,  0,
                   "bad URL '" + std::string{url} + "': " + std::string{why}};
}

std::uint16_t default_port(std::string_view scheme) {
  return scheme == "https" || scheme == "wss" ? 443 : 80;
}

} // namespace

std::string url_parts::host_header() const {
  // Appending piecewise: GCC 12 warns falsely (-Wrestrict) on "[" + host + "]".
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string text;
  if (ipv6) text += '[';
  text += host;
  if (ipv6) text += ']';
  if (port != default_port(scheme)) {
    text += ':';
    text += std::to_string(port);
  }
  return text;
}

bool is_ip_literal(std::string_view host) {
  const std::string text{host};
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

expected<url_parts, net_error> parse_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return unexpected{bad_url(url, "no scheme")};
  url_parts parts;
  parts.scheme = std::string{url.substr(0, scheme_end)};
  std::transform(parts.scheme.begin(), parts.scheme.end(), parts.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (parts.scheme != "https" && parts.scheme != "wss" && parts.scheme != "http" &&
      parts.scheme != "ws")
    return unexpected{bad_url(url, "scheme must be http, https, ws or wss")};

  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('#'));
  const auto path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  if (path_start != std::string_view::npos) {
    const auto target = rest.substr(path_start);
    parts.target.clear();
    if (target.front() == '?') parts.target += '/';
    parts.target += target;
  }
  if (authority.find('@') != std::string_view::npos)
    return unexpected{bad_url(url, "user info is not allowed")};

  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return unexpected{bad_url(url, "unclosed '['")};
    parts.host = std::string{authority.substr(1, close - 1)};
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return unexpected{bad_url(url, "junk after ']'")};
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    parts.host = std::string{authority.substr(0, colon)};
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (parts.host.empty()) return unexpected{bad_url(url, "empty host")};

  parts.port = default_port(parts.scheme);
  if (!port_text.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535)
      return unexpected{bad_url(url, "bad port '" + std::string{port_text} + "'")};
    parts.port = static_cast<std::uint16_t>(value);
  }
  return parts;
}

} // namespace tern::net
