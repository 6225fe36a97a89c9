// OKX orders as the dialect reports them ("Order Book Trading" > "Trade" > "Get order details",
// and the "Order channel"): ordId text, the fields the engine does not keep (tdMode, the
// accumulated fee), and the order object shared by REST answers and pushes.

#include <charconv>

#include "sim/okx/okx_dialect.hpp"

namespace tern::sim::okx {

namespace {

// Engine order ids are per market; OKX's are unique per exchange. The market's number leads.
constexpr std::int64_t market_factor = 1'000'000'000'000;
constexpr std::size_t max_extras = 200'000;

} // namespace

std::string okx_dialect::order_id_text(const order_view& order) const {
  auto found = market_numbers_.find(order.symbol);
  std::int64_t market = found == market_numbers_.end() ? 0 : found->second;
  return std::to_string(market * market_factor + order.id);
}

std::optional<order_id> okx_dialect::engine_order_id(std::string_view symbol, std::string_view text) const {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
  auto found = market_numbers_.find(symbol);
  if (found == market_numbers_.end() || value / market_factor != found->second) return std::nullopt;
  return value % market_factor;
}

const okx_dialect::order_extras* okx_dialect::extras_of(const order_view& order) const {
  auto found = extras_.find(order_id_text(order));
  return found == extras_.end() ? nullptr : &found->second;
}

void okx_dialect::remember(const order_view& order, order_extras extras) {
  std::string key = order_id_text(order);
  if (extras_.emplace(key, std::move(extras)).second) extras_fifo_.push_back(key);
  while (extras_fifo_.size() > max_extras) {
    extras_.erase(extras_fifo_.front());
    extras_fifo_.pop_front();
  }
}

void okx_dialect::track_fill(const order_event& change) {
  if (!change.fill) return;
  auto found = extras_.find(order_id_text(change.order));
  if (found == extras_.end()) return;  // not a user's order placed through this dialect
  found->second.fee += change.fill->fee;
  found->second.fee_asset = change.fill->fee_asset;
  found->second.pnl += change.fill->realized_pnl;
}

std::string okx_dialect::uid_of(account_id account) const { return std::to_string(440'000'000'000ULL + account); }

json okx_dialect::order_json(const order_view& order, const fill_detail* fill, bool push) const {
  const order_extras* extras = extras_of(order);
  const market_spec& spec = state_->venue.market(order.symbol)->spec();
  bool swap = flavour_ == flavour::swap;
  decimal average = order.executed_quantity.is_positive()
                        ? decimal::divide(order.cumulative_quote, order.executed_quantity, rounding::half_even)
                              .round(spec.fee_places + 2, rounding::half_even)
                        : decimal{};
  std::string fee_asset = extras != nullptr && !extras->fee_asset.empty() ? extras->fee_asset
                          : swap || order.side == side::sell        ? spec.quote
                                                                      : spec.base;
  json out = {{"instType", inst_type()},
              {"instId", order.symbol},
              {"tgtCcy", ""},
              {"ccy", ""},
              {"ordId", order_id_text(order)},
              {"clOrdId", order.client_order_id},
              {"tag", ""},
              {"px", order.type == order_type::market ? "" : number(order.price)},
              {"sz", size_text(order.symbol, order.quantity)},
              {"pnl", number(extras != nullptr ? extras->pnl : decimal{})},
              {"ordType", order_type_name(order)},
              {"side", side_name(order.side)},
              {"posSide", swap ? position_side_name(order.pos_side) : ""},
              {"tdMode", extras != nullptr ? extras->trade_mode : (swap ? "cross" : "cash")},
              {"accFillSz", size_text(order.symbol, order.executed_quantity)},
              {"fillPx", fill != nullptr ? number(fill->price) : ""},
              {"tradeId", fill != nullptr ? std::to_string(fill->trade) : ""},
              {"fillSz", fill != nullptr ? size_text(order.symbol, fill->quantity) : "0"},
              {"fillTime", fill != nullptr ? millis(order.updated_time) : ""},
              {"avgPx", order.executed_quantity.is_positive() ? number(average) : ""},
              {"state", state_name(order)},
              {"lever", swap ? std::to_string(order.leverage) : ""},
              {"feeCcy", fee_asset},
              // OKX reports fees as negative numbers when charged.
              {"fee", number(decimal{} - (extras != nullptr ? extras->fee : decimal{}))},
              {"rebateCcy", fee_asset},
              {"rebate", "0"},
              {"category", "normal"},
              {"reduceOnly", order.reduce_only ? "true" : "false"},
              {"cancelSource", cancel_source(order)},
              {"stpMode", stp_name(order.stp)},
              {"uTime", millis(order.updated_time)},
              {"cTime", millis(order.created_time)}};
  if (push) {
    out["fillFee"] = number(decimal{} - (fill != nullptr ? fill->fee : decimal{}));
    out["fillFeeCcy"] = fill != nullptr ? fill->fee_asset : "";
    out["fillPnl"] = number(fill != nullptr ? fill->realized_pnl : decimal{});
    out["execType"] = fill != nullptr ? (fill->is_maker ? "M" : "T") : "";
    out["amendResult"] = "";
    out["reqId"] = "";
    out["code"] = "0";
    out["msg"] = "";
  }
  return out;
}

} // namespace tern::sim::okx
