// A strategy actor's health, its status on the strategy board, and the balances it polls.

#include <spdlog/spdlog.h>

#include "strategies/actors/strategy_state.hpp"
#include "supervision/strategy_board.hpp"

namespace tern::strategy_actors::detail {

// ---- health and status ----

/// Why the strategy cannot trade now, or empty.
namespace {

std::string problem(const strategy_state& st, timestamp now) {
  for (const auto& market : st.markets) {
    const auto& link = st.accounts.at(market.need.id.account);
    if (!link.exchange || !link.subscribed)
      return "exchange actor of '" + market.need.id.account + "' not reachable";
    if (!market.book)
      return "no book actor for " + market.need.id.to_string();
    if (market.last_book == timestamp{} || now - market.last_book > st.settings->book_silence)
      return "book " + market.need.id.to_string() + " not in sync";
  }
  if (!st.logic)
    return st.build_error.empty() ? std::string{"waiting for trading rules"} : st.build_error;
  return unconfirmed_problem(st);
}

} // namespace

void publish(strategy_actor* self) {
  auto& st = self->state;
  const auto now = now_of(st);
  const auto why = problem(st, now);
  const auto state = why.empty() ? health_state::ready : health_state::degraded;
  if (state != st.reported || why != st.reported_reason) {
    supervision::report_health(self, st.child, state, why);
    st.reported = state;
    st.reported_reason = why;
  }
  if (!st.settings->board)
    return;
  strategies::strategy_status own;
  if (st.logic) {
    own = st.logic->status();
  } else {
    own.name = st.settings->config.name;
    own.kind = st.settings->config.kind;
  }
  auto status = to_board_status(own, !why.empty(), why);
  status.pnl_asset = std::string{st.markets.front().need.id.pair.quote()};
  for (const auto& [account, link] : st.accounts)
    for (const auto& held : link.balances)
      status.balances.push_back({account, held.asset, held.total, held.available});
  for (const auto& market : st.markets)
    status.tops.push_back(market.top);
  st.settings->board->publish(std::move(status), now);
}

void poll_balances(strategy_actor* self) {
  auto& st = self->state;
  for (auto& [account, link] : st.accounts) {
    if (!link.exchange)
      continue;
    self->request(link.exchange, st.settings->request_timeout, balances_atom::value)
        .then(
            [self, account = account](const std::vector<balance>& held) {
              auto& s = self->state;
              const auto& pair = s.markets.front().need.id.pair;
              auto& kept = s.accounts[account].balances;
              kept.clear();
              for (const auto& b : held) {
                if (b.asset != pair.base() && b.asset != pair.quote())
                  continue;
                kept.push_back(b);
                if (s.logic)
                  s.logic->on_balance({account, b.asset, b.available, b.total}, now_of(s));
              }
            },
            [](caf::error&) {});
  }
}

} // namespace tern::strategy_actors::detail
