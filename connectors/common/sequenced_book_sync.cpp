#include "connectors/common/sequenced_book_sync.hpp"

#include <utility>

namespace tern {

std::string_view to_string(resync_reason reason) noexcept {
  switch (reason) {
    case resync_reason::gap: return "gap";
    case resync_reason::snapshot_too_old: return "snapshot_too_old";
    case resync_reason::buffer_overflow: return "buffer_overflow";
    case resync_reason::invalid_update: return "invalid_update";
    case resync_reason::invalid_snapshot: return "invalid_snapshot";
    case resync_reason::checksum_mismatch: return "checksum_mismatch";
  }
  return "unknown";
}

std::string resync_needed::message() const {
  std::string ids = "U=" + std::to_string(first_sequence) + " u=" + std::to_string(last_sequence);
  if (previous_sequence >= 0)
    ids += " pu=" + std::to_string(previous_sequence);
  std::string at = std::to_string(book_sequence);
  switch (reason) {
    case resync_reason::gap:
      return "book gap: diff " + ids + " does not continue update id " + at;
    case resync_reason::snapshot_too_old:
      return "snapshot at update id " + at + " is older than the earliest buffered diff " + ids;
    case resync_reason::buffer_overflow:
      return "book diff buffer full while waiting for a snapshot; dropped diffs before " + ids;
    case resync_reason::invalid_update:
      return "book diff " + ids + " is invalid: "
             + (book_problem ? book_problem->message() : std::string{"unknown problem"});
    case resync_reason::invalid_snapshot:
      return "book snapshot at update id " + at + " is invalid: "
             + (book_problem ? book_problem->message() : std::string{"unknown problem"});
    case resync_reason::checksum_mismatch:
      return "book checksum mismatch at update id " + std::to_string(last_sequence)
             + ": the exchange sent " + (checksum ? std::to_string(checksum->sent) : "?")
             + ", the book gives " + (checksum ? std::to_string(checksum->computed) : "?");
  }
  return "book needs a new snapshot";
}

sequenced_book_sync::sequenced_book_sync(std::string pair, book_sync_policy policy)
    : book_(std::move(pair)), policy_(policy) {}

std::int64_t sequenced_book_sync::continues_from(const book_delta& diff) const noexcept {
  if (policy_.rule == sequence_rule::chained && diff.previous_sequence >= 0)
    return diff.previous_sequence;
  return diff.first_sequence - 1;
}

bool sequenced_book_sync::follows(const book_delta& diff, std::int64_t last) const noexcept {
  std::int64_t from = continues_from(diff);
  // A chained stream names its predecessor, so anything but an exact match is a gap; consecutive
  // ids may overlap the book, and only a first id past last + 1 means updates were missed.
  if (policy_.rule == sequence_rule::chained && diff.previous_sequence >= 0)
    return from == last;
  return from <= last;
}

resync_needed sequenced_book_sync::describe(resync_reason reason, const book_delta& diff,
                                            std::optional<book_error> problem) const {
  return resync_needed{reason,           book_.sequence(),        diff.first_sequence,
                       diff.last_sequence, diff.previous_sequence, std::move(problem),
                       std::nullopt};
}

void sequenced_book_sync::wait_for_snapshot(resync_reason reason) {
  state_ = sync_state::waiting_for_snapshot;
  bridged_ = false;
  overflow_reported_ = false;
  if (reason == resync_reason::invalid_update)
    book_.clear();
}

expected<diff_outcome, resync_needed> sequenced_book_sync::on_diff(const book_delta& diff) {
  if (state_ == sync_state::waiting_for_snapshot)
    return buffer(diff);
  auto result = apply(diff);
  if (!result) {
    wait_for_snapshot(result.error().reason);
    // The diff that showed a gap is newer than the book and may bridge the next snapshot.
    if (result.error().reason == resync_reason::gap)
      buffer_.push_back(diff);
  }
  return result;
}

expected<diff_outcome, resync_needed> sequenced_book_sync::buffer(const book_delta& diff) {
  if (!buffer_.empty()) {
    const book_delta& newest = buffer_.back();
    if (diff.last_sequence <= newest.last_sequence)
      return diff_outcome::stale;
    // A break in the buffered chain makes everything before it useless: any snapshot old
    // enough to need those diffs would hit the break during replay.
    if (!follows(diff, newest.last_sequence))
      buffer_.clear();
  }
  if (policy_.max_buffered == 0 || buffer_.size() < policy_.max_buffered) {
    buffer_.push_back(diff);
    return diff_outcome::buffered;
  }
  // Keep the newest diffs: a snapshot taken late can still bridge into them.
  buffer_.pop_front();
  buffer_.push_back(diff);
  if (overflow_reported_)
    return diff_outcome::buffered;
  overflow_reported_ = true;
  return unexpected{describe(resync_reason::buffer_overflow, buffer_.front())};
}

expected<diff_outcome, resync_needed> sequenced_book_sync::apply(const book_delta& diff) {
  std::int64_t last = book_.sequence();
  if (diff.last_sequence <= last)
    return diff_outcome::stale;
  // The bridge from a snapshot only needs the diff to start inside it: chained ids may name a
  // predecessor before the snapshot's id (ids in between belong to other markets).
  bool continues = bridged_ ? follows(diff, last) : continues_from(diff) <= last;
  if (!continues)
    return unexpected{describe(resync_reason::gap, diff)};
  if (auto applied = book_.apply_delta(diff); !applied)
    return unexpected{describe(resync_reason::invalid_update, diff, applied.error())};
  bridged_ = true;
  return diff_outcome::applied;
}

expected<snapshot_result, resync_needed> sequenced_book_sync::on_snapshot(
    const book_snapshot& snapshot, const replay_observer& observer) {
  snapshot_result result;
  if (state_ == sync_state::synced && snapshot.sequence <= book_.sequence()) {
    result.outcome = snapshot_outcome::stale;
    return result;
  }
  while (!buffer_.empty() && buffer_.front().last_sequence <= snapshot.sequence) {
    buffer_.pop_front();
    ++result.dropped;
  }
  if (!buffer_.empty() && continues_from(buffer_.front()) > snapshot.sequence) {
    const book_delta& earliest = buffer_.front();
    return unexpected{resync_needed{resync_reason::snapshot_too_old, snapshot.sequence,
                                    earliest.first_sequence, earliest.last_sequence,
                                    earliest.previous_sequence, std::nullopt, std::nullopt}};
  }
  if (auto applied = book_.apply_snapshot(snapshot); !applied) {
    return unexpected{resync_needed{resync_reason::invalid_snapshot, snapshot.sequence, 0, 0, -1,
                                    applied.error(), std::nullopt}};
  }
  state_ = sync_state::synced;
  bridged_ = false;
  overflow_reported_ = false;
  while (!buffer_.empty()) {
    auto replay = apply(buffer_.front());
    if (!replay) {
      if (replay.error().reason != resync_reason::gap)
        buffer_.pop_front();
      wait_for_snapshot(replay.error().reason);
      return unexpected{std::move(replay).error()};
    }
    if (*replay == diff_outcome::applied) {
      ++result.replayed;
      if (observer)
        observer(buffer_.front(), book_);
    }
    buffer_.pop_front();
  }
  return result;
}

void sequenced_book_sync::reset() {
  buffer_.clear();
  wait_for_snapshot(resync_reason::gap);
}

} // namespace tern
