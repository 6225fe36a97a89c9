#include <utility> // before Asio: Boost 1.74 misses it under C++20

#include "net/detail/asio_errors.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/websocket/error.hpp>

#include "net/tls.hpp"

namespace tern::net::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

bool is_peer_close(const boost::system::error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::connection_aborted ||
         ec == asio::ssl::error::stream_truncated || ec == beast::http::error::end_of_stream ||
         ec == beast::http::error::partial_message || ec == beast::websocket::error::closed;
}

net_errc code_for(const boost::system::error_code& ec, net_phase phase) {
  if (ec == beast::error::timeout || ec == asio::error::timed_out) return net_errc::timeout;
  if (ec == asio::error::operation_aborted) return net_errc::cancelled;
  if (phase == net_phase::resolve) return net_errc::resolve_failed;
  if (phase == net_phase::connect) return net_errc::connect_failed;
  if (is_peer_close(ec)) return net_errc::closed_by_peer;
  if (phase == net_phase::tls_handshake) return net_errc::tls_handshake_failed;
  return net_errc::protocol_error;
}

} // namespace

bool is_cancellation(const boost::system::error_code& ec) {
  return ec == asio::error::operation_aborted || ec == beast::websocket::error::closed;
}

net_error to_net_error(const boost::system::error_code& ec, net_phase phase, bool request_written,
                       const ssl_st* session) {
  net_error error;
  error.code = code_for(ec, phase);
  error.phase = phase;
  error.request_written = request_written;
  error.message = ec.message();
  if (phase == net_phase::tls_handshake && session != nullptr) {
    const auto problem = certificate_failure(session);
    if (problem != certificate_problem::none) {
      error.code = net_errc::certificate_verification_failed;
      error.certificate = problem;
      error.message = certificate_failure_text(session);
    }
  }
  return error;
}

} // namespace tern::net::detail
