#pragma once

// A small `expected<T, E>`: C++20 has no std::expected, and core/ must not depend on CAF's.

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace tern {

template <class E>
class unexpected {
 public:
  explicit unexpected(E error) : error_(std::move(error)) {}
  [[nodiscard]] E& error() & { return error_; }
  [[nodiscard]] E&& error() && { return std::move(error_); }

 private:
  E error_;
};

template <class E>
unexpected(E) -> unexpected<E>;

/// Either a value or the error that explains why there is none.
template <class T, class E>
class [[nodiscard]] expected {
 public:
  using value_type = T;
  using error_type = E;

  template <class U = T, class = std::enable_if_t<std::is_constructible_v<T, U&&>>>
  expected(U&& value) : storage_(std::in_place_index<0>, std::forward<U>(value)) {}

  template <class G>
  expected(unexpected<G> error) : storage_(std::in_place_index<1>, std::move(error.error())) {}

  [[nodiscard]] bool has_value() const noexcept { return storage_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  [[nodiscard]] T& value() & { assert(has_value()); return std::get<0>(storage_); }
  [[nodiscard]] const T& value() const& { assert(has_value()); return std::get<0>(storage_); }
  // By value, so `for (auto& x : f().value())` cannot refer to a destroyed temporary.
  [[nodiscard]] T value() && { assert(has_value()); return std::get<0>(std::move(storage_)); }

  [[nodiscard]] E& error() & { assert(!has_value()); return std::get<1>(storage_); }
  [[nodiscard]] const E& error() const& { assert(!has_value()); return std::get<1>(storage_); }
  [[nodiscard]] E error() && { assert(!has_value()); return std::get<1>(std::move(storage_)); }

  T& operator*() & { return value(); }
  T operator*() && { return std::move(*this).value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <class U>
  [[nodiscard]] T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, E> storage_;
};

/// `expected<void, E>`: success carries nothing.
template <class E>
class [[nodiscard]] expected<void, E> {
 public:
  expected() = default;
  template <class G>
  expected(unexpected<G> error) : error_(std::move(error.error())), ok_(false) {}

  [[nodiscard]] bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  [[nodiscard]] const E& error() const& { assert(!ok_); return error_; }
  [[nodiscard]] E&& error() && { assert(!ok_); return std::move(error_); }

 private:
  E error_{};
  bool ok_ = true;
};

} // namespace tern
