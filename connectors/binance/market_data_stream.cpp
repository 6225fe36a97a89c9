// Binance public streams: subscriptions, and the public_stream_parser that routes frames to
// their markets (market_data.hpp declares both).

#include <array>
#include <cctype>

#include <nlohmann/json.hpp>

#include "connectors/binance/market_data.hpp"
#include "connectors/binance/errors.hpp"
#include "connectors/common/json_fields.hpp"

namespace tern::binance {

namespace {

using nlohmann::json;
namespace jf = json_fields;

constexpr std::size_t max_streams_per_connection = 1000;

std::string lower(std::string_view text) {
  std::string out{text};
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string subscribe_message(const std::vector<std::string>& streams, std::int64_t id) {
  nlohmann::ordered_json message;
  message["method"] = "SUBSCRIBE";
  message["params"] = streams;
  message["id"] = id;
  return message.dump();
}

// Adds connections to `plans` carrying `suffixes` for every symbol, on `url`.
void add_connections(std::vector<ws_connection_plan>& plans, const std::string& url,
                     const std::vector<std::string>& symbols,
                     std::initializer_list<std::string_view> suffixes, std::int64_t& next_id) {
  std::vector<std::string> streams;
  for (const std::string& symbol : symbols)
    for (std::string_view suffix : suffixes)
      streams.push_back(lower(symbol) + "@" + std::string{suffix});
  for (std::size_t begin = 0; begin < streams.size(); begin += max_streams_per_connection) {
    std::size_t end = std::min(streams.size(), begin + max_streams_per_connection);
    std::vector<std::string> chunk(streams.begin() + static_cast<std::ptrdiff_t>(begin),
                                   streams.begin() + static_cast<std::ptrdiff_t>(end));
    plans.push_back(ws_connection_plan{url, {subscribe_message(chunk, next_id++)}, {}, {}});
  }
}

std::size_t skip_spaces(std::string_view text, std::size_t at) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\n' || text[at] == '\r'))
    ++at;
  return at;
}

// The string value after the key that starts at `at` ("\"stream\"" or "\"s\""), by text scan:
// whitespace, ':', whitespace, then the quoted value (Binance symbols and stream names hold no
// escapes). Empty when the text is not shaped so.
std::string_view string_after_key(std::string_view frame, std::size_t at, std::size_t key_size) {
  at = skip_spaces(frame, at + key_size);
  if (at >= frame.size() || frame[at] != ':')
    return {};
  at = skip_spaces(frame, at + 1);
  if (at >= frame.size() || frame[at] != '"')
    return {};
  std::size_t end = frame.find('"', at + 1);
  return end == std::string_view::npos ? std::string_view{} : frame.substr(at + 1, end - at - 1);
}

// The stream name of a combined-stream envelope, whose first key Binance makes "stream";
// empty for any other frame. Scans text, no JSON parse.
std::string_view envelope_stream(std::string_view frame) {
  constexpr std::string_view key = "\"stream\"";
  std::size_t at = skip_spaces(frame, 0);
  if (at >= frame.size() || frame[at] != '{')
    return {};
  at = skip_spaces(frame, at + 1);
  if (frame.substr(at, key.size()) != key)
    return {};
  return string_after_key(frame, at, key.size());
}

// The routing symbol of a stream name ("btcusdt@depth@100ms" -> "BTCUSDT"), upper-cased into
// `buffer`.
std::string_view stream_symbol(std::string_view stream, std::array<char, 48>& buffer) {
  std::string_view symbol = stream.substr(0, stream.find('@'));
  if (symbol.size() > buffer.size())
    return {};
  for (std::size_t i = 0; i < symbol.size(); ++i)
    buffer[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(symbol[i])));
  return {buffer.data(), symbol.size()};
}

// The channel to name in a problem: the stream, else the event name found by text scan (a
// frame too broken to parse may still say what it was).
std::string channel_of(std::string_view frame, std::string_view stream) {
  if (!stream.empty())
    return std::string{stream};
  constexpr std::string_view key = "\"e\"";
  for (std::size_t at = frame.find(key); at != std::string_view::npos; at = frame.find(key, at + 1))
    if (auto value = string_after_key(frame, at, key.size()); !value.empty())
      return std::string{value};
  return {};
}

// A bare event's "s" value, by text scan.
std::string_view bare_symbol(std::string_view frame) {
  constexpr std::string_view key = "\"s\"";
  for (std::size_t at = frame.find(key); at != std::string_view::npos; at = frame.find(key, at + 1))
    if (auto value = string_after_key(frame, at, key.size()); !value.empty())
      return value;
  return {};
}

class market_stream_parser final : public public_stream_parser {
 public:
  explicit market_stream_parser(symbol_map markets) : markets_(std::move(markets)) {
    if (markets_.size() == 1) {
      only_pair_ = markets_.pairs().front();
      only_symbol_ = *markets_.symbol_of(only_pair_);
    }
  }

  expected<public_event_kind, frame_problem> parse(std::string_view frame, timestamp received,
                                                   public_frame& out) override {
    std::string_view stream = envelope_stream(frame);
    std::string_view symbol =
        stream.empty() ? bare_symbol(frame) : stream_symbol(stream, symbol_buffer_);
    const trading_pair* pair = symbol.empty() ? nullptr : markets_.pair_of(symbol);
    if (pair == nullptr && symbol.empty() && !only_symbol_.empty()) {
      pair = &only_pair_;  // a bare frame without "s" (REST snapshot) on a one-market stream
      symbol = only_symbol_;
    }
    if (pair != nullptr) {
      auto kind = fast_.parse(frame, parse_context{pair->to_string(), received, symbol}, out);
      if (kind)
        return to_public(*kind);
      if (kind.error().code != market_data_errc::unexpected_event)
        return unexpected{frame_problem{frame_problem::kind_type::malformed, channel_of(frame, stream),
                                        kind.error().message()}};
    }
    return slow_path(frame, stream, symbol, pair, out);
  }

 private:
  static public_event_kind to_public(frame_kind kind) {
    switch (kind) {
      case frame_kind::depth_update: return public_event_kind::book_delta;
      case frame_kind::book_ticker: return public_event_kind::top_of_book;
      case frame_kind::trade: return public_event_kind::trade;
      case frame_kind::depth_snapshot: return public_event_kind::book_snapshot;
    }
    return public_event_kind::control;
  }

  // Acknowledgements, errors, mark prices, shutdown notices: rare, read with nlohmann.
  expected<public_event_kind, frame_problem> slow_path(std::string_view frame,
                                                       std::string_view stream,
                                                       std::string_view symbol,
                                                       const trading_pair* pair,
                                                       public_frame& out) const;

  symbol_map markets_;
  trading_pair only_pair_;
  std::string only_symbol_;
  market_data_parser fast_;
  std::array<char, 48> symbol_buffer_{};
};

frame_problem problem(frame_problem::kind_type kind, std::string_view channel, std::string detail) {
  return frame_problem{kind, std::string{channel}, std::move(detail)};
}

// {"result":null,"id":1} acknowledges; an error is {"code":0,"msg":"...","id":1}
// (web-socket-streams.md "Live Subscribing/Unsubscribing", "Error Messages"), or the same
// code and msg nested in "error".
std::optional<stream_control> subscription_answer(const json& root) {
  if (root.contains("status"))
    return std::nullopt;  // a WebSocket API response: the private stream's parser reads those
  const json* error = nullptr;
  if (auto nested = root.find("error"); nested != root.end() && nested->is_object())
    error = &*nested;
  else if (root.contains("code") && root.contains("msg"))
    error = &root;
  if (!root.contains("id") || (!root.contains("result") && error == nullptr))
    return std::nullopt;
  stream_control control;
  if (auto id = jf::id_of(root, "id"))
    control.request_id = *id;
  if (error != nullptr) {
    control.kind = stream_control_kind::request_failed;
    std::optional<int> code;
    if (auto value = jf::integer_of(*error, "code"))
      code = static_cast<int>(*value);
    control.detail = error->value("msg", std::string{"no error message"});
    control.error = ws_api_error(0, code, control.detail, request_kind::account_change);
  } else {
    control.kind = stream_control_kind::subscribed;
  }
  return control;
}

// markPriceUpdate: {"e","E","s","p" mark,"i" index,"P","r" rate,"T" next funding}
// (USD-M "Mark Price Stream").
expected<tern::funding_info, std::string> mark_price(const json& event, const trading_pair& pair) {
  auto mark = jf::decimal_of(event, "p");
  auto index = jf::decimal_of(event, "i");
  auto rate = jf::decimal_of(event, "r");
  auto next = jf::integer_of(event, "T");
  if (!mark || !index || !rate || !next)
    return unexpected{!mark ? mark.error() : !index ? index.error() : !rate ? rate.error() : next.error()};
  return tern::funding_info{pair.to_string(), *index, *mark, *rate, from_unix_ms(*next)};
}

expected<public_event_kind, frame_problem> market_stream_parser::slow_path(
    std::string_view frame, std::string_view stream, std::string_view symbol,
    const trading_pair* pair, public_frame& out) const {
  using kind = frame_problem::kind_type;
  auto parsed = jf::parse(frame);
  if (!parsed || !parsed->is_object())
    return unexpected{problem(kind::malformed, channel_of(frame, stream),
                              "not a JSON object: " + std::string{frame.substr(0, 80)})};
  if (auto control = subscription_answer(*parsed)) {
    out.control = std::move(*control);
    return public_event_kind::control;
  }
  const json& event = parsed->contains("data") ? (*parsed)["data"] : *parsed;
  std::string name = event.is_object() ? event.value("e", std::string{}) : std::string{};
  std::string channel = name.empty() ? channel_of(frame, stream) : std::string{stream.empty() ? name : stream};
  if (name == "serverShutdown") {
    out.control = stream_control{stream_control_kind::server_shutdown, {}, name, {}};
    return public_event_kind::control;
  }
  if (name == "markPriceUpdate") {
    if (pair == nullptr)
      return unexpected{problem(kind::unknown, channel, "symbol \"" + std::string{symbol}
                                                            + "\" is not one of the markets")};
    auto funding = mark_price(event, *pair);
    if (!funding)
      return unexpected{problem(kind::malformed, channel, funding.error())};
    out.funding = std::move(*funding);
    return public_event_kind::funding_info;
  }
  if (pair == nullptr && !symbol.empty())
    return unexpected{problem(kind::unknown, channel, "symbol \"" + std::string{symbol}
                                                          + "\" is not one of the markets")};
  return unexpected{problem(kind::unknown, channel, "stream or event not handled")};
}

} // namespace

std::vector<ws_connection_plan> market_subscriptions(venue api, const endpoints& urls,
                                                     const std::vector<std::string>& symbols,
                                                     std::int64_t first_id) {
  std::vector<ws_connection_plan> plans;
  std::int64_t next_id = first_id;
  if (api == venue::spot) {
    add_connections(plans, urls.public_ws, symbols, {"depth@100ms", "bookTicker", "trade"}, next_id);
  } else if (urls.market_ws.empty()) {
    add_connections(plans, urls.public_ws, symbols,
                    {"depth@100ms", "bookTicker", "trade", "markPrice@1s"}, next_id);
  } else {
    add_connections(plans, urls.public_ws, symbols, {"depth@100ms", "bookTicker"}, next_id);
    add_connections(plans, urls.market_ws, symbols, {"trade", "markPrice@1s"}, next_id);
  }
  return plans;
}

std::unique_ptr<public_stream_parser> make_market_stream_parser(symbol_map markets) {
  return std::make_unique<market_stream_parser>(std::move(markets));
}

} // namespace tern::binance
