#include "sim/server.hpp"

#include <set>

#include "net/certificate_authority.hpp"
#include "net/http_server.hpp"
#include "net/io_runtime.hpp"
#include "net/tls.hpp"
#include "sim/control_api.hpp"

namespace tern::sim {

server::server(server_options options)
    : options_(std::move(options)), faults_(options_.fault_seed) {
  skew_ms_.store(options_.clock_skew.count());
  if (!options_.clock)
    options_.clock = [] { return timestamp{std::chrono::system_clock::now().time_since_epoch()}; };
}

expected<std::unique_ptr<server>, std::string> server::start(server_options options) {
  std::unique_ptr<server> started{new server(std::move(options))};
  if (auto launched = started->launch(); !launched) {
    started->stop();
    return unexpected{launched.error()};
  }
  return started;
}

server::~server() { stop(); }

timestamp server::exchange_now() const {
  return options_.clock() + std::chrono::milliseconds{skew_ms_.load()};
}

expected<void, std::string> server::launch() {
  std::set<std::string> names;
  for (const auto& setup : options_.exchanges)
    if (!names.insert(setup.name).second) return unexpected{"exchange name " + setup.name + " is used twice"};
  auto ca = net::certificate_authority::create("Tern simulator CA");
  if (!ca) return unexpected{"certificate authority: " + ca.error().message};
  net::server_names names_for_certificate;
  names_for_certificate.dns_names = {"localhost"};
  names_for_certificate.ip_addresses = {"127.0.0.1"};
  if (options_.host != "127.0.0.1" && options_.host != "localhost")
    names_for_certificate.ip_addresses.push_back(options_.host);
  auto certificate = ca->issue_server_certificate(names_for_certificate);
  if (!certificate) return unexpected{"server certificate: " + certificate.error().message};
  auto tls = net::make_server_tls_context(certificate->certificate_pem, certificate->private_key_pem);
  if (!tls) return unexpected{"server TLS: " + tls.error().message};
  ca_pem_ = ca->certificate_pem();
  if (!options_.ca_file.empty())
    if (auto written = ca->write_certificate_pem(options_.ca_file); !written)
      return unexpected{"CA file " + options_.ca_file + ": " + written.error().message};

  runtime_ = std::make_unique<net::io_runtime>(options_.io_threads);
  runtime_->start();
  host_environment env;
  env.io = &runtime_->context();
  env.host = options_.host;
  env.tls = *tls;
  env.faults = &faults_;
  env.records = &records_;
  env.clock = [this] { return exchange_now(); };
  for (auto& setup : options_.exchanges) {
    auto host = exchange_host::create(setup, env);
    if (!host) return unexpected{host.error()};
    if (options_.start_paused) (*host)->pause();
    if (auto port = (*host)->start(); !port) return unexpected{port.error()};
    exchanges_.push_back(std::move(*host));
  }
  if (options_.control_port) {
    net::http_server_options control;
    control.host = options_.host;
    control.port = *options_.control_port;
    control_ = std::make_unique<net::http_server>(
        runtime_->context(), control, [this](net::server_request request, net::responder reply) {
          reply.respond(handle_control_request(*this, request));
        });
    auto port = control_->start();
    if (!port) return unexpected{"control API: " + port.error().message};
    control_port_ = *port;
  }
  return {};
}

void server::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (control_) control_->stop();
  for (auto& host : exchanges_) host->stop();
  exchanges_.clear();
  control_.reset();
  if (runtime_) {
    runtime_->stop();
    runtime_->join();
  }
}

exchange_host* server::exchange(std::string_view name) {
  for (auto& host : exchanges_)
    if (host->name() == name) return host.get();
  return nullptr;
}

std::vector<std::string> server::endpoint_lines() const {
  std::vector<std::string> lines;
  for (const auto& host : exchanges_)
    for (const auto& endpoint : host->endpoints())
      lines.push_back(host->name() + " " + endpoint.label + ": " + endpoint.url);
  if (control_) lines.push_back("control: http://" + options_.host + ":" + std::to_string(control_port_));
  if (!options_.ca_file.empty()) lines.push_back("ca: " + options_.ca_file);
  return lines;
}

} // namespace tern::sim
