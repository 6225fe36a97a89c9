#pragma once

// Reads the Binance capture files in ../shared/data/binance-captures (gzip, one
// "<receive ns> <frame JSON>" line each) for replay tests and benchmarks. Link ZLIB::ZLIB.

#include <zlib.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace tern::testing {

/// One capture line: when it was received and the raw frame.
struct capture_line {
  timestamp received_time{};
  std::string_view frame;
};

/// Reads a gzip capture line by line; lines of any length.
class capture_file {
 public:
  explicit capture_file(const std::string& path) : file_(gzopen(path.c_str(), "rb")) {
    if (file_ == nullptr)
      throw std::runtime_error{"cannot open capture " + path};
    gzbuffer(file_, 1 << 17);
  }
  ~capture_file() { gzclose(file_); }
  capture_file(const capture_file&) = delete;
  capture_file& operator=(const capture_file&) = delete;

  /// The next line, or false at the end. The frame stays valid until the next call.
  bool next(capture_line& out) {
    line_.clear();
    char chunk[1 << 16];
    while (gzgets(file_, chunk, sizeof(chunk)) != nullptr) {
      line_ += chunk;
      if (!line_.empty() && line_.back() == '\n')
        break;
    }
    while (!line_.empty() && (line_.back() == '\n' || line_.back() == '\r'))
      line_.pop_back();
    if (line_.empty())
      return false;
    auto space = line_.find(' ');
    if (space == std::string::npos)
      throw std::runtime_error{"capture line without a timestamp: " + line_.substr(0, 80)};
    out.received_time = from_unix_ns(std::stoll(line_.substr(0, space)));
    out.frame = std::string_view{line_}.substr(space + 1);
    return true;
  }

 private:
  gzFile file_;
  std::string line_;
};

/// The path of a capture below ../shared/data/binance-captures.
inline std::string capture_path(std::string_view relative) {
  return std::string{TERN_SHARED_DIR} + "/data/binance-captures/" + std::string{relative};
}

} // namespace tern::testing
