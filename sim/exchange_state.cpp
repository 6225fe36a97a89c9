#include "sim/exchange_state.hpp"

#include <stdexcept>
#include <variant>

namespace tern::sim {

exchange_state::exchange_state(std::string name, fault_plan& faults_in, recorder& records_in,
                               std::function<timestamp()> clock)
    : streams(name, faults_in, clock),
      faults(faults_in),
      records(records_in),
      name_(std::move(name)),
      clock_(std::move(clock)) {}

account_id exchange_state::add_user(const std::string& api_key, const std::string& secret,
                                    const std::string& passphrase) {
  auto opened = venue.accounts().open_account(api_key);
  if (!opened)
    throw std::invalid_argument{"account: " + opened.error().message};
  credentials_[api_key] = account_credentials{*opened, api_key, secret, passphrase};
  users_.insert(*opened);
  return *opened;
}

const account_credentials* exchange_state::credentials(std::string_view api_key) const {
  auto found = credentials_.find(std::string{api_key});
  return found == credentials_.end() ? nullptr : &found->second;
}

void exchange_state::record_fills(const event_buffer& batch) {
  for (const auto& item : batch) {
    const auto* change = std::get_if<order_event>(&item);
    if (change == nullptr || !change->fill || !is_user(change->order.account)) continue;
    auto& list = fills_[change->order.account];
    list.push_back(fill_record{change->order.symbol, change->order.id, change->order.client_order_id,
                               change->order.side, change->order.pos_side, *change->fill, change->time});
    if (list.size() > max_fills) list.pop_front();
  }
}

std::vector<fill_record> exchange_state::fills(account_id account, std::string_view symbol) const {
  std::vector<fill_record> out;
  auto found = fills_.find(account);
  if (found == fills_.end()) return out;
  for (const auto& f : found->second)
    if (f.symbol == symbol) out.push_back(f);
  return out;
}

} // namespace tern::sim
