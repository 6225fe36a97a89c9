#pragma once

// CRC-32 (IEEE 802.3: polynomial 0x04C11DB7 reflected, initial value and final XOR 0xFFFFFFFF),
// the checksum OKX, Bitget and Kraken put on their order-book streams. Pure and table driven;
// no zlib in connectors/ for one function.

#include <cstdint>
#include <string_view>

namespace tern {

/// Continues a CRC-32 over `bytes`; start with `crc32_update(0, ...)`. Feeding a text in pieces
/// gives the same value as feeding it whole, so checksum strings need not be built.
[[nodiscard]] std::uint32_t crc32_update(std::uint32_t crc, std::string_view bytes) noexcept;

/// The CRC-32 of `bytes`: crc32("123456789") == 0xCBF43926.
[[nodiscard]] inline std::uint32_t crc32(std::string_view bytes) noexcept {
  return crc32_update(0, bytes);
}

} // namespace tern
