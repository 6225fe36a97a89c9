#include "sim/taker_flow.hpp"

#include <cmath>
#include <stdexcept>

namespace tern::sim {

expected<std::unique_ptr<taker_flow>, std::string> taker_flow::create(
    matching_engine& engine, ledger& accounts, taker_flow_config config) {
  const market_spec& spec = engine.spec();
  std::string where = "taker flow on " + spec.symbol + ": ";
  if (!(config.orders_per_second > 0.0))
    return unexpected{where + "the arrival rate must be positive"};
  if (!(config.buy_probability >= 0.0) || config.buy_probability > 1.0)
    return unexpected{where + "the buy probability must be in [0, 1]"};
  if (!config.min_quantity.is_positive() || config.max_quantity < config.min_quantity
      || !config.min_quantity.is_multiple_of(spec.step)
      || !config.max_quantity.is_multiple_of(spec.step))
    return unexpected{where + "quantities " + config.min_quantity.to_string() + ".."
                      + config.max_quantity.to_string()
                      + " must be positive step multiples, min <= max"};
  try {
    return std::unique_ptr<taker_flow>{new taker_flow(engine, accounts, std::move(config))};
  } catch (const std::invalid_argument& failure) {
    return unexpected{std::string{failure.what()}};
  }
}

taker_flow::taker_flow(matching_engine& engine, ledger& accounts, taker_flow_config config)
    : engine_(engine),
      ledger_(accounts),
      config_(std::move(config)),
      account_(open_driver_account(engine, accounts, config_.api_key, config_.funds)),
      random_(config_.seed),
      next_(config_.start) {
  schedule_next();
}

void taker_flow::schedule_next() {
  double wait_seconds = random_.exponential(config_.orders_per_second);
  next_ += std::chrono::nanoseconds{std::llround(wait_seconds * 1e9)};
}

void taker_flow::advance_to(timestamp now, event_buffer& out) {
  while (next_ <= now) {
    send(next_, out);
    schedule_next();
  }
}

void taker_flow::send(timestamp now, event_buffer& out) {
  decimal step = engine_.spec().step;
  auto choices = static_cast<std::uint64_t>((config_.max_quantity - config_.min_quantity).raw()
                                            / step.raw()) + 1;
  order_request request;
  request.account = account_;
  request.type = order_type::market;
  request.side = random_.uniform() < config_.buy_probability ? side::buy : side::sell;
  request.quantity = config_.min_quantity + step * static_cast<std::int64_t>(random_.below(choices));
  auto placed = engine_.place(request, now, out);
  if (top_up_if_short(placed, ledger_, engine_, account_, config_.funds))
    placed = engine_.place(request, now, out);
  ++sent_;
  if (!placed)
    ++refused_;
}

} // namespace tern::sim
