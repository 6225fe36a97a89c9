#pragma once

// Keeping an L2 book in step with an exchange that publishes a REST snapshot carrying an update
// id and a WebSocket stream of diffs carrying id ranges: buffer diffs until a snapshot arrives,
// drop those it already covers, bridge from the snapshot into the stream, then check every diff
// continues the previous one. Binance spot and USD-M futures, Gate, KuCoin and MEXC all work
// this way and differ only in how one diff proves it follows the last (sequence_rule).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/events.hpp"
#include "core/expected.hpp"
#include "core/order_book.hpp"

namespace tern {

/// How a diff proves it follows the one before it.
enum class sequence_rule : std::uint8_t {
  /// Update ids are consecutive: a diff's first id is at most the previous diff's last id + 1
  /// (Binance spot: normally U == previous u + 1; U <= previous u + 1 < u is an overlap, safe
  /// to apply because levels carry absolute sizes; U > previous u + 1 is a gap).
  consecutive,
  /// Each diff names the previous diff's last id (Binance USD-M futures: pu == previous u);
  /// ids in between may belong to other markets.
  chained,
};

/// The parameters of one exchange's book-sync rule.
struct book_sync_policy {
  sequence_rule rule = sequence_rule::consecutive;
  /// Diffs held while waiting for a snapshot; beyond this the oldest are dropped (0: no bound).
  std::size_t max_buffered = 10'000;
};

enum class sync_state : std::uint8_t {
  waiting_for_snapshot,  ///< buffering diffs; the book is empty or stale
  synced,                ///< the book reflects the exchange up to book().sequence()
};

/// What happened to a diff that needed nothing from the caller.
enum class diff_outcome : std::uint8_t {
  buffered,  ///< held until a snapshot arrives
  applied,   ///< applied to the book
  stale,     ///< already covered by the book or the buffer; ignored
};

/// What happened to a snapshot that needed nothing more from the caller.
enum class snapshot_outcome : std::uint8_t {
  synced,  ///< applied, and the buffered diffs that follow it replayed
  stale,   ///< older than the synced book; ignored (the book is already ahead)
};

struct snapshot_result {
  snapshot_outcome outcome = snapshot_outcome::synced;
  std::size_t replayed = 0;  ///< buffered diffs applied after the snapshot
  std::size_t dropped = 0;   ///< buffered diffs the snapshot already covered
};

/// Why the book cannot be trusted until a new snapshot arrives.
enum class resync_reason : std::uint8_t {
  gap,               ///< a diff does not continue the last one applied
  snapshot_too_old,  ///< the earliest diff held starts after the snapshot: updates are missing
  buffer_overflow,   ///< the snapshot took too long; the oldest buffered diffs were dropped
  invalid_update,    ///< a diff broke the book (crossed it, or carried a negative size)
  invalid_snapshot,  ///< the snapshot itself is unusable (crossed, unsorted, bad sizes)
  checksum_mismatch, ///< the book after an update does not match the checksum the exchange sent
};

[[nodiscard]] std::string_view to_string(resync_reason reason) noexcept;

/// Tells the caller to fetch a new snapshot, and why. The driver is back to buffering.
struct resync_needed {
  resync_reason reason = resync_reason::gap;
  std::int64_t book_sequence = 0;  ///< the id the offending diff had to continue from
  std::int64_t first_sequence = 0;  ///< the offending diff's ids (U, u, pu; pu -1 when absent)
  std::int64_t last_sequence = 0;
  std::int64_t previous_sequence = -1;
  std::optional<book_error> book_problem;  ///< set for invalid_update and invalid_snapshot
  /// Set for checksum_mismatch: what the exchange sent, and what the local book gives.
  struct checksums {
    std::uint32_t sent = 0;
    std::uint32_t computed = 0;
  };
  std::optional<checksums> checksum;
  [[nodiscard]] std::string message() const;
};

/// The exchange-neutral driver for "REST snapshot + sequenced WebSocket diffs".
///
/// Rules, with L the snapshot's id and (U, u, pu) a diff's first, last and previous ids:
/// - Before a snapshot, diffs are buffered (at most policy.max_buffered, oldest dropped first).
/// - A snapshot drops buffered diffs with u <= L. The first diff applied after it must bridge
///   L: U <= L + 1 <= u (consecutive), or pu <= L < u (chained: the diff starts from a point
///   the snapshot already covers). Otherwise the snapshot is too old: a new one is needed.
/// - Afterwards each diff must continue the last: U <= last u + 1 (consecutive; Binance spot's
///   documented update procedure), or pu == last u exactly (chained). A diff with u <= last u is
///   stale and ignored.
/// - A gap, a broken book or an overflow returns resync_needed; the driver then buffers again,
///   keeping the diff that showed the gap (it may bridge the next snapshot). After a gap the
///   book keeps its last good content, for display as stale, until the next snapshot; after
///   an invalid update it is cleared.
class sequenced_book_sync {
 public:
  /// Called for each buffered diff replayed by on_snapshot, after it is applied.
  using replay_observer = std::function<void(const book_delta&, const order_book&)>;

  explicit sequenced_book_sync(std::string pair, book_sync_policy policy = {});

  /// Feeds one diff from the stream.
  expected<diff_outcome, resync_needed> on_diff(const book_delta& diff);

  /// Feeds a REST snapshot (sequence = the exchange's update id, e.g. Binance lastUpdateId) and
  /// replays the buffered diffs that follow it.
  expected<snapshot_result, resync_needed> on_snapshot(const book_snapshot& snapshot,
                                                       const replay_observer& observer = {});

  /// Forgets the buffer and waits for a snapshot again (e.g. after a reconnect).
  void reset();

  [[nodiscard]] const order_book& book() const noexcept { return book_; }
  [[nodiscard]] sync_state state() const noexcept { return state_; }
  [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size(); }
  [[nodiscard]] const book_sync_policy& policy() const noexcept { return policy_; }

 private:
  // The id a diff claims to continue from: U - 1 (consecutive) or pu (chained).
  [[nodiscard]] std::int64_t continues_from(const book_delta& diff) const noexcept;
  // True when `diff` may follow a book (or buffer) at update id `last`.
  [[nodiscard]] bool follows(const book_delta& diff, std::int64_t last) const noexcept;
  expected<diff_outcome, resync_needed> buffer(const book_delta& diff);
  // Checks and applies one diff in the synced state; leaves the buffer alone.
  expected<diff_outcome, resync_needed> apply(const book_delta& diff);
  resync_needed describe(resync_reason reason, const book_delta& diff,
                         std::optional<book_error> problem = std::nullopt) const;
  void wait_for_snapshot(resync_reason reason);

  order_book book_;
  book_sync_policy policy_;
  sync_state state_ = sync_state::waiting_for_snapshot;
  bool bridged_ = false;          // a diff has been applied since the last snapshot
  bool overflow_reported_ = false;  // one overflow report per wait for a snapshot
  std::deque<book_delta> buffer_;
};

} // namespace tern
