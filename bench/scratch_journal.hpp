#pragma once

// An order journal in a fresh directory under $TMPDIR (default /tmp), for the benchmarks that
// write one: run them with TMPDIR on the disk Tern will write to.

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "journal/order_journal.hpp"

namespace tern::bench {

class scratch_journal {
 public:
  explicit scratch_journal(journal::journal_sync sync) {
    auto pattern = (std::filesystem::temp_directory_path() / "tern-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    folder_ = pattern;
    auto opened = journal::order_journal::open(folder_ + "/bench.sqlite", sync);
    if (!opened) throw std::runtime_error(opened.error().message);
    journal_.emplace(std::move(*opened));
  }
  ~scratch_journal() {
    journal_.reset();  // closed before its files go
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
  }
  scratch_journal(const scratch_journal&) = delete;
  scratch_journal& operator=(const scratch_journal&) = delete;

  journal::order_journal* operator->() { return &*journal_; }

 private:
  std::string folder_;
  std::optional<journal::order_journal> journal_;
};

} // namespace tern::bench
