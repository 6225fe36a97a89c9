#pragma once

// Maps Asio/Beast error codes onto tern::net::net_error. Internal to net/.

#include <boost/system/error_code.hpp>

#include "net/errors.hpp"

struct ssl_st;

namespace tern::net::detail {

/// The typed error for `ec` raised in `phase`. `session` (may be null) is inspected after a
/// failed TLS handshake to tell certificate problems from other handshake failures.
[[nodiscard]] net_error to_net_error(const boost::system::error_code& ec, net_phase phase,
                                     bool request_written, const ssl_st* session = nullptr);

/// True for the codes a deliberate close produces (not worth logging as failures).
[[nodiscard]] bool is_cancellation(const boost::system::error_code& ec);

} // namespace tern::net::detail
