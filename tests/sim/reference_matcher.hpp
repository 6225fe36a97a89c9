#pragma once

// A deliberately naive matcher, written apart from sim/ to check it: resting orders sit in
// one vector in arrival order; each match scans the whole vector for the best price and the
// earliest arrival. No balances, no fees: only who trades with whom, at what price and size.

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "core/types.hpp"
#include "sim/events.hpp"

namespace tern::sim::testing {

struct reference_order {
  std::int64_t id = 0;
  account_id account = 0;
  side order_side = side::buy;
  decimal price;
  decimal remaining;
  std::string client_id;
};

struct reference_fill {
  std::int64_t buyer = 0;
  std::int64_t seller = 0;
  decimal price;
  decimal quantity;
  friend bool operator==(const reference_fill&, const reference_fill&) = default;
};

struct reference_request {
  account_id account = 0;
  side order_side = side::buy;
  order_type type = order_type::limit;
  time_in_force tif = time_in_force::gtc;
  decimal price;
  decimal quantity;
  stp_mode stp = stp_mode::expire_taker;
  std::string client_id;
};

struct reference_result {
  bool rejected = false;
  std::int64_t id = 0;
  order_status status = order_status::new_order;
  std::vector<reference_fill> fills;
  std::vector<std::int64_t> expired_makers;
};

class reference_matcher {
 public:
  reference_result submit(const reference_request& request) {
    reference_result result;
    bool duplicate = !request.client_id.empty()
                     && std::any_of(resting_.begin(), resting_.end(), [&](const reference_order& o) {
                          return o.account == request.account && o.client_id == request.client_id;
                        });
    if (duplicate || (request.type == order_type::limit_maker && best_crossing(request, resting_))) {
      result.rejected = true;
      return result;
    }
    result.id = ++last_id_;
    if (request.tif == time_in_force::fok && request.type != order_type::market) {
      std::vector<reference_order> trial = resting_;
      reference_result dry;
      decimal left = match(request, result.id, trial, dry);
      if (left.is_positive()) {
        result.status = order_status::expired;
        return result;
      }
    }
    decimal left = match(request, result.id, resting_, result);
    decimal done = request.quantity - left;
    bool rests = request.type != order_type::market && request.tif == time_in_force::gtc
                 && left.is_positive() && !stopped_;
    if (rests) {
      resting_.push_back(reference_order{result.id, request.account, request.order_side,
                                         request.price, left, request.client_id});
      result.status = done.is_zero() ? order_status::new_order : order_status::partially_filled;
    } else {
      result.status = left.is_zero() ? order_status::filled : order_status::expired;
    }
    return result;
  }

  bool cancel(account_id account, std::int64_t id) {
    auto found = std::find_if(resting_.begin(), resting_.end(), [&](const reference_order& o) {
      return o.id == id && o.account == account;
    });
    if (found == resting_.end())
      return false;
    resting_.erase(found);
    return true;
  }

  [[nodiscard]] const std::vector<reference_order>& resting() const { return resting_; }

  /// Total size per price, bids best first then asks best first.
  [[nodiscard]] std::vector<price_level> levels(side s) const {
    std::map<decimal, decimal> totals;
    for (const auto& order : resting_)
      if (order.order_side == s)
        totals[order.price] += order.remaining;
    std::vector<price_level> result;
    for (auto& [price, size] : totals)
      result.push_back(price_level{price, size});
    if (s == side::buy)
      std::reverse(result.begin(), result.end());
    return result;
  }

 private:
  static bool crosses(const reference_request& request, decimal price) {
    if (request.type == order_type::market)
      return true;
    return request.order_side == side::buy ? price <= request.price : price >= request.price;
  }

  static bool best_crossing(const reference_request& request,
                            const std::vector<reference_order>& book) {
    return std::any_of(book.begin(), book.end(), [&](const reference_order& o) {
      return o.order_side != request.order_side && crosses(request, o.price);
    });
  }

  // Index of the best opposite order that crosses: best price, then earliest arrival.
  static std::optional<std::size_t> best_index(const reference_request& request,
                                               const std::vector<reference_order>& book) {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < book.size(); ++i) {
      const auto& o = book[i];
      if (o.order_side == request.order_side || !crosses(request, o.price))
        continue;
      bool better = !best || (request.order_side == side::buy ? o.price < book[*best].price
                                                              : o.price > book[*best].price);
      if (better)
        best = i;
    }
    return best;
  }

  decimal match(const reference_request& request, std::int64_t id,
                std::vector<reference_order>& book, reference_result& result) {
    stopped_ = false;
    decimal left = request.quantity;
    while (left.is_positive()) {
      auto index = best_index(request, book);
      if (!index)
        break;
      reference_order& maker = book[*index];
      if (maker.account == request.account) {
        if (request.stp != stp_mode::expire_taker) {
          result.expired_makers.push_back(maker.id);
          book.erase(book.begin() + static_cast<std::ptrdiff_t>(*index));
        }
        if (request.stp != stp_mode::expire_maker) {
          stopped_ = true;
          break;
        }
        continue;
      }
      decimal quantity = min(left, maker.remaining);
      bool buys = request.order_side == side::buy;
      result.fills.push_back(reference_fill{buys ? id : maker.id, buys ? maker.id : id,
                                            maker.price, quantity});
      left -= quantity;
      maker.remaining -= quantity;
      if (maker.remaining.is_zero())
        book.erase(book.begin() + static_cast<std::ptrdiff_t>(*index));
    }
    return left;
  }

  std::vector<reference_order> resting_;
  std::int64_t last_id_ = 0;
  bool stopped_ = false;
};

} // namespace tern::sim::testing
