#include <catch2/catch.hpp>

#include "net/compression.hpp"
#include "net/errors.hpp"
#include "net/url.hpp"

using namespace tern::net;

TEST_CASE("URLs split into scheme, host, port and target") {
  auto wss = parse_url("wss://stream.binance.com:9443/ws/btcusdt@depth");
  REQUIRE(wss.has_value());
  CHECK(wss->scheme == "wss");
  CHECK(wss->host == "stream.binance.com");
  CHECK(wss->port == 9443);
  CHECK(wss->target == "/ws/btcusdt@depth");
  CHECK(wss->host_header() == "stream.binance.com:9443");
  CHECK(wss->secure());

  auto https = parse_url("HTTPS://api.exchange.example?x=1#frag");
  REQUIRE(https.has_value());
  CHECK(https->port == 443);
  CHECK(https->target == "/?x=1");
  CHECK(https->host_header() == "api.exchange.example");

  auto ipv6 = parse_url("ws://[::1]:8080/");
  REQUIRE(ipv6.has_value());
  CHECK(ipv6->host == "::1");
  CHECK(ipv6->port == 8080);
  CHECK(ipv6->host_header() == "[::1]:8080");
  CHECK_FALSE(ipv6->secure());
}

TEST_CASE("malformed URLs are refused with the URL quoted") {
  for (const char* bad : {"stream.example.com/ws", "ftp://x/", "wss://:443/", "wss://host:0/", "wss://host:70000/",
                          "wss://host:12ab/", "wss://user:secret@host/", "wss://[::1/"}) {
    auto parsed = parse_url(bad);
    INFO(bad);
    REQUIRE_FALSE(parsed.has_value());
    CHECK(parsed.error().code == net_errc::invalid_argument);
    if (std::string_view{bad}.find("secret") == std::string_view::npos)
      CHECK_THAT(parsed.error().message, Catch::Contains(bad));
  }
  CHECK(is_ip_literal("127.0.0.1"));
  CHECK(is_ip_literal("::1"));
  CHECK_FALSE(is_ip_literal("localhost"));
}

TEST_CASE("compression round-trips every format and refuses corrupt or oversized input") {
  std::string text;
  for (int i = 0; i < 200; ++i) text += R"({"e":"depthUpdate","u":)" + std::to_string(i) + "}";
  for (auto format : {compression_format::gzip, compression_format::zlib, compression_format::raw_deflate}) {
    INFO(to_string(format));
    const auto packed = compress(text, format);
    CHECK(packed.size() < text.size());
    auto unpacked = decompress(packed, format, 1 << 20);
    REQUIRE(unpacked.has_value());
    CHECK(*unpacked == text);
    auto truncated = decompress(packed.substr(0, packed.size() / 2), format, 1 << 20);
    REQUIRE_FALSE(truncated.has_value());
    auto bounded = decompress(packed, format, text.size() - 1);
    REQUIRE_FALSE(bounded.has_value());
    CHECK_THAT(bounded.error().message, Catch::Contains("exceeds"));
  }
  auto detected = decompress(compress(text, compression_format::zlib), compression_format::gzip_or_zlib, 1 << 20);
  REQUIRE(detected.has_value());
  CHECK(*detected == text);
  CHECK_FALSE(decompress("plainly not compressed", compression_format::gzip, 1 << 20).has_value());
  CHECK(compression_format::gzip != compression_format::raw_deflate);
  CHECK_FALSE(decompress(compress(text, compression_format::gzip), compression_format::raw_deflate, 1 << 20).has_value());
}

TEST_CASE("error classification: certain-not-sent is retryable, written is unknown, bad trust is fatal") {
  auto error = [](net_errc code, net_phase phase, bool written, unsigned status = 0) {
    return net_error{code, phase, written, certificate_problem::none, status, ""};
  };
  CHECK(classify(error(net_errc::resolve_failed, net_phase::resolve, false)) == outcome_class::retryable);
  CHECK(classify(error(net_errc::connect_failed, net_phase::connect, false)) == outcome_class::retryable);
  CHECK(classify(error(net_errc::tls_handshake_failed, net_phase::tls_handshake, false)) == outcome_class::retryable);
  CHECK(classify(error(net_errc::timeout, net_phase::connect, false)) == outcome_class::retryable);
  CHECK(classify(error(net_errc::timeout, net_phase::queue, false)) == outcome_class::retryable);
  CHECK(classify(error(net_errc::queue_full, net_phase::queue, false)) == outcome_class::retryable);
  CHECK(classify(error(net_errc::timeout, net_phase::read, true)) == outcome_class::outcome_unknown);
  CHECK(classify(error(net_errc::timeout, net_phase::write, true)) == outcome_class::outcome_unknown);
  CHECK(classify(error(net_errc::closed_by_peer, net_phase::read, true)) == outcome_class::outcome_unknown);
  CHECK(classify(error(net_errc::cancelled, net_phase::read, true)) == outcome_class::outcome_unknown);
  CHECK(classify(error(net_errc::protocol_error, net_phase::read, true)) == outcome_class::outcome_unknown);
  CHECK(classify(error(net_errc::certificate_verification_failed, net_phase::tls_handshake, false)) ==
        outcome_class::fatal);
  CHECK(classify(error(net_errc::invalid_argument, net_phase::none, false)) == outcome_class::fatal);
  CHECK(classify(error(net_errc::http_status, net_phase::read, true, 503)) == outcome_class::outcome_unknown);
  CHECK(classify(error(net_errc::http_status, net_phase::read, true, 429)) == outcome_class::outcome_unknown);
  CHECK(classify(error(net_errc::http_status, net_phase::read, true, 408)) == outcome_class::outcome_unknown);
  CHECK(classify(error(net_errc::http_status, net_phase::read, true, 400)) == outcome_class::fatal);
  CHECK(classify(error(net_errc::http_status, net_phase::read, true, 401)) == outcome_class::fatal);
  const auto text = error(net_errc::timeout, net_phase::read, true).describe();
  CHECK_THAT(text, Catch::Contains("timeout") && Catch::Contains("read") && Catch::Contains("request written"));
}
