#pragma once

// Lets an owner destroy a client while its callbacks may be running on io threads: the
// destructor closes the gate, waiting for a callback in progress (unless it is that very
// callback destroying the client, hence the recursive mutex); later callbacks are skipped.

#include <mutex>
#include <utility>

namespace tern::net::detail {

class callback_gate {
 public:
  template <class F>
  void run(F&& f) {
    std::lock_guard lock{mutex_};
    if (open_) std::forward<F>(f)();
  }
  void close() {
    std::lock_guard lock{mutex_};
    open_ = false;
  }

 private:
  std::recursive_mutex mutex_;
  bool open_ = true;
};

} // namespace tern::net::detail
