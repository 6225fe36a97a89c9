#pragma once

// The Binance market-data parser's internals, shared by market_data.cpp (frame handling and the
// public functions) and market_data_fields.cpp (the field readers). Not part of the API.

#include <simdjson.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "connectors/binance/market_data.hpp"

namespace tern::binance {

namespace ondemand = simdjson::ondemand;

/// How much of a bad frame an error quotes.
inline constexpr std::size_t frame_excerpt_length = 160;

/// The kind of event a combined stream carries ("btcusdt@depth@100ms" -> depth_update); none for
/// streams this parser does not handle (partial-book "@depth20" streams are not diffs).
std::optional<frame_kind> kind_of_stream(std::string_view stream);

/// Reads a level array in Binance's exact shape, [["price","size"],...] without whitespace, at
/// `text` ('[') in padded text ending at `end`, appending to `out`. Returns the position after
/// the ']', or nullptr, leaving `out` as it was, on any other shape (market_data_scan.cpp).
const char* scan_levels(const char* text, const char* end, std::vector<price_level>& out);

/// Reads a depthUpdate frame, bare or enveloped, in Binance's exact compact shape from padded
/// text. False on anything else (the general path then decides); see market_data_scan.cpp.
bool scan_depth_frame(std::string_view frame, const parse_context& context, book_delta& out);

// Keys are compared raw, without unescaping: Binance keys are plain ASCII and the input is padded.
inline bool key_is(const ondemand::raw_json_string& key, std::string_view name) {
  return key.unsafe_is_equal(name);
}

// The parser state. Readers return false after recording a `problem`; the public functions turn
// it into a market_data_error, so the success path builds no strings.
struct market_data_parser::impl {
  struct problem {
    market_data_errc code = market_data_errc::invalid_json;
    std::string_view field;
    std::string_view detail;
    std::string_view value;  // the offending input, when there is one
  };

  ondemand::parser parser;
  ondemand::document document;
  std::vector<char> buffer;  // the frame, copied and followed by simdjson's padding
  std::string_view frame;
  problem issue;

  bool fail(market_data_errc code, std::string_view field, std::string_view detail,
            std::string_view value = {}) {
    issue = problem{code, field, detail, value};
    return false;
  }

  [[nodiscard]] unexpected<market_data_error> error() const {
    std::string detail{issue.detail};
    if (!issue.value.empty())
      detail += ": \"" + std::string{issue.value.substr(0, 80)} + "\"";
    return unexpected{market_data_error{issue.code, std::string{issue.field}, std::move(detail),
                                        std::string{frame.substr(0, frame_excerpt_length)}}};
  }

  // Copies `text` into `buffer`, followed by simdjson's padding (zeros).
  void copy(std::string_view text);
  // Starts simdjson on the copied frame.
  bool iterate();
  bool open_payload(std::string_view& stream, ondemand::object& payload);
  bool classify_bare(frame_kind& kind, ondemand::object& root);
  bool expect_kind(std::string_view stream, frame_kind wanted);

  bool read_int(ondemand::value& value, std::string_view field, std::int64_t& out);
  bool read_decimal(ondemand::value& value, std::string_view field, decimal& out);
  bool read_levels(ondemand::value& value, std::string_view field, std::vector<price_level>& out);
  bool check_event(ondemand::value& value, std::string_view expected_event);
  bool check_symbol(ondemand::value& value, const parse_context& context);
  bool require(unsigned seen, unsigned wanted, const char* const names[], std::string_view what);

  // Walks an object's fields once, in whatever order they come, calling on_field(key, value).
  template <class OnField>
  bool for_each_field(ondemand::object& object, OnField&& on_field) {
    for (auto entry : object) {
      ondemand::field field;
      if (auto error = std::move(entry).get(field))
        return fail(market_data_errc::invalid_json, {}, simdjson::error_message(error));
      if (!on_field(field.key(), field.value()))
        return false;
    }
    return true;
  }

  bool depth_fields(ondemand::object& object, const parse_context& context, book_delta& out);
  bool ticker_fields(ondemand::object& object, const parse_context& context, top_of_book& out);
  bool trade_fields(ondemand::object& object, const parse_context& context, trade& out);
  bool snapshot_fields(ondemand::object& object, const parse_context& context,
                       book_snapshot& out);
  bool dispatch(frame_kind kind, ondemand::object& payload, const parse_context& context,
                market_frame& out);
  // One typed parse: open the frame, check an envelope names the wanted stream, read the fields.
  template <class Out>
  expected<void, market_data_error> parse_as(std::string_view text, frame_kind wanted,
                                             const parse_context& context, Out& out) {
    copy(text);
    if constexpr (std::is_same_v<Out, book_delta>) {
      if (scan_depth_frame(padded_frame(), context, out))
        return {};
    }
    std::string_view stream;
    ondemand::object payload;
    if (!open_payload(stream, payload) || !expect_kind(stream, wanted)
        || !dispatch_one(payload, context, out))
      return error();
    return {};
  }
  // The copied frame (padding follows it in `buffer`).
  [[nodiscard]] std::string_view padded_frame() const { return {buffer.data(), frame.size()}; }

  // The field reader for each event type, chosen by the output's type.
  bool dispatch_one(ondemand::object& payload, const parse_context& context, book_delta& out) {
    return depth_fields(payload, context, out);
  }
  bool dispatch_one(ondemand::object& payload, const parse_context& context, top_of_book& out) {
    return ticker_fields(payload, context, out);
  }
  bool dispatch_one(ondemand::object& payload, const parse_context& context, trade& out) {
    return trade_fields(payload, context, out);
  }
  bool dispatch_one(ondemand::object& payload, const parse_context& context, book_snapshot& out) {
    return snapshot_fields(payload, context, out);
  }
};

} // namespace tern::binance
