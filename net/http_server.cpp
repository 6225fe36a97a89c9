#include <utility> // before Asio: Boost 1.74 misses it under C++20

#include "net/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <optional>
#include <spdlog/spdlog.h>

#include "net/detail/server_internal.hpp"

namespace tern::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace detail {

// ---- shared state ----------------------------------------------------------------------

void server_state::track(std::uint64_t id, const std::shared_ptr<server_connection>& connection) {
  std::lock_guard lock{mutex_};
  if (stopped_) {
    connection->shutdown_now();
    return;
  }
  live_[id] = connection;
}

void server_state::forget(std::uint64_t id) {
  std::lock_guard lock{mutex_};
  live_.erase(id);
}

void server_state::close_all() {
  std::unordered_map<std::uint64_t, std::weak_ptr<server_connection>> live;
  {
    std::lock_guard lock{mutex_};
    stopped_ = true;
    live.swap(live_);
  }
  for (auto& [id, weak] : live)
    if (auto connection = weak.lock()) connection->shutdown_now();
}

std::shared_ptr<server_connection> server_state::find(std::uint64_t id) {
  std::lock_guard lock{mutex_};
  const auto found = live_.find(id);
  return found == live_.end() ? nullptr : found->second.lock();
}

bool server_state::stopped() {
  std::lock_guard lock{mutex_};
  return stopped_;
}

server_request to_server_request(const request_message& message, std::uint64_t connection_id,
                                 const std::string& remote) {
  server_request request;
  request.method = std::string{message.method_string()};
  request.target = std::string{message.target()};
  for (const auto& field : message)
    request.headers.emplace_back(std::string{field.name_string()}, std::string{field.value()});
  request.body = message.body();
  request.connection_id = connection_id;
  request.remote_address = remote;
  return request;
}

void reset_socket(beast::tcp_stream& stream) {
  boost::system::error_code ignored;
  stream.socket().set_option(tcp::socket::linger{true, 0}, ignored);
  stream.socket().close(ignored);
}

/// What a responder talks to.
class http_connection_base : public server_connection {
 public:
  virtual void send_response(server_response response) = 0;
  virtual void drop() = 0;
};

struct pending_response {
  explicit pending_response(std::shared_ptr<http_connection_base> c) : connection(std::move(c)) {}
  ~pending_response() {
    if (!answered.exchange(true)) connection->drop();
  }
  pending_response(const pending_response&) = delete;
  pending_response& operator=(const pending_response&) = delete;

  std::shared_ptr<http_connection_base> connection;
  std::atomic<bool> answered{false};
};

// ---- one HTTP connection, plain or TLS -------------------------------------------------

template <class Stream>
class http_connection final : public http_connection_base,
                              public std::enable_shared_from_this<http_connection<Stream>> {
 public:
  static constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;

  http_connection(Stream stream, std::shared_ptr<server_state> state, std::uint64_t id,
                  std::string remote)
      : stream_(std::move(stream)), state_(std::move(state)), id_(id), remote_(std::move(remote)) {}

  void start() {
    state_->track(id_, this->shared_from_this());
    if constexpr (is_tls) {
      lowest().expires_after(state_->options.handshake_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              beast::bind_front_handler(&http_connection::on_handshake, self()));
    } else {
      do_read();
    }
  }

  void shutdown_now() override {
    asio::post(stream_.get_executor(), [self = self()] { self->close_socket(); });
  }
  void drop() override { reset_now({}); }
  void reset_now(std::function<void()> done) override {
    asio::post(stream_.get_executor(), [self = self(), done = std::move(done)] {
      self->closed_ = true;
      reset_socket(self->lowest());
      self->state_->forget(self->id_);
      if (done) done();
    });
  }
  void send_response(server_response response) override {
    asio::post(stream_.get_executor(), [self = self(), response = std::move(response)]() mutable {
      self->write_response(std::move(response));
    });
  }

 private:
  std::shared_ptr<http_connection> self() { return this->shared_from_this(); }
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void on_handshake(beast::error_code ec) {
    if (ec) return close_socket();
    do_read();
  }

  void do_read() {
    if (closed_) return;
    parser_.emplace();
    parser_->body_limit(state_->options.body_limit);
    lowest().expires_after(state_->options.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&http_connection::on_read, self()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream) return graceful_close();
    if (ec) return close_socket();
    request_message message = parser_->release();
    if (beast::websocket::is_upgrade(message) && state_->on_websocket) {
      closed_ = true; // the session owns the stream from here
      state_->forget(id_);
      lowest().expires_never();
      start_websocket_session(std::move(stream_), std::move(message), id_, remote_, state_);
      return;
    }
    keep_alive_ = message.keep_alive();
    auto pending = std::make_shared<pending_response>(self());
    auto request = to_server_request(message, id_, remote_);
    state_->gate.run([&] { state_->on_request(std::move(request), responder{pending}); });
  }

  void write_response(server_response response) {
    if (closed_) return;
    response_.emplace(static_cast<http::status>(response.status), 11);
    response_->set(http::field::server, "tern");
    for (auto& [name, value] : response.headers) response_->insert(name, value);
    response_->body() = std::move(response.body);
    keep_alive_ = keep_alive_ && !response.close_connection;
    response_->keep_alive(keep_alive_);
    response_->prepare_payload();
    lowest().expires_after(state_->options.write_timeout);
    http::async_write(stream_, *response_,
                      beast::bind_front_handler(&http_connection::on_write, self()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return close_socket();
    if (!keep_alive_) return graceful_close();
    do_read();
  }

  void graceful_close() {
    if constexpr (is_tls) {
      lowest().expires_after(state_->options.handshake_timeout);
      stream_.async_shutdown([self = self()](beast::error_code) { self->close_socket(); });
    } else {
      beast::error_code ignored;
      lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
      close_socket();
    }
  }

  void close_socket() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ignored;
    lowest().socket().close(ignored);
    state_->forget(id_);
  }

  Stream stream_;
  std::shared_ptr<server_state> state_;
  std::uint64_t id_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  bool keep_alive_ = true;
  bool closed_ = false;
};

} // namespace detail

// ---- responder -------------------------------------------------------------------------

void responder::respond(server_response response) const {
  if (!state_->answered.exchange(true)) state_->connection->send_response(std::move(response));
}

void responder::drop_connection() const {
  if (!state_->answered.exchange(true)) state_->connection->drop();
}

// ---- listener --------------------------------------------------------------------------

struct http_server::impl : std::enable_shared_from_this<http_server::impl> {
  impl(asio::io_context& io_context, std::shared_ptr<detail::server_state> shared)
      : io(io_context), state(std::move(shared)), acceptor(asio::make_strand(io_context)) {}

  void do_accept() {
    acceptor.async_accept(asio::make_strand(io),
                          beast::bind_front_handler(&impl::on_accept, shared_from_this()));
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) {
      spdlog::warn("http_server: accept failed: {}", ec.message());
      return do_accept();
    }
    state->accepted.fetch_add(1);
    const std::uint64_t id = state->next_id.fetch_add(1);
    beast::error_code ignored;
    // Frames and answers go out as soon as they are written: Nagle's algorithm would hold a
    // small write back until the peer acknowledges the previous one (tens of ms with delayed ACKs).
    socket.set_option(tcp::no_delay(true), ignored);
    const auto peer = socket.remote_endpoint(ignored);
    const std::string remote = peer.address().to_string() + ":" + std::to_string(peer.port());
    beast::tcp_stream stream{std::move(socket)};
    if (state->options.tls) {
      using connection = detail::http_connection<detail::tls_stream>;
      std::make_shared<connection>(detail::tls_stream{std::move(stream), *state->options.tls},
                                   state, id, remote)
          ->start();
    } else {
      using connection = detail::http_connection<beast::tcp_stream>;
      std::make_shared<connection>(std::move(stream), state, id, remote)->start();
    }
    do_accept();
  }

  asio::io_context& io;
  std::shared_ptr<detail::server_state> state;
  tcp::acceptor acceptor;
  std::atomic<std::uint16_t> port{0};
};

http_server::http_server(asio::io_context& io, http_server_options options,
                         request_handler on_request, websocket_handler on_websocket) {
  auto state = std::make_shared<detail::server_state>();
  state->options = std::move(options);
  state->on_request = std::move(on_request);
  state->on_websocket = std::move(on_websocket);
  impl_ = std::make_shared<impl>(io, std::move(state));
}

http_server::~http_server() { stop(); }

expected<std::uint16_t, net_error> http_server::start() {
  auto fail = [](net_errc code, std::string message) {
    return unexpected{net_error{code, net_phase::none, false, certificate_problem::none, 0,
                                std::move(message)}};
  };
  const auto& options = impl_->state->options;
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.host, ec);
  if (ec) return fail(net_errc::invalid_argument, "bind host must be an IP address: '" + options.host + "'");
  const tcp::endpoint endpoint{address, options.port};
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail(net_errc::connect_failed, "cannot listen on " + options.host + ":" +
                                              std::to_string(options.port) + ": " + ec.message());
  impl_->port = acceptor.local_endpoint().port();
  // The first accept is posted onto the acceptor's strand like every later one.
  asio::post(acceptor.get_executor(), [self = impl_] { self->do_accept(); });
  return impl_->port.load();
}

void http_server::stop() {
  impl_->state->gate.close();
  asio::post(impl_->acceptor.get_executor(), [self = impl_] {
    beast::error_code ignored;
    self->acceptor.close(ignored);
  });
  impl_->state->close_all();
}

void http_server::drop_connection(std::uint64_t connection_id, std::function<void()> done) {
  if (auto connection = impl_->state->find(connection_id)) return connection->reset_now(std::move(done));
  if (done) done();
}

std::uint16_t http_server::port() const noexcept { return impl_->port.load(); }

std::uint64_t http_server::accepted_connections() const noexcept {
  return impl_->state->accepted.load();
}

} // namespace tern::net
