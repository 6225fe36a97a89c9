#include "supervision/strategy_board.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace tern::supervision {
namespace {

timestamp wall_clock() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

} // namespace

strategy_board::strategy_board(strategy_board_options options, std::function<timestamp()> clock)
    : options_(options), kill_switch_(clock ? std::move(clock) : wall_clock) {
  if (options_.fill_capacity == 0 || options_.series_capacity == 0)
    throw std::invalid_argument{"strategy_board: capacities must be positive"};
}

void strategy_board::publish(strategy_status status, timestamp at) {
  if (status.name.empty())
    throw std::invalid_argument{"strategy_board: a status without a strategy name"};
  const auto total = total_pnl(status);
  std::lock_guard lock{mutex_};
  auto& entry = records_[status.name];
  entry.published = true;
  entry.status = std::move(status);
  entry.updated_at = at;
  auto& series = entry.series;
  // Close points merge into the last one, which then carries the newest value and time. The
  // distance is measured from when that point was added, so a strategy publishing more often
  // than the resolution still adds a point per resolution. A clock that went backwards (a
  // restarted strategy with another clock) merges too.
  if (!series.empty() && at - entry.series_bucket < options_.series_resolution) {
    series.back() = pnl_point{std::max(at, series.back().time), total};
  } else {
    series.push_back(pnl_point{at, total});
    entry.series_bucket = at;
    while (series.size() > options_.series_capacity)
      series.pop_front();
  }
  ++version_;
}

void strategy_board::record_fill(const std::string& strategy, fill_view fill) {
  std::lock_guard lock{mutex_};
  auto& fills = records_[strategy].fills;
  fills.push_back(std::move(fill));
  while (fills.size() > options_.fill_capacity)
    fills.pop_front();
  ++version_;
}

void strategy_board::remove(const std::string& strategy) {
  std::lock_guard lock{mutex_};
  if (records_.erase(strategy) > 0)
    ++version_;
}

strategy_board_snapshot strategy_board::snapshot() const {
  strategy_board_snapshot out;
  out.kill_switch = kill_switch_.status();
  std::lock_guard lock{mutex_};
  out.version = version_;
  for (const auto& [name, entry] : records_) {
    if (!entry.published)
      continue; // fills arrived before the first status: nothing to show them with yet
    strategy_snapshot copy;
    copy.status = entry.status;
    copy.updated_at = entry.updated_at;
    copy.recent_fills.assign(entry.fills.begin(), entry.fills.end());
    copy.pnl_series.assign(entry.series.begin(), entry.series.end());
    out.strategies.push_back(std::move(copy));
  }
  return out;
}

} // namespace tern::supervision
