// OKX public channels ("Order Book Trading" > "Market Data" > WebSocket, and "Public Data"):
//  - books: a 400-level snapshot on subscribe (prevSeqId -1), then updates every 100 ms with
//    the levels changed since the last frame (size "0" removes a level), chained by prevSeqId
//    = the previous frame's seqId (the engine's update ids), each with the CRC32 checksum of
//    the top 25 levels ("Checksum": bid and ask of each rank interleaved, "price:size").
//  - books5 and bbo-tbt: the top 5 / top 1 levels, pushed whenever they change.
//  - trades: one push per trade. mark-price: every 200 ms when it changed, else every 10 s.
//    funding-rate: on subscribe and every 60 s ("pushed in 30 s to 90 s").

#include <algorithm>

#include <zlib.h>

#include "sim/okx/okx_dialect.hpp"

namespace tern::sim::okx {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::size_t books_depth = 400;
constexpr std::size_t checksum_depth = 25;
constexpr milliseconds books_interval{100};
constexpr milliseconds mark_interval{200};
constexpr seconds mark_quiet_interval{10};
constexpr seconds funding_interval{60};

std::string channel_name(const std::string& hub_channel) { return hub_channel.substr(0, hub_channel.find(':')); }

json arg_of(std::string_view channel, std::string_view inst_id) { return {{"channel", channel}, {"instId", inst_id}}; }

} // namespace

json okx_dialect::levels_json(const matching_engine& engine, side s, std::size_t depth) const {
  book_snapshot snap = engine.snapshot(depth);
  return level_list(engine, s, s == side::buy ? snap.bids : snap.asks);
}

std::int32_t okx_dialect::checksum(const matching_engine& engine) const {
  if (!crc32_checksums_) return 0;
  book_snapshot snap = engine.snapshot(checksum_depth);
  const std::string& symbol = engine.spec().symbol;
  std::string text;
  auto add = [&](const price_level& level) {
    if (!text.empty()) text += ':';
    text += number(level.price) + ':' + size_text(symbol, level.size);
  };
  for (std::size_t i = 0; i < checksum_depth; ++i) {
    if (i < snap.bids.size()) add(snap.bids[i]);
    if (i < snap.asks.size()) add(snap.asks[i]);
  }
  auto crc = crc32(0L, reinterpret_cast<const Bytef*>(text.data()), static_cast<uInt>(text.size()));
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(crc));
}

void okx_dialect::subscribe_public(stream_session& session, const connection& conn, const json& arg,
                                   const std::string& id, bool add) {
  auto channel = text_of(arg, "channel").value_or("");
  auto inst_id = text_of(arg, "instId").value_or("");
  bool known = channel == "books" || channel == "books5" || channel == "bbo-tbt" || channel == "trades" ||
               ((channel == "mark-price" || channel == "funding-rate") && flavour_ == flavour::swap);
  const matching_engine* engine = state_->venue.market(inst_id);
  if (!known || engine == nullptr || conn.is_private)
    return ws_error(session, conn, "60018", "Wrong URL or channel:" + channel + ",instId:" + inst_id + " doesn't exist.",
                    id);
  std::string hub_channel = channel + ":" + inst_id;
  if (!add) {
    state_->streams.unsubscribe(session, hub_channel);
    state_->streams.reply(session, ack(conn, arg_of(channel, inst_id), id, false).dump());
    return;
  }
  if (channel == "books") {
    // Pending changes go to the current subscribers first, so the newcomer's chain starts at
    // its snapshot.
    auto [feed, created] = book_feeds_.try_emplace(hub_channel);
    if (created) {
      feed->second.symbol = inst_id;
      feed->second.channel = hub_channel;
    }
    flush_book(feed->second, state_->now());
  }
  state_->streams.subscribe(session, hub_channel);
  state_->streams.reply(session, ack(conn, arg_of(channel, inst_id), id, true).dump());
  initial_public(session, hub_channel, arg_of(channel, inst_id));
}

void okx_dialect::initial_public(stream_session& session, const std::string& hub_channel, const json& arg) {
  std::string channel = arg["channel"].get<std::string>();
  std::string inst_id = arg["instId"].get<std::string>();
  timestamp now = state_->now();
  if (channel == "books") return send_book_snapshot(session, book_feeds_.at(hub_channel), now);
  if (channel == "books5" || channel == "bbo-tbt") {
    auto [feed, created] = top_feeds_.try_emplace(hub_channel);
    if (created) feed->second = top_feed{inst_id, hub_channel, channel == "books5" ? 5U : 1U, ""};
    return push_top(feed->second, &session);
  }
  if (channel == "mark-price") return push_mark_price(inst_id, now, &session);
  if (channel == "funding-rate") return push_funding_rate(inst_id, now, &session);
}

void okx_dialect::send_book_snapshot(stream_session& session, book_feed& feed, timestamp now) {
  const matching_engine& engine = *state_->venue.market(feed.symbol);
  feed.last_sent = engine.last_update();
  std::int32_t sum = checksum(engine);
  json data = {{"asks", levels_json(engine, side::sell, books_depth)},
               {"bids", levels_json(engine, side::buy, books_depth)},
               {"ts", millis(now)},
               {"checksum", sum},
               {"prevSeqId", -1},
               {"seqId", engine.last_update()}};
  json frame = {{"arg", arg_of("books", feed.symbol)}, {"action", "snapshot"}, {"data", json::array({data})}};
  std::string text = frame.dump();
  frame["data"][0]["checksum"] = static_cast<std::int32_t>(static_cast<std::uint32_t>(sum) + 1U);
  state_->streams.send(session, stream_kind::depth, feed.channel, std::move(text),
                       crc32_checksums_ ? frame.dump() : std::string{});
}

void okx_dialect::flush_book(book_feed& feed, timestamp now) {
  const matching_engine& engine = *state_->venue.market(feed.symbol);
  if (feed.bids.empty() && feed.asks.empty()) return;
  auto levels = [&](side s, const auto& changed) {
    json out = json::array();
    for (const auto& [price, size] : changed)
      out.push_back({number(price), size_text(feed.symbol, size), "0", std::to_string(engine.orders_at(s, price))});
    return out;
  };
  std::int32_t sum = checksum(engine);
  json data = {{"asks", levels(side::sell, feed.asks)},
               {"bids", levels(side::buy, feed.bids)},
               {"ts", millis(now)},
               {"checksum", sum},
               {"prevSeqId", feed.last_sent},
               {"seqId", engine.last_update()}};
  feed.bids.clear();
  feed.asks.clear();
  feed.last_sent = engine.last_update();
  feed.last_frame = now;
  json frame = {{"arg", arg_of("books", feed.symbol)}, {"action", "update"}, {"data", json::array({data})}};
  std::string text = frame.dump();
  frame["data"][0]["checksum"] = static_cast<std::int32_t>(static_cast<std::uint32_t>(sum) + 1U);
  state_->streams.publish(feed.channel, stream_kind::depth, text, {}, crc32_checksums_ ? frame.dump() : std::string{});
}

void okx_dialect::push_top(top_feed& feed, stream_session* only) {
  const matching_engine& engine = *state_->venue.market(feed.symbol);
  json asks = levels_json(engine, side::sell, feed.depth);
  json bids = levels_json(engine, side::buy, feed.depth);
  std::string levels = asks.dump() + bids.dump();
  if (only == nullptr && levels == feed.last_levels) return;
  feed.last_levels = levels;
  json data = {{"asks", asks}, {"bids", bids}, {"ts", millis(state_->now())}, {"seqId", engine.last_update()}};
  if (feed.depth == 5) data["instId"] = feed.symbol;
  json frame = {{"arg", arg_of(channel_name(feed.channel), feed.symbol)}, {"data", json::array({data})}};
  if (only != nullptr) state_->streams.send(*only, stream_kind::book_ticker, feed.channel, frame.dump());
  else state_->streams.publish(feed.channel, stream_kind::book_ticker, frame.dump());
}

void okx_dialect::publish_trades(const event_buffer& events) {
  for (const auto& entry : events) {
    const auto* trade = std::get_if<public_trade>(&entry);
    if (trade == nullptr) continue;
    std::string channel = "trades:" + trade->symbol;
    if (!state_->streams.has_subscribers(channel)) continue;
    json frame = {{"arg", arg_of("trades", trade->symbol)},
                  {"data", json::array({{{"instId", trade->symbol},
                                         {"tradeId", std::to_string(trade->trade)},
                                         {"px", number(trade->price)},
                                         {"sz", size_text(trade->symbol, trade->quantity)},
                                         {"side", side_name(trade->taker_side)},
                                         {"ts", millis(trade->time)},
                                         {"count", "1"}}})}};
    state_->streams.publish(channel, stream_kind::trade, frame.dump());
  }
}

void okx_dialect::publish_market(const event_buffer& events) {
  std::set<std::string> touched;
  for (const auto& entry : events) {
    const auto* update = std::get_if<book_update>(&entry);
    if (update == nullptr) continue;
    touched.insert(update->symbol);
    auto feed = book_feeds_.find("books:" + update->symbol);
    if (feed == book_feeds_.end() || !state_->streams.has_subscribers(feed->second.channel)) continue;
    for (const auto& level : update->bids) feed->second.bids[level.price] = level.size;
    for (const auto& level : update->asks) feed->second.asks[level.price] = level.size;
  }
  for (auto& [channel, feed] : book_feeds_)
    if (!state_->streams.has_subscribers(channel)) {
      // Nobody listens: forget the changes; the next subscriber starts from a snapshot.
      feed.bids.clear();
      feed.asks.clear();
    }
  for (auto& [channel, feed] : top_feeds_)
    if (touched.contains(feed.symbol) && state_->streams.has_subscribers(channel)) push_top(feed, nullptr);
  publish_trades(events);
}

void okx_dialect::push_mark_price(const std::string& symbol, timestamp now, stream_session* only) {
  const matching_engine* engine = state_->venue.market(symbol);
  json frame = {{"arg", arg_of("mark-price", symbol)},
                {"data", json::array({{{"instType", "SWAP"}, {"instId", symbol},
                                       {"markPx", number(engine->mark_price())}, {"ts", millis(now)}}})}};
  std::string channel = "mark-price:" + symbol;
  if (only != nullptr) return state_->streams.send(*only, stream_kind::mark_price, channel, frame.dump());
  mark_sent_[symbol] = engine->mark_price();
  mark_due_[symbol] = now + mark_quiet_interval;
  state_->streams.publish(channel, stream_kind::mark_price, frame.dump());
}

void okx_dialect::push_funding_rate(const std::string& symbol, timestamp now, stream_session* only) {
  const matching_engine* engine = state_->venue.market(symbol);
  json frame = {{"arg", arg_of("funding-rate", symbol)}, {"data", json::array({funding_json(*engine, now)})}};
  std::string channel = "funding-rate:" + symbol;
  if (only != nullptr) return state_->streams.send(*only, stream_kind::mark_price, channel, frame.dump());
  funding_due_[symbol] = now + funding_interval;
  state_->streams.publish(channel, stream_kind::mark_price, frame.dump());
}

std::optional<timestamp> okx_dialect::tick_market(timestamp now) {
  if (now >= next_book_flush_) {
    for (auto& [channel, feed] : book_feeds_) flush_book(feed, now);
    std::int64_t ms = to_unix_ms(now);
    next_book_flush_ = from_unix_ms((ms / books_interval.count() + 1) * books_interval.count());
  }
  timestamp next = next_book_flush_;
  if (flavour_ != flavour::swap) return next;
  for (const matching_engine* engine : state_->venue.markets()) {
    const std::string& symbol = engine->spec().symbol;
    if (state_->streams.has_subscribers("mark-price:" + symbol)) {
      auto sent = mark_sent_.find(symbol);
      bool changed = sent == mark_sent_.end() || sent->second != engine->mark_price();
      if (changed || now >= mark_due_[symbol]) push_mark_price(symbol, now, nullptr);
      next = std::min(next, now + mark_interval);
    }
    if (state_->streams.has_subscribers("funding-rate:" + symbol)) {
      auto [due, created] = funding_due_.try_emplace(symbol, now + funding_interval);
      if (now >= due->second) push_funding_rate(symbol, now, nullptr);
      next = std::min(next, due->second);
    }
  }
  return next;
}

} // namespace tern::sim::okx
