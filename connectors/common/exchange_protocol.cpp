#include "connectors/common/exchange_protocol.hpp"

namespace tern {

request_error exchange_protocol::unsupported_request(std::string_view call) const {
  return request_error{std::string{call} + " is not supported by " + std::string{info().name}};
}

exchange_error exchange_protocol::unsupported_response(std::string_view call) const {
  return make_exchange_error(error_category::unsupported, request_kind::query, 0, {},
                             std::string{call} + " is not supported by "
                                 + std::string{info().name});
}

expected<prepared_request, request_error> exchange_protocol::positions(
    const signing_context&) const {
  return unexpected{unsupported_request("positions")};
}

expected<prepared_request, request_error> exchange_protocol::set_leverage(
    std::string_view, int, const signing_context&) const {
  return unexpected{unsupported_request("set_leverage")};
}

expected<prepared_request, request_error> exchange_protocol::position_mode(
    const signing_context&) const {
  return unexpected{unsupported_request("position_mode")};
}

expected<prepared_request, request_error> exchange_protocol::set_position_mode(
    tern::position_mode, const signing_context&) const {
  return unexpected{unsupported_request("set_position_mode")};
}

expected<prepared_request, request_error> exchange_protocol::funding_info(std::string_view) const {
  return unexpected{unsupported_request("funding_info")};
}

expected<prepared_request, request_error> exchange_protocol::funding_payments(
    std::string_view, timestamp, const signing_context&) const {
  return unexpected{unsupported_request("funding_payments")};
}

expected<std::vector<position>, exchange_error> exchange_protocol::parse_positions(
    const net::http_response&, const symbol_map&) const {
  return unexpected{unsupported_response("positions")};
}

expected<int, exchange_error> exchange_protocol::parse_set_leverage(
    const net::http_response&) const {
  return unexpected{unsupported_response("set_leverage")};
}

expected<tern::position_mode, exchange_error> exchange_protocol::parse_position_mode(
    const net::http_response&) const {
  return unexpected{unsupported_response("position_mode")};
}

expected<void, exchange_error> exchange_protocol::parse_set_position_mode(
    const net::http_response&) const {
  return unexpected{unsupported_response("set_position_mode")};
}

expected<tern::funding_info, exchange_error> exchange_protocol::parse_funding_info(
    const net::http_response&, const trading_pair&) const {
  return unexpected{unsupported_response("funding_info")};
}

expected<std::vector<funding_payment>, exchange_error> exchange_protocol::parse_funding_payments(
    const net::http_response&, const symbol_map&) const {
  return unexpected{unsupported_response("funding_payments")};
}

std::vector<std::string> exchange_protocol::book_resubscription(std::string_view,
                                                                std::int64_t) const {
  return {};
}

expected<prepared_request, request_error> exchange_protocol::user_stream_token(
    const credentials&) const {
  return unexpected{unsupported_request("user_stream_token")};
}

expected<prepared_request, request_error> exchange_protocol::user_stream_keepalive(
    const credentials&, std::string_view) const {
  return unexpected{unsupported_request("user_stream_keepalive")};
}

expected<prepared_request, request_error> exchange_protocol::user_stream_close(
    const credentials&, std::string_view) const {
  return unexpected{unsupported_request("user_stream_close")};
}

expected<std::string, exchange_error> exchange_protocol::parse_user_stream_token(
    const net::http_response&) const {
  return unexpected{unsupported_response("user_stream_token")};
}

} // namespace tern
