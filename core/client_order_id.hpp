#pragma once

// Client order ids (../shared/reference/exchanges.md §A4). An id is made locally before any
// I/O, so a strategy holds it at once and every later report (ack, fill, cancel, status
// query) can be matched to the order even when the exchange's own id never arrived.
//
// Layout: prefix + 'B'|'S' + first and last character of base + first and last character of
// quote + hex(nonce) + instance digest, cut to the maximum length. When the room after
// prefix, side and pair letters is shorter than hex(nonce), cutting would drop the nonce's
// changing digits, so the suffix becomes md5(hex(nonce) + instance digest) cut to the room.
// Example (Binance, prefix "x-MG43PCSN", at most 32): "x-MG43PCSNBBCUT" + 13 nonce digits +
// the first 4 digest digits.
//
// Uniqueness: with the whole nonce kept, ids of one instance never repeat (nonces strictly
// increase) and two instances differ unless they draw the same microsecond and the same kept
// digest digits. In the hashed layout uniqueness is probabilistic: r hex digits give 4r bits,
// so n ids collide with probability about n^2 / 2^(4r+1) (OKX: r = 11, 10^5 ids: 3e-4).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "core/trading_pair.hpp"
#include "core/types.hpp"

namespace tern {

/// The characters an exchange accepts in a client order id (ASCII only).
class character_set {
 public:
  /// A-Z, a-z and 0-9: what every generated id consists of, apart from the prefix.
  static character_set alphanumeric();
  /// Letters, digits and the characters of `extra`, e.g. "-_." for Gate.
  static character_set alphanumeric_and(std::string_view extra);

  [[nodiscard]] bool contains(char c) const noexcept;
  /// The first character of `text` outside the set, or '\0' when there is none.
  [[nodiscard]] char first_outside(std::string_view text) const noexcept;

 private:
  std::array<bool, 128> allowed_{};
};

/// An exchange's client order id constraints.
struct client_order_id_format {
  std::string prefix;         ///< broker tag, e.g. "x-MG43PCSN" (Binance), "t-" (Gate)
  std::size_t max_length = 0; ///< 0: unlimited
  character_set allowed = character_set::alphanumeric_and("-_");
};

/// Why a format cannot make ids.
struct client_order_id_error {
  std::string message;
};

/// Tracking nonces: microseconds since the epoch, strictly increasing. Reads no clock: the
/// caller passes the time, so two calls in one microsecond (or a clock stepping back) still get
/// distinct, increasing nonces.
class nonce_generator {
 public:
  /// `last_issued` lets a restarted process continue above nonces it already used.
  explicit nonce_generator(std::uint64_t last_issued = 0) noexcept : last_(last_issued) {}

  /// max(now in microseconds, previous nonce + 1).
  std::uint64_t next(timestamp now) noexcept;
  [[nodiscard]] std::uint64_t last() const noexcept { return last_; }

 private:
  std::uint64_t last_;
};

/// Lower-case hex without leading zeros or "0x", like Python's hex(n)[2:].
[[nodiscard]] std::string to_hex(std::uint64_t value);

/// The §A4 id for one nonce. `instance_digest` is the instance's hex digest (see
/// client_order_id_generator); `max_length` 0 means unlimited. Pure and stable: the same
/// arguments give the same id.
[[nodiscard]] std::string make_client_order_id(std::string_view prefix, side order_side,
                                               const trading_pair& pair, std::uint64_t nonce,
                                               std::string_view instance_digest,
                                               std::size_t max_length);

/// The §A4 numeric id for exchanges that take integers (Kraken userref, dYdX client id, NDAX):
/// the decimal digits of the instance digest read as a hex number, followed by the decimal
/// digits of the nonce, read as one decimal number and kept to its low `bits` bits (1..64).
/// Only the value modulo 2^bits is ever computed, so the 50-digit number is never built.
/// Throws std::invalid_argument for a digest that is not 1 to 32 hex digits or bits out of range.
[[nodiscard]] std::uint64_t make_numeric_client_order_id(std::string_view instance_digest,
                                                         std::uint64_t nonce, int bits);

/// Makes client order ids for one exchange account in one process.
class client_order_id_generator {
 public:
  /// `instance` identifies the running process (the app passes hostname, pid and parent pid:
  /// core/ does not read them); its MD5 hex digest goes into every id. Fails when the prefix
  /// holds a character the exchange refuses, when the allowed set lacks letters or digits, or
  /// when the maximum length leaves fewer than 8 characters after prefix, side and pair.
  static expected<client_order_id_generator, client_order_id_error> create(
      client_order_id_format format, std::string_view instance,
      std::uint64_t last_issued_nonce = 0);

  /// A new id for an order on `pair` at time `now`.
  std::string next(side order_side, const trading_pair& pair, timestamp now);
  /// A new numeric id of at most `bits` bits at time `now`.
  std::uint64_t next_numeric(timestamp now, int bits);
  /// The id this generator makes for `nonce`, without consuming a nonce.
  [[nodiscard]] std::string id_for(side order_side, const trading_pair& pair,
                                   std::uint64_t nonce) const;

  [[nodiscard]] const client_order_id_format& format() const noexcept { return format_; }
  [[nodiscard]] const std::string& instance_digest() const noexcept { return instance_digest_; }
  [[nodiscard]] std::uint64_t last_nonce() const noexcept { return nonces_.last(); }

 private:
  client_order_id_generator(client_order_id_format format, std::string instance_digest,
                            std::uint64_t last_issued_nonce);

  client_order_id_format format_;
  std::string instance_digest_;
  nonce_generator nonces_;
};

} // namespace tern
