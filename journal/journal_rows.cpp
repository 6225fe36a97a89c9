#include "journal/journal_rows.hpp"

#include <array>
#include <optional>

#include "core/trading_pair.hpp"

namespace tern::journal {
namespace {

template <class E, std::size_t N>
std::optional<E> parse_enum(std::string_view text, const std::array<E, N>& values) {
  for (auto value : values) {
    if (to_string(value) == text) return value;
  }
  return std::nullopt;
}

constexpr std::array order_states{order_state::pending_create, order_state::open,
                                  order_state::partially_filled, order_state::pending_cancel,
                                  order_state::cancelled, order_state::filled,
                                  order_state::failed};
constexpr std::array sides{side::buy, side::sell};
constexpr std::array order_types{order_type::limit, order_type::limit_maker, order_type::market};
constexpr std::array tifs{time_in_force::gtc, time_in_force::ioc, time_in_force::fok};
constexpr std::array actions{position_action::none, position_action::open,
                             position_action::close};

/// Reads the columns of one row, remembering the first that does not parse.
class row_reader {
 public:
  row_reader(const statement& stmt, const std::string& path, std::string what)
      : stmt_(stmt), path_(path), what_(std::move(what)) {}

  std::string text(int column) const { return stmt_.text(column); }
  std::int64_t integer(int column) const { return stmt_.integer(column); }
  timestamp time(int column) const { return from_unix_ns(stmt_.integer(column)); }

  decimal number(int column, std::string_view name) {
    auto text = stmt_.text(column);
    auto parsed = decimal::parse(text);
    if (parsed) return *parsed;
    fail(name, text);
    return {};
  }

  template <class E, std::size_t N>
  E choice(int column, std::string_view name, const std::array<E, N>& values) {
    auto text = stmt_.text(column);
    if (auto parsed = parse_enum(text, values)) return *parsed;
    fail(name, text);
    return values[0];
  }

  trading_pair pair(int column) {
    auto text = stmt_.text(column);
    auto parsed = trading_pair::parse(text);
    if (parsed) return *parsed;
    fail("pair", text);
    return {};
  }

  [[nodiscard]] std::optional<journal_error> error() const {
    if (problem_.empty()) return std::nullopt;
    return journal_error{journal_error::kind_type::corrupt_record,
                         "order journal \"" + path_ + "\": " + what_ + ": " + problem_};
  }

 private:
  void fail(std::string_view name, const std::string& text) {
    if (problem_.empty()) problem_ = std::string{name} + " \"" + text + "\" does not parse";
  }

  const statement& stmt_;
  const std::string& path_;
  std::string what_;
  std::string problem_;
};

} // namespace

sql_values order_values(std::string_view account, const order_snapshot& order, bool adopted) {
  const auto& spec = order.spec;
  return sql_values{
      std::string{account},
      spec.client_order_id,
      order.exchange_order_id,
      spec.pair.to_string(),
      std::string{to_string(spec.order_side)},
      std::string{to_string(spec.type)},
      std::string{to_string(spec.tif)},
      spec.price.to_string(),
      spec.amount.to_string(),
      std::string{to_string(spec.action)},
      spec.leverage.to_string(),
      to_unix_ns(spec.creation_time),
      std::string{to_string(order.state)},
      order.executed_base.to_string(),
      order.executed_quote.to_string(),
      to_unix_ns(order.last_update_time),
      order.error_code,
      order.error_message,
      std::int64_t{order.not_found_count},
      std::int64_t{order.lost},
      std::int64_t{order.created_emitted},
      std::int64_t{order.completed_emitted},
      std::int64_t{adopted},
  };
}

void bind_values(statement& stmt, const sql_values& values) {
  int index = 1;
  for (const auto& value : values) {
    if (const auto* text = std::get_if<std::string>(&value))
      stmt.bind(index++, std::string_view{*text});
    else
      stmt.bind(index++, std::get<std::int64_t>(value));
  }
}

void bind_order(statement& stmt, std::string_view account, const order_snapshot& order,
                bool adopted) {
  bind_values(stmt, order_values(account, order, adopted));
}

void bind_fill(statement& stmt, std::string_view account, std::string_view client_order_id,
               const fill& execution) {
  stmt.bind(1, account);
  stmt.bind(2, execution.pair);
  stmt.bind(3, execution.trade_id);
  stmt.bind(4, client_order_id);
  stmt.bind(5, execution.exchange_order_id);
  stmt.bind(6, to_string(execution.order_side));
  stmt.bind(7, execution.price.to_string());
  stmt.bind(8, execution.base_amount.to_string());
  stmt.bind(9, execution.quote_amount.to_string());
  stmt.bind(10, execution.fee.asset);
  stmt.bind(11, execution.fee.amount.to_string());
  stmt.bind(12, std::int64_t{execution.is_taker});
  stmt.bind(13, to_unix_ns(execution.fill_time));
}

expected<order_row, journal_error> read_order(const statement& stmt, const std::string& path) {
  row_reader row{stmt, path, "order \"" + stmt.text(1) + "\" of account \"" + stmt.text(0) + "\""};
  order_row result;
  result.account = row.text(0);
  auto& saved = result.order.order;
  auto& spec = saved.spec;
  spec.client_order_id = row.text(1);
  saved.exchange_order_id = row.text(2);
  spec.pair = row.pair(3);
  spec.order_side = row.choice(4, "side", sides);
  spec.type = row.choice(5, "type", order_types);
  spec.tif = row.choice(6, "time_in_force", tifs);
  spec.price = row.number(7, "price");
  spec.amount = row.number(8, "amount");
  spec.action = row.choice(9, "position_action", actions);
  spec.leverage = row.number(10, "leverage");
  spec.creation_time = row.time(11);
  saved.state = row.choice(12, "state", order_states);
  saved.executed_base = row.number(13, "executed_base");
  saved.executed_quote = row.number(14, "executed_quote");
  saved.last_update_time = row.time(15);
  saved.error_code = row.text(16);
  saved.error_message = row.text(17);
  saved.not_found_count = static_cast<int>(row.integer(18));
  saved.lost = row.integer(19) != 0;
  saved.created_emitted = row.integer(20) != 0;
  saved.completed_emitted = row.integer(21) != 0;
  result.order.adopted = row.integer(22) != 0;
  if (auto problem = row.error()) return unexpected{std::move(*problem)};
  return result;
}

expected<trade_record, journal_error> read_fill(const statement& stmt, const std::string& path) {
  row_reader row{stmt, path, "fill \"" + stmt.text(2) + "\" of account \"" + stmt.text(0) + "\""};
  trade_record result;
  result.account = row.text(0);
  auto& execution = result.execution;
  execution.pair = row.text(1);
  execution.trade_id = row.text(2);
  result.client_order_id = row.text(3);
  execution.client_order_id = result.client_order_id;
  execution.exchange_order_id = row.text(4);
  execution.order_side = row.choice(5, "side", sides);
  execution.price = row.number(6, "price");
  execution.base_amount = row.number(7, "base_amount");
  execution.quote_amount = row.number(8, "quote_amount");
  execution.fee.asset = row.text(9);
  execution.fee.amount = row.number(10, "fee_amount");
  execution.is_taker = row.integer(11) != 0;
  execution.fill_time = row.time(12);
  if (auto problem = row.error()) return unexpected{std::move(*problem)};
  return result;
}

} // namespace tern::journal
