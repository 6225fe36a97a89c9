#include "connectors/common/crc32.hpp"

#include <array>

namespace tern {

namespace {

constexpr std::array<std::uint32_t, 256> table = [] {
  std::array<std::uint32_t, 256> out{};
  for (std::uint32_t byte = 0; byte < 256; ++byte) {
    std::uint32_t value = byte;
    for (int bit = 0; bit < 8; ++bit)
      value = (value & 1U) != 0 ? (value >> 1) ^ 0xEDB88320U : value >> 1;
    out[byte] = value;
  }
  return out;
}();

} // namespace

std::uint32_t crc32_update(std::uint32_t crc, std::string_view bytes) noexcept {
  // The running value is kept inverted between calls, so each call undoes and redoes the XOR.
  crc = ~crc;
  for (char c : bytes)
    crc = table[(crc ^ static_cast<unsigned char>(c)) & 0xFFU] ^ (crc >> 8);
  return ~crc;
}

} // namespace tern
