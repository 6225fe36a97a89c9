#include <utility> // before Asio: Boost 1.74 misses it under C++20

#include "net/https_client.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <deque>
#include <optional>
#include <poll.h>
#include <stdexcept>
#include <vector>

#include "net/compression.hpp"
#include "net/detail/asio_errors.hpp"
#include "net/detail/callback_gate.hpp"
#include "net/url.hpp"

namespace tern::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using strand_type = asio::strand<asio::io_context::executor_type>;

namespace {

/// One request from `async_request` to its callback.
struct exchange {
  http_request request;
  https_callback callback;
  std::chrono::nanoseconds timeout{};
  bool written = false;
  std::unique_ptr<asio::steady_timer> queue_timer; ///< only while waiting for a connection
};
using exchange_ptr = std::shared_ptr<exchange>;

net_error make_error(net_errc code, net_phase phase, bool written, std::string message) {
  return net_error{code, phase, written, certificate_problem::none, 0, std::move(message)};
}

bool has_line_break(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

/// Refuses what would corrupt the request on the wire (header injection, unknown verbs).
std::optional<net_error> check_request(const http_request& request) {
  auto invalid = [](std::string what) {
    return make_error(net_errc::invalid_argument, net_phase::none, false, std::move(what));
  };
  if (http::string_to_verb(request.method) == http::verb::unknown)
    return invalid("unknown HTTP method '" + request.method + "'");
  if (request.target.empty() || request.target.front() != '/' || has_line_break(request.target))
    return invalid("HTTP target must start with '/' and hold no line break");
  for (const auto& [name, value] : request.headers)
    if (name.empty() || has_line_break(name) || has_line_break(value))
      return invalid("header '" + name + "' is empty or holds a line break");
  return std::nullopt;
}

/// Decodes a gzip/deflate body in place; unknown encodings are a protocol error.
std::optional<net_error> decode_body(http_response& response, std::size_t max_body) {
  const auto encoding = response.header("Content-Encoding");
  if (!encoding || encoding->empty() || *encoding == "identity") return std::nullopt;
  expected<std::string, compression_error> decoded = std::string{};
  if (*encoding == "gzip" || *encoding == "x-gzip") {
    decoded = decompress(response.body, compression_format::gzip, max_body);
  } else if (*encoding == "deflate") {
    // RFC 9110 says zlib-wrapped; some servers send raw deflate anyway.
    decoded = decompress(response.body, compression_format::zlib, max_body);
    if (!decoded) decoded = decompress(response.body, compression_format::raw_deflate, max_body);
  } else {
    return make_error(net_errc::protocol_error, net_phase::read, true,
                      "unsupported Content-Encoding '" + std::string{*encoding} + "'");
  }
  if (!decoded)
    return make_error(net_errc::protocol_error, net_phase::read, true,
                      "cannot decode response body: " + decoded.error().message);
  response.body = std::move(decoded).value();
  return std::nullopt;
}

class pooled_connection;

/// The client's state; `https_client::impl` is this under the name the header declares.
struct client_state : std::enable_shared_from_this<client_state> {
  client_state(asio::io_context& io_context, https_client_options opts)
      : io(io_context), options(std::move(opts)), strand(asio::make_strand(io_context)) {
    if (options.server_name.empty()) options.server_name = options.host;
    host_header = url_parts{"https", options.host, options.port, "/"}.host_header();
  }

  void submit(exchange_ptr job);
  void complete(const exchange_ptr& job, https_result result) {
    gate.run([&] { job->callback(std::move(result)); });
  }
  void connection_done(const std::shared_ptr<pooled_connection>& connection, bool reusable);
  void close_all();

  asio::io_context& io;
  https_client_options options;
  std::string host_header;
  strand_type strand;
  detail::callback_gate gate;
  // Strand-only state.
  std::vector<std::shared_ptr<pooled_connection>> idle; ///< back = most recently used
  std::vector<std::weak_ptr<pooled_connection>> open;   ///< every connection, for close()
  std::size_t open_count = 0;
  std::deque<exchange_ptr> waiting;
  bool closed = false;
  // Read from any thread by stats().
  std::atomic<std::uint64_t> opened{0};
  std::atomic<std::uint64_t> reused{0};
  std::atomic<std::uint64_t> broken_dropped{0};

 private:
  std::shared_ptr<pooled_connection> take_idle();
  void start_connection(exchange_ptr job);
  void enqueue(exchange_ptr job);
};

/// One keep-alive TLS connection. Lives on the client's strand; holds the client weakly so
/// a destroyed client lets its connections wind down on their own.
class pooled_connection : public std::enable_shared_from_this<pooled_connection> {
 public:
  explicit pooled_connection(const std::shared_ptr<client_state>& client)
      : client_(client), options_(client->options), host_header_(client->host_header),
        resolver_(client->strand), resolve_timer_(client->strand),
        stream_(beast::tcp_stream{client->strand}, *client->options.tls) {}

  /// Resolves, connects and handshakes, then sends `job`.
  void open(exchange_ptr job) {
    current_ = std::move(job);
    resolve_timer_.expires_after(options_.connect_timeout);
    resolve_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) {
        self->resolve_timed_out_ = true;
        self->resolver_.cancel();
      }
    });
    resolver_.async_resolve(options_.host, std::to_string(options_.port),
                            beast::bind_front_handler(&pooled_connection::on_resolve, shared_from_this()));
  }

  /// Sends `job` on this (connected) connection.
  void run(exchange_ptr job, bool reused) {
    current_ = std::move(job);
    reused_ = reused;
    const auto& request = current_->request;
    request_.emplace(http::string_to_verb(request.method), request.target, 11);
    // Defaults first, each only when the caller did not give its own.
    const auto absent = [&](std::string_view name) { return !find_header(request.headers, name); };
    if (absent("Host")) request_->set(http::field::host, host_header_);
    if (absent("User-Agent")) request_->set(http::field::user_agent, options_.user_agent);
    if (options_.accept_gzip && absent("Accept-Encoding"))
      request_->set(http::field::accept_encoding, "gzip");
    for (const auto& [name, value] : request.headers) request_->insert(name, value);
    request_->body() = request.body;
    request_->keep_alive(true);
    request_->prepare_payload();
    // From here on the server may see the request: a failure is no longer a safe retry.
    current_->written = true;
    lowest().expires_after(current_->timeout);
    http::async_write(stream_, *request_,
                      beast::bind_front_handler(&pooled_connection::on_write, shared_from_this()));
  }

  /// Closes the socket; operations in flight complete as cancelled.
  void abort() {
    aborted_ = true;
    beast::error_code ignored;
    lowest().socket().close(ignored);
  }

  /// An idle keep-alive connection has nothing to read. Readable means the server sent a
  /// close (FIN, reset or TLS close_notify): reusing it would turn a safe request into an
  /// ambiguous one, so it is dropped instead.
  [[nodiscard]] bool looks_broken() {
    pollfd descriptor{lowest().socket().native_handle(), POLLIN | POLLRDHUP, 0};
    return !lowest().socket().is_open() || ::poll(&descriptor, 1, 0) != 0;
  }

  std::chrono::steady_clock::time_point idle_since{};

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
    resolve_timer_.cancel();
    if (resolve_timed_out_) ec = beast::error::timeout;
    if (ec) return fail(ec, net_phase::resolve);
    lowest().expires_after(options_.connect_timeout);
    lowest().async_connect(results,
                           beast::bind_front_handler(&pooled_connection::on_connect, shared_from_this()));
  }

  void on_connect(beast::error_code ec, const tcp::endpoint&) {
    if (ec) return fail(ec, net_phase::connect);
    // An order request goes out the moment it is written: Nagle's algorithm would hold a small
    // write back while anything sent before is unacknowledged.
    beast::error_code ignored;
    lowest().socket().set_option(tcp::no_delay(true), ignored);
    if (auto prepared = prepare_client_session(stream_.native_handle(), options_.server_name);
        !prepared)
      return finish(unexpected{prepared.error()}, false);
    lowest().expires_after(options_.handshake_timeout);
    stream_.async_handshake(asio::ssl::stream_base::client,
                            beast::bind_front_handler(&pooled_connection::on_handshake, shared_from_this()));
  }

  void on_handshake(beast::error_code ec) {
    if (ec) return fail(ec, net_phase::tls_handshake);
    run(std::move(current_), false);
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return fail(ec, net_phase::write);
    parser_.emplace();
    parser_->body_limit(options_.max_body);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&pooled_connection::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return fail(ec, net_phase::read);
    lowest().expires_never();
    auto message = parser_->release();
    http_response response;
    response.status = message.result_int();
    for (const auto& field : message)
      response.headers.emplace_back(std::string{field.name_string()}, std::string{field.value()});
    response.body = std::move(message.body());
    response.connection_reused = reused_;
    const bool reusable = message.keep_alive() && !message.need_eof();
    if (auto bad = decode_body(response, options_.max_body)) return finish(unexpected{*bad}, false);
    finish(std::move(response), reusable);
  }

  void fail(beast::error_code ec, net_phase phase) {
    const bool written = current_ && current_->written;
    auto error = detail::to_net_error(ec, phase, written,
                                      phase == net_phase::tls_handshake ? stream_.native_handle() : nullptr);
    if (aborted_) error.code = net_errc::cancelled;
    finish(unexpected{std::move(error)}, false);
  }

  void finish(https_result result, bool reusable) {
    auto job = std::move(current_);
    request_.reset();
    parser_.reset();
    buffer_.clear();
    if (!reusable) abort();
    if (auto client = client_.lock()) {
      client->connection_done(shared_from_this(), reusable && !aborted_);
      if (job) client->complete(job, std::move(result));
    }
  }

  std::weak_ptr<client_state> client_;
  const https_client_options options_; // a copy: the connection may outlive its client
  std::string host_header_;
  tcp::resolver resolver_;
  asio::steady_timer resolve_timer_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request<http::string_body>> request_;
  std::optional<http::response_parser<http::string_body>> parser_;
  exchange_ptr current_;
  bool reused_ = false;
  bool aborted_ = false;
  bool resolve_timed_out_ = false;
};

} // namespace

// ---- the pool, all on the client's strand -----------------------------------------------

void client_state::submit(exchange_ptr job) {
  if (closed)
    return complete(job, unexpected{make_error(net_errc::cancelled, net_phase::queue, false,
                                               "the HTTPS client is closed")});
  if (auto connection = take_idle()) {
    reused.fetch_add(1);
    return connection->run(std::move(job), true);
  }
  if (open_count < options.max_connections) return start_connection(std::move(job));
  enqueue(std::move(job));
}

std::shared_ptr<pooled_connection> client_state::take_idle() {
  const auto now = std::chrono::steady_clock::now();
  while (!idle.empty()) {
    auto connection = std::move(idle.back());
    idle.pop_back();
    const bool stale = now - connection->idle_since > options.max_idle;
    if (!stale && !connection->looks_broken()) return connection;
    if (!stale) broken_dropped.fetch_add(1);
    connection->abort();
    --open_count;
  }
  return nullptr;
}

void client_state::start_connection(exchange_ptr job) {
  ++open_count;
  opened.fetch_add(1);
  auto connection = std::make_shared<pooled_connection>(shared_from_this());
  std::erase_if(open, [](const auto& weak) { return weak.expired(); });
  open.push_back(connection);
  connection->open(std::move(job));
}

void client_state::enqueue(exchange_ptr job) {
  if (waiting.size() >= options.max_queued)
    return complete(job, unexpected{make_error(net_errc::queue_full, net_phase::queue, false,
                                               std::to_string(waiting.size()) +
                                                   " requests already wait for a connection")});
  job->queue_timer = std::make_unique<asio::steady_timer>(strand, job->timeout);
  job->queue_timer->async_wait([self = shared_from_this(), weak = std::weak_ptr{job}](beast::error_code ec) {
    auto expired = weak.lock();
    if (ec || !expired) return;
    const auto found = std::find(self->waiting.begin(), self->waiting.end(), expired);
    if (found == self->waiting.end()) return;
    self->waiting.erase(found);
    self->complete(expired, unexpected{make_error(net_errc::timeout, net_phase::queue, false,
                                                  "no pooled connection became free in time")});
  });
  waiting.push_back(std::move(job));
}

void client_state::connection_done(const std::shared_ptr<pooled_connection>& connection,
                                         bool reusable) {
  if (closed) {
    connection->abort();
    return;
  }
  if (!reusable) --open_count;
  if (waiting.empty()) {
    if (reusable) {
      connection->idle_since = std::chrono::steady_clock::now();
      idle.push_back(connection);
    }
    return;
  }
  auto next = std::move(waiting.front());
  waiting.pop_front();
  next->queue_timer->cancel();
  // Posted, not called: the finishing connection is still inside its own handler.
  asio::post(strand, [self = shared_from_this(), next = std::move(next), connection, reusable]() mutable {
    if (reusable) {
      self->reused.fetch_add(1);
      connection->run(std::move(next), true);
    } else {
      self->submit(std::move(next));
    }
  });
}

void client_state::close_all() {
  closed = true;
  for (auto& job : waiting) {
    job->queue_timer->cancel();
    complete(job, unexpected{make_error(net_errc::cancelled, net_phase::queue, false,
                                        "the HTTPS client was closed")});
  }
  waiting.clear();
  idle.clear();
  for (auto& weak : open)
    if (auto connection = weak.lock()) connection->abort();
  open.clear();
}

// ---- public face ------------------------------------------------------------------------

struct https_client::impl : client_state {
  using client_state::client_state;
};

https_client::https_client(asio::io_context& io, https_client_options options) {
  if (options.host.empty()) throw std::invalid_argument{"https_client needs a host"};
  if (!options.tls) throw std::invalid_argument{"https_client needs a TLS context"};
  if (options.max_connections == 0) options.max_connections = 1;
  impl_ = std::make_shared<impl>(io, std::move(options));
}

https_client::~https_client() {
  impl_->gate.close();
  close();
}

void https_client::async_request(http_request request, https_callback callback) {
  auto job = std::make_shared<exchange>();
  job->timeout = request.timeout > std::chrono::nanoseconds::zero() ? request.timeout
                                                                     : impl_->options.request_timeout;
  job->request = std::move(request);
  job->callback = std::move(callback);
  auto invalid = check_request(job->request);
  asio::post(impl_->strand, [self = impl_, job = std::move(job), invalid = std::move(invalid)] {
    if (invalid) return self->complete(job, unexpected{*invalid});
    self->submit(job);
  });
}

void https_client::close() {
  asio::post(impl_->strand, [self = impl_] { self->close_all(); });
}

https_client_stats https_client::stats() const {
  return {impl_->opened.load(), impl_->reused.load(), impl_->broken_dropped.load()};
}

} // namespace tern::net
