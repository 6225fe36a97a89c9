#include "supervision/restart_delay.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>

// Interim curve, to be replaced by an adapter over net::backoff when the net branch lands on
// main (same formula and jitter semantics, so the tests of the curve stay as they are).

namespace tern::supervision {
namespace {

using std::chrono::nanoseconds;

std::string quote(double value) {
  // Built by appending: GCC 12 warns falsely (-Wrestrict) about "'" + std::string.
  std::string text{"'"};
  text += std::to_string(value);
  text += '\'';
  return text;
}

class exponential_delays final : public restart_delays {
 public:
  exponential_delays(backoff_settings settings, uniform_source source)
      : settings_(settings), source_(std::move(source)) {}

  nanoseconds next_delay() override {
    const auto base = base_delay(attempt_);
    ++attempt_;
    if (settings_.jitter == 0.0 || !source_)
      return base;
    const double u = std::clamp(source_(), 0.0, 1.0);
    const double shortened = static_cast<double>(base.count()) * (1.0 - settings_.jitter * u);
    return nanoseconds{static_cast<nanoseconds::rep>(shortened)};
  }

  void reset() noexcept override { attempt_ = 0; }

 private:
  [[nodiscard]] nanoseconds base_delay(std::size_t attempt) const {
    const auto min = static_cast<double>(settings_.min.count());
    const auto max = static_cast<double>(settings_.max.count());
    // pow overflows to inf long before the cap matters; min() brings it back to max.
    const double grown = min * std::pow(settings_.factor, static_cast<double>(attempt));
    return nanoseconds{static_cast<nanoseconds::rep>(std::min(grown, max))};
  }

  backoff_settings settings_;
  uniform_source source_;
  std::size_t attempt_ = 0;
};

} // namespace

expected<void, settings_error> validate(const backoff_settings& settings) {
  if (settings.min.count() < 0)
    return unexpected{settings_error{"backoff min must not be negative, got "
                                     + std::to_string(settings.min.count()) + " ns"}};
  if (settings.max < settings.min)
    return unexpected{settings_error{"backoff max (" + std::to_string(settings.max.count())
                                     + " ns) must not be below min ("
                                     + std::to_string(settings.min.count()) + " ns)"}};
  if (!(settings.factor >= 1.0 && settings.factor <= 100.0))
    return unexpected{settings_error{"backoff factor must be in [1, 100], got "
                                     + quote(settings.factor)}};
  if (!(settings.jitter >= 0.0 && settings.jitter <= 1.0))
    return unexpected{settings_error{"backoff jitter must be in [0, 1], got "
                                     + quote(settings.jitter)}};
  return {};
}

restart_delays_factory exponential_restart_delays(backoff_settings settings,
                                                  uniform_source source) {
  return [settings, source = std::move(source)] {
    return std::make_unique<exponential_delays>(settings, source);
  };
}

uniform_source random_uniform_source() {
  auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [engine] { return std::uniform_real_distribution<double>{0.0, 1.0}(*engine); };
}

} // namespace tern::supervision
