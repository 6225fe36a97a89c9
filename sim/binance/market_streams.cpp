#include "sim/binance/market_streams.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "sim/binance/wire.hpp"
#include "sim/form_params.hpp"

namespace tern::sim::binance {

namespace {

using std::chrono::milliseconds;

std::string lower(std::string_view text) {
  std::string out{text};
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string upper(std::string_view text) {
  std::string out{text};
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(separator, start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) parts.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

/// The depth interval a stream suffix asks for, or nullopt when it is not a depth stream.
std::optional<milliseconds> depth_interval(std::string_view suffix, flavour kind) {
  if (suffix == "depth") return kind == flavour::spot ? milliseconds{1000} : milliseconds{250};
  if (suffix == "depth@100ms") return milliseconds{100};
  if (kind == flavour::usdm) {
    if (suffix == "depth@250ms") return milliseconds{250};
    if (suffix == "depth@500ms") return milliseconds{500};
    if (suffix == "depth@0ms") return milliseconds{0};
  }
  return std::nullopt;
}

timestamp next_boundary(timestamp now, milliseconds interval) {
  std::int64_t ms = to_unix_ms(now);
  return from_unix_ms((ms / interval.count() + 1) * interval.count());
}

} // namespace

std::optional<std::string> market_streams::channel_for(std::string_view name) const {
  auto at = name.find('@');
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  std::string symbol = upper(name.substr(0, at));
  std::string_view suffix = name.substr(at + 1);
  if (state_ == nullptr || state_->venue.market(symbol) == nullptr) return std::nullopt;
  bool known = depth_interval(suffix, flavour_).has_value() || suffix == "trade" || suffix == "bookTicker";
  if (flavour_ == flavour::usdm)
    known = known || suffix == "aggTrade" || suffix == "markPrice" || suffix == "markPrice@1s";
  if (!known) return std::nullopt;
  return lower(symbol) + "@" + std::string{suffix};
}

bool market_streams::open(stream_session& session) {
  auto [path, query] = split_target(session.target);
  if (flavour_ == flavour::usdm)
    for (std::string_view prefix : {"/public", "/market"})
      if (path.starts_with(prefix)) path.remove_prefix(prefix.size());
  if (path == "/stream") {
    session.wrapped = true;
    auto params = form_params::parse(query);
    if (!params) return false;
    if (const std::string* streams = params->find("streams")) {
      for (const auto& name : split(*streams, '/')) {
        auto channel = channel_for(name);
        if (!channel) return false;
        subscribe(session, *channel);
      }
    }
    return true;
  }
  if (path != "/ws" && !path.starts_with("/ws/")) return false;
  for (const auto& name : split(path.substr(3), '/')) {
    auto channel = channel_for(name);
    if (!channel) return false;
    subscribe(session, *channel);
  }
  return true;
}

void market_streams::control_reply(stream_session& session, const std::string& id_json,
                                   const std::string& result_json) {
  state_->streams.reply(session, R"({"result":)" + result_json + R"(,"id":)" + id_json + "}");
}

void market_streams::on_message(stream_session& session, std::string_view payload) {
  auto message = nlohmann::json::parse(payload, nullptr, false);
  auto invalid = [&](const std::string& why, const std::string& id = "null") {
    state_->streams.reply(session, R"({"error":{"code":2,"msg":)" + json_string("Invalid request: " + why) +
                                       R"(},"id":)" + id + "}");
  };
  if (message.is_discarded() || !message.is_object() || !message.contains("method"))
    return invalid("expected a JSON object with \"method\"");
  std::string id = message.contains("id") ? message["id"].dump() : "null";
  std::string method = message["method"].is_string() ? message["method"].get<std::string>() : "";
  const auto& params = message.contains("params") ? message["params"] : nlohmann::json::array();
  if (method == "SUBSCRIBE" || method == "UNSUBSCRIBE") {
    if (!params.is_array()) return invalid("params must be an array of stream names", id);
    std::vector<std::string> channels;
    for (const auto& name : params) {
      auto channel = name.is_string() ? channel_for(name.get<std::string>()) : std::nullopt;
      if (!channel) return invalid("invalid stream name " + name.dump(), id);
      channels.push_back(*channel);
    }
    for (const auto& channel : channels)
      method == "SUBSCRIBE" ? subscribe(session, channel) : unsubscribe(session, channel);
    return control_reply(session, id, "null");
  }
  if (method == "LIST_SUBSCRIPTIONS")
    return control_reply(session, id, nlohmann::json(session.channels).dump());
  if (method == "SET_PROPERTY" || method == "GET_PROPERTY") {
    if (!params.is_array() || params.empty() || params[0] != "combined")
      return state_->streams.reply(session, R"({"code":0,"msg":"Unknown property","id":)" + id + "}");
    if (method == "GET_PROPERTY") return control_reply(session, id, session.wrapped ? "true" : "false");
    if (params.size() < 2 || !params[1].is_boolean())
      return state_->streams.reply(session, R"({"code":1,"msg":"Invalid value type: expected Boolean"})");
    session.wrapped = params[1].get<bool>();
    return control_reply(session, id, "null");
  }
  invalid("unknown method " + json_string(method), id);
}

void market_streams::subscribe(stream_session& session, const std::string& channel) {
  state_->streams.subscribe(session, channel);
  auto at = channel.find('@');
  std::string symbol = upper(std::string_view{channel}.substr(0, at));
  std::string_view suffix = std::string_view{channel}.substr(at + 1);
  timestamp now = state_->now();
  if (auto interval = depth_interval(suffix, flavour_); interval && !depth_.contains(channel)) {
    depth_aggregator& aggregator = depth_[channel];
    aggregator.symbol = symbol;
    aggregator.channel = channel;
    aggregator.interval = *interval;
    // The chain starts where the engine is now: every later record reaches this aggregator.
    aggregator.previous = state_->venue.market(symbol)->last_update();
    aggregator.next_flush = interval->count() > 0 ? next_boundary(now, *interval) : now;
    depth_by_symbol_[symbol].push_back(channel);
  }
  if (suffix.starts_with("markPrice") && !mark_price_due_.contains(channel)) mark_price_due_[channel] = now;
}

void market_streams::unsubscribe(stream_session& session, const std::string& channel) {
  state_->streams.unsubscribe(session, channel);
}

market_streams::number_format market_streams::format_of(const std::string& symbol) const {
  if (flavour_ == flavour::spot) return {};  // spot quotes every number with 8 decimals
  const matching_engine* engine = state_->venue.market(symbol);
  return {places_of(engine->spec().tick), places_of(engine->spec().step)};
}

std::string market_streams::level_list(const std::string& symbol, const auto& levels) const {
  number_format format = format_of(symbol);
  std::string out = "[";
  for (const auto& [price, size] : levels) {
    if (out.size() > 1) out += ',';
    out += "[\"" + fixed(price, format.price_places) + "\",\"" + fixed(size, format.quantity_places) + "\"]";
  }
  return out + "]";
}

void market_streams::send_frame(const std::string& channel, stream_kind kind, const std::string& data) {
  std::string wrapped;
  if (state_->streams.wants_wrapped(channel)) wrapped = R"({"stream":")" + channel + R"(","data":)" + data + "}";
  state_->streams.publish(channel, kind, data, wrapped);
}

void market_streams::publish(const event_buffer& events) {
  std::set<std::string> touched;
  for (const auto& item : events) {
    if (const auto* update = std::get_if<book_update>(&item)) {
      touched.insert(update->symbol);
      auto found = depth_by_symbol_.find(update->symbol);
      if (found == depth_by_symbol_.end()) continue;
      for (const auto& channel : found->second) {
        depth_aggregator& aggregator = depth_.at(channel);
        add_to(aggregator, *update);
        if (aggregator.interval.count() == 0) flush(aggregator, update->time);
      }
    } else if (const auto* trade = std::get_if<public_trade>(&item)) {
      publish_trade(*trade);
    }
  }
  for (const auto& symbol : touched) publish_book_ticker(symbol, state_->now());
}

void market_streams::add_to(depth_aggregator& aggregator, const book_update& update) {
  if (aggregator.first == 0) aggregator.first = update.first_update;
  aggregator.last = update.last_update;
  aggregator.transaction_time = update.time;
  for (const auto& level : update.bids) aggregator.bids[level.price] = level.size;
  for (const auto& level : update.asks) aggregator.asks[level.price] = level.size;
}

void market_streams::flush(depth_aggregator& aggregator, timestamp now) {
  if (aggregator.first == 0) return;
  const std::string& symbol = aggregator.symbol;
  std::string data = R"({"e":"depthUpdate","E":)" + std::to_string(to_unix_ms(now));
  if (flavour_ == flavour::usdm) data += R"(,"T":)" + std::to_string(to_unix_ms(aggregator.transaction_time));
  data += R"(,"s":")" + symbol + R"(","U":)" + std::to_string(aggregator.first) + R"(,"u":)" +
          std::to_string(aggregator.last);
  if (flavour_ == flavour::usdm) data += R"(,"pu":)" + std::to_string(aggregator.previous);
  data += R"(,"b":)" + level_list(symbol, aggregator.bids) + R"(,"a":)" + level_list(symbol, aggregator.asks) + "}";
  aggregator.previous = aggregator.last;
  aggregator.first = 0;
  aggregator.bids.clear();
  aggregator.asks.clear();
  send_frame(aggregator.channel, stream_kind::depth, data);
}

void market_streams::publish_trade(const public_trade& trade) {
  std::string symbol_lower = lower(trade.symbol);
  number_format format = format_of(trade.symbol);
  std::string price = fixed(trade.price, format.price_places);
  std::string quantity = fixed(trade.quantity, format.quantity_places);
  std::string time = std::to_string(to_unix_ms(trade.time));
  std::string maker = trade.taker_side == side::sell ? "true" : "false";  // m: the buyer was the maker
  std::string channel = symbol_lower + "@trade";
  if (state_->streams.has_subscribers(channel)) {
    std::string data = flavour_ == flavour::spot
        ? R"({"e":"trade","E":)" + time + R"(,"s":")" + trade.symbol + R"(","t":)" + std::to_string(trade.trade) +
              R"(,"p":")" + price + R"(","q":")" + quantity + R"(","T":)" + time + R"(,"m":)" + maker + R"(,"M":true})"
        : R"({"e":"trade","E":)" + time + R"(,"T":)" + time + R"(,"s":")" + trade.symbol + R"(","t":)" +
              std::to_string(trade.trade) + R"(,"p":")" + price + R"(","q":")" + quantity +
              R"(","X":"MARKET","m":)" + maker + "}";
    send_frame(channel, stream_kind::trade, data);
  }
  channel = symbol_lower + "@aggTrade";
  if (flavour_ == flavour::usdm && state_->streams.has_subscribers(channel)) {
    std::string id = std::to_string(trade.trade);
    send_frame(channel, stream_kind::trade,
               R"({"e":"aggTrade","E":)" + time + R"(,"s":")" + trade.symbol + R"(","a":)" + id + R"(,"p":")" +
                   price + R"(","q":")" + quantity + R"(","f":)" + id + R"(,"l":)" + id + R"(,"T":)" + time +
                   R"(,"m":)" + maker + "}");
  }
}

void market_streams::publish_book_ticker(const std::string& symbol, timestamp time) {
  std::string channel = lower(symbol) + "@bookTicker";
  if (!state_->streams.has_subscribers(channel)) return;
  const matching_engine* engine = state_->venue.market(symbol);
  std::pair<price_level, price_level> top{engine->best_bid().value_or(price_level{}),
                                          engine->best_ask().value_or(price_level{})};
  auto& last = last_top_[symbol];
  if (last == top) return;
  last = top;
  number_format format = format_of(symbol);
  std::string body = R"("u":)" + std::to_string(engine->last_update()) + R"(,"s":")" + symbol + R"(","b":")" +
                     fixed(top.first.price, format.price_places) + R"(","B":")" +
                     fixed(top.first.size, format.quantity_places) + R"(","a":")" +
                     fixed(top.second.price, format.price_places) + R"(","A":")" +
                     fixed(top.second.size, format.quantity_places) + "\"";
  std::string ms = std::to_string(to_unix_ms(time));
  send_frame(channel, stream_kind::book_ticker,
             flavour_ == flavour::spot ? "{" + body + "}"
                                       : R"({"e":"bookTicker",)" + body + R"(,"T":)" + ms + R"(,"E":)" + ms + "}");
}

void market_streams::publish_mark_price(const std::string& channel, const std::string& symbol, timestamp now) {
  const matching_engine* engine = state_->venue.market(symbol);
  number_format format = format_of(symbol);
  std::string mark = fixed(engine->mark_price(), format.price_places);
  decimal rate;
  std::int64_t next_funding = 0;
  if (auto found = state_->funding.find(symbol); found != state_->funding.end() && found->second.interval.count() > 0) {
    const funding_schedule& funding = found->second;
    rate = funding.rate;
    auto periods = (now - funding.start) / funding.interval + 1;
    next_funding = to_unix_ms(funding.start + periods * funding.interval);
  }
  send_frame(channel, stream_kind::mark_price,
             R"({"e":"markPriceUpdate","E":)" + std::to_string(to_unix_ms(now)) + R"(,"s":")" + symbol +
                 R"(","p":")" + mark + R"(","i":")" + mark + R"(","P":")" + mark + R"(","r":")" + fixed(rate, 8) +
                 R"(","T":)" + std::to_string(next_funding) + "}");
}

std::optional<timestamp> market_streams::on_tick(timestamp now) {
  std::optional<timestamp> next;
  auto earliest = [&](timestamp t) { next = next ? std::min(*next, t) : t; };
  for (auto& [channel, aggregator] : depth_) {
    if (aggregator.interval.count() == 0) continue;
    if (aggregator.next_flush <= now) {
      flush(aggregator, now);
      aggregator.next_flush = next_boundary(now, aggregator.interval);
    }
    earliest(aggregator.next_flush);
  }
  for (auto& [channel, due] : mark_price_due_) {
    if (due <= now) {
      if (state_->streams.has_subscribers(channel))
        publish_mark_price(channel, upper(std::string_view{channel}.substr(0, channel.find('@'))), now);
      due = now + (channel.ends_with("@1s") ? milliseconds{1000} : milliseconds{3000});
    }
    earliest(due);
  }
  return next;
}

} // namespace tern::sim::binance
