#pragma once

// Event values for the wire tests, and field-by-field comparison. Market data comes from the
// first frames of ../shared/data/binance-captures/spot/btcusdt_20240808.gz (quoted beside each
// value); the rest probe the edges of the wire format: extreme decimals, 1e-18, negatives,
// empty vectors, an absent checksum.

#include <tuple>
#include <vector>

#include "core/decimal.hpp"
#include "core/events.hpp"

namespace tern::test {

// -- field-by-field comparison ---------------------------------------------------------------
// Structured bindings name every field, so a new field breaks the build here until it is
// compared too.

inline auto fields(const book_snapshot& x) {
  const auto& [a, b, c, d, e, f] = x;
  return std::tie(a, b, c, d, e, f);
}
inline auto fields(const book_delta& x) {
  const auto& [a, b, c, d, e, f, g, h, i] = x;
  return std::tie(a, b, c, d, e, f, g, h, i);
}
inline auto fields(const top_of_book& x) {
  const auto& [a, b, c, d, e, f] = x;
  return std::tie(a, b, c, d, e, f);
}
inline auto fields(const trade& x) {
  const auto& [a, b, c, d, e, f, g] = x;
  return std::tie(a, b, c, d, e, f, g);
}
inline auto fields(const order_update& x) {
  const auto& [a, b, c, d, e, f, g] = x;
  return std::tie(a, b, c, d, e, f, g);
}
inline auto fields(const fill& x) {
  const auto& [a, b, c, d, e, f, g, h, i, j, k] = x;
  return std::tie(a, b, c, d, e, f, g, h, i, j, k);
}
inline auto fields(const position& x) {
  const auto& [a, b, c, d, e, f] = x;
  return std::tie(a, b, c, d, e, f);
}
inline auto fields(const funding_info& x) {
  const auto& [a, b, c, d, e] = x;
  return std::tie(a, b, c, d, e);
}
inline auto fields(const funding_payment& x) {
  const auto& [a, b, c, d, e] = x;
  return std::tie(a, b, c, d, e);
}

template <class T>
concept has_fields = requires(const T& x) { fields(x); };

template <class T>
bool same_fields(const T& a, const T& b) {
  if constexpr (has_fields<T>)
    return fields(a) == fields(b);
  else
    return a == b; // decimal, price_level, fee, balance, enums: defaulted ==
}

template <class T>
bool same_fields(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same_fields(a[i], b[i]))
      return false;
  return true;
}

// -- samples ---------------------------------------------------------------------------------

/// Decimals at the edges of the 128-bit representation and its two 64-bit halves.
inline std::vector<decimal> edge_decimals() {
  return {
    decimal{},
    decimal::from_raw(1),  // 1e-18
    decimal::from_raw(-1), // -1e-18
    decimal::max(),
    decimal::min(),
    decimal::from_raw(static_cast<int128>(static_cast<uint128>(1) << 63)), // low half's top bit
    decimal::from_raw(static_cast<int128>(static_cast<uint128>(1) << 64)), // high half only
    decimal::from_raw(-(static_cast<int128>(1) << 64)),                    // low half zero
    decimal::from_string("-17014118346046923173.168730371588410572"), // 38 digits
    decimal::from_string("123456789012345678.901234567890123456"),
    decimal::from_string("-0.000000000000000001"),
    decimal::from_string("61737.63"),
    decimal::from_string("-5"),
  };
}

/// capture line 1: btcusdt@depth@100ms, U 50093239189, u 50093239202, E 1723161255208,
/// received 1723161253937085768 ns.
inline book_delta captured_delta() {
  book_delta delta;
  delta.pair = "BTC-USDT";
  delta.bids = {{decimal::from_string("61737.63000000"), decimal::from_string("0.00000000")},
                {decimal::from_string("61730.17000000"), decimal::from_string("0.00000000")},
                {decimal::from_string("56854.58000000"), decimal::from_string("0.00000000")}};
  delta.asks = {{decimal::from_string("61837.64000000"), decimal::from_string("1.54698000")},
                {decimal::from_string("61839.85000000"), decimal::from_string("0.00000000")},
                {decimal::from_string("61839.86000000"), decimal::from_string("0.00000000")},
                {decimal::from_string("61845.11000000"), decimal::from_string("0.32329000")},
                {decimal::from_string("61848.49000000"), decimal::from_string("0.00000000")},
                {decimal::from_string("61855.45000000"), decimal::from_string("0.32323000")},
                {decimal::from_string("61862.51000000"), decimal::from_string("0.05041000")},
                {decimal::from_string("61862.52000000"), decimal::from_string("0.00000000")},
                {decimal::from_string("61937.64000000"), decimal::from_string("0.02000000")}};
  delta.first_sequence = 50093239189;
  delta.last_sequence = 50093239202;
  delta.previous_sequence = -1; // spot diffs carry no `pu`
  delta.exchange_time = from_unix_ms(1723161255208);
  delta.received_time = from_unix_ns(1723161253937085768);
  return delta;
}

/// capture line 3: btcusdt@bookTicker, u 50093239212.
inline top_of_book captured_top_of_book() {
  top_of_book top;
  top.pair = "BTC-USDT";
  top.sequence = 50093239212;
  top.bid = {decimal::from_string("61837.63000000"), decimal::from_string("3.78826000")};
  top.ask = {decimal::from_string("61837.64000000"), decimal::from_string("1.54698000")};
  top.received_time = from_unix_ns(1723161254087891268); // spot bookTicker has no E
  return top;
}

/// capture line 4: btcusdt@trade, t 3735683259, m true (the buyer was the maker: a sell took).
inline trade captured_trade() {
  trade t;
  t.pair = "BTC-USDT";
  t.trade_id = "3735683259";
  t.price = decimal::from_string("61837.63000000");
  t.size = decimal::from_string("0.02000000");
  t.taker_side = side::sell;
  t.exchange_time = from_unix_ms(1723161255342);
  t.received_time = from_unix_ns(1723161254087896568);  // the capture line's receive time
  return t;
}

/// A fill at the captured trade's price and size, with a tiny fee in the base asset.
inline fill captured_fill() {
  fill f;
  f.pair = "BTC-USDT";
  f.trade_id = "3735683259";
  f.client_order_id = "tern-test-order-1";
  f.exchange_order_id = "28457";
  f.order_side = side::sell;
  f.price = decimal::from_string("61837.63");
  f.base_amount = decimal::from_string("0.02");
  f.quote_amount = decimal::from_string("1236.7526");
  f.fee = {"BNB", decimal::from_string("0.000000000000000001")};
  f.is_taker = true;
  f.fill_time = from_unix_ms(1723161255342);
  return f;
}

} // namespace tern::test
