#include "core/client_order_id.hpp"

#include <stdexcept>
#include <utility>

#include "core/md5.hpp"

namespace tern {
namespace {

constexpr std::size_t min_suffix_room = 8;

/// prefix + 'B'|'S' + first and last character of base and of quote.
std::string id_head(std::string_view prefix, side order_side, const trading_pair& pair) {
  std::string head{prefix};
  head += order_side == side::buy ? 'B' : 'S';
  head += pair.base().front();
  head += pair.base().back();
  head += pair.quote().front();
  head += pair.quote().back();
  return head;
}

unsigned hex_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
  throw std::invalid_argument("client order id: instance digest holds a non-hex character");
}

} // namespace

character_set character_set::alphanumeric() {
  character_set set;
  for (char c = '0'; c <= '9'; ++c) set.allowed_[static_cast<std::size_t>(c)] = true;
  for (char c = 'A'; c <= 'Z'; ++c) set.allowed_[static_cast<std::size_t>(c)] = true;
  for (char c = 'a'; c <= 'z'; ++c) set.allowed_[static_cast<std::size_t>(c)] = true;
  return set;
}

character_set character_set::alphanumeric_and(std::string_view extra) {
  auto set = alphanumeric();
  for (char c : extra) {
    if (c > 0) set.allowed_[static_cast<std::size_t>(c)] = true;  // ASCII only; others ignored
  }
  return set;
}

bool character_set::contains(char c) const noexcept {
  return c > 0 && allowed_[static_cast<std::size_t>(c)];
}

char character_set::first_outside(std::string_view text) const noexcept {
  for (char c : text) {
    if (!contains(c)) return c == '\0' ? '?' : c;
  }
  return '\0';
}

std::uint64_t nonce_generator::next(timestamp now) noexcept {
  const auto micros = to_unix_ns(now) / 1000;
  const auto clock = micros > 0 ? static_cast<std::uint64_t>(micros) : 0;
  last_ = clock > last_ ? clock : last_ + 1;
  return last_;
}

std::string to_hex(std::uint64_t value) {
  static constexpr char digits[] = "0123456789abcdef";
  if (value == 0) return "0";
  std::string text;
  for (; value != 0; value >>= 4) text.insert(text.begin(), digits[value & 0xf]);
  return text;
}

std::string make_client_order_id(std::string_view prefix, side order_side,
                                 const trading_pair& pair, std::uint64_t nonce,
                                 std::string_view instance_digest, std::size_t max_length) {
  if (pair.empty()) throw std::invalid_argument("client order id: the pair is empty");
  auto id = id_head(prefix, order_side, pair);
  const auto nonce_hex = to_hex(nonce);
  if (max_length == 0) return id + nonce_hex + std::string{instance_digest};

  const std::size_t room = max_length > id.size() ? max_length - id.size() : 0;
  if (room < nonce_hex.size()) {
    // Cutting would lose the nonce's fast-changing low digits: hash nonce and instance instead.
    id += md5_hex(nonce_hex + std::string{instance_digest}).substr(0, room);
  } else {
    id += nonce_hex;
    id += instance_digest.substr(0, room - nonce_hex.size());
  }
  return id;
}

std::uint64_t make_numeric_client_order_id(std::string_view instance_digest, std::uint64_t nonce,
                                           int bits) {
  if (bits < 1 || bits > 64) {
    throw std::invalid_argument("numeric client order id: bits " + std::to_string(bits)
                                + " is outside 1..64");
  }
  if (instance_digest.empty() || instance_digest.size() > 32) {
    throw std::invalid_argument("numeric client order id: the instance digest must be 1 to 32 "
                                "hex digits");
  }
  // The number is digest * 10^k + nonce, k the count of the nonce's decimal digits. 2^bits
  // divides 2^64, so unsigned 64-bit arithmetic, which wraps modulo 2^64, loses nothing.
  std::uint64_t digest = 0;
  for (char c : instance_digest) digest = digest << 4 | hex_value(c);
  std::uint64_t scale = 1;
  for (auto rest = nonce; ; rest /= 10) {
    scale *= 10;
    if (rest < 10) break;
  }
  const std::uint64_t value = digest * scale + nonce;
  return bits == 64 ? value : value & ((std::uint64_t{1} << bits) - 1);
}

expected<client_order_id_generator, client_order_id_error> client_order_id_generator::create(
    client_order_id_format format, std::string_view instance, std::uint64_t last_issued_nonce) {
  if (auto bad = format.allowed.first_outside(format.prefix); bad != '\0') {
    return unexpected{client_order_id_error{"client order id prefix \"" + format.prefix
                                            + "\" contains '" + std::string(1, bad)
                                            + "', which the exchange does not accept"}};
  }
  static const std::string alphanumerics =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  if (auto bad = format.allowed.first_outside(alphanumerics); bad != '\0') {
    return unexpected{client_order_id_error{
        "the allowed client order id characters lack '" + std::string(1, bad)
        + "'; generated ids need every letter and digit"}};
  }
  const std::size_t head = format.prefix.size() + 5;
  if (format.max_length != 0 && format.max_length < head + min_suffix_room) {
    return unexpected{client_order_id_error{
        "client order id maximum length " + std::to_string(format.max_length)
        + " leaves fewer than " + std::to_string(min_suffix_room) + " characters after prefix \""
        + format.prefix + "\", side and pair"}};
  }
  return client_order_id_generator{std::move(format), md5_hex(instance), last_issued_nonce};
}

client_order_id_generator::client_order_id_generator(client_order_id_format format,
                                                     std::string instance_digest,
                                                     std::uint64_t last_issued_nonce)
    : format_(std::move(format)),
      instance_digest_(std::move(instance_digest)),
      nonces_(last_issued_nonce) {}

std::string client_order_id_generator::next(side order_side, const trading_pair& pair,
                                            timestamp now) {
  return id_for(order_side, pair, nonces_.next(now));
}

std::uint64_t client_order_id_generator::next_numeric(timestamp now, int bits) {
  return make_numeric_client_order_id(instance_digest_, nonces_.next(now), bits);
}

std::string client_order_id_generator::id_for(side order_side, const trading_pair& pair,
                                              std::uint64_t nonce) const {
  return make_client_order_id(format_.prefix, order_side, pair, nonce, instance_digest_,
                              format_.max_length);
}

} // namespace tern
