#include <utility> // before Asio: Boost 1.74 misses it under C++20

// Server-side WebSocket sessions, split from http_server.cpp so the two Beast-heavy
// translation units compile in parallel.

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <deque>

#include "net/detail/server_internal.hpp"

namespace tern::net::detail {

namespace asio = boost::asio;
namespace websocket = beast::websocket;

namespace {

template <class Stream>
class server_websocket final
    : public websocket_session,
      public server_connection,
      public std::enable_shared_from_this<server_websocket<Stream>> {
 public:
  server_websocket(Stream stream, std::shared_ptr<server_state> state, std::uint64_t id,
                   std::string remote)
      : ws_(std::move(stream)), state_(std::move(state)), id_(id), remote_(std::move(remote)) {}

  void run(request_message upgrade) {
    state_->track(id_, this->shared_from_this());
    upgrade_ = std::move(upgrade);
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.handshake_timeout = state_->options.handshake_timeout;
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& response) { response.set(beast::http::field::server, "tern"); }));
    if (state_->options.websocket_permessage_deflate) {
      websocket::permessage_deflate deflate;
      deflate.server_enable = true;
      ws_.set_option(deflate);
    }
    ws_.read_message_max(state_->options.websocket_message_limit);
    ws_.async_accept(upgrade_, beast::bind_front_handler(&server_websocket::on_accept, self()));
  }

  void send_text(std::string payload) override { enqueue(std::move(payload), false); }
  void send_binary(std::string payload) override { enqueue(std::move(payload), true); }

  void close(std::uint16_t code, std::string reason) override {
    asio::post(ws_.get_executor(), [self = self(), code, reason = std::move(reason)] {
      if (self->ended_ || self->closing_) return;
      self->closing_ = true;
      self->ws_.async_close(websocket::close_reason{static_cast<websocket::close_code>(code), reason},
                            [self](beast::error_code) { self->end(); });
    });
  }

  void drop() override { reset_now({}); }
  void reset_now(std::function<void()> done) override {
    asio::post(ws_.get_executor(), [self = self(), done = std::move(done)] {
      reset_socket(beast::get_lowest_layer(self->ws_));
      self->end();
      if (done) done();
    });
  }

  void shutdown_now() override {
    asio::post(ws_.get_executor(), [self = self()] {
      beast::error_code ignored;
      beast::get_lowest_layer(self->ws_).socket().close(ignored);
      self->end();
    });
  }

  // Posted like the sends, so it takes effect between the sends queued before and after it.
  void set_paused(bool paused) override {
    asio::post(ws_.get_executor(), [self = self(), paused] { self->paused_ = paused; });
  }
  [[nodiscard]] std::uint64_t id() const noexcept override { return id_; }

 private:
  struct outgoing {
    std::string payload;
    bool binary;
  };

  std::shared_ptr<server_websocket> self() { return this->shared_from_this(); }

  void on_accept(beast::error_code ec) {
    if (ec) return end();
    accepted_ = true;
    const auto request = to_server_request(upgrade_, id_, remote_);
    std::shared_ptr<websocket_session> session = self();
    state_->gate.run([&] { state_->on_websocket(request, session); });
    do_read();
  }

  void do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&server_websocket::on_read, self()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return end();
    std::string payload = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    const bool binary = ws_.got_binary();
    state_->gate.run([&] {
      if (on_message) on_message(std::move(payload), binary);
    });
    do_read();
  }

  void enqueue(std::string payload, bool binary) {
    asio::post(ws_.get_executor(), [self = self(), payload = std::move(payload), binary]() mutable {
      if (self->ended_ || self->closing_ || !self->accepted_ || self->paused_) return;
      self->queue_.push_back({std::move(payload), binary});
      if (self->queue_.size() == 1) self->do_write();
    });
  }

  void do_write() {
    ws_.binary(queue_.front().binary);
    ws_.async_write(asio::buffer(queue_.front().payload),
                    beast::bind_front_handler(&server_websocket::on_write, self()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return end();
    queue_.pop_front();
    if (!queue_.empty() && !ended_) do_write();
  }

  void end() {
    if (ended_) return;
    ended_ = true;
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    state_->forget(id_);
    if (accepted_)
      state_->gate.run([&] {
        if (on_close) on_close();
      });
    // The owner's callbacks often capture this session: clearing them breaks the cycle.
    on_message = nullptr;
    on_close = nullptr;
  }

  websocket::stream<Stream> ws_;
  std::shared_ptr<server_state> state_;
  std::uint64_t id_;
  std::string remote_;
  request_message upgrade_;
  beast::flat_buffer buffer_;
  std::deque<outgoing> queue_;
  bool paused_ = false;
  bool accepted_ = false;
  bool closing_ = false;
  bool ended_ = false;
};

template <class Stream>
void start(Stream stream, request_message upgrade, std::uint64_t id, const std::string& remote,
           std::shared_ptr<server_state> state) {
  auto session =
      std::make_shared<server_websocket<Stream>>(std::move(stream), std::move(state), id, remote);
  session->run(std::move(upgrade));
}

} // namespace

void start_websocket_session(beast::tcp_stream stream, request_message upgrade, std::uint64_t id,
                             const std::string& remote, std::shared_ptr<server_state> state) {
  start(std::move(stream), std::move(upgrade), id, remote, std::move(state));
}

void start_websocket_session(tls_stream stream, request_message upgrade, std::uint64_t id,
                             const std::string& remote, std::shared_ptr<server_state> state) {
  start(std::move(stream), std::move(upgrade), id, remote, std::move(state));
}

} // namespace tern::net::detail
