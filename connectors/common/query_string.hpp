#pragma once

// Request parameters in the order they are sent, and their URL encoding. Order matters to
// exchanges that sign the query text as sent (Binance): the signature covers the bytes on the
// wire, so parameters are kept as a list, never a sorted map.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tern {

/// One `name=value` pair, unencoded.
struct query_param {
  std::string name;
  std::string value;
  friend bool operator==(const query_param&, const query_param&) = default;
};

/// Parameters in wire order.
using query_params = std::vector<query_param>;

/// RFC 3986 percent-encoding: letters, digits and "-._~" stay, every other byte becomes
/// "%XX" (upper-case hex), UTF-8 included ("１" -> "%EF%BC%91").
[[nodiscard]] std::string percent_encode(std::string_view text);

/// "a=1&b=x%20y": names and values percent-encoded, in list order; "" for no parameters.
[[nodiscard]] std::string encode_query(const query_params& params);

/// The value of the first parameter called `name`, if any.
[[nodiscard]] const std::string* find_param(const query_params& params, std::string_view name);

} // namespace tern
