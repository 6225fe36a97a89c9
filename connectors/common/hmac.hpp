#pragma once

// Keyed hashes every exchange signs with, over OpenSSL (never a vendored copy). Pure: the
// caller passes key and message; nothing here reads a clock. (Each thread keeps one keyed
// OpenSSL context for speed, invisible to callers: hmac.cpp.)

#include <string>
#include <string_view>

namespace tern {

/// HMAC-SHA256 of `message` under `key`, as 64 lower-case hex digits (Binance, Bybit, MEXC).
[[nodiscard]] std::string hmac_sha256_hex(std::string_view key, std::string_view message);

/// HMAC-SHA256 of `message` under `key`, as standard base64 with padding (OKX, KuCoin, Bitget).
[[nodiscard]] std::string hmac_sha256_base64(std::string_view key, std::string_view message);

} // namespace tern
