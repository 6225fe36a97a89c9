#include "connectors/common/hmac.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>

namespace tern {

namespace {

using digest = std::array<unsigned char, 32>;

digest hmac_sha256(std::string_view key, std::string_view message) {
  digest out{};
  unsigned int length = 0;
  // HMAC() accepts an empty key (key pointer may not be null then), hence the fallback buffer.
  static const unsigned char empty = 0;
  const void* key_data = key.empty() ? &empty : static_cast<const void*>(key.data());
  const auto* data = reinterpret_cast<const unsigned char*>(message.data());
  if (HMAC(EVP_sha256(), key_data, static_cast<int>(key.size()), message.empty() ? &empty : data,
           message.size(), out.data(), &length) == nullptr || length != out.size())
    throw std::runtime_error{"OpenSSL HMAC-SHA256 failed"};  // only on a broken OpenSSL
  return out;
}

} // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  static constexpr char digits[] = "0123456789abcdef";
  digest mac = hmac_sha256(key, message);
  std::string hex;
  hex.reserve(mac.size() * 2);
  for (unsigned char byte : mac) {
    hex.push_back(digits[byte >> 4]);
    hex.push_back(digits[byte & 0x0F]);
  }
  return hex;
}

std::string hmac_sha256_base64(std::string_view key, std::string_view message) {
  digest mac = hmac_sha256(key, message);
  // 32 bytes encode to 44 characters plus the terminating NUL EVP_EncodeBlock writes.
  std::array<unsigned char, 45> text{};
  int written = EVP_EncodeBlock(text.data(), mac.data(), static_cast<int>(mac.size()));
  return std::string{reinterpret_cast<const char*>(text.data()), static_cast<std::size_t>(written)};
}

} // namespace tern
