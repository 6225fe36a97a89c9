#include "connectors/binance/market_data.hpp"

#include <optional>

#include "connectors/binance/market_data_impl.hpp"

namespace tern::binance {

std::optional<frame_kind> kind_of_stream(std::string_view stream) {
  auto at = stream.find('@');
  if (at == std::string_view::npos)
    return std::nullopt;
  std::string_view channel = stream.substr(at + 1);
  if (channel == "bookTicker")
    return frame_kind::book_ticker;
  if (channel == "trade")
    return frame_kind::trade;
  if (channel.substr(0, 5) == "depth" && (channel.size() == 5 || channel[5] == '@'))
    return frame_kind::depth_update;
  return std::nullopt;
}

namespace {

std::optional<frame_kind> kind_of_event(std::string_view event) {
  if (event == "depthUpdate")
    return frame_kind::depth_update;
  if (event == "bookTicker")
    return frame_kind::book_ticker;
  if (event == "trade")
    return frame_kind::trade;
  return std::nullopt;
}

} // namespace

std::string_view to_string(frame_kind kind) noexcept {
  switch (kind) {
    case frame_kind::depth_update: return "depth_update";
    case frame_kind::book_ticker: return "book_ticker";
    case frame_kind::trade: return "trade";
    case frame_kind::depth_snapshot: return "depth_snapshot";
  }
  return "unknown";
}

std::string_view to_string(market_data_errc code) noexcept {
  switch (code) {
    case market_data_errc::invalid_json: return "invalid_json";
    case market_data_errc::missing_field: return "missing_field";
    case market_data_errc::wrong_type: return "wrong_type";
    case market_data_errc::bad_number: return "bad_number";
    case market_data_errc::unexpected_event: return "unexpected_event";
    case market_data_errc::wrong_symbol: return "wrong_symbol";
  }
  return "unknown";
}

std::string market_data_error::message() const {
  std::string text = "binance market data: ";
  text += to_string(code);
  if (!field.empty())
    text += " in \"" + field + "\"";
  text += ": " + detail + " (frame: " + frame + ")";
  return text;
}

static_assert(simdjson::SIMDJSON_PADDING >= market_data_parser::frame_padding);

void market_data_parser::impl::copy(std::string_view text) {
  frame = text;
  std::size_t needed = text.size() + simdjson::SIMDJSON_PADDING;
  if (buffer.size() < needed)
    buffer.resize(needed);
  std::memcpy(buffer.data(), text.data(), text.size());
  std::memset(buffer.data() + text.size(), 0, simdjson::SIMDJSON_PADDING);
}

bool market_data_parser::impl::iterate() {
  if (auto error = parser.iterate(buffer.data(), frame.size(), buffer.size()).get(document))
    return fail(market_data_errc::invalid_json, {}, simdjson::error_message(error));
  return true;
}

// Leaves `payload` on the event object: the envelope's "data", or the root of a bare frame.
bool market_data_parser::impl::open_payload(std::string_view& stream, ondemand::object& payload) {
  stream = {};
  if (!iterate())
    return false;
  ondemand::object root;
  if (auto error = document.get_object().get(root))
    return fail(market_data_errc::invalid_json, {}, simdjson::error_message(error));
  // Binance puts "stream" first, so an ordered lookup finds it at once.
  ondemand::value stream_value;
  auto error = root.find_field("stream").get(stream_value);
  if (error == simdjson::NO_SUCH_FIELD) {
    document.rewind();
    if (auto again = document.get_object().get(payload))
      return fail(market_data_errc::invalid_json, {}, simdjson::error_message(again));
    return true;
  }
  if (error)
    return fail(market_data_errc::invalid_json, "stream", simdjson::error_message(error));
  if (stream_value.get_string().get(stream))
    return fail(market_data_errc::wrong_type, "stream", "expected a string");
  error = root.find_field_unordered("data").get_object().get(payload);
  if (error == simdjson::NO_SUCH_FIELD)
    return fail(market_data_errc::missing_field, "data", "envelope without \"data\"");
  if (error)
    return fail(market_data_errc::wrong_type, "data", "expected an object");
  return true;
}

// A bare frame is recognised by "e", else "lastUpdateId" (REST) or "u" (spot bookTicker).
// Leaves `root` re-opened at the start of the frame.
bool market_data_parser::impl::classify_bare(frame_kind& kind, ondemand::object& root) {
  ondemand::value event;
  auto error = root.find_field_unordered("e").get(event);
  if (!error) {
    std::string_view name;
    if (event.get_string().get(name))
      return fail(market_data_errc::wrong_type, "e", "expected a string");
    auto found = kind_of_event(name);
    if (!found)
      return fail(market_data_errc::unexpected_event, "e", "event not handled", name);
    kind = *found;
  } else if (error == simdjson::NO_SUCH_FIELD) {
    document.rewind();
    if (document.get_object().get(root))
      return fail(market_data_errc::invalid_json, {}, "not an object");
    ondemand::value ignored;
    if (!root.find_field_unordered("lastUpdateId").get(ignored)) {
      kind = frame_kind::depth_snapshot;
    } else {
      document.rewind();
      if (document.get_object().get(root) || root.find_field_unordered("u").get(ignored))
        return fail(market_data_errc::unexpected_event, {},
                    "no \"e\", \"lastUpdateId\" or \"u\": not a market data event");
      kind = frame_kind::book_ticker;
    }
  } else {
    return fail(market_data_errc::invalid_json, {}, simdjson::error_message(error));
  }
  document.rewind();
  if (auto again = document.get_object().get(root))
    return fail(market_data_errc::invalid_json, {}, simdjson::error_message(again));
  return true;
}

bool market_data_parser::impl::expect_kind(std::string_view stream, frame_kind wanted) {
  if (stream.empty())
    return true;
  auto kind = kind_of_stream(stream);
  if (!kind || *kind != wanted)
    return fail(market_data_errc::unexpected_event, "stream", "stream carries another event",
                stream);
  return true;
}

bool market_data_parser::impl::dispatch(frame_kind kind, ondemand::object& payload,
                                        const parse_context& context, market_frame& out) {
  switch (kind) {
    case frame_kind::depth_update: return depth_fields(payload, context, out.depth);
    case frame_kind::book_ticker: return ticker_fields(payload, context, out.ticker);
    case frame_kind::trade: return trade_fields(payload, context, out.trade_event);
    case frame_kind::depth_snapshot: return snapshot_fields(payload, context, out.snapshot);
  }
  return fail(market_data_errc::unexpected_event, {}, "unknown frame kind");
}

market_data_parser::market_data_parser() : impl_(std::make_unique<impl>()) {}
market_data_parser::~market_data_parser() = default;
market_data_parser::market_data_parser(market_data_parser&&) noexcept = default;
market_data_parser& market_data_parser::operator=(market_data_parser&&) noexcept = default;

expected<frame_kind, market_data_error> market_data_parser::parse(std::string_view frame,
                                                                  const parse_context& context,
                                                                  market_frame& out) {
  impl& state = *impl_;
  state.copy(frame);
  // Depth frames, nearly all of the traffic, are read directly when they have the usual shape.
  if (scan_depth_frame(state.padded_frame(), context, out.depth))
    return frame_kind::depth_update;
  std::string_view stream;
  ondemand::object payload;
  if (!state.open_payload(stream, payload))
    return state.error();
  frame_kind kind = frame_kind::depth_update;
  if (!stream.empty()) {
    auto found = kind_of_stream(stream);
    if (!found) {
      state.fail(market_data_errc::unexpected_event, "stream", "stream not handled", stream);
      return state.error();
    }
    kind = *found;
  } else if (!state.classify_bare(kind, payload)) {
    return state.error();
  }
  if (!state.dispatch(kind, payload, context, out))
    return state.error();
  return kind;
}

expected<frame_kind, market_data_error> market_data_parser::parse_padded(
    std::string_view frame, const parse_context& context, market_frame& out) {
  if (scan_depth_frame(frame, context, out.depth))
    return frame_kind::depth_update;
  return parse(frame, context, out);
}

expected<void, market_data_error> market_data_parser::parse_depth_update(
    std::string_view frame, const parse_context& context, book_delta& out) {
  return impl_->parse_as(frame, frame_kind::depth_update, context, out);
}

expected<void, market_data_error> market_data_parser::parse_book_ticker(
    std::string_view frame, const parse_context& context, top_of_book& out) {
  return impl_->parse_as(frame, frame_kind::book_ticker, context, out);
}

expected<void, market_data_error> market_data_parser::parse_trade(std::string_view frame,
                                                                  const parse_context& context,
                                                                  trade& out) {
  return impl_->parse_as(frame, frame_kind::trade, context, out);
}

expected<void, market_data_error> market_data_parser::parse_depth_snapshot(
    std::string_view body, const parse_context& context, book_snapshot& out) {
  return impl_->parse_as(body, frame_kind::depth_snapshot, context, out);
}

} // namespace tern::binance
