#include "supervision/clock.hpp"

#include <algorithm>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "actors/message_types.hpp"

namespace tern::supervision {
namespace {

class system_clock_impl final : public supervision_clock {
 public:
  [[nodiscard]] timestamp now() const override {
    return std::chrono::time_point_cast<std::chrono::nanoseconds>(
        std::chrono::system_clock::now());
  }

  void schedule(std::chrono::nanoseconds delay, const caf::actor& target,
                std::uint64_t id) override {
    // CAF's timer service runs on the steady clock, so a wall-clock jump cannot make a
    // restart fire early or late.
    caf::delayed_anon_send(target, delay, timer_atom_v, id);
  }

  void cancel(const caf::actor&, std::uint64_t) override {}
};

} // namespace

clock_ptr make_system_clock() {
  return std::make_shared<system_clock_impl>();
}

manual_clock::manual_clock(timestamp start) : now_(start) {}

timestamp manual_clock::now() const {
  std::lock_guard lock{mutex_};
  return now_;
}

void manual_clock::schedule(std::chrono::nanoseconds delay, const caf::actor& target,
                            std::uint64_t id) {
  {
    std::lock_guard lock{mutex_};
    timers_.push_back(timer{now_ + delay, sequence_++, target.address(), id});
  }
  changed_.notify_all();
}

void manual_clock::cancel(const caf::actor& target, std::uint64_t id) {
  {
    std::lock_guard lock{mutex_};
    const auto address = target.address();
    std::erase_if(timers_, [&](const timer& t) { return t.id == id && t.target == address; });
  }
  changed_.notify_all();
}

std::size_t manual_clock::advance(std::chrono::nanoseconds step) {
  std::vector<timer> due;
  {
    std::lock_guard lock{mutex_};
    now_ += step;
    const auto split = std::stable_partition(timers_.begin(), timers_.end(),
                                             [this](const timer& t) { return t.due > now_; });
    due.assign(std::make_move_iterator(split), std::make_move_iterator(timers_.end()));
    timers_.erase(split, timers_.end());
  }
  std::sort(due.begin(), due.end(), [](const timer& a, const timer& b) {
    return a.due != b.due ? a.due < b.due : a.sequence < b.sequence;
  });
  // Sent outside the lock: a receiver may set its next timer at once.
  for (const auto& t : due)
    if (auto target = caf::actor_cast<caf::actor>(t.target))
      caf::anon_send(target, timer_atom_v, t.id);
  return due.size();
}

std::vector<std::chrono::nanoseconds> manual_clock::pending() const {
  std::lock_guard lock{mutex_};
  return pending_locked();
}

bool manual_clock::await_pending(
    const std::function<bool(const std::vector<std::chrono::nanoseconds>&)>& condition,
    std::chrono::milliseconds timeout) const {
  std::unique_lock lock{mutex_};
  return changed_.wait_for(lock, timeout, [&] { return condition(pending_locked()); });
}

std::vector<std::chrono::nanoseconds> manual_clock::pending_locked() const {
  std::vector<std::chrono::nanoseconds> delays;
  for (const auto& t : timers_)
    delays.push_back(t.due - now_);
  std::sort(delays.begin(), delays.end());
  return delays;
}

bool manual_clock::await_pending(std::size_t count, std::chrono::milliseconds timeout,
                                 bool exactly) const {
  std::unique_lock lock{mutex_};
  return changed_.wait_for(lock, timeout, [&] {
    return exactly ? timers_.size() == count : timers_.size() >= count;
  });
}

std::uint64_t manual_clock::scheduled_total() const {
  std::lock_guard lock{mutex_};
  return sequence_;
}

} // namespace tern::supervision
