#pragma once

// The order journal: every order intent, state change and fill of the order trackers
// (core/order_tracker.hpp), in one SQLite file, written before the tracker acts on them, so a
// restarted tracker or process knows every order it ever sent and every fill it ever counted.
//
// Durability: WAL mode with synchronous=FULL by default. In WAL mode NORMAL already survives a
// crash of the process, but a crash of the machine or a power loss may take the last commits
// with it; those are orders that were sent, the worst thing to lose, so by default every
// commit is synced. That costs one fsync of the WAL per write: milliseconds on a virtual disk
// (docs/performance.md), paid before each order is sent. `journal_sync::normal` trades the
// machine-crash guarantee for ~30x cheaper writes; what it can lose, reconciliation recovers
// in part (unknown open orders are adopted), not in full (an order that filled and vanished
// from the open orders is seen only through its trades).
//
// The order path need not wait for SQLite: write_ahead puts a new order's intent in an
// append-only intent log with one write() (as durable as a NORMAL commit: it survives a crash
// of the process) and its SQLite transaction follows after the request has left (flush); a
// restarted writer replays the log first (journal/intent_log.hpp). The log has one writer (a
// lock): a second writer of the same file writes intents to SQLite directly.
//
// Fills are unique per (account, pair, trade id): exchanges number trades per market (Binance
// trade ids are per symbol), so the pair is part of the key; recording a fill twice is a no-op.
//
// A reader (`tern history`) may open the file while a tracker writes: WAL readers see the
// last committed state and never block the writer.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/events.hpp"
#include "core/expected.hpp"
#include "core/order_tracker.hpp"
#include "core/types.hpp"

namespace tern::journal {

/// Why the journal could not do something. The message names the file.
struct journal_error {
  enum class kind_type : std::uint8_t {
    cannot_open,     ///< missing (read-only), unreadable, or not a SQLite database
    not_a_journal,   ///< a SQLite database of something else
    newer_schema,    ///< written by a newer Tern
    storage,         ///< a read or write failed (disk full, I/O error, locked too long)
    corrupt_record,  ///< a row that does not parse (a value edited by hand)
  };
  kind_type kind = kind_type::storage;
  std::string message;
};

/// A fill with the account and order it belongs to.
struct trade_record {
  std::string account;
  std::string client_order_id;
  fill execution;  ///< pair, trade id, exchange order id, side, price, amounts, fee, time
};

/// Which trades a history query selects; empty fields select all.
struct trade_filter {
  std::string account;
  std::string pair;
  std::optional<timestamp> since;  ///< fills at or after
  std::optional<timestamp> until;  ///< fills before
};

/// One market's trading summed up (per account).
struct market_summary {
  std::string account;
  std::string pair;
  std::size_t trades = 0;
  decimal bought_base;
  decimal bought_quote;  ///< spent on buys
  decimal sold_base;
  decimal sold_quote;    ///< received for sells
  std::map<std::string, decimal, std::less<>> fees;  ///< per asset (negative: a rebate)
  /// Base bought less base sold, less fees paid in the base asset: the position change.
  decimal net_base;
  /// Quote received less quote spent, less fees paid in the quote asset: the realised cash
  /// flow. With net_base zero it is the realised profit; otherwise the position is open.
  decimal net_quote;
};

/// An order as the journal holds it, for history and tests.
struct order_row {
  std::string account;
  journaled_order order;
};

struct order_journal_impl;

/// How a write reaches the disk (SQLite's synchronous setting in WAL mode).
enum class journal_sync : std::uint8_t {
  full,    ///< every commit synced: survives a crash of the machine (default)
  normal,  ///< synced at checkpoints: survives a crash of the process only
};

class order_journal {
 public:
  /// The schema this build writes. Files with a higher version are refused.
  static constexpr std::int64_t schema_version = 1;
  /// SQLite application_id marking a Tern order journal ("TRNJ").
  static constexpr std::int64_t application_id = 0x54524E4A;

  /// Opens (creating when missing) a journal for writing: WAL, synchronous as `sync` says.
  static expected<order_journal, journal_error> open(const std::string& path,
                                                     journal_sync sync = journal_sync::full);
  /// Opens an existing journal for queries only.
  static expected<order_journal, journal_error> open_read_only(const std::string& path);

  order_journal(order_journal&&) noexcept;
  order_journal& operator=(order_journal&&) noexcept;
  ~order_journal();

  [[nodiscard]] const std::string& path() const noexcept;

  /// Writes the records of one tracker call in one transaction: when this returns success
  /// they are on disk. Fills already recorded are skipped.
  expected<void, journal_error> write(std::string_view account,
                                      const std::vector<journal_entry>& entries);
  expected<void, journal_error> write(std::string_view account, const journal_entry& entry);
  /// For a new order's intent on the order path: with journal_sync::normal, appends the
  /// records to the intent log (`<path>-intents`) with one write() and queues their SQLite
  /// rows; when this returns they survive a crash of the process, as a NORMAL commit does.
  /// The rows reach SQLite at the next write() or flush(), or at the next open after a crash.
  /// Batches with anything but intents, and journal_sync::full, are written as write() does.
  expected<void, journal_error> write_ahead(std::string_view account,
                                            const std::vector<journal_entry>& entries);
  /// Writes the intents write_ahead queued into SQLite (one transaction). Readers of the file
  /// see them from then on.
  expected<void, journal_error> flush();

  /// What a restarted tracker needs (order_tracker::restore): every order of `account` that
  /// is open, lost, or filled with its completion still pending, with its fills.
  expected<std::vector<journaled_order>, journal_error> load(std::string_view account) const;
  /// One order by client id, whatever its state.
  expected<std::optional<order_row>, journal_error> find_order(
      std::string_view account, std::string_view client_order_id) const;
  /// The trades the filter selects, oldest first.
  expected<std::vector<trade_record>, journal_error> trades(const trade_filter& filter) const;
  /// Per account and market, sorted by both: bought, sold, fees and net of the selected trades.
  expected<std::vector<market_summary>, journal_error> summary(const trade_filter& filter) const;
  /// Accounts with at least one order in the file, sorted.
  expected<std::vector<std::string>, journal_error> accounts() const;

 private:
  explicit order_journal(std::unique_ptr<order_journal_impl> state);
  std::unique_ptr<order_journal_impl> impl_;
};

/// Sums trades into per-account, per-market summaries (what `summary` returns).
[[nodiscard]] std::vector<market_summary> summarise(const std::vector<trade_record>& trades);

} // namespace tern::journal
