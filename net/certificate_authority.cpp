#include "net/certificate_authority.hpp"

#include <fstream>
#include <memory>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

namespace tern::net {

namespace {

template <class T, void (*Free)(T*)>
struct openssl_deleter {
  void operator()(T* p) const noexcept { Free(p); }
};
using key_ptr = std::unique_ptr<EVP_PKEY, openssl_deleter<EVP_PKEY, EVP_PKEY_free>>;
using cert_ptr = std::unique_ptr<X509, openssl_deleter<X509, X509_free>>;
using bio_ptr = std::unique_ptr<BIO, openssl_deleter<BIO, BIO_free_all>>;

tls_error openssl_failure(const std::string& step) {
  const unsigned long code = ERR_get_error();
  char text[256] = "no OpenSSL error queued";
  if (code != 0) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return tls_error{step + " failed: " + text};
}

std::string to_pem(X509* certificate) {
  bio_ptr bio{BIO_new(BIO_s_mem())};
  PEM_write_bio_X509(bio.get(), certificate);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string to_pem(EVP_PKEY* key) {
  bio_ptr bio{BIO_new(BIO_s_mem())};
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

bio_ptr read_only_bio(const std::string& text) {
  return bio_ptr{BIO_new_mem_buf(text.data(), static_cast<int>(text.size()))};
}

bool add_extension(X509* certificate, X509V3_CTX* context, int nid, const std::string& value) {
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, context, nid, value.c_str());
  if (extension == nullptr) return false;
  const bool added = X509_add_ext(certificate, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return added;
}

// Fills what CA and leaf certificates share: version, random serial, validity, subject, key.
bool fill_common(X509* certificate, EVP_PKEY* key, const std::string& common_name,
                 std::chrono::hours validity) {
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return false;
  serial[0] &= 0x7F; // serial numbers must be positive
  BIGNUM* number = BN_bin2bn(serial, sizeof serial, nullptr);
  const bool serial_set = number != nullptr &&
                          BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate)) != nullptr;
  BN_free(number);
  X509_NAME* name = X509_get_subject_name(certificate);
  return serial_set && X509_set_version(certificate, 2) == 1 &&
         X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) != nullptr &&
         X509_gmtime_adj(X509_getm_notAfter(certificate),
                         static_cast<long>(validity.count()) * 3600) != nullptr &&
         X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(common_name.c_str()),
                                    -1, -1, 0) == 1 &&
         X509_set_pubkey(certificate, key) == 1;
}

std::string subject_alt_names(const server_names& names) {
  std::string value;
  for (const auto& dns : names.dns_names) value += (value.empty() ? "" : ",") + ("DNS:" + dns);
  for (const auto& ip : names.ip_addresses) value += (value.empty() ? "" : ",") + ("IP:" + ip);
  return value;
}

} // namespace

expected<certificate_authority, tls_error> certificate_authority::create(
    const std::string& common_name, std::chrono::hours validity) {
  key_ptr key{EVP_EC_gen("P-256")};
  if (!key) return unexpected{openssl_failure("generating the CA key")};
  cert_ptr certificate{X509_new()};
  if (!certificate || !fill_common(certificate.get(), key.get(), common_name, validity) ||
      X509_set_issuer_name(certificate.get(), X509_get_subject_name(certificate.get())) != 1)
    return unexpected{openssl_failure("building the CA certificate")};
  X509V3_CTX context;
  X509V3_set_ctx(&context, certificate.get(), certificate.get(), nullptr, nullptr, 0);
  if (!add_extension(certificate.get(), &context, NID_basic_constraints, "critical,CA:TRUE") ||
      !add_extension(certificate.get(), &context, NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !add_extension(certificate.get(), &context, NID_subject_key_identifier, "hash") ||
      X509_sign(certificate.get(), key.get(), EVP_sha256()) == 0)
    return unexpected{openssl_failure("signing the CA certificate")};
  return certificate_authority{pem_key_pair{to_pem(certificate.get()), to_pem(key.get())}};
}

expected<pem_key_pair, tls_error> certificate_authority::issue_server_certificate(
    const server_names& names, std::chrono::hours validity) const {
  if (names.dns_names.empty() && names.ip_addresses.empty())
    return unexpected{tls_error{"a server certificate needs at least one DNS name or IP"}};
  auto ca_bio = read_only_bio(ca_.certificate_pem);
  cert_ptr ca_certificate{PEM_read_bio_X509(ca_bio.get(), nullptr, nullptr, nullptr)};
  auto key_bio = read_only_bio(ca_.private_key_pem);
  key_ptr ca_key{PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr)};
  if (!ca_certificate || !ca_key) return unexpected{openssl_failure("reloading the CA")};

  key_ptr key{EVP_EC_gen("P-256")};
  if (!key) return unexpected{openssl_failure("generating the server key")};
  cert_ptr certificate{X509_new()};
  const std::string common_name = names.dns_names.empty() ? names.ip_addresses.front()
                                                          : names.dns_names.front();
  if (!certificate || !fill_common(certificate.get(), key.get(), common_name, validity) ||
      X509_set_issuer_name(certificate.get(), X509_get_subject_name(ca_certificate.get())) != 1)
    return unexpected{openssl_failure("building the server certificate")};
  X509V3_CTX context;
  X509V3_set_ctx(&context, ca_certificate.get(), certificate.get(), nullptr, nullptr, 0);
  if (!add_extension(certificate.get(), &context, NID_basic_constraints, "critical,CA:FALSE") ||
      !add_extension(certificate.get(), &context, NID_key_usage, "critical,digitalSignature") ||
      !add_extension(certificate.get(), &context, NID_ext_key_usage, "serverAuth") ||
      !add_extension(certificate.get(), &context, NID_subject_alt_name, subject_alt_names(names)) ||
      !add_extension(certificate.get(), &context, NID_authority_key_identifier, "keyid") ||
      X509_sign(certificate.get(), ca_key.get(), EVP_sha256()) == 0)
    return unexpected{openssl_failure("signing the server certificate")};
  return pem_key_pair{to_pem(certificate.get()), to_pem(key.get())};
}

expected<void, tls_error> certificate_authority::write_certificate_pem(const std::string& path) const {
  std::ofstream file{path, std::ios::binary | std::ios::trunc};
  file << ca_.certificate_pem;
  file.close();
  if (!file) return unexpected{tls_error{"cannot write the CA certificate to '" + path + "'"}};
  return {};
}

} // namespace tern::net
