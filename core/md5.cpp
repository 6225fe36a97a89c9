#include "core/md5.hpp"

#include <bit>
#include <cstddef>

namespace tern {
namespace {

// Per-round left-rotation amounts and the sine-derived constants of RFC 1321 §3.4.
constexpr std::array<int, 64> shifts = {
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

constexpr std::array<std::uint32_t, 64> sines = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

struct md5_state {
  std::uint32_t a = 0x67452301, b = 0xefcdab89, c = 0x98badcfe, d = 0x10325476;
};

/// Processes one 64-byte block (RFC 1321 §3.4).
void transform(md5_state& state, const std::uint8_t* block) noexcept {
  std::uint32_t words[16];
  for (int i = 0; i < 16; ++i) {
    const auto* p = block + 4 * i;  // little-endian words, whatever the host's byte order
    words[i] = std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16
               | std::uint32_t{p[3]} << 24;
  }
  auto [a, b, c, d] = state;
  for (int i = 0; i < 64; ++i) {
    std::uint32_t f = 0;
    int g = 0;
    switch (i / 16) {
      case 0: f = (b & c) | (~b & d); g = i; break;
      case 1: f = (d & b) | (~d & c); g = (5 * i + 1) % 16; break;
      case 2: f = b ^ c ^ d; g = (3 * i + 5) % 16; break;
      default: f = c ^ (b | ~d); g = (7 * i) % 16; break;
    }
    const std::uint32_t rotated = std::rotl(a + f + sines[i] + words[g], shifts[i]);
    a = d;
    d = c;
    c = b;
    b += rotated;
  }
  state.a += a;
  state.b += b;
  state.c += c;
  state.d += d;
}

void put_le(std::uint8_t* out, std::uint32_t value) noexcept {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(value >> (8 * i));
}

} // namespace

md5_digest md5(std::string_view data) noexcept {
  md5_state state;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(data.data());
  const std::size_t full = data.size() / 64 * 64;
  for (std::size_t offset = 0; offset < full; offset += 64) transform(state, bytes + offset);

  // Padding: 0x80, zeros to 56 mod 64, then the bit length as a 64-bit little-endian number.
  std::uint8_t tail[128] = {};
  const std::size_t rest = data.size() - full;
  for (std::size_t i = 0; i < rest; ++i) tail[i] = bytes[full + i];
  tail[rest] = 0x80;
  const std::size_t tail_size = rest < 56 ? 64 : 128;
  const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tail_size - 8 + i] = static_cast<std::uint8_t>(bits >> (8 * i));
  for (std::size_t offset = 0; offset < tail_size; offset += 64) transform(state, tail + offset);

  md5_digest digest{};
  put_le(digest.data(), state.a);
  put_le(digest.data() + 4, state.b);
  put_le(digest.data() + 8, state.c);
  put_le(digest.data() + 12, state.d);
  return digest;
}

std::string md5_hex(std::string_view data) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string text;
  text.reserve(32);
  for (auto byte : md5(data)) {
    text += hex[byte >> 4];
    text += hex[byte & 0xf];
  }
  return text;
}

} // namespace tern
