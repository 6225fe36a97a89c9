// OKX public streams: the book checksum and the subscriptions (market_data.hpp). The frame
// parser is in market_data_stream.cpp.

#include "connectors/okx/market_data.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "connectors/common/crc32.hpp"

namespace tern::okx {

namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json channel_arg(std::string_view channel, std::string_view symbol) {
  ordered_json arg;
  arg["channel"] = std::string{channel};
  arg["instId"] = std::string{symbol};
  return arg;
}

std::string operation(std::string_view op, std::int64_t id, ordered_json args) {
  ordered_json message;
  message["id"] = std::to_string(id);
  message["op"] = std::string{op};
  message["args"] = std::move(args);
  return message.dump();
}

} // namespace

std::uint32_t book_checksum(std::span<const level_text* const> bids,
                            std::span<const level_text* const> asks) {
  // CRC-32 runs over the text piece by piece; no string is built. Every level but the very
  // first is preceded by ':'.
  std::uint32_t crc = 0;
  bool first = true;
  auto add = [&](const level_text& level) {
    if (!first)
      crc = crc32_update(crc, ":");
    first = false;
    crc = crc32_update(crc, level.price);
    crc = crc32_update(crc, ":");
    crc = crc32_update(crc, level.size);
  };
  std::size_t levels = std::max(bids.size(), asks.size());
  for (std::size_t i = 0; i < levels; ++i) {
    if (i < bids.size())
      add(*bids[i]);
    if (i < asks.size())
      add(*asks[i]);
  }
  return crc;
}

snapshot_delta_policy book_policy() {
  return snapshot_delta_policy{delta_sequence_rule::chained,
                               checksum_rule{checksum_depth, &book_checksum}};
}

std::vector<ws_connection_plan> market_subscriptions(venue api, const std::string& public_ws,
                                                     const std::vector<std::string>& symbols,
                                                     std::int64_t first_id) {
  std::vector<ws_connection_plan> plans;
  std::int64_t next_id = first_id;
  for (std::size_t begin = 0; begin < symbols.size(); begin += markets_per_connection) {
    std::size_t end = std::min(symbols.size(), begin + markets_per_connection);
    ordered_json args = ordered_json::array();
    for (std::size_t i = begin; i < end; ++i) {
      args.push_back(channel_arg(book_channel, symbols[i]));
      args.push_back(channel_arg("trades", symbols[i]));
      if (api == venue::swap)
        args.push_back(channel_arg("funding-rate", symbols[i]));
    }
    ws_connection_plan plan{public_ws, {operation("subscribe", next_id++, std::move(args))},
                            std::string{ping_message}, ping_after_idle};
    plans.push_back(std::move(plan));
  }
  return plans;
}

std::vector<std::string> book_resubscription(std::string_view symbol, std::int64_t first_id) {
  ordered_json args = ordered_json::array({channel_arg(book_channel, symbol)});
  return {operation("unsubscribe", first_id, args), operation("subscribe", first_id + 1, args)};
}

} // namespace tern::okx
