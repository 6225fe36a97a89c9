#pragma once

// The decisions of one supervisor, as a pure state machine: which children to stop and start
// when one of them exits, after which delay, and when to give up. It reads no clock and sends
// no message: the supervisor actor (supervision/supervisor.hpp) feeds it events with the time
// they happened and carries out the `actions` it returns.
//
// The rules follow Erlang/OTP's supervisor:
// - Children start in list order and stop in reverse order.
// - permanent children are always restarted, transient ones only after a failure (not after a
//   normal exit or a shutdown), temporary ones never.
// - one_for_one restarts the child alone; one_for_all stops every other child and restarts
//   them all; rest_for_one stops the children started after it and restarts it and them.
//   A temporary child stopped that way is not restarted; a child that already finished
//   (a transient child that exited normally) stays finished.
// - More than `max_restarts` restarts within `within` and the supervisor gives up: it stops
//   every child and escalates, i.e. fails itself, so its own supervisor's strategy applies.
// Unlike OTP, a restart waits an exponential backoff with jitter (per the failed child; the
// curve starts over once a child ran for a whole `within` window).

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/types.hpp"
#include "supervision/health.hpp"
#include "supervision/restart_delay.hpp"

namespace tern::supervision {

enum class restart_strategy : std::uint8_t { one_for_one, one_for_all, rest_for_one };
enum class restart_type : std::uint8_t { permanent, transient, temporary };

/// How a child ended, as far as restart decisions care.
enum class exit_kind : std::uint8_t {
  normal,   ///< finished its work (CAF exit_reason::normal)
  shutdown, ///< asked to stop (exit_reason::user_shutdown)
  failure,  ///< anything else: an exception, a kill, an error it quit with
};

[[nodiscard]] std::string_view to_string(restart_strategy value) noexcept;
[[nodiscard]] std::string_view to_string(restart_type value) noexcept;
[[nodiscard]] std::optional<restart_strategy> parse_restart_strategy(std::string_view text) noexcept;
[[nodiscard]] std::optional<restart_type> parse_restart_type(std::string_view text) noexcept;

/// How one supervisor treats failing children. The defaults match config/'s.
struct supervisor_policy {
  restart_strategy strategy = restart_strategy::one_for_one;
  std::size_t max_restarts = 5;                        ///< allowed within `within`
  std::chrono::nanoseconds within = std::chrono::seconds{60}; ///< the intensity window
  backoff_settings backoff;
};

[[nodiscard]] expected<void, settings_error> validate(const supervisor_policy& policy);

/// What the logic knows of one child.
struct child_info {
  std::string name;
  restart_type restart = restart_type::permanent;
  child_kind kind = child_kind::worker;
  /// When true the child starts in `starting` and says when it is ready; otherwise it is
  /// ready as soon as it has been spawned. Supervisors always report.
  bool reports_readiness = false;
};

/// A restart to carry out after `delay`; `id` names it when it comes due.
struct scheduled_restart {
  std::uint64_t id = 0;
  std::chrono::nanoseconds delay{};
};

/// What the supervisor actor must do, in this order: stop the children in `stop` one at a
/// time in the order given (already reverse start order), arrange for `schedule` to come due
/// (on_restart_due), start the children in `start` in the order given, and once every child
/// has stopped, quit with `escalate` as its failure reason if it is set.
struct actions {
  std::vector<std::size_t> stop;
  std::vector<std::size_t> start;
  std::optional<scheduled_restart> schedule;
  std::optional<std::string> escalate;

  [[nodiscard]] bool empty() const noexcept {
    return stop.empty() && start.empty() && !schedule && !escalate;
  }
};

/// Where a child is in the supervisor's eyes.
enum class child_phase : std::uint8_t {
  idle,             ///< not started yet, or finished and not to be restarted
  running,          ///< spawned and not known to have exited
  stopping,         ///< asked to stop by the supervisor; its exit is awaited
  awaiting_restart, ///< exited; a scheduled restart will start it again
};

/// The supervisor's record of one child.
struct child_status {
  child_info info;
  child_phase phase = child_phase::idle;
  std::uint64_t restarts = 0; ///< starts after the first
  std::uint64_t starts = 0;
  std::optional<timestamp> started_at;
  std::string last_failure;
  std::optional<timestamp> last_failure_time;
  health_state health = health_state::stopped;
  std::string reason;
  timestamp since{};
  std::int64_t mailbox_size = -1;
  std::optional<health_node> subtree; ///< a supervisor child's last report
  std::uint64_t pending_restart = 0;  ///< id of the restart that will start it; 0 none
  std::unique_ptr<restart_delays> delays;
};

/// One supervisor's restart decisions and the record of its children.
class restart_logic {
 public:
  /// `policy` must be valid (see validate); `children` in start order, names unique.
  restart_logic(supervisor_policy policy, std::vector<child_info> children,
                const restart_delays_factory& delays);

  /// Makes the supervisor report `degraded` with `reason` once started (empty: ready).
  void set_impaired(std::string reason) { impaired_reason_ = std::move(reason); }
  /// The first start: every child, in order.
  [[nodiscard]] actions start(timestamp now);
  /// The actor has spawned `child` (from a start list).
  void on_started(std::size_t child, timestamp now);
  /// `child` exited. `reason` is its exit reason as text, kept as the last failure.
  [[nodiscard]] actions on_exit(std::size_t child, exit_kind kind, std::string reason,
                                timestamp now);
  /// The restart `id` came due. Starts its children unless some are still stopping, in
  /// which case they start when the last of them has stopped.
  [[nodiscard]] actions on_restart_due(std::uint64_t id, timestamp now);
  /// A running child reported its state; returns whether anything changed.
  bool on_health(std::size_t child, const health_update& update, timestamp now);
  /// A running supervisor child reported its subtree.
  void on_subtree(std::size_t child, health_node subtree, timestamp now);
  /// An orderly stop: every running child, newest first; nothing is restarted afterwards.
  [[nodiscard]] actions shutdown(timestamp now);

  /// The supervisor's node: its own state and its children's, in start order.
  [[nodiscard]] health_node snapshot(const std::string& name) const;

  [[nodiscard]] std::size_t size() const noexcept { return children_.size(); }
  [[nodiscard]] const child_status& child(std::size_t index) const { return children_.at(index); }
  [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const noexcept;
  /// True after `shutdown` or an escalation: children are only being stopped.
  [[nodiscard]] bool terminating() const noexcept { return terminating_; }
  /// True when no child is running or stopping (a terminating supervisor may quit).
  [[nodiscard]] bool all_stopped() const noexcept;
  /// Restarts carried out within the current intensity window, as of the last failure.
  [[nodiscard]] std::size_t recent_restarts() const noexcept { return restart_times_.size(); }

 private:
  struct pending_group {
    bool due = false;
  };

  [[nodiscard]] bool should_restart(const child_status& child, exit_kind kind) const noexcept;
  [[nodiscard]] bool intensity_exceeded(timestamp now);
  [[nodiscard]] std::vector<std::size_t> restart_group(std::size_t failed) const;
  [[nodiscard]] actions restart(std::size_t failed, timestamp now);
  [[nodiscard]] actions escalate(std::size_t failed, timestamp now);
  [[nodiscard]] actions stop_running(const std::string& why, timestamp now);
  [[nodiscard]] actions start_due_groups(timestamp now);
  [[nodiscard]] std::vector<std::size_t> members_of(std::uint64_t id) const;
  void set_health(child_status& child, health_state state, std::string reason, timestamp now);

  supervisor_policy policy_;
  std::vector<child_status> children_;
  std::deque<timestamp> restart_times_;
  std::map<std::uint64_t, pending_group> pending_;
  std::uint64_t next_restart_id_ = 1;
  bool terminating_ = false;
  health_state own_state_ = health_state::starting;
  std::string own_reason_;
  std::string impaired_reason_;
  timestamp own_since_{};
};

} // namespace tern::supervision
