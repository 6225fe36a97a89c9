#include "supervision/kill_switch.hpp"

#include <memory>
#include <utility>

namespace tern::supervision {

kill_switch::kill_switch(std::function<timestamp()> clock) : clock_(std::move(clock)) {}

void kill_switch::arm(kill_switch_action action) {
  std::lock_guard lock{mutex_};
  action_ = std::move(action);
  status_.armed = static_cast<bool>(action_);
}

kill_switch_outcome kill_switch::trigger(kill_switch_request request,
                                         std::function<void(const kill_switch_result&)> done) {
  kill_switch_action action;
  {
    std::lock_guard lock{mutex_};
    if (!action_)
      return kill_switch_outcome::unarmed;
    if (status_.running)
      return kill_switch_outcome::busy;
    status_.running = true;
    ++status_.invocations;
    status_.last = kill_switch_invocation{request, clock_(), std::nullopt, std::nullopt};
    action = action_; // called outside the lock: it may report back on this very thread
  }
  // A second call of `done` (a broken action) must not record twice or answer twice.
  auto reported = std::make_shared<std::once_flag>();
  action(request, [this, reported, done = std::move(done)](kill_switch_result result) {
    std::call_once(*reported, [&] {
      {
        std::lock_guard lock{mutex_};
        status_.running = false;
        status_.last->completed_at = clock_();
        status_.last->result = result;
      }
      if (done)
        done(result);
    });
  });
  return kill_switch_outcome::started;
}

kill_switch_status kill_switch::status() const {
  std::lock_guard lock{mutex_};
  return status_;
}

} // namespace tern::supervision
