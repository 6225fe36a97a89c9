#include "connectors/common/tracker_inputs.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace tern {

place_ack to_place_ack(const order_ack& ack) {
  place_ack result;
  result.exchange_order_id = ack.exchange_order_id;
  result.state = ack.state;
  result.exchange_time = ack.exchange_time;
  result.fills = ack.fills;
  return result;
}

exchange_order to_exchange_order(const order_report& report) {
  exchange_order result;
  result.pair = report.pair;
  result.client_order_id = report.client_order_id;
  result.exchange_order_id = report.exchange_order_id;
  result.state = report.state;
  result.order_side = report.order_side;
  result.type = order_type_from_exchange_text(report.type);
  result.price = report.price;
  result.amount = report.amount;
  result.executed_base = report.executed_base;
  result.executed_quote = report.executed_quote;
  result.update_time = report.update_time;
  result.end_code = report.end_code;
  result.end_reason = report.end_reason;
  return result;
}

order_type order_type_from_exchange_text(std::string_view text) noexcept {
  std::string lower(text.size(), ' ');
  std::transform(text.begin(), text.end(), lower.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  if (lower.find("market") != std::string::npos) return order_type::market;
  if (lower.find("maker") != std::string::npos || lower.find("post") != std::string::npos) {
    return order_type::limit_maker;
  }
  return order_type::limit;
}

} // namespace tern
