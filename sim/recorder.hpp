#pragma once

// What the simulated exchanges received: every REST request and WebSocket API request, with the
// API key, the rate-limit weight it cost, the order it concerned and how it ended. Tests read it
// to assert that a client never exceeded a limit and never sent an order twice. Thread-safe.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/types.hpp"

namespace tern::sim {

/// One request as the exchange saw it.
struct request_record {
  std::uint64_t sequence = 0;     ///< assigned by the recorder, from 1
  timestamp time{};               ///< exchange time (skew included) when it arrived
  std::string exchange;
  std::string transport;          ///< "rest" or "websocket"
  std::string method;             ///< HTTP method, or the WebSocket API method
  std::string path;               ///< without the query string
  std::uint64_t connection = 0;
  std::string api_key;            ///< as sent ("" for public requests)
  std::int64_t weight = 0;        ///< request weight charged
  std::int64_t used_weight = 0;   ///< the IP's weight in the current window after this request
  std::int64_t weight_limit = 0;  ///< the limit that window had
  std::int64_t order_count = 0;   ///< orders of the account in the shortest order window after it
  bool new_order = false;         ///< a request to place an order
  std::string symbol;
  std::string client_order_id;    ///< of the order placed, cancelled or queried
  std::int64_t order_id = 0;      ///< the engine's id, when the request reached an order
  unsigned status = 0;            ///< HTTP status answered (0: no answer, connection dropped)
  std::int64_t code = 0;          ///< the exchange's error code, 0 on success
  bool executed = false;          ///< the request changed the exchange's state
  std::string fault;              ///< the fault applied, "" if none
};

[[nodiscard]] nlohmann::json to_json(const request_record& record);

class recorder {
 public:
  /// Stores `record` with the next sequence number and returns that number.
  std::uint64_t add(request_record record);
  /// Records with sequence > `after`, oldest first.
  [[nodiscard]] std::vector<request_record> since(std::uint64_t after = 0) const;
  [[nodiscard]] std::size_t size() const;
  void clear();

  /// The highest used weight any request left behind, per exchange: how close a client came to
  /// its limit. (Refused requests are not charged, so a client that went over shows up as
  /// answers with status 429 or 418, see count_status.)
  [[nodiscard]] std::map<std::string, std::int64_t> max_used_weight() const;
  /// New-order requests per (exchange, client order id): a count above 1 is an order sent twice.
  [[nodiscard]] std::map<std::string, int> new_orders_by_client_id() const;
  /// Requests that were answered with this HTTP status.
  [[nodiscard]] std::size_t count_status(unsigned status) const;

 private:
  mutable std::mutex mutex_;
  std::vector<request_record> records_;
  std::uint64_t next_ = 1;
};

} // namespace tern::sim
