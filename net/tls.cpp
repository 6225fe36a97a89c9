#include <utility> // before Asio: Boost 1.74 misses it under C++20

#include "net/tls.hpp"

#include <boost/asio/ssl/context.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net/url.hpp"

namespace tern::net {

namespace ssl = boost::asio::ssl;

namespace {

expected<tls_context_ptr, tls_error> base_context(ssl::context::method method) {
  auto context = std::make_shared<ssl::context>(method);
  if (SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION) != 1)
    return unexpected{tls_error{"cannot require TLS 1.2 or newer"}};
  context->set_options(ssl::context::default_workarounds | ssl::context::no_compression);
  return context;
}

} // namespace

expected<tls_context_ptr, tls_error> make_client_tls_context(const tls_client_options& options) {
  auto made = base_context(ssl::context::tls_client);
  if (!made) return made;
  auto& context = *made.value();
  context.set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  switch (options.trust) {
    case trust_source::system_default:
      context.set_default_verify_paths(ec);
      if (ec) return unexpected{tls_error{"cannot load the system trust store: " + ec.message()}};
      break;
    case trust_source::ca_file:
      if (options.ca_file.empty()) return unexpected{tls_error{"trust_source::ca_file needs a path"}};
      context.load_verify_file(options.ca_file, ec);
      if (ec)
        return unexpected{tls_error{"cannot load CA file '" + options.ca_file + "': " + ec.message()}};
      break;
    case trust_source::ca_pem:
      if (options.ca_pem.empty()) return unexpected{tls_error{"trust_source::ca_pem needs PEM text"}};
      context.add_certificate_authority(boost::asio::buffer(options.ca_pem), ec);
      if (ec) return unexpected{tls_error{"cannot load the CA PEM: " + ec.message()}};
      break;
  }
  return made;
}

expected<tls_context_ptr, tls_error> make_server_tls_context(std::string_view certificate_chain_pem,
                                                             std::string_view private_key_pem) {
  auto made = base_context(ssl::context::tls_server);
  if (!made) return made;
  auto& context = *made.value();
  boost::system::error_code ec;
  context.use_certificate_chain(
      boost::asio::buffer(certificate_chain_pem.data(), certificate_chain_pem.size()), ec);
  if (ec) return unexpected{tls_error{"cannot use the server certificate chain: " + ec.message()}};
  context.use_private_key(boost::asio::buffer(private_key_pem.data(), private_key_pem.size()),
                          ssl::context::pem, ec);
  if (ec) return unexpected{tls_error{"cannot use the server private key: " + ec.message()}};
  return made;
}

expected<void, net_error> prepare_client_session(ssl_st* session, std::string_view expected_host) {
  const std::string host{expected_host};
  auto fail = [&](std::string why) {
    return unexpected{net_error{net_errc::invalid_argument, net_phase::tls_handshake, false,
                                certificate_problem::none, 0,
                                "cannot expect host '" + host + "': " + std::move(why)}};
  };
  if (host.empty()) return fail("empty host name");
  X509_VERIFY_PARAM* param = SSL_get0_param(session);
  if (is_ip_literal(host)) {
    // RFC 6066 forbids IP literals in SNI; the certificate must carry the IP instead.
    if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) return fail("bad IP literal");
  } else {
    // SSL_set_tlsext_host_name is a macro with a C cast; this is its expansion.
    if (SSL_ctrl(session, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(host.c_str())) != 1)
      return fail("SNI refused");
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (SSL_set1_host(session, host.c_str()) != 1) return fail("host check refused");
  }
  SSL_set_verify(session, SSL_VERIFY_PEER, nullptr);
  return {};
}

certificate_problem certificate_failure(const ssl_st* session) {
  switch (SSL_get_verify_result(session)) {
    case X509_V_OK: return certificate_problem::none;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH: return certificate_problem::hostname_mismatch;
    case X509_V_ERR_CERT_HAS_EXPIRED: return certificate_problem::expired;
    case X509_V_ERR_CERT_NOT_YET_VALID: return certificate_problem::not_yet_valid;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED: return certificate_problem::untrusted;
    default: return certificate_problem::other;
  }
}

std::string certificate_failure_text(const ssl_st* session) {
  return X509_verify_cert_error_string(SSL_get_verify_result(session));
}

} // namespace tern::net
