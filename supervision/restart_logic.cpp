#include "supervision/restart_logic.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace tern::supervision {
namespace {

constexpr std::string_view strategy_names[] = {"one_for_one", "one_for_all", "rest_for_one"};
constexpr std::string_view restart_type_names[] = {"permanent", "transient", "temporary"};

std::string describe_seconds(std::chrono::nanoseconds span) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(span).count();
  if (ms % 1000 == 0)
    return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

/// What an exit looked like, for the health reason of a child that will be restarted.
std::string describe_exit(exit_kind kind, const std::string& reason) {
  switch (kind) {
    case exit_kind::failure: return reason;
    case exit_kind::normal: return "exited normally";
    case exit_kind::shutdown: return "was shut down";
  }
  return reason;
}

/// A dead supervisor's children are gone too: show its last known subtree as stopped.
void mark_stopped(std::vector<health_node>& nodes) {
  for (auto& node : nodes) {
    node.state = health_state::stopped;
    node.mailbox_size = -1;
    mark_stopped(node.children);
  }
}

} // namespace

std::string_view to_string(restart_strategy value) noexcept {
  return strategy_names[static_cast<std::size_t>(value)];
}

std::string_view to_string(restart_type value) noexcept {
  return restart_type_names[static_cast<std::size_t>(value)];
}

std::optional<restart_strategy> parse_restart_strategy(std::string_view text) noexcept {
  for (std::size_t i = 0; i < std::size(strategy_names); ++i)
    if (strategy_names[i] == text)
      return static_cast<restart_strategy>(i);
  return std::nullopt;
}

std::optional<restart_type> parse_restart_type(std::string_view text) noexcept {
  for (std::size_t i = 0; i < std::size(restart_type_names); ++i)
    if (restart_type_names[i] == text)
      return static_cast<restart_type>(i);
  return std::nullopt;
}

expected<void, settings_error> validate(const supervisor_policy& policy) {
  if (policy.within.count() <= 0)
    return unexpected{settings_error{"restart window (within) must be positive, got "
                                     + std::to_string(policy.within.count()) + " ns"}};
  return validate(policy.backoff);
}

restart_logic::restart_logic(supervisor_policy policy, std::vector<child_info> children,
                             const restart_delays_factory& delays)
    : policy_(std::move(policy)) {
  children_.reserve(children.size());
  for (auto& info : children) {
    if (find(info.name))
      throw std::invalid_argument{"restart_logic: two children are named '" + info.name + "'"};
    child_status status;
    if (info.kind == child_kind::supervisor)
      info.reports_readiness = true;
    status.info = std::move(info);
    status.delays = delays();
    children_.push_back(std::move(status));
  }
}

std::optional<std::size_t> restart_logic::find(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < children_.size(); ++i)
    if (children_[i].info.name == name)
      return i;
  return std::nullopt;
}

bool restart_logic::all_stopped() const noexcept {
  return std::none_of(children_.begin(), children_.end(), [](const child_status& c) {
    return c.phase == child_phase::running || c.phase == child_phase::stopping;
  });
}

void restart_logic::set_health(child_status& child, health_state state, std::string reason,
                               timestamp now) {
  if (child.health != state)
    child.since = now;
  child.health = state;
  child.reason = std::move(reason);
}

actions restart_logic::start(timestamp now) {
  own_state_ = impaired_reason_.empty() ? health_state::ready : health_state::degraded;
  own_reason_ = impaired_reason_;
  own_since_ = now;
  actions out;
  for (std::size_t i = 0; i < children_.size(); ++i)
    out.start.push_back(i);
  return out;
}

void restart_logic::on_started(std::size_t index, timestamp now) {
  auto& child = children_.at(index);
  if (child.starts > 0)
    ++child.restarts;
  ++child.starts;
  child.phase = child_phase::running;
  child.started_at = now;
  child.pending_restart = 0;
  child.mailbox_size = -1;
  child.subtree.reset(); // a new supervisor incarnation reports its own children
  const auto state =
      child.info.reports_readiness ? health_state::starting : health_state::ready;
  set_health(child, state, {}, now);
}

bool restart_logic::should_restart(const child_status& child, exit_kind kind) const noexcept {
  switch (child.info.restart) {
    case restart_type::permanent: return true;
    case restart_type::transient: return kind == exit_kind::failure;
    case restart_type::temporary: return false;
  }
  return false;
}

actions restart_logic::on_exit(std::size_t index, exit_kind kind, std::string reason,
                               timestamp now) {
  auto& child = children_.at(index);
  if (child.phase == child_phase::stopping) {
    // We asked for this exit; its health was set when we decided to stop it.
    child.phase = child.pending_restart != 0 ? child_phase::awaiting_restart : child_phase::idle;
    return terminating_ ? actions{} : start_due_groups(now);
  }
  if (child.phase != child_phase::running)
    return {}; // a repeated report of an exit already handled
  if (kind == exit_kind::failure) {
    child.last_failure = reason;
    child.last_failure_time = now;
  }
  if (terminating_ || !should_restart(child, kind)) {
    child.phase = child_phase::idle;
    set_health(child, health_state::stopped, kind == exit_kind::failure ? reason : "", now);
    return {};
  }
  set_health(child, health_state::restarting, describe_exit(kind, reason), now);
  if (intensity_exceeded(now))
    return escalate(index, now);
  return restart(index, now);
}

bool restart_logic::intensity_exceeded(timestamp now) {
  restart_times_.push_back(now);
  while (!restart_times_.empty() && now - restart_times_.front() >= policy_.within)
    restart_times_.pop_front();
  // Only the newest max_restarts + 1 can ever matter; keeps a tolerant policy's record small.
  while (restart_times_.size() > policy_.max_restarts + 1)
    restart_times_.pop_front();
  return restart_times_.size() > policy_.max_restarts;
}

std::vector<std::size_t> restart_logic::restart_group(std::size_t failed) const {
  std::vector<std::size_t> group;
  switch (policy_.strategy) {
    case restart_strategy::one_for_one: group.push_back(failed); break;
    case restart_strategy::one_for_all:
      for (std::size_t i = 0; i < children_.size(); ++i)
        group.push_back(i);
      break;
    case restart_strategy::rest_for_one:
      for (std::size_t i = failed; i < children_.size(); ++i)
        group.push_back(i);
      break;
  }
  return group;
}

actions restart_logic::restart(std::size_t failed, timestamp now) {
  auto& child = children_[failed];
  if (child.started_at && now - *child.started_at >= policy_.within)
    child.delays->reset(); // it ran a whole window: a new failure, not a crash loop
  const auto id = next_restart_id_++;
  pending_[id] = pending_group{};
  child.phase = child_phase::awaiting_restart;
  child.pending_restart = id;

  const auto sibling_reason = "restarting with '" + child.info.name + "' ("
                              + std::string{to_string(policy_.strategy)} + ")";
  std::vector<std::size_t> stops;
  for (const auto member : restart_group(failed)) {
    auto& sibling = children_[member];
    if (member == failed || sibling.phase == child_phase::idle)
      continue; // a finished child stays finished
    const bool comes_back = sibling.info.restart != restart_type::temporary;
    if (sibling.phase == child_phase::running) {
      sibling.phase = child_phase::stopping;
      stops.push_back(member);
      sibling.pending_restart = comes_back ? id : 0;
      set_health(sibling, comes_back ? health_state::restarting : health_state::stopped,
                 comes_back ? sibling_reason : "stopped with '" + child.info.name + "'", now);
    } else if (sibling.pending_restart != 0) {
      sibling.pending_restart = id; // joins this restart so the group starts in order
    }
  }
  actions out;
  out.stop.assign(stops.rbegin(), stops.rend());
  out.schedule = scheduled_restart{id, child.delays->next_delay()};
  return out;
}

actions restart_logic::escalate(std::size_t failed, timestamp now) {
  auto& child = children_[failed];
  child.phase = child_phase::idle;
  const auto why = "gave up: " + std::to_string(restart_times_.size()) + " restarts within "
                   + describe_seconds(policy_.within) + " exceed the limit of "
                   + std::to_string(policy_.max_restarts) + "; last: '" + child.info.name
                   + "' " + child.reason;
  set_health(child, health_state::failed, child.reason, now);
  own_state_ = health_state::failed;
  own_reason_ = why;
  own_since_ = now;
  auto out = stop_running("stopped: supervisor gave up", now);
  out.escalate = why;
  return out;
}

actions restart_logic::shutdown(timestamp now) {
  if (own_state_ != health_state::failed) {
    own_state_ = health_state::stopped;
    own_since_ = now;
  }
  return stop_running("stopped by shutdown", now);
}

actions restart_logic::stop_running(const std::string& why, timestamp now) {
  terminating_ = true;
  pending_.clear();
  actions out;
  for (std::size_t i = children_.size(); i-- > 0;) {
    auto& child = children_[i];
    child.pending_restart = 0;
    if (child.phase == child_phase::running) {
      child.phase = child_phase::stopping;
      out.stop.push_back(i);
    } else if (child.phase == child_phase::awaiting_restart) {
      child.phase = child_phase::idle;
    } else {
      continue;
    }
    if (child.health != health_state::failed)
      set_health(child, health_state::stopped, why, now);
  }
  return out;
}

std::vector<std::size_t> restart_logic::members_of(std::uint64_t id) const {
  std::vector<std::size_t> members;
  for (std::size_t i = 0; i < children_.size(); ++i)
    if (children_[i].pending_restart == id)
      members.push_back(i);
  return members;
}

actions restart_logic::on_restart_due(std::uint64_t id, timestamp now) {
  const auto group = pending_.find(id);
  if (terminating_ || group == pending_.end())
    return {}; // superseded by a larger restart, or the supervisor is stopping
  group->second.due = true;
  return start_due_groups(now);
}

actions restart_logic::start_due_groups(timestamp /*now*/) {
  actions out;
  for (auto group = pending_.begin(); group != pending_.end();) {
    const auto members = members_of(group->first);
    const bool still_stopping = std::any_of(members.begin(), members.end(), [&](auto i) {
      return children_[i].phase == child_phase::stopping;
    });
    if (!group->second.due || still_stopping) {
      ++group;
      continue;
    }
    out.start.insert(out.start.end(), members.begin(), members.end());
    group = pending_.erase(group);
  }
  std::sort(out.start.begin(), out.start.end());
  return out;
}

bool restart_logic::on_health(std::size_t index, const health_update& update, timestamp now) {
  auto& child = children_.at(index);
  if (child.phase != child_phase::running)
    return false;
  const bool changed = child.health != update.state || child.reason != update.reason
                       || child.mailbox_size != update.mailbox_size;
  set_health(child, update.state, update.reason, now);
  child.mailbox_size = update.mailbox_size;
  return changed;
}

void restart_logic::on_subtree(std::size_t index, health_node subtree, timestamp now) {
  auto& child = children_.at(index);
  if (child.phase != child_phase::running)
    return;
  set_health(child, subtree.state, subtree.reason, now);
  child.mailbox_size = subtree.mailbox_size;
  child.subtree = std::move(subtree);
}

health_node restart_logic::snapshot(const std::string& name) const {
  health_node node;
  node.name = name;
  node.kind = child_kind::supervisor;
  node.state = own_state_;
  node.reason = own_reason_;
  node.strategy = std::string{to_string(policy_.strategy)};
  node.since = own_since_;
  node.children.reserve(children_.size());
  for (const auto& child : children_) {
    health_node entry;
    if (child.subtree) {
      entry.strategy = child.subtree->strategy;
      entry.children = child.subtree->children;
      if (child.phase != child_phase::running)
        mark_stopped(entry.children);
    }
    entry.name = child.info.name;
    entry.kind = child.info.kind;
    entry.state = child.health;
    entry.reason = child.reason;
    entry.restart = std::string{to_string(child.info.restart)};
    entry.restarts = child.restarts;
    entry.last_failure = child.last_failure;
    entry.last_failure_time = child.last_failure_time.value_or(timestamp{});
    entry.since = child.since;
    entry.mailbox_size = child.phase == child_phase::running ? child.mailbox_size : -1;
    node.children.push_back(std::move(entry));
  }
  return node;
}

} // namespace tern::supervision
