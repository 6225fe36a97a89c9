#pragma once

// A temporary directory per test, journal records built by a real order tracker, and a writer
// process killed without warning.

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/order_tracker.hpp"
#include "journal/order_journal.hpp"

namespace tern::test {

/// A fresh directory under $TMPDIR (or /tmp), removed with everything in it at scope exit.
class temp_dir {
 public:
  temp_dir() {
    auto base = std::filesystem::temp_directory_path() / "tern-journal-XXXXXX";
    std::string pattern = base.string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline const timestamp journal_t0 = from_unix_ms(1'700'000'000'000);

inline timestamp ms(int offset) {
  return journal_t0 + std::chrono::milliseconds{offset};
}

inline order_spec spec_of(std::string client_id, side s, decimal price, decimal amount,
                          std::string pair = "BTC-USDT") {
  order_spec spec;
  spec.client_order_id = std::move(client_id);
  spec.pair = trading_pair::from_string(pair);
  spec.order_side = s;
  spec.price = price;
  spec.amount = amount;
  spec.creation_time = journal_t0;
  return spec;
}

inline fill fill_of(const order_spec& spec, std::string trade_id, decimal base, decimal price,
                    fee charged, int at_ms) {
  fill f;
  f.pair = spec.pair.to_string();
  f.trade_id = std::move(trade_id);
  f.client_order_id = spec.client_order_id;
  f.order_side = spec.order_side;
  f.price = price;
  f.base_amount = base;
  f.quote_amount = decimal::multiply(base, price, rounding::half_even);
  f.fee = std::move(charged);
  f.fill_time = ms(at_ms);
  return f;
}

/// Writes a tracker result's journal records, failing the test on an error.
inline void write_all(journal::order_journal& journal, const std::string& account,
                      const tracker_result& result) {
  auto written = journal.write(account, result.journal);
  if (!written) throw std::runtime_error(written.error().message);
}

/// How a writer killed by kill_writer_after ended.
struct killed_writer {
  int acknowledged = -1;  ///< the last index the writer acknowledged (-1: none)
  bool killed = false;    ///< it ended by SIGKILL (not by finishing or failing first)
};

/// Forks a child that runs `writer(acknowledge)`: the writer writes record after record and calls
/// `acknowledge(i)` once the journal claims record i durable; it ends with _exit (no destructor
/// runs, as in a crash). The parent kills it with SIGKILL once it has acknowledged `at_least`
/// records, and counts the acknowledgements still in the pipe, given before the kill.
template <class Writer>
killed_writer kill_writer_after(int at_least, Writer writer) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {
    ::close(fds[0]);
    const int ack_fd = fds[1];
    writer([ack_fd](int i) { return ::write(ack_fd, &i, sizeof i) == sizeof i; });
    _exit(0);
  }
  ::close(fds[1]);
  killed_writer result;
  int index = 0;
  while (result.acknowledged < at_least && ::read(fds[0], &index, sizeof index) == sizeof index)
    result.acknowledged = index;
  ::kill(child, SIGKILL);
  int status = 0;
  if (::waitpid(child, &status, 0) != child) throw std::runtime_error("waitpid failed");
  result.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  while (::read(fds[0], &index, sizeof index) == sizeof index) result.acknowledged = index;
  ::close(fds[0]);
  return result;
}

} // namespace tern::test
