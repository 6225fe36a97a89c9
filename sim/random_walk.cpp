#include "sim/random_walk.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace tern::sim {

namespace {

std::int64_t ticks_of(decimal price, decimal tick) {
  return static_cast<std::int64_t>(price.raw() / tick.raw());
}

std::string check(const matching_engine& engine, const random_walk_config& config) {
  const market_spec& spec = engine.spec();
  if (!config.initial_mid.is_positive() || !config.initial_mid.is_multiple_of(spec.tick))
    return "initial mid " + config.initial_mid.to_string() + " is not a positive multiple of the tick";
  if (!config.level_size.is_positive() || config.level_size.floor_to(spec.step).is_zero())
    return "level size " + config.level_size.to_string() + " is below one step";
  if (config.levels_per_side < 1 || config.spread_ticks < 1 || config.level_spacing_ticks < 1)
    return "levels per side, spread and level spacing must be at least 1";
  if (config.step_interval.count() <= 0)
    return "the step interval must be positive";
  if (!(config.volatility_bps >= 0.0) || !(config.size_jitter >= 0.0) || config.size_jitter >= 1.0)
    return "volatility must be >= 0 and size jitter in [0, 1)";
  if (!(config.jump_probability >= 0.0) || config.jump_probability > 1.0
      || !(config.jump_bps >= 0.0) || config.jump_steps < 0)
    return "jump probability must be in [0, 1], jump size and length >= 0";
  if (config.funding_interval.count() < 0
      || (config.funding_interval.count() > 0 && spec.kind != market_kind::perpetual))
    return "funding needs a perpetual market and a positive interval";
  return {};
}

} // namespace

expected<std::unique_ptr<random_walk>, std::string> random_walk::create(
    matching_engine& engine, ledger& accounts, random_walk_config config) {
  if (auto problem = check(engine, config); !problem.empty())
    return unexpected{"random walk on " + engine.spec().symbol + ": " + problem};
  try {
    return std::unique_ptr<random_walk>{new random_walk(engine, accounts, std::move(config))};
  } catch (const std::invalid_argument& failure) {
    return unexpected{std::string{failure.what()}};
  }
}

random_walk::random_walk(matching_engine& engine, ledger& accounts, random_walk_config config)
    : engine_(engine),
      config_(std::move(config)),
      liquidity_(engine, accounts, config_.api_key, config_.funds),
      walk_random_(config_.seed),
      jump_random_(config_.jump_seed),
      mid_ticks_(ticks_of(config_.initial_mid, engine.spec().tick)),
      floor_ticks_(config_.spread_ticks
                   + static_cast<std::int64_t>(config_.levels_per_side) * config_.level_spacing_ticks
                   + 1),
      next_step_(config_.start) {
  mid_ticks_ = std::max(mid_ticks_, floor_ticks_);
  if (config_.funding_interval.count() > 0)
    next_funding_ = config_.start + config_.funding_interval;
}

std::optional<timestamp> random_walk::next_event_time() const {
  if (next_funding_ && *next_funding_ < next_step_)
    return next_funding_;
  return next_step_;
}

void random_walk::advance_to(timestamp now, event_buffer& out) {
  while (true) {
    bool funding_due = next_funding_ && *next_funding_ <= now && *next_funding_ < next_step_;
    if (funding_due) {
      (void)engine_.settle_funding(config_.funding_rate, mid(), *next_funding_, out);
      *next_funding_ += config_.funding_interval;
    } else if (next_step_ <= now) {
      step(out);
    } else {
      return;
    }
  }
}

decimal random_walk::mid() const { return engine_.spec().tick * centre_ticks(); }

std::int64_t random_walk::centre_ticks() const {
  return std::max(mid_ticks_ + jump_ticks_, floor_ticks_);
}

void random_walk::step(event_buffer& out) {
  timestamp now = next_step_;
  if (steps_ > 0)
    move();
  update_jump();
  rebuild(now, out);
  if (engine_.spec().kind == market_kind::perpetual)
    engine_.set_mark_price(mid());
  ++steps_;
  next_step_ += config_.step_interval;
}

void random_walk::move() {
  double sigma_ticks = config_.volatility_bps * 1e-4 * static_cast<double>(mid_ticks_);
  auto delta = static_cast<std::int64_t>(std::llround(walk_random_.normal() * sigma_ticks));
  mid_ticks_ = std::max(mid_ticks_ + delta, floor_ticks_);
}

void random_walk::update_jump() {
  if (jump_left_ > 0) {
    if (--jump_left_ == 0)
      jump_ticks_ = 0;
    return;
  }
  if (config_.jump_probability <= 0.0 || config_.jump_steps <= 0)
    return;
  if (jump_random_.uniform() >= config_.jump_probability)
    return;
  auto size = static_cast<std::int64_t>(
      std::llround(config_.jump_bps * 1e-4 * static_cast<double>(mid_ticks_)));
  jump_ticks_ = jump_random_.uniform() < 0.5 ? -size : size;
  jump_left_ = config_.jump_steps;
}

decimal random_walk::jittered_size() {
  decimal size = config_.level_size;
  if (config_.size_jitter > 0.0) {
    double factor = 1.0 + config_.size_jitter * (2.0 * jump_random_.uniform() - 1.0);
    size = decimal::multiply(size, decimal::from_scaled(std::llround(factor * 1e6), 6),
                             rounding::down);
  }
  return max(size.floor_to(engine_.spec().step), engine_.spec().step);
}

void random_walk::rebuild(timestamp now, event_buffer& out) {
  decimal tick = engine_.spec().tick;
  std::int64_t best_bid = centre_ticks() - config_.spread_ticks / 2;
  std::int64_t best_ask = best_bid + config_.spread_ticks;
  std::vector<price_level> bids;
  std::vector<price_level> asks;
  for (int level = 0; level < config_.levels_per_side; ++level) {
    std::int64_t offset = static_cast<std::int64_t>(level) * config_.level_spacing_ticks;
    bids.push_back(price_level{tick * (best_bid - offset), jittered_size()});
    asks.push_back(price_level{tick * (best_ask + offset), jittered_size()});
  }
  liquidity_.reconcile(bids, asks, now, out);
}

} // namespace tern::sim
