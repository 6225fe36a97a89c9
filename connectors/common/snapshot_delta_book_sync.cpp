#include "connectors/common/snapshot_delta_book_sync.hpp"

#include <utility>

namespace tern {

namespace {

template <class Map>
void gather_top(const Map& levels, std::size_t depth, std::vector<const level_text*>& out) {
  out.clear();
  for (auto it = levels.begin(); it != levels.end() && out.size() < depth; ++it)
    out.push_back(&it->second);
}

template <class Map>
void apply_text(Map& store, const std::vector<price_level>& levels,
                const std::vector<level_text>& text) {
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (levels[i].size.is_zero())
      store.erase(levels[i].price);
    else
      store.insert_or_assign(levels[i].price, text[i]);
  }
}

} // namespace

std::string_view to_string(delta_outcome value) noexcept {
  switch (value) {
    case delta_outcome::applied: return "applied";
    case delta_outcome::heartbeat: return "heartbeat";
    case delta_outcome::ignored: return "ignored";
  }
  return "unknown";
}

snapshot_delta_book_sync::snapshot_delta_book_sync(std::string pair, snapshot_delta_policy policy)
    : book_(std::move(pair)), policy_(policy) {}

std::optional<std::uint32_t> snapshot_delta_book_sync::checksum() const {
  if (policy_.checksum.compute == nullptr || !text_complete_)
    return std::nullopt;
  gather_top(bid_text_, policy_.checksum.depth, bid_top_);
  gather_top(ask_text_, policy_.checksum.depth, ask_top_);
  return policy_.checksum.compute(bid_top_, ask_top_);
}

void snapshot_delta_book_sync::store_text(const std::vector<price_level>& bids,
                                          const std::vector<price_level>& asks,
                                          const book_levels_text* text, bool replace) {
  if (policy_.checksum.compute == nullptr)
    return;
  if (replace) {
    bid_text_.clear();
    ask_text_.clear();
  }
  // Text that does not line up with the levels cannot be trusted for a checksum: stop checking
  // until the next snapshot brings a complete picture.
  if (text == nullptr || text->bids.size() != bids.size() || text->asks.size() != asks.size()) {
    text_complete_ = false;
    return;
  }
  if (replace)
    text_complete_ = true;
  apply_text(bid_text_, bids, text->bids);
  apply_text(ask_text_, asks, text->asks);
}

expected<void, resync_needed> snapshot_delta_book_sync::verify(const book_levels_text* text,
                                                               std::int64_t sequence) const {
  if (text == nullptr || !text->checksum)
    return {};
  auto computed = checksum();
  if (!computed || *computed == *text->checksum)
    return {};
  resync_needed problem;
  problem.reason = resync_reason::checksum_mismatch;
  problem.book_sequence = sequence;
  problem.first_sequence = sequence;
  problem.last_sequence = sequence;
  problem.checksum = resync_needed::checksums{*text->checksum, *computed};
  return unexpected{std::move(problem)};
}

resync_needed snapshot_delta_book_sync::fail(resync_reason reason, const book_delta& delta,
                                             std::optional<book_error> problem) {
  resync_needed out;
  out.reason = reason;
  out.book_sequence = book_.sequence();
  out.first_sequence = delta.first_sequence;
  out.last_sequence = delta.last_sequence;
  out.previous_sequence = delta.previous_sequence;
  out.book_problem = std::move(problem);
  state_ = sync_state::waiting_for_snapshot;
  // After a gap the book was right up to its last id: keep it for display as stale. A broken
  // update leaves it wrong.
  if (reason != resync_reason::gap)
    book_.clear();
  return out;
}

expected<void, resync_needed> snapshot_delta_book_sync::on_snapshot(
    const book_snapshot& snapshot, const book_levels_text* text) {
  if (auto applied = book_.apply_snapshot(snapshot); !applied) {
    state_ = sync_state::waiting_for_snapshot;
    resync_needed problem;
    problem.reason = resync_reason::invalid_snapshot;
    problem.book_sequence = snapshot.sequence;
    problem.book_problem = applied.error();
    return unexpected{std::move(problem)};
  }
  store_text(snapshot.bids, snapshot.asks, text, true);
  if (auto checked = verify(text, snapshot.sequence); !checked) {
    state_ = sync_state::waiting_for_snapshot;
    book_.clear();
    return checked;
  }
  state_ = sync_state::synced;
  return {};
}

expected<delta_outcome, resync_needed> snapshot_delta_book_sync::on_delta(
    const book_delta& delta, const book_levels_text* text) {
  if (state_ == sync_state::waiting_for_snapshot)
    return delta_outcome::ignored;
  if (policy_.rule == delta_sequence_rule::chained) {
    std::int64_t last = book_.sequence();
    if (delta.previous_sequence != last)
      return unexpected{fail(resync_reason::gap, delta)};
    if (delta.last_sequence == last && delta.bids.empty() && delta.asks.empty())
      return delta_outcome::heartbeat;
  }
  if (auto applied = book_.apply_delta(delta); !applied)
    return unexpected{fail(resync_reason::invalid_update, delta, applied.error())};
  store_text(delta.bids, delta.asks, text, false);
  if (auto checked = verify(text, delta.last_sequence); !checked) {
    resync_needed problem = fail(resync_reason::checksum_mismatch, delta);
    problem.checksum = checked.error().checksum;
    return unexpected{std::move(problem)};
  }
  return delta_outcome::applied;
}

void snapshot_delta_book_sync::reset() {
  state_ = sync_state::waiting_for_snapshot;
  book_.clear();
  bid_text_.clear();
  ask_text_.clear();
  text_complete_ = false;
}

} // namespace tern
