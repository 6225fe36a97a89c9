#include <utility> // before Asio: Boost 1.74 misses it under C++20

#include "net/websocket_client.hpp"

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <deque>
#include <random>
#include <stdexcept>

#include "net/detail/asio_errors.hpp"
#include "net/detail/callback_gate.hpp"
#include "net/url.hpp"

namespace tern::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using strand_type = asio::strand<asio::io_context::executor_type>;
using steady = std::chrono::steady_clock;

namespace {

/// One connection attempt and, once it succeeds, the open connection. Handlers hold it, so
/// the stream outlives every operation started on it even after the client moved on.
struct attempt {
  attempt(const strand_type& strand, asio::ssl::context& tls)
      : resolver(strand), stream(beast::tcp_stream{strand}, tls) {}
  tcp::resolver resolver;
  websocket::stream<beast::ssl_stream<beast::tcp_stream>> stream;
  beast::flat_buffer buffer;
  bool resolve_timed_out = false;
};
using attempt_ptr = std::shared_ptr<attempt>;

struct outgoing {
  std::string payload;
  bool binary = false;
  send_callback done;
};
using outgoing_ptr = std::shared_ptr<outgoing>;

enum class link_state : std::uint8_t { idle, connecting, open, closing, waiting, stopped };

net_error make_error(net_errc code, net_phase phase, std::string message) {
  return net_error{code, phase, false, certificate_problem::none, 0, std::move(message)};
}

std::string milliseconds_text(std::chrono::nanoseconds value) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(value).count()) + " ms";
}

timestamp wall_now() {
  return timestamp{std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now().time_since_epoch())};
}

backoff make_backoff(const websocket_client_options& options) {
  const std::uint64_t seed = options.backoff_seed != 0 ? options.backoff_seed : std::random_device{}();
  auto made = backoff::create(options.reconnect, seeded_uniform_source(seed));
  if (!made) throw std::invalid_argument{made.error().message};
  return std::move(made).value();
}

url_parts parse_wss(const std::string& url) {
  auto parsed = parse_url(url);
  if (!parsed) throw std::invalid_argument{parsed.error().message};
  if (parsed->scheme != "wss") throw std::invalid_argument{"websocket_client needs a wss:// URL, got '" + url + "'"};
  return std::move(parsed).value();
}

/// The client's state; every member function runs on `strand`.
struct link : std::enable_shared_from_this<link> {
  link(asio::io_context& io, websocket_client_options opts, websocket_callbacks cbs)
      : options(std::move(opts)), callbacks(std::move(cbs)), url(parse_wss(options.url)),
        server_name(options.server_name.empty() ? url.host : options.server_name),
        strand(asio::make_strand(io)), retry(make_backoff(options)), connect_timer(strand),
        reconnect_timer(strand), heartbeat_timer(strand), reply_timer(strand), stale_timer(strand) {
    if (!options.tls) throw std::invalid_argument{"websocket_client needs a TLS context"};
  }

  // ---- connecting ----
  void connect() {
    state = link_state::connecting;
    auto a = std::make_shared<attempt>(strand, *options.tls);
    current = a;
    connect_timer.expires_after(options.connect_timeout);
    connect_timer.async_wait([self = shared_from_this(), a](beast::error_code ec) {
      if (ec || a != self->current) return;
      a->resolve_timed_out = true;
      a->resolver.cancel();
    });
    a->resolver.async_resolve(url.host, std::to_string(url.port),
                              [self = shared_from_this(), a](beast::error_code ec, tcp::resolver::results_type r) {
                                self->on_resolve(a, ec, std::move(r));
                              });
  }

  void on_resolve(const attempt_ptr& a, beast::error_code ec, const tcp::resolver::results_type& results) {
    if (a != current) return;
    connect_timer.cancel();
    if (a->resolve_timed_out) ec = beast::error::timeout;
    if (ec) return fail(a, detail::to_net_error(ec, net_phase::resolve, false));
    auto& lowest = beast::get_lowest_layer(a->stream);
    lowest.expires_after(options.connect_timeout);
    lowest.async_connect(results, [self = shared_from_this(), a](beast::error_code e, const tcp::endpoint&) {
      self->on_connect(a, e);
    });
  }

  void on_connect(const attempt_ptr& a, beast::error_code ec) {
    if (a != current) return;
    if (ec) return fail(a, detail::to_net_error(ec, net_phase::connect, false));
    auto& tls_layer = a->stream.next_layer();
    if (auto prepared = prepare_client_session(tls_layer.native_handle(), server_name); !prepared)
      return fail(a, prepared.error());
    beast::get_lowest_layer(a->stream).expires_after(options.connect_timeout);
    tls_layer.async_handshake(asio::ssl::stream_base::client,
                              [self = shared_from_this(), a](beast::error_code e) { self->on_tls(a, e); });
  }

  void on_tls(const attempt_ptr& a, beast::error_code ec) {
    if (a != current) return;
    if (ec)
      return fail(a, detail::to_net_error(ec, net_phase::tls_handshake, false,
                                          a->stream.next_layer().native_handle()));
    beast::get_lowest_layer(a->stream).expires_never(); // the websocket timeouts take over
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = options.connect_timeout;
    const bool pings = options.protocol_idle_timeout > std::chrono::nanoseconds::zero();
    timeouts.idle_timeout = pings ? std::chrono::duration_cast<websocket::stream_base::duration>(options.protocol_idle_timeout)
                                  : websocket::stream_base::none();
    timeouts.keep_alive_pings = pings;
    a->stream.set_option(timeouts);
    a->stream.set_option(websocket::stream_base::decorator(
        [headers = options.handshake_headers](websocket::request_type& request) {
          request.set(beast::http::field::user_agent, "tern/0.1");
          for (const auto& [name, value] : headers) request.set(name, value);
        }));
    if (options.permessage_deflate) {
      websocket::permessage_deflate deflate;
      deflate.client_enable = true;
      a->stream.set_option(deflate);
    }
    a->stream.read_message_max(options.max_message_size);
    a->stream.async_handshake(url.host_header(), url.target,
                              [self = shared_from_this(), a](beast::error_code e) { self->on_upgrade(a, e); });
  }

  void on_upgrade(const attempt_ptr& a, beast::error_code ec) {
    if (a != current) return;
    if (ec) return fail(a, detail::to_net_error(ec, net_phase::websocket_handshake, false));
    state = link_state::open;
    open_flag = true;
    opens.fetch_add(1);
    opened_at = last_data_at = steady::now();
    awaiting_reply = false;
    arm_heartbeat();
    arm_stale();
    do_read(a);
    gate.run([&] {
      if (callbacks.on_open) callbacks.on_open();
    });
  }

  // ---- reading ----
  void do_read(const attempt_ptr& a) {
    a->stream.async_read(a->buffer, [self = shared_from_this(), a](beast::error_code ec, std::size_t) {
      self->on_read(a, ec);
    });
  }

  void on_read(const attempt_ptr& a, beast::error_code ec) {
    if (a != current) return;
    if (ec) {
      auto error = detail::to_net_error(ec, net_phase::read, false);
      if (ec == websocket::error::closed)
        error.message = "server closed with code " + std::to_string(a->stream.reason().code) +
                        " '" + std::string{a->stream.reason().reason.data(), a->stream.reason().reason.size()} + "'";
      return fail(a, std::move(error));
    }
    websocket_message message;
    message.received = wall_now();
    message.binary = a->stream.got_binary();
    message.payload = beast::buffers_to_string(a->buffer.data());
    a->buffer.consume(a->buffer.size());
    if (message.binary && options.binary_compression != compression_format::none) {
      auto inflated = decompress(message.payload, options.binary_compression, options.max_message_size);
      if (!inflated)
        return fail(a, make_error(net_errc::protocol_error, net_phase::read,
                                  "undecodable binary frame: " + inflated.error().message));
      message.payload = std::move(inflated).value();
    }
    do_read(a);
    const auto& beat = options.heartbeat;
    if (beat && beat->is_reply && beat->is_reply(message.payload, message.binary)) {
      awaiting_reply = false;
      return;
    }
    last_data_at = steady::now();
    gate.run([&] {
      if (callbacks.on_message) callbacks.on_message(std::move(message));
    });
  }

  // ---- writing: one frame at a time, in queue order ----
  void enqueue(outgoing_ptr frame) {
    if (state != link_state::open) return report(frame, send_outcome::not_sent);
    if (queue.size() >= options.max_queued_sends) return report(frame, send_outcome::not_sent);
    queue.push_back(std::move(frame));
    if (!writing) do_write();
  }

  void do_write() {
    writing = true;
    auto frame = queue.front();
    auto a = current;
    a->stream.binary(frame->binary);
    // The handler keeps `frame` alive: the buffer must outlive the write even if a
    // teardown clears the queue meanwhile.
    a->stream.async_write(asio::buffer(frame->payload),
                          [self = shared_from_this(), a, frame](beast::error_code ec, std::size_t) {
                            self->on_write(a, ec);
                          });
  }

  void on_write(const attempt_ptr& a, beast::error_code ec) {
    if (a != current) return; // the teardown already reported this frame as unknown
    if (ec) return fail(a, detail::to_net_error(ec, net_phase::write, true));
    writing = false;
    auto frame = std::move(queue.front());
    queue.pop_front();
    report(frame, send_outcome::written);
    if (!queue.empty() && state == link_state::open) do_write();
  }

  void report(const outgoing_ptr& frame, send_outcome outcome) {
    if (frame->done) gate.run([&] { frame->done(outcome); });
  }

  // ---- liveness: application heartbeat and stale-stream detection ----
  void arm_heartbeat() {
    const auto& beat = options.heartbeat;
    if (!beat || beat->interval <= std::chrono::nanoseconds::zero()) return;
    heartbeat_timer.expires_after(beat->interval);
    heartbeat_timer.async_wait([self = shared_from_this(), a = current](beast::error_code ec) {
      if (ec || a != self->current || self->state != link_state::open) return;
      self->send_heartbeat(a);
    });
  }

  void send_heartbeat(const attempt_ptr& a) {
    const auto& beat = *options.heartbeat;
    enqueue(std::make_shared<outgoing>(outgoing{beat.payload, beat.binary, {}}));
    if (beat.is_reply && beat.reply_timeout > std::chrono::nanoseconds::zero() && !awaiting_reply) {
      awaiting_reply = true;
      const auto sequence = ++heartbeat_sequence;
      reply_timer.expires_after(beat.reply_timeout);
      reply_timer.async_wait([self = shared_from_this(), a, sequence](beast::error_code ec) {
        if (ec || a != self->current || !self->awaiting_reply || sequence != self->heartbeat_sequence) return;
        self->fail(a, make_error(net_errc::timeout, net_phase::read,
                                 "no heartbeat reply within " +
                                     milliseconds_text(self->options.heartbeat->reply_timeout)));
      });
    }
    arm_heartbeat();
  }

  void arm_stale() {
    if (options.stale_timeout <= std::chrono::nanoseconds::zero()) return;
    stale_timer.expires_at(last_data_at + options.stale_timeout);
    stale_timer.async_wait([self = shared_from_this(), a = current](beast::error_code ec) {
      if (ec || a != self->current || self->state != link_state::open) return;
      if (steady::now() - self->last_data_at < self->options.stale_timeout) return self->arm_stale();
      self->fail(a, make_error(net_errc::timeout, net_phase::read,
                               "no data for " + milliseconds_text(self->options.stale_timeout) +
                                   ": stale stream"));
    });
  }

  // ---- failure, reconnect, close ----
  void fail(const attempt_ptr& a, net_error error) {
    if (a != current) return;
    const bool was_open = state == link_state::open || state == link_state::closing;
    teardown();
    websocket_close_info info{std::move(error), was_open, false, {}};
    if (stopping) {
      info.error = make_error(net_errc::cancelled, net_phase::none, "closed by the owner");
    } else if (options.auto_reconnect && classify(info.error) != outcome_class::fatal) {
      // A fatal error (a refused certificate) would fail the same way again: stop and let
      // the owner escalate instead of hammering the endpoint.
      if (was_open && steady::now() - opened_at >= options.stable_after) retry.reset();
      info.will_reconnect = true;
      info.reconnect_delay = retry.next_delay();
      schedule_reconnect(info.reconnect_delay);
    }
    if (!info.will_reconnect) state = link_state::stopped;
    gate.run([&] {
      if (callbacks.on_close) callbacks.on_close(info);
    });
  }

  void schedule_reconnect(std::chrono::nanoseconds delay) {
    state = link_state::waiting;
    reconnect_timer.expires_after(delay);
    reconnect_timer.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->state != link_state::waiting || self->stopping) return;
      self->connect();
    });
  }

  void teardown() {
    connect_timer.cancel();
    heartbeat_timer.cancel();
    reply_timer.cancel();
    stale_timer.cancel();
    if (current) {
      beast::error_code ignored;
      current->resolver.cancel();
      beast::get_lowest_layer(current->stream).socket().close(ignored);
      current.reset();
    }
    open_flag = false;
    auto pending = std::move(queue);
    queue.clear();
    for (std::size_t i = 0; i < pending.size(); ++i)
      report(pending[i], i == 0 && writing ? send_outcome::unknown : send_outcome::not_sent);
    writing = false;
  }

  void close_by_owner() {
    if (stopping) return;
    stopping = true;
    reconnect_timer.cancel();
    if (state == link_state::open) {
      state = link_state::closing;
      heartbeat_timer.cancel();
      stale_timer.cancel();
      auto a = current;
      a->stream.async_close(websocket::close_code::normal, [self = shared_from_this(), a](beast::error_code) {
        self->fail(a, make_error(net_errc::cancelled, net_phase::none, "closed by the owner"));
      });
    } else if (current) {
      fail(current, make_error(net_errc::cancelled, net_phase::none, "closed by the owner"));
    } else if (state != link_state::stopped) {
      state = link_state::stopped;
      websocket_close_info info{make_error(net_errc::cancelled, net_phase::none, "closed by the owner"),
                                false, false, {}};
      gate.run([&] {
        if (callbacks.on_close) callbacks.on_close(info);
      });
    }
  }

  websocket_client_options options;
  websocket_callbacks callbacks;
  url_parts url;
  std::string server_name;
  strand_type strand;
  detail::callback_gate gate;
  backoff retry;
  asio::steady_timer connect_timer, reconnect_timer, heartbeat_timer, reply_timer, stale_timer;

  attempt_ptr current;
  link_state state = link_state::idle;
  bool stopping = false;
  std::deque<outgoing_ptr> queue;
  bool writing = false;
  steady::time_point opened_at{}, last_data_at{};
  bool awaiting_reply = false;
  std::uint64_t heartbeat_sequence = 0;
  std::atomic<bool> open_flag{false};
  std::atomic<std::uint64_t> opens{0};
};

} // namespace

struct websocket_client::impl : link {
  using link::link;
};

websocket_client::websocket_client(asio::io_context& io, websocket_client_options options,
                                   websocket_callbacks callbacks)
    : impl_(std::make_shared<impl>(io, std::move(options), std::move(callbacks))) {}

websocket_client::~websocket_client() {
  impl_->gate.close();
  close();
}

void websocket_client::start() {
  asio::post(impl_->strand, [self = impl_] {
    if (self->state == link_state::idle && !self->stopping) self->connect();
  });
}

void websocket_client::send_text(std::string payload, send_callback done) {
  auto frame = std::make_shared<outgoing>(outgoing{std::move(payload), false, std::move(done)});
  asio::post(impl_->strand, [self = impl_, frame = std::move(frame)] { self->enqueue(frame); });
}

void websocket_client::send_binary(std::string payload, send_callback done) {
  auto frame = std::make_shared<outgoing>(outgoing{std::move(payload), true, std::move(done)});
  asio::post(impl_->strand, [self = impl_, frame = std::move(frame)] { self->enqueue(frame); });
}

void websocket_client::close() {
  asio::post(impl_->strand, [self = impl_] { self->close_by_owner(); });
}

bool websocket_client::is_open() const noexcept { return impl_->open_flag.load(); }

std::uint64_t websocket_client::open_count() const noexcept { return impl_->opens.load(); }

} // namespace tern::net
