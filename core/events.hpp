#pragma once

// The events every connector produces, in exchange-neutral form. Parsers fill them from wire
// messages; actors pass them on; strategies consume them. No exchange's format leaks past here.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "core/order_state.hpp"
#include "core/types.hpp"

namespace tern {

struct price_level {
  decimal price;
  decimal size;
  friend bool operator==(const price_level&, const price_level&) = default;
};

/// A full L2 picture. `sequence` is the exchange's update id the snapshot is valid at
/// (Binance lastUpdateId, OKX seqId), or 0 where the exchange gives none.
struct book_snapshot {
  std::string pair;
  std::vector<price_level> bids;  ///< best first
  std::vector<price_level> asks;  ///< best first
  std::int64_t sequence = 0;
  timestamp exchange_time{};
  timestamp received_time{};
};

/// Level changes: a size of 0 deletes the level. Sequence fields carry the exchange's ids:
/// first and last update id covered (Binance U/u), and the previous message's last id where the
/// exchange chains messages (Binance futures pu, OKX prevSeqId); -1 when absent.
struct book_delta {
  std::string pair;
  std::vector<price_level> bids;
  std::vector<price_level> asks;
  std::int64_t first_sequence = 0;
  std::int64_t last_sequence = 0;
  std::int64_t previous_sequence = -1;
  std::optional<std::uint32_t> checksum;  ///< exchange-sent checksum of the resulting book
  timestamp exchange_time{};
  timestamp received_time{};
};

/// Best bid and ask as the exchange publishes them (Binance bookTicker).
struct top_of_book {
  std::string pair;
  std::int64_t sequence = 0;
  price_level bid;
  price_level ask;
  timestamp exchange_time{};  ///< zero when the exchange sends none (Binance spot bookTicker)
  timestamp received_time{};
};

/// A public trade. `taker_side` is the aggressor's side.
struct trade {
  std::string pair;
  std::string trade_id;
  decimal price;
  decimal size;
  side taker_side = side::buy;
  timestamp exchange_time{};
  timestamp received_time{};
};

/// A change of an order's state reported by the exchange or decided locally.
struct order_update {
  std::string pair;
  std::string client_order_id;
  std::string exchange_order_id;  ///< empty until the exchange has assigned one
  order_state new_state = order_state::pending_create;
  timestamp update_time{};
  std::string error_code;     ///< exchange error code on failure, else empty
  std::string error_message;  ///< human-readable reason on failure, else empty
};

/// A fee charged in one asset.
struct fee {
  std::string asset;
  decimal amount;
  friend bool operator==(const fee&, const fee&) = default;
};

/// One execution of an order. Fills are de-duplicated by `trade_id`.
struct fill {
  std::string pair;
  std::string trade_id;
  std::string client_order_id;
  std::string exchange_order_id;
  side order_side = side::buy;
  decimal price;
  decimal base_amount;
  decimal quote_amount;
  tern::fee fee;
  bool is_taker = false;
  timestamp fill_time{};
};

struct balance {
  std::string asset;
  decimal total;
  decimal available;
  friend bool operator==(const balance&, const balance&) = default;
};

/// A perpetual position. `amount` is signed: negative is short.
struct position {
  std::string pair;
  position_side side = position_side::both;
  decimal amount;
  decimal entry_price;
  decimal unrealized_pnl;
  decimal leverage;
};

struct funding_info {
  std::string pair;
  decimal index_price;
  decimal mark_price;
  decimal rate;
  timestamp next_funding_time{};
};

/// A funding payment settled on a position; a negative amount was paid.
struct funding_payment {
  std::string pair;
  std::string asset;
  decimal amount;
  decimal rate;
  timestamp payment_time{};
};

} // namespace tern
