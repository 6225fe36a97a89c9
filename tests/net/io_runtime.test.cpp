#include <catch2/catch.hpp>

#include <utility> // before Asio: Boost 1.74 misses it under C++20

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <condition_variable>
#include <mutex>

#include "net/io_runtime.hpp"

using namespace tern::net;
using namespace std::chrono_literals;

namespace {

/// Posts `count` handlers that each wait until all of them run at once: only possible when
/// the runtime really has `count` threads. Returns how many met the others, or -1 if one ran
/// off the runtime's threads. Waits for every handler to finish (they use this frame).
int rendezvous(io_runtime& runtime, int count) {
  std::mutex mutex;
  std::condition_variable changed;
  int arrived = 0, met = 0, finished = 0, on_runtime_thread = 0;
  for (int i = 0; i < count; ++i)
    boost::asio::post(runtime.context(), [&] {
      std::unique_lock lock{mutex};
      ++arrived;
      if (runtime.running_in_this_thread()) ++on_runtime_thread;
      changed.notify_all();
      if (changed.wait_for(lock, 5s, [&] { return arrived == count; })) ++met;
      ++finished;
      changed.notify_all();
    });
  std::unique_lock lock{mutex};
  changed.wait(lock, [&] { return finished == count; }); // each handler gives up after 5 s
  return on_runtime_thread == count ? met : -1;
}

} // namespace

TEST_CASE("io_runtime runs its handlers on the requested number of threads") {
  io_runtime runtime{3};
  CHECK(runtime.thread_count() == 3);
  runtime.start();
  CHECK(rendezvous(runtime, 3) == 3);
  CHECK_FALSE(runtime.running_in_this_thread());
}

TEST_CASE("io_runtime stays alive while idle and can be restarted after stop") {
  io_runtime runtime{1};
  runtime.start();
  runtime.start(); // a no-op while running
  CHECK(rendezvous(runtime, 1) == 1);
  runtime.stop();
  runtime.join();
  runtime.start();
  CHECK(rendezvous(runtime, 1) == 1);
  CHECK(io_runtime{0}.thread_count() == 1);
}
