#include "connectors/common/credentials.hpp"

#include <openssl/crypto.h>

#include <ostream>

namespace tern {

namespace {

void wipe(std::string& value) noexcept {
  if (!value.empty())
    OPENSSL_cleanse(value.data(), value.size());
}

} // namespace

credentials::credentials(std::string api_key, std::string secret, std::string passphrase)
    : api_key_(std::move(api_key)), secret_(std::move(secret)), passphrase_(std::move(passphrase)) {}

credentials::credentials(credentials&& other) noexcept
    : api_key_(std::move(other.api_key_)), secret_(other.secret_), passphrase_(other.passphrase_) {
  other.clear();
}

credentials& credentials::operator=(credentials&& other) noexcept {
  if (this != &other) {
    clear();
    api_key_ = std::move(other.api_key_);
    secret_ = other.secret_;
    passphrase_ = other.passphrase_;
    other.clear();
  }
  return *this;
}

void credentials::clear() noexcept {
  wipe(secret_);
  wipe(passphrase_);
  secret_.clear();
  passphrase_.clear();
}

credentials::~credentials() { clear(); }

std::ostream& operator<<(std::ostream& out, const credentials& value) {
  out << "api key " << masked_api_key(value.api_key_) << ", secret ***";
  if (!value.passphrase_.empty())
    out << ", passphrase ***";
  return out;
}

std::string masked_api_key(std::string_view api_key) {
  if (api_key.size() <= 12)
    return "***";
  return std::string{api_key.substr(0, 4)} + "..." + std::string{api_key.substr(api_key.size() - 4)};
}

} // namespace tern
