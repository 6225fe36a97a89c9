#include "supervision/ops_client.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tern::supervision {
namespace {

using steady = std::chrono::steady_clock;

/// Closes the socket however the request ends.
struct socket_guard {
  int fd = -1;
  ~socket_guard() {
    if (fd >= 0)
      ::close(fd);
  }
};

std::string describe(const ops_endpoint& endpoint) {
  return endpoint.host + ":" + std::to_string(endpoint.port);
}

int remaining_ms(steady::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

/// Waits until `fd` is ready for `events`; false on timeout.
bool wait_for(int fd, short events, steady::time_point deadline) {
  pollfd ready{fd, events, 0};
  for (;;) {
    const int n = ::poll(&ready, 1, remaining_ms(deadline));
    if (n > 0)
      return true;
    if (n == 0 || errno != EINTR)
      return false;
  }
}

expected<int, std::string> connect_to(const ops_endpoint& endpoint, steady::time_point deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const auto port = std::to_string(endpoint.port);
  if (const int rc = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found); rc != 0)
    return unexpected{"cannot resolve '" + endpoint.host + "': " + ::gai_strerror(rc)};
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses{found, &::freeaddrinfo};
  std::string last_error = "no address";
  for (auto* address = found; address != nullptr; address = address->ai_next) {
    const int fd = ::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                            address->ai_protocol);
    if (fd < 0)
      continue;
    if (::connect(fd, address->ai_addr, address->ai_addrlen) == 0)
      return fd;
    if (errno == EINPROGRESS && wait_for(fd, POLLOUT, deadline)) {
      int error = 0;
      socklen_t size = sizeof error;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
      if (error == 0)
        return fd;
      last_error = std::strerror(error);
    } else {
      last_error = errno == EINPROGRESS ? "timed out" : std::strerror(errno);
    }
    ::close(fd);
  }
  return unexpected{"cannot connect to " + describe(endpoint) + ": " + last_error};
}

expected<void, std::string> send_all(int fd, std::string_view data, steady::time_point deadline) {
  while (!data.empty()) {
    const auto n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!wait_for(fd, POLLOUT, deadline))
        return unexpected{std::string{"timed out sending the request"}};
    } else {
      return unexpected{std::string{"sending the request failed: "} + std::strerror(errno)};
    }
  }
  return {};
}

expected<std::string, std::string> read_all(int fd, steady::time_point deadline) {
  std::string data;
  char buffer[16384];
  for (;;) {
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      data.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0) {
      return data; // "Connection: close": the end of the body is the end of the stream
    } else if (errno == EAGAIN || errno == EINTR) {
      if (!wait_for(fd, POLLIN, deadline))
        return unexpected{std::string{"timed out reading the response"}};
    } else {
      return unexpected{std::string{"reading the response failed: "} + std::strerror(errno)};
    }
  }
}

std::string lower(std::string_view text) {
  std::string out{text};
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

expected<fetched_response, std::string> parse_response(std::string_view raw) {
  const auto head_end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || head_end == std::string_view::npos || raw.size() < 12)
    return unexpected{std::string{"the response is not HTTP"}};
  fetched_response response;
  if (std::from_chars(raw.data() + 9, raw.data() + 12, response.status).ec != std::errc{})
    return unexpected{std::string{"the response has no status code"}};
  auto head = raw.substr(0, head_end);
  while (!head.empty()) {
    const auto eol = head.find("\r\n");
    const auto header = head.substr(0, eol);
    head = eol == std::string_view::npos ? std::string_view{} : head.substr(eol + 2);
    const auto colon = header.find(':');
    if (colon == std::string_view::npos)
      continue;
    const auto name = lower(header.substr(0, colon));
    auto value = header.substr(colon + 1);
    while (!value.empty() && value.front() == ' ')
      value.remove_prefix(1);
    if (name == "content-type")
      response.content_type = std::string{value};
    if (name == "transfer-encoding" && lower(value) != "identity")
      return unexpected{"unsupported transfer encoding '" + std::string{value} + "'"};
  }
  response.body = std::string{raw.substr(head_end + 4)};
  return response;
}

} // namespace

expected<ops_endpoint, std::string> parse_endpoint(std::string_view text) {
  const std::string original{text};
  if (text.rfind("http://", 0) == 0)
    text.remove_prefix(7);
  while (!text.empty() && text.back() == '/')
    text.remove_suffix(1);
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return unexpected{"endpoint '" + original + "' is not host:port"};
  ops_endpoint endpoint;
  auto host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  endpoint.host = std::string{host};
  const auto port = text.substr(colon + 1);
  unsigned value = 0;
  const auto parsed = std::from_chars(port.data(), port.data() + port.size(), value);
  if (parsed.ec != std::errc{} || parsed.ptr != port.data() + port.size() || value == 0
      || value > 65535)
    return unexpected{"endpoint '" + original + "' has no valid port (1..65535)"};
  endpoint.port = static_cast<std::uint16_t>(value);
  return endpoint;
}

expected<fetched_response, std::string> fetch(const ops_endpoint& endpoint,
                                              std::string_view method, std::string_view target,
                                              std::chrono::milliseconds timeout,
                                              std::string_view authorization) {
  const auto deadline = steady::now() + timeout;
  auto connected = connect_to(endpoint, deadline);
  if (!connected)
    return unexpected{connected.error()};
  socket_guard socket{*connected};
  std::string request = std::string{method} + " " + std::string{target} + " HTTP/1.1\r\nHost: "
                        + describe(endpoint) + "\r\nConnection: close\r\nUser-Agent: tern\r\n";
  if (!authorization.empty())
    request += "Authorization: " + std::string{authorization} + "\r\n";
  request += "Content-Length: 0\r\n\r\n";
  const auto where = " (" + describe(endpoint) + std::string{target} + ")";
  if (auto sent = send_all(socket.fd, request, deadline); !sent)
    return unexpected{sent.error() + where};
  auto raw = read_all(socket.fd, deadline);
  if (!raw)
    return unexpected{raw.error() + where};
  auto response = parse_response(*raw);
  if (!response)
    return unexpected{response.error() + where};
  return response;
}

} // namespace tern::supervision
