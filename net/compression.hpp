#pragma once

// zlib wrappers for compressed HTTP bodies and WebSocket frames. Pure.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace tern::net {

/// How a payload is compressed. Exchanges use gzip (HTTP bodies, some binary frames) and raw
/// deflate (RFC 1951, no header: some binary frames).
enum class compression_format : std::uint8_t {
  none,
  gzip,         ///< RFC 1952
  zlib,         ///< RFC 1950 (HTTP's "deflate")
  raw_deflate,  ///< RFC 1951
  gzip_or_zlib, ///< either, detected from the header (decompression only)
};

/// Why a payload could not be decompressed.
struct compression_error {
  std::string message;
};

/// Inflates `data`. Fails on corrupt or truncated input, and when the output would exceed
/// `max_output` bytes (a small compressed frame must not be able to exhaust memory).
[[nodiscard]] expected<std::string, compression_error> decompress(std::string_view data,
                                                                  compression_format format,
                                                                  std::size_t max_output);

/// Deflates `data` (for servers and the simulator). `gzip_or_zlib` compresses as gzip.
[[nodiscard]] std::string compress(std::string_view data, compression_format format);

[[nodiscard]] std::string_view to_string(compression_format value) noexcept;

} // namespace tern::net
