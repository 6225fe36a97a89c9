#pragma once

// Messages the actors of one account send each other inside the process. They never cross a
// node (strategies use the exchange API, actors/exchange_api.hpp), so they carry types CAF
// cannot serialise (network results, parser output) and are whitelisted as local-only.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/message_types.hpp"
#include "connectors/common/protocol_types.hpp"
#include "connectors/common/stream_events.hpp"
#include "core/in_flight_order.hpp"
#include "net/errors.hpp"
#include "net/https_client.hpp"
#include "net/websocket_client.hpp"

namespace tern {

// Atoms private to an account's actors (at most 10 characters).
using rest_retry_atom = caf::atom_constant<caf::atom("restretry")>;
using poll_atom = caf::atom_constant<caf::atom("poll")>;
using retry_atom = caf::atom_constant<caf::atom("retry")>;
using record_atom = caf::atom_constant<caf::atom("record")>;
using cancelling_atom = caf::atom_constant<caf::atom("cancelling")>;
using streamup_atom = caf::atom_constant<caf::atom("streamup")>;
using keepalive_atom = caf::atom_constant<caf::atom("keepalive")>;
using complete_atom = caf::atom_constant<caf::atom("complete")>;

/// The answer to one REST call of an actor's rest_caller, delivered to the actor.
struct rest_reply {
  std::uint64_t id = 0;
  net::https_result result;
};

/// What a WebSocket client reported, delivered to the actor owning it. `socket` tells which of
/// the actor's connections; `generation` which incarnation of it (reports of a replaced client
/// are ignored).
struct socket_event {
  enum class kind_type : std::uint8_t { opened, message, closed };
  kind_type kind = kind_type::message;
  std::size_t socket = 0;
  std::uint64_t generation = 0;
  net::websocket_message message;
  net::websocket_close_info close;
};

/// A book message from the public connection to the book actor of its pair: a diff or a
/// stream snapshot, with the levels' wire text where the exchange checksums it (OKX).
struct book_feed {
  public_event_kind kind = public_event_kind::book_delta;
  book_delta delta;
  book_snapshot snapshot;
  book_levels_text levels;
};

/// The public stream of a book's pair went down (`up` false) or came back (`up` true): the
/// book resynchronises.
struct stream_status {
  bool up = false;
  std::string reason;
};

/// Events of the private stream, in frame order, for the tracker.
struct private_batch {
  std::vector<private_event> events;
  timestamp received{};
};

/// The exchange actor asks the tracker to record an order before sending it.
struct order_record_request {
  order_spec spec;
  /// What the budget check prices the order at: the limit price, or for a market order the
  /// reference price the strategy gave (the spec of a market order carries no price).
  decimal budget_price;
  market_kind kind = market_kind::spot;
  std::string symbol;
};

/// What the exchange answered to a placement, for the tracker.
struct place_outcome {
  std::string client_order_id;
  enum class kind_type : std::uint8_t {
    acknowledged,  ///< the exchange took it: `ack` holds its answer
    rejected,      ///< definitely not placed: `reason`
    unknown,       ///< the request may have reached the exchange: stays in flight
  };
  kind_type kind = kind_type::unknown;
  order_ack ack;
  std::string error_code;
  std::string reason;
};

/// What the exchange answered to a cancel, for the tracker.
struct cancel_outcome {
  std::string client_order_id;
  enum class kind_type : std::uint8_t {
    confirmed,  ///< `report` holds the order as the exchange reports it
    not_found,  ///< the exchange does not know the order (§A6 counts it)
    refused,    ///< a definite refusal other than not-found: the order stays as it was
    unknown,    ///< the answer was lost: stays pending_cancel until settled
  };
  kind_type kind = kind_type::unknown;
  order_report report;
  std::string reason;
};

} // namespace tern

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tern::rest_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tern::socket_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tern::book_feed)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tern::stream_status)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tern::private_batch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tern::order_record_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tern::place_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tern::cancel_outcome)
