#include "core/order_book.hpp"

namespace tern {

namespace {

std::string_view side_name(side book_side) {
  return book_side == side::buy ? "bid" : "ask";
}

// Checks one update level; the book is untouched until every level of a delta passes.
std::optional<book_error> check_update_level(side book_side, const price_level& level) {
  if (!level.price.is_positive())
    return book_error{book_errc::non_positive_price, book_side, level.price, level.size, {}};
  if (level.size.is_negative())
    return book_error{book_errc::negative_size, book_side, level.price, level.size, {}};
  return std::nullopt;
}

bool all_levels_valid(const std::vector<price_level>& levels) {
  bool valid = true;
  for (const price_level& level : levels)
    valid &= level.price.is_positive() & !level.size.is_negative();
  return valid;
}

// Checks a snapshot side given best first: positive prices and sizes, strictly worsening.
template <class Better>
std::optional<book_error> check_snapshot_side(side book_side, const std::vector<price_level>& levels,
                                              Better better) {
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const price_level& level = levels[i];
    if (auto problem = check_update_level(book_side, level))
      return problem;
    if (level.size.is_zero())
      return book_error{book_errc::zero_size_in_snapshot, book_side, level.price, level.size, {}};
    if (i > 0 && !better(levels[i - 1].price, level.price))
      return book_error{book_errc::unsorted_snapshot, book_side, level.price, level.size, {}};
  }
  return std::nullopt;
}

template <class Ladder>
fill_estimate walk(const Ladder& ladder, decimal base_size, rounding quote_rounding,
                   rounding vwap_rounding) {
  fill_estimate estimate;
  estimate.requested = base_size;
  if (!base_size.is_positive()) {
    estimate.complete = true;
    return estimate;
  }
  decimal remaining = base_size;
  ladder.for_each_from_best([&](decimal price, decimal size) {
    decimal take = min(size, remaining);
    estimate.quote += decimal::multiply(price, take, quote_rounding);
    estimate.filled += take;
    remaining -= take;
    return remaining.is_positive();
  });
  estimate.complete = remaining.is_zero();
  if (estimate.filled.is_positive())
    estimate.vwap = decimal::divide(estimate.quote, estimate.filled, vwap_rounding);
  return estimate;
}

} // namespace

std::string_view to_string(book_errc code) noexcept {
  switch (code) {
    case book_errc::crossed: return "crossed";
    case book_errc::negative_size: return "negative_size";
    case book_errc::non_positive_price: return "non_positive_price";
    case book_errc::zero_size_in_snapshot: return "zero_size_in_snapshot";
    case book_errc::unsorted_snapshot: return "unsorted_snapshot";
  }
  return "unknown";
}

std::string book_error::message() const {
  std::string level = std::string{side_name(book_side)} + " " + price.to_string() + " x "
                      + size.to_string();
  switch (code) {
    case book_errc::crossed:
      return "crossed book: best bid " + price.to_string() + " >= best ask "
             + opposite_price.to_string();
    case book_errc::negative_size:
      return "negative size in level " + level;
    case book_errc::non_positive_price:
      return "price not positive in level " + level;
    case book_errc::zero_size_in_snapshot:
      return "snapshot level of size 0: " + level;
    case book_errc::unsorted_snapshot:
      return "snapshot levels not strictly best first at " + level;
  }
  return "unknown book error";
}

expected<void, book_error> order_book::apply_snapshot(const book_snapshot& snapshot) {
  auto higher = [](decimal a, decimal b) { return a > b; };
  auto lower = [](decimal a, decimal b) { return a < b; };
  if (auto problem = check_snapshot_side(side::buy, snapshot.bids, higher))
    return unexpected{*problem};
  if (auto problem = check_snapshot_side(side::sell, snapshot.asks, lower))
    return unexpected{*problem};
  if (!snapshot.bids.empty() && !snapshot.asks.empty()
      && snapshot.bids.front().price >= snapshot.asks.front().price) {
    const price_level& bid = snapshot.bids.front();
    return unexpected{book_error{book_errc::crossed, side::buy, bid.price, bid.size,
                                 snapshot.asks.front().price}};
  }
  bids_.assign_best_first(snapshot.bids);
  asks_.assign_best_first(snapshot.asks);
  sequence_ = snapshot.sequence;
  exchange_time_ = snapshot.exchange_time;
  return {};
}

expected<void, book_error> order_book::apply_delta(const book_delta& delta) {
  // One cheap pass decides; the error is only built when a level is bad.
  if (!all_levels_valid(delta.bids) || !all_levels_valid(delta.asks)) {
    for (const price_level& level : delta.bids)
      if (auto problem = check_update_level(side::buy, level))
        return unexpected{*problem};
    for (const price_level& level : delta.asks)
      if (auto problem = check_update_level(side::sell, level))
        return unexpected{*problem};
  }
  for (const price_level& level : delta.bids)
    bids_.set(level.price, level.size);
  for (const price_level& level : delta.asks)
    asks_.set(level.price, level.size);
  sequence_ = delta.last_sequence;
  exchange_time_ = delta.exchange_time;
  if (auto problem = crossed_error())
    return unexpected{*problem};
  return {};
}

expected<void, book_error> order_book::set_level(side book_side, decimal price, decimal size) {
  if (auto problem = check_update_level(book_side, price_level{price, size}))
    return unexpected{*problem};
  if (book_side == side::buy)
    bids_.set(price, size);
  else
    asks_.set(price, size);
  return {};
}

void order_book::clear() noexcept {
  bids_.clear();
  asks_.clear();
  sequence_ = 0;
  exchange_time_ = {};
}

std::optional<price_level> order_book::best_bid() const noexcept {
  if (bids_.empty())
    return std::nullopt;
  return bids_.best();
}

std::optional<price_level> order_book::best_ask() const noexcept {
  if (asks_.empty())
    return std::nullopt;
  return asks_.best();
}

bool order_book::is_crossed() const noexcept {
  return !bids_.empty() && !asks_.empty() && bids_.best().price >= asks_.best().price;
}

std::optional<book_error> order_book::crossed_error() const {
  if (!is_crossed())
    return std::nullopt;
  price_level bid = bids_.best();
  return book_error{book_errc::crossed, side::buy, bid.price, bid.size, asks_.best().price};
}

std::size_t order_book::level_count(side book_side) const noexcept {
  return book_side == side::buy ? bids_.size() : asks_.size();
}

std::optional<decimal> order_book::size_at(side book_side, decimal price) const {
  return book_side == side::buy ? bids_.size_at(price) : asks_.size_at(price);
}

void order_book::depth(side book_side, std::size_t levels, std::vector<price_level>& out) const {
  out.clear();
  if (levels == 0)
    return;
  auto collect = [&](decimal price, decimal size) {
    out.push_back(price_level{price, size});
    return out.size() < levels;
  };
  if (book_side == side::buy)
    bids_.for_each_from_best(collect);
  else
    asks_.for_each_from_best(collect);
}

std::vector<price_level> order_book::depth(side book_side, std::size_t levels) const {
  std::vector<price_level> out;
  depth(book_side, levels, out);
  return out;
}

fill_estimate order_book::cost_to_buy(decimal base_size, rounding vwap_rounding) const {
  return walk(asks_, base_size, rounding::ceiling, vwap_rounding);
}

fill_estimate order_book::cost_to_sell(decimal base_size, rounding vwap_rounding) const {
  return walk(bids_, base_size, rounding::floor, vwap_rounding);
}

} // namespace tern
