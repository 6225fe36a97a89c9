#pragma once

// The supervisors' clock: what time it is, and timers that deliver a message when they come
// due. Production uses the system clock and CAF's timer service; tests use `manual_clock`,
// where time moves only when the test advances it, so backoff delays and shutdown timeouts
// are checked exactly and no test sleeps.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>

#include "core/types.hpp"

namespace tern::supervision {

/// Time and timers for supervisors. Thread-safe: one clock serves every supervisor.
class supervision_clock {
 public:
  virtual ~supervision_clock() = default;
  /// The current time.
  [[nodiscard]] virtual timestamp now() const = 0;
  /// Sends `(timer_atom, id)` to `target` once `delay` has passed on this clock.
  virtual void schedule(std::chrono::nanoseconds delay, const caf::actor& target,
                        std::uint64_t id) = 0;
  /// Withdraws a timer if the clock can; the receiver must ignore ids it no longer expects
  /// either way (CAF's timer service cannot withdraw a delayed message).
  virtual void cancel(const caf::actor& target, std::uint64_t id) = 0;
};

using clock_ptr = std::shared_ptr<supervision_clock>;

/// Wall-clock time (for failure times people read) and CAF's own timer service.
[[nodiscard]] clock_ptr make_system_clock();

/// A clock that stands still until `advance` moves it.
class manual_clock final : public supervision_clock {
 public:
  explicit manual_clock(timestamp start = from_unix_ms(1'700'000'000'000));

  [[nodiscard]] timestamp now() const override;
  void schedule(std::chrono::nanoseconds delay, const caf::actor& target,
                std::uint64_t id) override;
  void cancel(const caf::actor& target, std::uint64_t id) override;

  /// Moves time forward by `step` and delivers, in due order, every timer due by then.
  /// Returns how many were delivered.
  std::size_t advance(std::chrono::nanoseconds step);
  /// The delays from now of the timers not yet delivered, soonest first.
  [[nodiscard]] std::vector<std::chrono::nanoseconds> pending() const;
  /// Waits (real time, at most `timeout`) until at least `count` timers are pending, or
  /// exactly `count` if `exactly`: timers are set and withdrawn from actor threads, so a test
  /// waits for them before advancing.
  bool await_pending(std::size_t count, std::chrono::milliseconds timeout,
                     bool exactly = false) const;
  /// Waits (real time, at most `timeout`) until the pending delays satisfy `condition`.
  bool await_pending(
      const std::function<bool(const std::vector<std::chrono::nanoseconds>&)>& condition,
      std::chrono::milliseconds timeout) const;
  /// Timers set since construction.
  [[nodiscard]] std::uint64_t scheduled_total() const;

 private:
  struct timer {
    timestamp due;
    std::uint64_t sequence; // keeps timers due at the same instant in the order they were set
    caf::actor_addr target; // weak: a pending timer keeps no actor alive
    std::uint64_t id;
  };

  [[nodiscard]] std::vector<std::chrono::nanoseconds> pending_locked() const;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  timestamp now_;
  std::vector<timer> timers_;
  std::uint64_t sequence_ = 0;
};

} // namespace tern::supervision
