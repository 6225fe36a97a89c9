#pragma once

// API credentials as the protocol layer sees them. connectors/ may not depend on config/, so
// this is not config::secret: callers keep secrets in config::secret (which scrubs logs and
// wipes memory) and build a `credentials` from them only where requests are signed. Like
// config::secret, printing a `credentials` never shows the secret or the passphrase, and the
// API key only masked.

#include <iosfwd>
#include <string>
#include <string_view>

namespace tern {

/// An API key, its secret, and (OKX) its passphrase. Copyable so an actor can hold one;
/// the memory of every copy is wiped when it is destroyed.
class credentials {
 public:
  credentials() = default;
  credentials(std::string api_key, std::string secret, std::string passphrase = {});
  credentials(const credentials&) = default;
  credentials& operator=(const credentials&) = default;
  /// Moves wipe the source: a moved-from short string may keep its characters in place.
  credentials(credentials&& other) noexcept;
  credentials& operator=(credentials&& other) noexcept;
  ~credentials();

  /// The API key: not a secret to the exchange (it travels in a header), but still shown
  /// masked in logs, see `masked_api_key`.
  [[nodiscard]] const std::string& api_key() const noexcept { return api_key_; }
  /// The signing secret, for signers only. Never log or format it.
  [[nodiscard]] std::string_view reveal_secret() const noexcept { return secret_; }
  /// The passphrase (OKX), for request headers only. Never log or format it.
  [[nodiscard]] std::string_view reveal_passphrase() const noexcept { return passphrase_; }
  [[nodiscard]] bool empty() const noexcept { return api_key_.empty() || secret_.empty(); }

  /// "api key vmPU...Eh8A, secret ***": what logs may show.
  friend std::ostream& operator<<(std::ostream& out, const credentials& value);

 private:
  void clear() noexcept;

  std::string api_key_;
  std::string secret_;
  std::string passphrase_;
};

/// The first and last four characters of an API key around "...", or "***" for keys of
/// twelve characters or fewer (where four and four would reveal most of it).
[[nodiscard]] std::string masked_api_key(std::string_view api_key);

} // namespace tern
