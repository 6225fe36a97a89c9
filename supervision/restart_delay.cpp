#include "supervision/restart_delay.hpp"

#include <random>
#include <stdexcept>
#include <utility>

#include "net/backoff.hpp"

// The curve is net::backoff's, shared with the WebSocket reconnects. A zero minimum is
// supervision's own case: restart at once, every time (OTP's behaviour), which net::backoff
// does not model.

namespace tern::supervision {
namespace {

net::backoff_options to_net(const backoff_settings& settings) {
  net::backoff_options options;
  options.min_delay = settings.min;
  options.max_delay = settings.max;
  options.factor = settings.factor;
  options.jitter = settings.jitter;
  return options;
}

class curve_delays final : public restart_delays {
 public:
  explicit curve_delays(net::backoff curve) : curve_(std::move(curve)) {}
  std::chrono::nanoseconds next_delay() override { return curve_.next_delay(); }
  void reset() noexcept override { curve_.reset(); }

 private:
  net::backoff curve_;
};

class no_delays final : public restart_delays {
 public:
  std::chrono::nanoseconds next_delay() override { return {}; }
  void reset() noexcept override {}
};

bool immediate(const backoff_settings& settings) {
  return settings.min.count() == 0;
}

} // namespace

expected<void, settings_error> validate(const backoff_settings& settings) {
  if (settings.min.count() < 0)
    return unexpected{settings_error{"backoff min must not be negative, got "
                                     + std::to_string(settings.min.count()) + " ns"}};
  if (immediate(settings))
    return {};
  if (auto valid = net::validate(to_net(settings)); !valid)
    return unexpected{settings_error{valid.error().message}};
  return {};
}

restart_delays_factory exponential_restart_delays(backoff_settings settings,
                                                  uniform_source source) {
  if (!source)
    source = [] { return 0.0; }; // no source: the curve without jitter
  return [settings, source = std::move(source)]() -> std::unique_ptr<restart_delays> {
    if (immediate(settings))
      return std::make_unique<no_delays>();
    auto curve = net::backoff::create(to_net(settings), source);
    if (!curve) // validate() runs before a supervisor is built, so this is a bug
      throw std::invalid_argument{"restart delays: " + curve.error().message};
    return std::make_unique<curve_delays>(std::move(*curve));
  };
}

uniform_source random_uniform_source() {
  return net::seeded_uniform_source(std::random_device{}());
}

} // namespace tern::supervision
