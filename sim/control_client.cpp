#include "sim/control_client.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace tern::sim {

namespace {

/// Closes the socket however the request ends.
class socket_handle {
 public:
  socket_handle() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {}
  ~socket_handle() {
    if (fd_ >= 0) ::close(fd_);
  }
  socket_handle(const socket_handle&) = delete;
  socket_handle& operator=(const socket_handle&) = delete;
  [[nodiscard]] int get() const noexcept { return fd_; }

 private:
  int fd_;
};

std::string system_error(const char* what) { return std::string{what} + ": " + std::strerror(errno); }

expected<void, std::string> connect_to(const socket_handle& socket, const std::string& host,
                                       std::uint16_t port, std::chrono::milliseconds timeout) {
  if (socket.get() < 0) return unexpected{system_error("socket")};
  timeval limit{};
  limit.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  limit.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(socket.get(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(socket.get(), SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  std::string numeric = host == "localhost" ? "127.0.0.1" : host;
  if (::inet_pton(AF_INET, numeric.c_str(), &address.sin_addr) != 1)
    return unexpected{"control host must be an IPv4 address, got " + host};
  if (::connect(socket.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
    return unexpected{system_error("connect")};
  return {};
}

expected<void, std::string> send_all(const socket_handle& socket, std::string_view data) {
  while (!data.empty()) {
    ssize_t sent = ::send(socket.get(), data.data(), data.size(), MSG_NOSIGNAL);
    if (sent <= 0) return unexpected{system_error("send")};
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return {};
}

std::size_t content_length(std::string_view headers) {
  // Header names are case-insensitive; Beast writes "Content-Length".
  std::string lower{headers};
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto at = lower.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  std::size_t value = 0;
  std::size_t start = lower.find_first_not_of(' ', at + 17);
  std::from_chars(lower.data() + start, lower.data() + lower.size(), value);
  return value;
}

expected<control_response, std::string> read_response(const socket_handle& socket) {
  std::string data;
  char chunk[8192];
  std::size_t header_end = std::string::npos;
  std::size_t wanted = 0;
  while (true) {
    if (header_end != std::string::npos && data.size() >= header_end + 4 + wanted) break;
    ssize_t got = ::recv(socket.get(), chunk, sizeof chunk, 0);
    if (got < 0) return unexpected{system_error("read")};
    if (got == 0) break;
    data.append(chunk, static_cast<std::size_t>(got));
    if (header_end == std::string::npos && (header_end = data.find("\r\n\r\n")) != std::string::npos)
      wanted = content_length(std::string_view{data}.substr(0, header_end));
  }
  if (header_end == std::string::npos || data.compare(0, 9, "HTTP/1.1 ") != 0)
    return unexpected{std::string{"malformed HTTP answer"}};
  control_response response;
  std::from_chars(data.data() + 9, data.data() + 12, response.status);
  response.body = data.substr(header_end + 4, wanted);
  return response;
}

} // namespace

expected<control_response, std::string> control_client::request(std::string_view method,
                                                                std::string_view target,
                                                                std::string_view body) const {
  socket_handle socket;
  if (auto connected = connect_to(socket, host_, port_, timeout_); !connected)
    return unexpected{connected.error()};
  std::string text = std::string{method} + " " + std::string{target} + " HTTP/1.1\r\nHost: " + host_ +
                     "\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n" + std::string{body};
  if (auto sent = send_all(socket, text); !sent) return unexpected{sent.error()};
  return read_response(socket);
}

expected<nlohmann::json, std::string> control_client::call(std::string_view method, std::string_view target,
                                                           const nlohmann::json& body) const {
  auto answer = request(method, target, body.is_null() ? std::string{} : body.dump());
  if (!answer) return unexpected{answer.error()};
  if (answer->status < 200 || answer->status > 299)
    return unexpected{std::string{method} + " " + std::string{target} + ": HTTP " +
                      std::to_string(answer->status) + " " + answer->body};
  auto parsed = nlohmann::json::parse(answer->body, nullptr, false);
  if (parsed.is_discarded()) return unexpected{"answer is not JSON: " + answer->body};
  return parsed;
}

expected<std::uint64_t, std::string> control_client::add_fault(const fault& value) const {
  auto body = to_json(value);
  body.erase("id");
  body.erase("fired");
  auto answer = call("POST", "/faults", body);
  if (!answer) return unexpected{answer.error()};
  return answer->value("id", std::uint64_t{0});
}

expected<void, std::string> control_client::clear_faults() const {
  auto answer = call("DELETE", "/faults");
  if (!answer) return unexpected{answer.error()};
  return {};
}

expected<void, std::string> control_client::set_clock_skew(std::chrono::milliseconds skew) const {
  auto answer = call("PUT", "/clock", nlohmann::json{{"skew_ms", skew.count()}});
  if (!answer) return unexpected{answer.error()};
  return {};
}

expected<nlohmann::json, std::string> control_client::records(std::uint64_t since) const {
  return call("GET", "/records?since=" + std::to_string(since));
}

expected<nlohmann::json, std::string> control_client::status() const { return call("GET", "/status"); }

} // namespace tern::sim
