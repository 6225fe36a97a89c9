#include "supervision/supervisor.hpp"

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/make_message.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/message_types.hpp"

// Children are monitored, not linked. In CAF 0.17 an exit message with exit_reason::kill
// cannot be trapped, and it travels along links: an operator killing a linked child would
// kill its supervisor too. Instead a supervisor that dies kills its remaining children from
// its state's destructor, which CAF runs however the actor ends.

namespace tern::supervision {
namespace {

constexpr auto gave_up_category = caf::atom("supervise");
constexpr std::uint8_t gave_up_code = 1;

struct timer_task {
  enum class kind : std::uint8_t { restart, stop_timeout, start_failed, refresh };
  kind what = kind::restart;
  std::uint64_t restart_id = 0;
  std::size_t child = 0;
  caf::actor_addr target; ///< the incarnation a stop timeout is about
  std::string reason;     ///< why a start failed
};

struct supervisor_state {
  std::string name;
  std::string path;
  std::vector<child_spec> specs;
  std::unique_ptr<restart_logic> logic;
  std::vector<caf::actor> handles; ///< the running incarnation of each child, or null
  caf::actor parent;               ///< receives this subtree; null for the root
  std::function<void(const health_node&)> publish; ///< the root's sink
  std::shared_ptr<const tree_services> services;
  std::deque<std::size_t> stop_queue;
  std::optional<std::size_t> stopping; ///< the child whose exit is awaited now
  std::map<std::uint64_t, timer_task> timers;
  std::uint64_t next_timer = 1;
  std::optional<caf::error> quit_reason; ///< set once the supervisor is terminating
  std::set<caf::actor_addr> operator_restarts;
  bool dirty = true;

  supervisor_state() = default;
  supervisor_state(const supervisor_state&) = delete;
  supervisor_state& operator=(const supervisor_state&) = delete;
  ~supervisor_state() {
    for (const auto& child : handles)
      if (child)
        caf::anon_send_exit(child, caf::exit_reason::kill);
  }
};

using supervisor_ptr = caf::stateful_actor<supervisor_state>*;

timestamp now(supervisor_ptr self) {
  return self->state.services->clock->now();
}

std::uint64_t add_timer(supervisor_ptr self, timer_task task) {
  const auto id = self->state.next_timer++;
  self->state.timers.emplace(id, std::move(task));
  return id;
}

std::optional<std::size_t> child_index(supervisor_ptr self, const caf::actor_addr& source) {
  const auto& handles = self->state.handles;
  for (std::size_t i = 0; i < handles.size(); ++i)
    if (handles[i] && handles[i].address() == source)
      return i;
  return std::nullopt;
}

void cancel_stop_timeout(supervisor_ptr self, std::size_t index) {
  auto& timers = self->state.timers;
  for (auto it = timers.begin(); it != timers.end(); ++it) {
    if (it->second.what == timer_task::kind::stop_timeout && it->second.child == index) {
      self->state.services->clock->cancel(self, it->first);
      timers.erase(it);
      return;
    }
  }
}

void flush(supervisor_ptr self) {
  auto& st = self->state;
  if (!st.dirty)
    return;
  st.dirty = false;
  auto node = st.logic->snapshot(st.name);
  node.mailbox_size = static_cast<std::int64_t>(self->mailbox().size());
  if (st.parent)
    self->send(st.parent, std::move(node));
  else if (st.publish)
    st.publish(node);
}

void maybe_quit(supervisor_ptr self) {
  auto& st = self->state;
  if (!st.logic->terminating() || !st.logic->all_stopped() || st.stopping
      || !st.stop_queue.empty())
    return;
  st.dirty = true;
  flush(self);
  self->quit(st.quit_reason ? *st.quit_reason : caf::error{caf::exit_reason::user_shutdown});
}

void continue_stopping(supervisor_ptr self) {
  auto& st = self->state;
  while (!st.stopping && !st.stop_queue.empty()) {
    const auto index = st.stop_queue.front();
    st.stop_queue.pop_front();
    const auto& child = st.handles[index];
    if (!child)
      continue; // a failed start: its pending failure report completes the stop
    st.stopping = index;
    self->send_exit(child, caf::exit_reason::user_shutdown);
    timer_task task{timer_task::kind::stop_timeout, 0, index, child.address(), {}};
    st.services->clock->schedule(st.specs[index].shutdown_timeout, self,
                                 add_timer(self, std::move(task)));
  }
}

void execute(supervisor_ptr self, actions todo);

void start_child(supervisor_ptr self, std::size_t index) {
  auto& st = self->state;
  const auto& spec = st.specs[index];
  child_context context{spec.name, st.path + "/" + spec.name,
                        caf::actor_cast<caf::actor>(self), st.logic->child(index).starts,
                        st.services};
  caf::actor child;
  std::string failure;
  try {
    child = spec.start(self->system(), context);
    if (!child)
      failure = "start failed: the factory returned no actor";
  } catch (const std::exception& e) {
    failure = std::string{"start failed: "} + e.what();
  }
  st.logic->on_started(index, now(self));
  if (!child) {
    // Reported through the mailbox, so the start list in progress completes first and the
    // failure is handled like any other exit.
    timer_task task{timer_task::kind::start_failed, 0, index, {}, std::move(failure)};
    self->send(self, timer_atom_v, add_timer(self, std::move(task)));
    return;
  }
  self->monitor(child);
  st.handles[index] = child;
  if (context.is_restart() && spec.after_restart)
    spec.after_restart(child, context);
}

void execute(supervisor_ptr self, actions todo) {
  auto& st = self->state;
  st.dirty = true;
  st.stop_queue.insert(st.stop_queue.end(), todo.stop.begin(), todo.stop.end());
  if (todo.escalate && !st.quit_reason)
    st.quit_reason = gave_up_error(*todo.escalate);
  if (todo.schedule) {
    const auto id = add_timer(self, {timer_task::kind::restart, todo.schedule->id, 0, {}, {}});
    if (todo.schedule->delay.count() <= 0)
      self->send(self, timer_atom_v, id); // no backoff: restart as soon as this handler ends
    else
      st.services->clock->schedule(todo.schedule->delay, self, id);
  }
  for (const auto index : todo.start)
    start_child(self, index);
  continue_stopping(self);
  maybe_quit(self);
}

void on_child_down(supervisor_ptr self, const caf::down_msg& down) {
  auto& st = self->state;
  const auto index = child_index(self, down.source);
  if (!index)
    return; // an incarnation already replaced
  st.handles[*index] = nullptr;
  auto kind = classify_exit(down.reason);
  auto reason = describe_exit_reason(self->system(), down.reason);
  if (st.operator_restarts.erase(down.source) > 0) {
    kind = exit_kind::failure;
    reason = "restarted by operator";
  }
  if (st.stopping == index) {
    st.stopping.reset();
    cancel_stop_timeout(self, *index);
  }
  execute(self, st.logic->on_exit(*index, kind, std::move(reason), now(self)));
}

void on_timer(supervisor_ptr self, std::uint64_t id) {
  auto& st = self->state;
  const auto found = st.timers.find(id);
  if (found == st.timers.end())
    return;
  const auto task = std::move(found->second);
  st.timers.erase(found);
  switch (task.what) {
    case timer_task::kind::restart:
      execute(self, st.logic->on_restart_due(task.restart_id, now(self)));
      break;
    case timer_task::kind::stop_timeout:
      if (st.stopping == task.child && st.handles[task.child]
          && st.handles[task.child].address() == task.target)
        self->send_exit(st.handles[task.child], caf::exit_reason::kill);
      break;
    case timer_task::kind::start_failed:
      if (!st.handles[task.child])
        execute(self, st.logic->on_exit(task.child, exit_kind::failure, task.reason, now(self)));
      break;
    case timer_task::kind::refresh:
      st.dirty = true;
      if (!st.logic->terminating())
        st.services->clock->schedule(st.services->refresh_interval, self,
                                     add_timer(self, {timer_task::kind::refresh, 0, 0, {}, {}}));
      break;
  }
}

void on_exit_request(supervisor_ptr self, const caf::exit_msg& request) {
  auto& st = self->state;
  if (classify_exit(request.reason) == exit_kind::normal)
    return; // CAF's own rule: a normal exit message is no reason to stop
  if (!st.quit_reason)
    st.quit_reason = request.reason;
  execute(self, st.logic->shutdown(now(self)));
}

/// (restart_atom, path): kills the named descendant so that it fails and comes back.
caf::typed_response_promise<bool> on_operator_restart(supervisor_ptr self,
                                                      const std::string& path) {
  auto& st = self->state;
  auto promise = self->make_response_promise<bool>();
  const auto slash = path.find('/');
  const auto index = st.logic->find(path.substr(0, slash));
  if (!index || !st.handles[*index]) {
    promise.deliver(false);
    return promise;
  }
  const auto& child = st.handles[*index];
  if (slash == std::string::npos) {
    st.operator_restarts.insert(child.address());
    self->send_exit(child, caf::exit_reason::kill);
    promise.deliver(true);
  } else if (st.specs[*index].kind != child_kind::supervisor) {
    promise.deliver(false);
  } else {
    self->request(child, std::chrono::seconds{5}, restart_atom_v, path.substr(slash + 1))
        .then([promise](bool done) mutable { promise.deliver(done); },
              [promise](caf::error&) mutable { promise.deliver(false); });
  }
  return promise;
}

caf::behavior supervisor_actor(supervisor_ptr self, supervisor_spec spec, std::string path,
                               caf::actor parent,
                               std::function<void(const health_node&)> publish,
                               std::shared_ptr<const tree_services> services) {
  auto& st = self->state;
  std::vector<child_info> infos;
  for (const auto& child : spec.children)
    infos.push_back({child.name, child.restart, child.kind, child.reports_readiness});
  st.logic = std::make_unique<restart_logic>(
      spec.policy, std::move(infos),
      exponential_restart_delays(spec.policy.backoff, services->jitter));
  st.logic->set_impaired(std::move(spec.impaired_reason));
  st.name = std::move(spec.name);
  st.path = std::move(path);
  st.specs = std::move(spec.children);
  st.handles.resize(st.specs.size());
  st.parent = std::move(parent);
  st.publish = std::move(publish);
  st.services = std::move(services);
  self->set_down_handler([self](caf::down_msg& down) {
    on_child_down(self, down);
    flush(self);
  });
  self->set_exit_handler([self](caf::exit_msg& request) {
    on_exit_request(self, request);
    flush(self);
  });
  if (st.services->refresh_interval.count() > 0)
    st.services->clock->schedule(st.services->refresh_interval, self,
                                 add_timer(self, {timer_task::kind::refresh, 0, 0, {}, {}}));
  execute(self, st.logic->start(now(self)));
  flush(self);
  return {
      [self](const health_update& update) {
        const auto index = child_index(self, caf::actor_cast<caf::actor_addr>(self->current_sender()));
        if (index && self->state.logic->on_health(*index, update, now(self)))
          self->state.dirty = true;
        flush(self);
      },
      [self](health_node& subtree) {
        const auto index = child_index(self, caf::actor_cast<caf::actor_addr>(self->current_sender()));
        if (index) {
          self->state.logic->on_subtree(*index, std::move(subtree), now(self));
          self->state.dirty = true;
        }
        flush(self);
      },
      [self](health_atom) {
        auto node = self->state.logic->snapshot(self->state.name);
        node.mailbox_size = static_cast<std::int64_t>(self->mailbox().size());
        return node;
      },
      [self](restart_atom, const std::string& target) { return on_operator_restart(self, target); },
      [self](timer_atom, std::uint64_t id) {
        on_timer(self, id);
        flush(self);
      },
  };
}

void check_spec(const supervisor_spec& spec) {
  if (spec.name.empty() || spec.name.find('/') != std::string::npos)
    throw std::invalid_argument{"supervisor name '" + spec.name
                                + "' must be non-empty and contain no '/'"};
  if (auto valid = validate(spec.policy); !valid)
    throw std::invalid_argument{"supervisor '" + spec.name + "': " + valid.error().message};
  std::set<std::string> names;
  for (const auto& child : spec.children) {
    if (child.name.empty() || child.name.find('/') != std::string::npos)
      throw std::invalid_argument{"supervisor '" + spec.name + "': child name '" + child.name
                                  + "' must be non-empty and contain no '/'"};
    if (!names.insert(child.name).second)
      throw std::invalid_argument{"supervisor '" + spec.name + "': two children are named '"
                                  + child.name + "'"};
    if (!child.start)
      throw std::invalid_argument{"supervisor '" + spec.name + "': child '" + child.name
                                  + "' has no factory"};
  }
}

/// Serialises a jitter source shared by supervisors on different threads.
uniform_source serialised(uniform_source source) {
  auto mutex = std::make_shared<std::mutex>();
  return [mutex, source = std::move(source)] {
    std::lock_guard lock{*mutex};
    return source();
  };
}

} // namespace

caf::actor spawn_supervision_tree(caf::actor_system& system, supervisor_spec root,
                                  tree_options options) {
  check_spec(root);
  auto services = std::make_shared<tree_services>();
  services->clock = options.clock ? options.clock : make_system_clock();
  services->jitter = serialised(options.jitter ? options.jitter : random_uniform_source());
  services->refresh_interval = options.refresh_interval;
  auto path = root.name;
  return system.spawn(supervisor_actor, std::move(root), std::move(path), caf::actor{},
                      std::move(options.publish),
                      std::shared_ptr<const tree_services>{std::move(services)});
}

child_spec supervisor_child(supervisor_spec spec, restart_type restart,
                            std::chrono::nanoseconds shutdown_timeout) {
  check_spec(spec);
  child_spec child;
  child.name = spec.name;
  child.restart = restart;
  child.shutdown_timeout = shutdown_timeout;
  child.kind = child_kind::supervisor;
  child.reports_readiness = true;
  child.start = [spec = std::move(spec)](caf::actor_system& system, const child_context& ctx) {
    return system.spawn(supervisor_actor, spec, ctx.path, ctx.supervisor,
                        std::function<void(const health_node&)>{}, ctx.services);
  };
  return child;
}

caf::error gave_up_error(std::string why) {
  return caf::error{gave_up_code, gave_up_category, caf::make_message(std::move(why))};
}

std::string describe_exit_reason(caf::actor_system& system, const caf::error& reason) {
  if (!reason)
    return "exit_reason(normal)"; // what CAF calls the empty error (context() needs data)
  const auto& context = reason.context();
  if (context.size() == 1 && context.match_element<std::string>(0)) {
    const auto& text = context.get_as<std::string>(0);
    if (reason.category() == gave_up_category)
      return text;
    return system.render(caf::error{reason.code(), reason.category()}) + ": " + text;
  }
  return system.render(reason);
}

caf::error exception_reason(std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return caf::make_error(caf::sec::runtime_error, std::string{e.what()});
  } catch (...) {
    return caf::make_error(caf::sec::runtime_error, std::string{"unknown exception"});
  }
}

exit_kind classify_exit(const caf::error& reason) noexcept {
  if (!reason || reason == caf::exit_reason::normal)
    return exit_kind::normal;
  if (reason == caf::exit_reason::user_shutdown)
    return exit_kind::shutdown;
  return exit_kind::failure;
}

} // namespace tern::supervision
