#pragma once

// MD5 (RFC 1321), for client order ids only (§A4 of ../shared/reference/exchanges.md): ids must
// match the layout other tools expect, and core/ may not link OpenSSL. MD5 is broken as a
// cryptographic hash; never use this for signing or anything an adversary could exploit.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tern {

using md5_digest = std::array<std::uint8_t, 16>;

/// The MD5 digest of `data`.
[[nodiscard]] md5_digest md5(std::string_view data) noexcept;

/// The MD5 digest of `data` as 32 lower-case hex digits, like Python's hexdigest().
[[nodiscard]] std::string md5_hex(std::string_view data);

} // namespace tern
