#include <utility> // before Asio: Boost 1.74 misses it under C++20

#include "net/io_runtime.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace tern::net {

namespace asio = boost::asio;

struct io_runtime::impl {
  explicit impl(std::size_t requested)
      : thread_count(requested == 0 ? 1 : requested), context(static_cast<int>(thread_count)) {}

  std::size_t thread_count;
  asio::io_context context;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
};

io_runtime::io_runtime(std::size_t threads) : impl_(std::make_unique<impl>(threads)) {}

io_runtime::~io_runtime() {
  stop();
  join();
}

asio::io_context& io_runtime::context() noexcept { return impl_->context; }

void io_runtime::start() {
  if (!impl_->threads.empty()) return;
  impl_->context.restart();
  impl_->work.emplace(impl_->context.get_executor());
  for (std::size_t i = 0; i < impl_->thread_count; ++i)
    impl_->threads.emplace_back([this] { impl_->context.run(); });
}

void io_runtime::stop() {
  impl_->work.reset();
  impl_->context.stop();
}

void io_runtime::join() {
  for (auto& thread : impl_->threads) {
    if (!thread.joinable()) continue;
    // A runner thread cannot join itself (a callback destroying the runtime): let it finish.
    if (thread.get_id() == std::this_thread::get_id()) thread.detach();
    else thread.join();
  }
  impl_->threads.clear();
}

bool io_runtime::running_in_this_thread() const noexcept {
  return impl_->context.get_executor().running_in_this_thread();
}

std::size_t io_runtime::thread_count() const noexcept { return impl_->thread_count; }

} // namespace tern::net
