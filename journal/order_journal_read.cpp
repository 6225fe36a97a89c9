// The order journal's queries: restoring a tracker, finding an order, trade history and its
// per-market summary.

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <utility>

#include "journal/journal_rows.hpp"
#include "journal/order_journal.hpp"
#include "journal/order_journal_impl.hpp"

namespace tern::journal {
namespace {

journal_error storage(const sqlite_error& error) {
  return journal_error{journal_error::kind_type::storage, error.message};
}

journal_error step_failure(const database& db, std::string_view what) {
  return storage(db.error(what));
}

/// Runs a prepared query, handing each row to `read`, which returns false on a bad row.
template <class Read>
expected<void, journal_error> each_row(const database& db, statement& stmt,
                                       std::string_view what, Read read) {
  int rc = 0;
  while ((rc = stmt.step()) == SQLITE_ROW) {
    if (auto problem = read(stmt)) {
      stmt.reset();
      return unexpected{std::move(*problem)};
    }
  }
  if (rc != SQLITE_DONE) {
    auto error = step_failure(db, what);
    stmt.reset();
    return unexpected{std::move(error)};
  }
  stmt.reset();
  return {};
}

expected<std::vector<fill>, journal_error> fills_of(database& db, std::string_view account,
                                                    std::string_view client_id) {
  auto stmt = db.prepare("SELECT " + std::string{fill_columns}
                         + " FROM fills WHERE account = ?1 AND client_order_id = ?2"
                           " ORDER BY fill_ns, trade_id");
  if (!stmt) return unexpected{storage(stmt.error())};
  stmt->bind(1, account);
  stmt->bind(2, client_id);
  std::vector<fill> fills;
  auto done = each_row(db, *stmt, "reading fills", [&](const statement& row)
                           -> std::optional<journal_error> {
    auto record = read_fill(row, db.path());
    if (!record) return record.error();
    fills.push_back(std::move(record->execution));
    return std::nullopt;
  });
  if (!done) return unexpected{std::move(done.error())};
  return fills;
}

expected<std::vector<order_row>, journal_error> orders_where(database& db,
                                                             std::string_view condition,
                                                             std::string_view account,
                                                             std::string_view client_id = {}) {
  auto stmt = db.prepare("SELECT " + std::string{order_columns} + " FROM orders WHERE "
                         + std::string{condition} + " ORDER BY created_ns, client_order_id");
  if (!stmt) return unexpected{storage(stmt.error())};
  stmt->bind(1, account);
  if (!client_id.empty()) stmt->bind(2, client_id);
  std::vector<order_row> rows;
  auto done = each_row(db, *stmt, "reading orders", [&](const statement& row)
                           -> std::optional<journal_error> {
    auto order = read_order(row, db.path());
    if (!order) return order.error();
    rows.push_back(std::move(*order));
    return std::nullopt;
  });
  if (!done) return unexpected{std::move(done.error())};
  for (auto& row : rows) {
    auto fills = fills_of(db, row.account, row.order.order.spec.client_order_id);
    if (!fills) return unexpected{std::move(fills.error())};
    row.order.fills = std::move(*fills);
  }
  return rows;
}

} // namespace

expected<std::vector<journaled_order>, journal_error> order_journal::load(
    std::string_view account) const {
  // Open and lost orders, and filled ones whose completion was never published: everything
  // a restarted tracker still has to watch.
  auto rows = orders_where(impl_->db,
                           "account = ?1 AND (state IN ('pending_create', 'open',"
                           " 'partially_filled', 'pending_cancel') OR lost = 1"
                           " OR (state = 'filled' AND completed_emitted = 0))",
                           account);
  if (!rows) return unexpected{std::move(rows.error())};
  std::vector<journaled_order> orders;
  orders.reserve(rows->size());
  for (auto& row : *rows) orders.push_back(std::move(row.order));
  return orders;
}

expected<std::optional<order_row>, journal_error> order_journal::find_order(
    std::string_view account, std::string_view client_order_id) const {
  auto rows = orders_where(impl_->db, "account = ?1 AND client_order_id = ?2", account,
                           client_order_id);
  if (!rows) return unexpected{std::move(rows.error())};
  if (rows->empty()) return std::optional<order_row>{};
  return std::optional<order_row>{std::move(rows->front())};
}

expected<std::vector<trade_record>, journal_error> order_journal::trades(
    const trade_filter& filter) const {
  auto& db = impl_->db;
  auto stmt = db.prepare("SELECT " + std::string{fill_columns}
                         + " FROM fills WHERE (?1 = '' OR account = ?1) AND (?2 = '' OR pair = ?2)"
                           " AND fill_ns >= ?3 AND fill_ns < ?4"
                           " ORDER BY fill_ns, account, pair, trade_id");
  if (!stmt) return unexpected{storage(stmt.error())};
  stmt->bind(1, filter.account);
  stmt->bind(2, filter.pair);
  stmt->bind(3, filter.since ? to_unix_ns(*filter.since) : INT64_MIN);
  stmt->bind(4, filter.until ? to_unix_ns(*filter.until) : INT64_MAX);
  std::vector<trade_record> trades;
  auto done = each_row(db, *stmt, "reading trades", [&](const statement& row)
                           -> std::optional<journal_error> {
    auto record = read_fill(row, db.path());
    if (!record) return record.error();
    trades.push_back(std::move(*record));
    return std::nullopt;
  });
  if (!done) return unexpected{std::move(done.error())};
  return trades;
}

expected<std::vector<market_summary>, journal_error> order_journal::summary(
    const trade_filter& filter) const {
  auto selected = trades(filter);
  if (!selected) return unexpected{std::move(selected.error())};
  return summarise(*selected);
}

expected<std::vector<std::string>, journal_error> order_journal::accounts() const {
  auto& db = impl_->db;
  auto stmt = db.prepare("SELECT DISTINCT account FROM orders ORDER BY account");
  if (!stmt) return unexpected{storage(stmt.error())};
  std::vector<std::string> names;
  auto done = each_row(db, *stmt, "reading accounts", [&](const statement& row)
                           -> std::optional<journal_error> {
    names.push_back(row.text(0));
    return std::nullopt;
  });
  if (!done) return unexpected{std::move(done.error())};
  return names;
}

std::vector<market_summary> summarise(const std::vector<trade_record>& trades) {
  std::map<std::pair<std::string, std::string>, market_summary> markets;
  for (const auto& trade : trades) {
    const auto& execution = trade.execution;
    auto& market = markets[{trade.account, execution.pair}];
    market.account = trade.account;
    market.pair = execution.pair;
    ++market.trades;
    if (execution.order_side == side::buy) {
      market.bought_base += execution.base_amount;
      market.bought_quote += execution.quote_amount;
    } else {
      market.sold_base += execution.base_amount;
      market.sold_quote += execution.quote_amount;
    }
    if (!execution.fee.asset.empty()) market.fees[execution.fee.asset] += execution.fee.amount;
  }
  std::vector<market_summary> result;
  result.reserve(markets.size());
  for (auto& [key, market] : markets) {
    auto dash = market.pair.find('-');
    auto base = market.pair.substr(0, dash);
    auto quote = dash == std::string::npos ? std::string{} : market.pair.substr(dash + 1);
    market.net_base = market.bought_base - market.sold_base;
    market.net_quote = market.sold_quote - market.bought_quote;
    if (auto fee = market.fees.find(base); fee != market.fees.end()) {
      market.net_base -= fee->second;
    }
    if (auto fee = market.fees.find(quote); fee != market.fees.end()) {
      market.net_quote -= fee->second;
    }
    result.push_back(std::move(market));
  }
  return result;
}

} // namespace tern::journal
