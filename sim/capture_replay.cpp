#include "sim/capture_replay.hpp"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace tern::sim {

namespace {

using json = nlohmann::json;

/// One whole line (without the newline) from a gzip or plain file; false at the end.
bool read_line(gzFile file, std::string& line) {
  line.clear();
  char buffer[1 << 16];
  while (gzgets(file, buffer, sizeof buffer) != nullptr) {
    line.append(buffer);
    if (!line.empty() && line.back() == '\n') {
      line.pop_back();
      return true;
    }
  }
  return !line.empty();
}

decimal parse_decimal(const json& text) {
  auto value = decimal::parse(text.get<std::string>());
  if (!value)
    throw std::invalid_argument{value.error().message()};
  return *value;
}

void parse_levels(const json& levels, bool keep_zeros, std::vector<price_level>& into) {
  for (const auto& level : levels) {
    decimal price = parse_decimal(level.at(0));
    decimal size = parse_decimal(level.at(1));
    if (keep_zeros || !size.is_zero())
      into.push_back(price_level{price, size});
  }
}

// A frame from one capture line, or nothing when the line is of no use to the replay.
std::optional<capture_frame> parse_frame(std::string_view line) {
  bool snapshot = line.find("\"lastUpdateId\"") != std::string_view::npos;
  bool diff = !snapshot && line.find("\"depthUpdate\"") != std::string_view::npos;
  bool trade = !snapshot && !diff && line.find("\"e\":\"trade\"") != std::string_view::npos;
  if (!snapshot && !diff && !trade)
    return std::nullopt;
  auto space = line.find(' ');
  if (space == std::string_view::npos)
    throw std::invalid_argument{"no space between the receive time and the frame"};
  capture_frame frame;
  frame.received_ns = std::stoll(std::string{line.substr(0, space)});
  json root = json::parse(line.substr(space + 1));
  if (snapshot) {
    frame.type = capture_frame::kind::snapshot;
    frame.first_update = frame.last_update = root.at("lastUpdateId").get<std::int64_t>();
    parse_levels(root.at("bids"), false, frame.bids);
    parse_levels(root.at("asks"), false, frame.asks);
    return frame;
  }
  const json& data = root.contains("data") ? root.at("data") : root;
  if (trade) {
    frame.type = capture_frame::kind::trade;
    frame.price = parse_decimal(data.at("p"));
    frame.quantity = parse_decimal(data.at("q"));
    frame.taker_side = data.at("m").get<bool>() ? side::sell : side::buy;
    return frame;
  }
  frame.first_update = data.at("U").get<std::int64_t>();
  frame.last_update = data.at("u").get<std::int64_t>();
  if (data.contains("pu"))
    frame.previous_update = data.at("pu").get<std::int64_t>();
  parse_levels(data.at("b"), true, frame.bids);
  parse_levels(data.at("a"), true, frame.asks);
  return frame;
}

} // namespace

expected<std::vector<capture_frame>, std::string> read_capture_frames(
    const std::vector<std::string>& files) {
  std::vector<capture_frame> frames;
  for (const auto& path : files) {
    gzFile file = gzopen(path.c_str(), "rb");
    if (file == nullptr)
      return unexpected{"cannot open capture file '" + path + "'"};
    std::string line;
    std::size_t number = 0;
    try {
      while (read_line(file, line)) {
        ++number;
        if (auto frame = parse_frame(line))
          frames.push_back(std::move(*frame));
      }
    } catch (const std::exception& failure) {
      gzclose(file);
      return unexpected{"capture '" + path + "' line " + std::to_string(number) + ": "
                        + failure.what()};
    }
    gzclose(file);
  }
  return frames;
}

expected<std::unique_ptr<capture_replay>, std::string> capture_replay::open(
    matching_engine& engine, ledger& accounts, capture_replay_config config) {
  if (!(config.speed > 0.0))
    return unexpected{std::string{"replay speed must be positive"}};
  auto frames = read_capture_frames(config.files);
  if (!frames)
    return unexpected{frames.error()};
  auto is_snapshot = [](const capture_frame& frame) {
    return frame.type == capture_frame::kind::snapshot;
  };
  auto snapshot = std::find_if(frames->begin(), frames->end(), is_snapshot);
  if (snapshot == frames->end())
    return unexpected{std::string{"the capture holds no REST depth snapshot to start from"}};
  // The snapshot first, then in recorded order every diff that ends at or after it (the
  // bridging diff may have been received before the snapshot) and every later trade.
  std::int64_t snapshot_id = snapshot->last_update;
  std::int64_t snapshot_ns = snapshot->received_ns;
  std::vector<capture_frame> schedule;
  schedule.push_back(std::move(*snapshot));
  for (auto& frame : *frames) {
    bool wanted = frame.type == capture_frame::kind::diff
                      ? frame.last_update >= snapshot_id
                      : frame.type == capture_frame::kind::trade && config.replay_trades
                            && frame.received_ns >= snapshot_ns;
    if (wanted)
      schedule.push_back(std::move(frame));
  }
  try {
    return std::unique_ptr<capture_replay>{
        new capture_replay(engine, accounts, std::move(config), std::move(schedule))};
  } catch (const std::invalid_argument& failure) {
    return unexpected{std::string{failure.what()}};
  }
}

capture_replay::capture_replay(matching_engine& engine, ledger& accounts,
                               capture_replay_config config, std::vector<capture_frame> frames)
    : engine_(engine),
      config_(std::move(config)),
      liquidity_(engine, accounts, config_.api_key, config_.funds),
      frames_(std::move(frames)),
      origin_ns_(frames_.front().received_ns) {}

timestamp capture_replay::due(const capture_frame& frame) const {
  double offset = static_cast<double>(std::max<std::int64_t>(0, frame.received_ns - origin_ns_));
  return config_.start + std::chrono::nanoseconds{std::llround(offset / config_.speed)};
}

std::optional<timestamp> capture_replay::next_event_time() const {
  if (next_ >= frames_.size())
    return std::nullopt;
  return due(frames_[next_]);
}

void capture_replay::advance_to(timestamp now, event_buffer& out) {
  while (next_ < frames_.size() && due(frames_[next_]) <= now)
    step(out);
}

bool capture_replay::step(event_buffer& out) {
  if (next_ >= frames_.size())
    return false;
  const capture_frame& frame = frames_[next_++];
  timestamp now = due(frame);
  if (frame.type == capture_frame::kind::trade)
    engine_.publish_external_trade(frame.price, frame.quantity, frame.taker_side, now, out);
  else
    apply_depth(frame, now, out);
  return true;
}

void capture_replay::apply_depth(const capture_frame& frame, timestamp now, event_buffer& out) {
  if (frame.type == capture_frame::kind::snapshot) {
    liquidity_.reconcile(frame.bids, frame.asks, now, out);
  } else {
    bool first = diffs_applied_ == 0;
    bool continues = first ? frame.first_update <= capture_update_ + 1
                           : frame.previous_update >= 0 ? frame.previous_update == capture_update_
                                                        : frame.first_update == capture_update_ + 1;
    if (!continues)
      ++gaps_;
    liquidity_.apply(frame.bids, frame.asks, now, out);
    ++diffs_applied_;
  }
  capture_update_ = frame.last_update;
  auto bid = engine_.best_bid();
  auto ask = engine_.best_ask();
  if (engine_.spec().kind == market_kind::perpetual && bid && ask)
    engine_.set_mark_price(decimal::divide(bid->price + ask->price, decimal::from_integer(2),
                                           rounding::half_even)
                               .round_to(engine_.spec().tick, rounding::half_even));
}

} // namespace tern::sim
