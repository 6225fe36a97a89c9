#pragma once

// Everything one simulated exchange holds, as its dialect sees it: the venue (accounts and
// matching engines), the API credentials, the stream hub, the fills of user accounts, the
// clock, and where to record requests. Owned by the exchange host and used only on the
// exchange's thread.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/decimal.hpp"
#include "core/types.hpp"
#include "sim/events.hpp"
#include "sim/faults.hpp"
#include "sim/recorder.hpp"
#include "sim/stream_hub.hpp"
#include "sim/venue.hpp"

namespace tern::sim {

/// An API key of a user account, the secret its requests are signed with, and the passphrase
/// that goes with it where the exchange has one (OKX; empty elsewhere).
struct account_credentials {
  account_id account = 0;
  std::string api_key;
  std::string secret;
  std::string passphrase;
};

/// One execution of a user account's order (account trade lists: myTrades, userTrades).
struct fill_record {
  std::string symbol;
  order_id order = 0;
  std::string client_order_id;
  tern::side side = tern::side::buy;
  position_side pos_side = position_side::both;
  fill_detail fill;
  timestamp time{};
};

/// Perpetual funding as the market driver applies it (for premium index answers).
struct funding_schedule {
  decimal rate;
  std::chrono::nanoseconds interval{0};  ///< 0: no funding
  timestamp start{};
};

class exchange_state {
 public:
  exchange_state(std::string name, fault_plan& faults, recorder& records,
                 std::function<timestamp()> clock);
  exchange_state(const exchange_state&) = delete;
  exchange_state& operator=(const exchange_state&) = delete;

  /// The exchange's clock (the server's clock plus any skew fault).
  [[nodiscard]] timestamp now() const { return clock_(); }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

  /// Adds a user account; throws std::invalid_argument for a duplicate key.
  account_id add_user(const std::string& api_key, const std::string& secret,
                      const std::string& passphrase = {});
  [[nodiscard]] const account_credentials* credentials(std::string_view api_key) const;
  [[nodiscard]] bool is_user(account_id account) const { return users_.contains(account); }

  /// Remembers the fills of user accounts among `events` (kept: the last `max_fills` each).
  void record_fills(const event_buffer& events);
  /// Fills of `account` in `symbol`, oldest first.
  [[nodiscard]] std::vector<fill_record> fills(account_id account, std::string_view symbol) const;

  /// Runs `task` on the exchange thread at `due` (set by the host).
  std::function<void(timestamp due, std::function<void()> task)> schedule;

  sim::venue venue;
  stream_hub streams;
  fault_plan& faults;
  recorder& records;
  /// Engine calls append here; the host hands them to the dialect's `publish` afterwards.
  event_buffer events;
  /// Rate-limit overrides from the configuration, by the dialect's limit names.
  std::map<std::string, std::int64_t> rate_limits;
  std::map<std::string, funding_schedule, std::less<>> funding;
  /// Base units per contract, by symbol, for markets whose exchange counts sizes in contracts
  /// (OKX swaps: ctVal); absent where sizes are in the base asset.
  std::map<std::string, decimal, std::less<>> contract_values;
  /// Dialect settings by name from the configuration (OKX "books_checksum"); the dialect
  /// refuses names it does not know when it attaches.
  std::map<std::string, std::string, std::less<>> options;
  std::size_t max_fills = 10'000;

 private:
  std::string name_;
  std::function<timestamp()> clock_;
  std::unordered_map<std::string, account_credentials> credentials_;
  std::set<account_id> users_;
  std::unordered_map<account_id, std::deque<fill_record>> fills_;
};

} // namespace tern::sim
