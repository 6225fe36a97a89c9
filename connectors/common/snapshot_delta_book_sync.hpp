#pragma once

// Keeping an L2 book in step with an exchange whose stream itself sends a full snapshot and then
// deltas (OKX "books", Bitget "books", Bybit "orderbook"): a snapshot replaces the book, each
// delta must continue the one before it by the exchange's sequence rule, and where the exchange
// sends a checksum of its best levels the local book is checked against it after every message.
// Any failure means the book can no longer be trusted: the driver says why (resync_needed, the
// type sequenced_book_sync uses) and ignores deltas until a new snapshot arrives, which the caller
// obtains by re-subscribing (exchange_protocol::book_resubscription). Until then the book is
// stale (after a gap) or empty (after a broken update or a checksum mismatch), and the caller
// reports the market degraded.
//
// Checksums are computed over the levels' text as the exchange sent it: OKX says to use the
// original strings, and a decimal does not remember "0.10" or "8477". So the driver keeps, next to
// the order_book, the wire text of every level it holds (a map per side keyed by the parsed
// price), updated from the book_levels_text the parser fills alongside each delta. The book's own
// sizes may differ from the text (OKX swap sizes are contracts; the book holds base amounts).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "connectors/common/sequenced_book_sync.hpp"
#include "connectors/common/stream_events.hpp"
#include "core/events.hpp"
#include "core/expected.hpp"
#include "core/order_book.hpp"

namespace tern {

/// How a delta proves it follows the message before it.
enum class delta_sequence_rule : std::uint8_t {
  /// Messages carry no usable ids: deltas apply in arrival order (the checksum, if any, is the
  /// only guard).
  none,
  /// Each delta names its predecessor: previous_sequence must equal the id of the last message
  /// applied (OKX: prevSeqId == the last seqId; a snapshot's own prevSeqId is -1). A delta with no
  /// levels whose ids both equal the last id is a heartbeat. A delta whose id is below its
  /// previous id is a sequence reset (OKX maintenance) and is applied; ids go on from it.
  chained,
};

/// An exchange's checksum over the best `depth` levels of each side, best first, as wire text.
using checksum_function = std::uint32_t (*)(std::span<const level_text* const> bids,
                                            std::span<const level_text* const> asks);

/// Which levels a checksum covers and how it is computed; a null function means none.
struct checksum_rule {
  std::size_t depth = 0;
  checksum_function compute = nullptr;
};

/// The parameters of one exchange's snapshot-and-deltas rule.
struct snapshot_delta_policy {
  delta_sequence_rule rule = delta_sequence_rule::chained;
  checksum_rule checksum;
};

/// What happened to a delta that needed nothing from the caller.
enum class delta_outcome : std::uint8_t {
  applied,    ///< applied to the book (and checked, where a checksum came with it)
  heartbeat,  ///< a keep-alive delta: no levels, no new id; nothing changed
  ignored,    ///< no snapshot yet: the stream has not (re)started the book
};

[[nodiscard]] std::string_view to_string(delta_outcome value) noexcept;

/// The exchange-neutral driver for "stream snapshot + sequenced deltas (+ checksum)".
class snapshot_delta_book_sync {
 public:
  snapshot_delta_book_sync(std::string pair, snapshot_delta_policy policy);

  /// Replaces the book with `snapshot` (sequence: the exchange's id of it). `text` is the wire
  /// text of its levels in the same order; without it checksums are not verified until the next
  /// snapshot that has it.
  expected<void, resync_needed> on_snapshot(const book_snapshot& snapshot,
                                            const book_levels_text* text = nullptr);

  /// Applies one delta. `text` carries the wire text of its levels (same order) and the
  /// checksum the exchange sent with it.
  expected<delta_outcome, resync_needed> on_delta(const book_delta& delta,
                                                  const book_levels_text* text = nullptr);

  /// Forgets the book and waits for a snapshot (after a reconnect or a re-subscription).
  void reset();

  [[nodiscard]] const order_book& book() const noexcept { return book_; }
  [[nodiscard]] sync_state state() const noexcept { return state_; }
  [[nodiscard]] const snapshot_delta_policy& policy() const noexcept { return policy_; }
  /// The policy's checksum of the current book, when there is a rule and the wire text of every
  /// level is known.
  [[nodiscard]] std::optional<std::uint32_t> checksum() const;

 private:
  // Records the wire text of the levels a message set; forgets it when the text is unusable.
  void store_text(const std::vector<price_level>& bids, const std::vector<price_level>& asks,
                  const book_levels_text* text, bool replace);
  // Compares the book with the checksum sent; the mismatch as resync_needed.
  expected<void, resync_needed> verify(const book_levels_text* text, std::int64_t sequence) const;
  resync_needed fail(resync_reason reason, const book_delta& delta,
                     std::optional<book_error> problem = std::nullopt);

  order_book book_;
  snapshot_delta_policy policy_;
  sync_state state_ = sync_state::waiting_for_snapshot;
  bool text_complete_ = false;  // the wire text of every level held is known
  std::map<decimal, level_text, std::greater<>> bid_text_;
  std::map<decimal, level_text> ask_text_;
  mutable std::vector<const level_text*> bid_top_;
  mutable std::vector<const level_text*> ask_top_;
};

} // namespace tern
