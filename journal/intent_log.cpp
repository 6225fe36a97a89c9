#include "journal/intent_log.hpp"

#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tern::journal {
namespace {

// A record: "TRNI", payload length (u32), FNV-1a 64 of the payload (u64), payload. The
// payload: each row as a count (u16) of values, each value a tag ('s' text: u32 length and the
// bytes; 'i' integer: 8 bytes). Little-endian throughout, written byte by byte.
constexpr std::string_view magic = "TRNI";
constexpr std::size_t header_size = 4 + 4 + 8;

std::uint64_t checksum(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

void put_le(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFFU));
}

std::uint64_t get_le(std::string_view in, std::size_t at, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i)
    value |= std::uint64_t{static_cast<unsigned char>(in[at + i])} << (8 * i);
  return value;
}

void encode_row(const sql_values& row, std::string& out) {
  put_le(out, row.size(), 2);
  for (const auto& value : row) {
    if (const auto* text = std::get_if<std::string>(&value)) {
      out.push_back('s');
      put_le(out, text->size(), 4);
      out.append(*text);
    } else {
      out.push_back('i');
      put_le(out, static_cast<std::uint64_t>(std::get<std::int64_t>(value)), 8);
    }
  }
}

/// Reads one row at `at` of `payload`, advancing `at`; nothing when it does not parse.
std::optional<sql_values> decode_row(std::string_view payload, std::size_t& at) {
  if (payload.size() - at < 2) return std::nullopt;
  const auto count = get_le(payload, at, 2);
  at += 2;
  sql_values row;
  row.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    if (at >= payload.size()) return std::nullopt;
    const char tag = payload[at++];
    if (tag == 'i' && payload.size() - at >= 8) {
      row.emplace_back(static_cast<std::int64_t>(get_le(payload, at, 8)));
      at += 8;
    } else if (tag == 's' && payload.size() - at >= 4) {
      const auto length = get_le(payload, at, 4);
      at += 4;
      if (payload.size() - at < length) return std::nullopt;
      row.emplace_back(std::string{payload.substr(at, length)});
      at += length;
    } else {
      return std::nullopt;
    }
  }
  return row;
}

journal_error failure(const std::string& path, std::string_view what) {
  return journal_error{journal_error::kind_type::storage,
                       "order journal intent log \"" + path + "\": " + std::string{what} + ": "
                           + std::strerror(errno)};
}

} // namespace

void encode_intent(const intent_record& record, std::string& out) {
  const auto start = out.size();
  out.append(magic);
  out.append(header_size - magic.size(), '\0');  // length and checksum, filled in below
  encode_row(record.order, out);
  encode_row(record.change, out);
  const std::string_view payload{out.data() + start + header_size,
                                 out.size() - start - header_size};
  std::string header;
  put_le(header, payload.size(), 4);
  put_le(header, checksum(payload), 8);
  out.replace(start + magic.size(), header.size(), header);
}

expected<std::optional<intent_log>, journal_error> intent_log::open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return unexpected{failure(path, "cannot open")};
  // One writer per log: a second one emptying it would drop the first one's unflushed intents.
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const bool held = errno == EWOULDBLOCK;
    auto error = failure(path, "cannot lock");
    ::close(fd);
    if (held) return std::optional<intent_log>{};
    return unexpected{std::move(error)};
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    auto error = failure(path, "cannot read its size");
    ::close(fd);
    return unexpected{std::move(error)};
  }
  return std::optional<intent_log>{intent_log{fd, path, static_cast<std::size_t>(info.st_size)}};
}

expected<std::vector<intent_record>, journal_error> intent_log::read(const std::string& path) {
  std::vector<intent_record> records;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return records;
    return unexpected{failure(path, "cannot open")};
  }
  std::string bytes;
  char chunk[65536];
  ssize_t got = 0;
  while ((got = ::read(fd, chunk, sizeof chunk)) > 0) bytes.append(chunk, static_cast<std::size_t>(got));
  const bool failed = got < 0;
  auto error = failed ? failure(path, "cannot read") : journal_error{};
  ::close(fd);
  if (failed) return unexpected{std::move(error)};
  const std::string_view in{bytes};
  std::size_t at = 0;
  while (in.size() - at >= header_size && in.substr(at, magic.size()) == magic) {
    const auto length = get_le(in, at + 4, 4);
    if (in.size() - at - header_size < length) break;  // cut short: its write never returned
    const auto payload = in.substr(at + header_size, length);
    if (checksum(payload) != get_le(in, at + 8, 8)) break;
    std::size_t inside = 0;
    auto order = decode_row(payload, inside);
    auto change = order ? decode_row(payload, inside) : std::nullopt;
    if (!change || inside != payload.size()) break;
    records.push_back(intent_record{std::move(*order), std::move(*change)});
    at += header_size + length;
  }
  return records;
}

intent_log::intent_log(intent_log&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), size_(other.size_), path_(std::move(other.path_)),
      buffer_(std::move(other.buffer_)) {}

intent_log& intent_log::operator=(intent_log&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
    path_ = std::move(other.path_);
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

intent_log::~intent_log() {
  if (fd_ >= 0) ::close(fd_);
}

expected<void, journal_error> intent_log::append(const std::vector<intent_record>& records) {
  buffer_.clear();
  for (const auto& record : records) encode_intent(record, buffer_);
  std::size_t written = 0;
  while (written < buffer_.size()) {
    const auto n = ::write(fd_, buffer_.data() + written, buffer_.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      // A partial record may be in the file: the next records must not follow it, or a
      // reader would stop at the damage and miss them. Cut the file back to what was whole.
      auto error = failure(path_, "cannot append");
      (void)::ftruncate(fd_, static_cast<off_t>(size_));
      return unexpected{std::move(error)};
    }
    written += static_cast<std::size_t>(n);
  }
  size_ += written;
  return {};
}

expected<void, journal_error> intent_log::clear() {
  if (::ftruncate(fd_, 0) != 0) return unexpected{failure(path_, "cannot empty")};
  size_ = 0;
  return {};
}

} // namespace tern::journal
