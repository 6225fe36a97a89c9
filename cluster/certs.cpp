#include "cluster/certs.hpp"

#include <cstdio>
#include <memory>
#include <system_error>

#include <arpa/inet.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tern::cluster {
namespace {

namespace fs = std::filesystem;

struct pkey_free { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct x509_free { void operator()(X509* p) const { X509_free(p); } };
struct file_close { void operator()(std::FILE* p) const { std::fclose(p); } };
struct store_free { void operator()(X509_STORE* p) const { X509_STORE_free(p); } };
struct store_ctx_free { void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); } };
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;
using x509_ptr = std::unique_ptr<X509, x509_free>;
using file_ptr = std::unique_ptr<std::FILE, file_close>;

std::string openssl_error(const std::string& what) {
  const unsigned long code = ERR_get_error();
  char text[256] = "no detail";
  if (code != 0)
    ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return what + ": " + text;
}

bool is_ip_address(const std::string& host) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1
         || inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

/// Adds one v3 extension from its config text ("critical,CA:TRUE").
bool add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr)
    return false;
  const bool added = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return added;
}

bool set_serial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    return false;
  bytes[0] &= 0x7f; // a positive serial
  BIGNUM* number = BN_bin2bn(bytes, sizeof bytes, nullptr);
  const bool ok = number != nullptr
                  && BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert)) != nullptr;
  BN_free(number);
  return ok;
}

/// A certificate for `key` named `common_name`, signed by `issuer_key` (self-signed when
/// `issuer` is null).
expected<x509_ptr, std::string> make_cert(EVP_PKEY* key, const std::string& common_name,
                                          X509* issuer, EVP_PKEY* issuer_key, int days,
                                          const std::string& host) {
  x509_ptr cert{X509_new()};
  if (!cert || X509_set_version(cert.get(), 2) != 1 || !set_serial(cert.get()))
    return unexpected{openssl_error("cannot start a certificate")};
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 86400L);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Tern"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                             -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  bool ok = add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
  if (issuer == nullptr) {
    ok = ok && add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE")
         && add_extension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    const auto san = (is_ip_address(host) ? "IP:" : "DNS:") + host;
    ok = ok && add_extension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE")
         && add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid:always")
         && add_extension(cert.get(), signer, NID_key_usage,
                          "critical,digitalSignature,keyAgreement")
         && add_extension(cert.get(), signer, NID_ext_key_usage, "serverAuth,clientAuth")
         && add_extension(cert.get(), signer, NID_subject_alt_name, san);
  }
  if (!ok)
    return unexpected{openssl_error("cannot add the extensions of " + common_name)};
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) == 0)
    return unexpected{openssl_error("cannot sign the certificate of " + common_name)};
  return cert;
}

expected<void, std::string> write_key(const fs::path& path, EVP_PKEY* key) {
  // Created 0600 from the start, so the key is never readable by others, even briefly.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return unexpected{"cannot create " + path.string() + ": "
                      + std::generic_category().message(errno)};
  ::fchmod(fd, 0600);
  file_ptr file{::fdopen(fd, "w")};
  if (!file || PEM_write_PrivateKey(file.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return unexpected{openssl_error("cannot write " + path.string())};
  return {};
}

expected<void, std::string> write_cert(const fs::path& path, X509* cert) {
  file_ptr file{std::fopen(path.c_str(), "w")};
  if (!file || PEM_write_X509(file.get(), cert) != 1)
    return unexpected{openssl_error("cannot write " + path.string())};
  return {};
}

expected<pkey_ptr, std::string> new_key() {
  pkey_ptr key{EVP_EC_gen("P-256")};
  if (!key)
    return unexpected{openssl_error("cannot generate an EC P-256 key")};
  return key;
}

expected<void, std::string> check_targets(const cert_request& request) {
  if (request.nodes.empty())
    return unexpected{std::string{"no nodes given"}};
  if (request.days < 1)
    return unexpected{std::string{"days must be at least 1"}};
  std::vector<std::string> stems{"ca"};
  for (const auto& node : request.nodes) {
    if (node.name.empty() || node.name.find('/') != std::string::npos || node.name == "ca")
      return unexpected{"'" + node.name + "' cannot be a node's file name"};
    stems.push_back(node.name);
  }
  if (request.overwrite)
    return {};
  for (const auto& stem : stems)
    for (const char* ext : {".key", ".pem"})
      if (fs::exists(request.folder / (stem + ext)))
        return unexpected{(request.folder / (stem + ext)).string()
                          + " exists; remove it or pass --force"};
  return {};
}

} // namespace

expected<std::vector<fs::path>, std::string> create_certificates(const cert_request& request) {
  if (auto checked = check_targets(request); !checked)
    return unexpected{checked.error()};
  std::error_code ec;
  fs::create_directories(request.folder, ec);
  if (ec)
    return unexpected{"cannot create " + request.folder.string() + ": " + ec.message()};
  std::vector<fs::path> written;
  auto ca_key = new_key();
  if (!ca_key)
    return unexpected{ca_key.error()};
  auto ca = make_cert(ca_key->get(), "Tern topology CA", nullptr, ca_key->get(), request.days, {});
  if (!ca)
    return unexpected{ca.error()};
  for (auto step : {write_key(request.folder / "ca.key", ca_key->get()),
                    write_cert(request.folder / "ca.pem", ca->get())})
    if (!step)
      return unexpected{step.error()};
  written = {request.folder / "ca.key", request.folder / "ca.pem"};
  for (const auto& node : request.nodes) {
    auto key = new_key();
    if (!key)
      return unexpected{key.error()};
    auto cert = make_cert(key->get(), node.name, ca->get(), ca_key->get(), request.days, node.host);
    if (!cert)
      return unexpected{cert.error()};
    const auto key_path = request.folder / (node.name + ".key");
    const auto cert_path = request.folder / (node.name + ".pem");
    for (auto step : {write_key(key_path, key->get()), write_cert(cert_path, cert->get())})
      if (!step)
        return unexpected{step.error()};
    written.push_back(key_path);
    written.push_back(cert_path);
  }
  return written;
}

expected<void, std::string> verify_certificate(const fs::path& cert_path, const fs::path& ca_path) {
  auto read = [](const fs::path& path) -> x509_ptr {
    file_ptr file{std::fopen(path.c_str(), "r")};
    return x509_ptr{file ? PEM_read_X509(file.get(), nullptr, nullptr, nullptr) : nullptr};
  };
  auto cert = read(cert_path);
  auto ca = read(ca_path);
  if (!cert || !ca)
    return unexpected{"cannot read " + (cert ? ca_path : cert_path).string()};
  std::unique_ptr<X509_STORE, store_free> store{X509_STORE_new()};
  std::unique_ptr<X509_STORE_CTX, store_ctx_free> ctx{X509_STORE_CTX_new()};
  X509_STORE_add_cert(store.get(), ca.get());
  X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr);
  if (X509_verify_cert(ctx.get()) != 1)
    return unexpected{std::string{X509_verify_cert_error_string(
        X509_STORE_CTX_get_error(ctx.get()))}};
  return {};
}

} // namespace tern::cluster
