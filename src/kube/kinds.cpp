#include "kube/kinds.h"

#include <algorithm>

namespace rollout_pace {

namespace {

const int_or_percent zero{0, false};

std::optional<rule_violation> deployment_rules(const std::optional<int_or_percent>& s, const int_or_percent& u) {
  return validate_rolling_update_deployment(s.value_or(zero), u);
}
std::optional<rule_violation> daemonset_rules(const std::optional<int_or_percent>& s, const int_or_percent& u) {
  return validate_rolling_update_daemonset(s.value_or(zero), u);
}
std::optional<rule_violation> statefulset_rules(const std::optional<int_or_percent>&, const int_or_percent& u) {
  return validate_rolling_update_statefulset(u);
}
std::optional<rule_violation> canary_rules(const std::optional<int_or_percent>& s, const int_or_percent& u) {
  return validate_canary_rollout(s.value_or(zero), u);
}

rollout_plan deployment_update(const kind_update& u) {
  return simulate_rolling_update(u.replicas, u.max_surge, u.max_unavailable, u.min_ready_seconds, u.pod_startup_seconds,
                                 1000, u.watch_available);
}
rollout_plan daemonset_update(const kind_update& u) {
  return simulate_daemonset_update(u.replicas, daemonset_fenceposts(u.max_surge, u.max_unavailable, u.replicas),
                                   u.min_ready_seconds, u.pod_startup_seconds, u.watch_available);
}
rollout_plan statefulset_update_of(const kind_update& u) {
  statefulset_update s;
  s.replicas = u.replicas;
  s.max_unavailable = statefulset_max_unavailable(u.max_unavailable, u.replicas);
  s.gate_on = u.gate_on;  // off: the API server drops maxUnavailable, one pod at a time
  s.parallel = u.parallel;
  s.partition = u.partition;
  s.min_ready_seconds = u.min_ready_seconds;
  s.pod_startup_seconds = u.pod_startup_seconds;
  s.watch_available = u.watch_available;
  return simulate_statefulset_update(s);
}
rollout_plan canary_update_of(const kind_update& u) {
  canary_update c{
      u.replicas, u.max_surge,      u.max_unavailable,      u.min_ready_seconds,        u.pod_startup_seconds,
      u.steps,    u.traffic_routed, u.dynamic_stable_scale, u.min_pods_per_replica_set, u.watch_available};
  bool waits = false;  // a pause: {} is known from the steps, which the summary and the guard say
  return simulate_canary_update(c, waits);
}

// The last batch's creation, and when its pods are ready (a run's last batch: count - 1 periods on).
std::int64_t last_created(const rollout_plan& r) {
  if (r.steps.empty()) return 0;
  const rollout_step& s = r.steps.back();
  return s.created + (s.count - 1) * s.every;
}

// deploymentReady: the new ReplicaSet's ready pods reach replicas - MaxUnavailable (ready, not
// available: minReadySeconds is not waited for).
std::int64_t deployment_legacy_wait(const rollout_plan& r, std::int64_t pod_startup_seconds) {
  std::int64_t want = r.replicas - std::min(r.pods.unavailable, r.replicas), have = 0;
  if (want <= 0) return 0;
  for (const rollout_step& s : r.steps) {
    if (s.pods > 0 && have + s.pods * s.count >= want) {
      std::int64_t batch = (want - have + s.pods - 1) / s.pods - 1;  // the run's batch that reaches it
      return s.created + batch * s.every + pod_startup_seconds;
    }
    have += s.pods * s.count;
  }
  return last_created(r) + pod_startup_seconds;
}
// daemonSetReady: updatedNumberScheduled == desiredNumberScheduled (the controller keeps numberReady
// at or above desired - maxUnavailable meanwhile).
std::int64_t daemonset_legacy_wait(const rollout_plan& r, std::int64_t) { return last_created(r); }
// statefulSetReady: every updated pod ready, and the revisions equal once the last one is.
std::int64_t statefulset_legacy_wait(const rollout_plan& r, std::int64_t pod_startup_seconds) {
  return r.steps.empty() ? 0 : last_created(r) + pod_startup_seconds;
}
// Termination waits: none, one per batch, or one per batch when no pod surges.
std::int64_t no_termination_waits(const rollout_plan&) { return 0; }
std::int64_t batch_termination_waits(const rollout_plan& r) { return r.step_count(); }
std::int64_t unsurged_termination_waits(const rollout_plan& r) { return r.pods.surge == 0 ? r.step_count() : 0; }

// The legacy waiter has no case for a custom resource: ready at once.
std::int64_t no_legacy_wait(const rollout_plan&, std::int64_t) { return 0; }

}  // namespace

std::string workload_kind::api_version() const { return std::string(group) + "/" + std::string(versions.front()); }

// One kind a paragraph, its fields in the order of workload_kind.
// clang-format off
const std::vector<workload_kind>& workload_kinds() {
  static const std::vector<workload_kind> kinds{
      {"Deployment", "apps", {"v1"}, "DeploymentList", {"strategy"}, "rollingUpdate", "Recreate",
       /*has_surge=*/true, /*has_progress_deadline=*/true, kind_rounding::deployment,
       "ResolveFenceposts (pkg/controller/deployment/util/deployment_util.go)", deployment_rules,
       /*strategy_required=*/false, /*template_ref=*/"", /*gate_on=*/nullptr, "", "", /*flux_patch=*/true, "",
       deployment_update, /*pods_per_node=*/false, /*host_ports_block_surge=*/false, /*ordinal=*/false,
       /*fenceposts=*/true, deployment_legacy_wait, /*watcher_waits_all=*/true,
       no_termination_waits, {25, true}, {25, true},
       "SetDefaults_Deployment (pkg/apis/apps/v1/defaults.go)"},
      {"DaemonSet", "apps", {"v1"}, "DaemonSetList", {"updateStrategy"}, "rollingUpdate", "OnDelete",
       /*has_surge=*/true, /*has_progress_deadline=*/false, kind_rounding::daemonset,
       "SurgeCount and UnavailableCount (pkg/controller/daemon/util/daemonset_util.go)", daemonset_rules,
       /*strategy_required=*/false, /*template_ref=*/"", /*gate_on=*/nullptr, "", "", /*flux_patch=*/true, "",
       daemonset_update, /*pods_per_node=*/true, /*host_ports_block_surge=*/true, /*ordinal=*/false,
       /*fenceposts=*/false, daemonset_legacy_wait, /*watcher_waits_all=*/true,
       unsurged_termination_waits, {0, false}, {1, false},
       "SetDefaults_DaemonSet (pkg/apis/apps/v1/defaults.go)"},
      {"StatefulSet", "apps", {"v1"}, "StatefulSetList", {"updateStrategy"}, "rollingUpdate", "OnDelete",
       /*has_surge=*/false, /*has_progress_deadline=*/false, kind_rounding::statefulset,
       "getStatefulSetMaxUnavailable (pkg/controller/statefulset/stateful_set_utils.go)", statefulset_rules,
       /*strategy_required=*/false, /*template_ref=*/"", max_unavailable_statefulset_enabled,
       "MaxUnavailableStatefulSet", max_unavailable_statefulset_history, /*flux_patch=*/true, "",
       statefulset_update_of, /*pods_per_node=*/false, /*host_ports_block_surge=*/false, /*ordinal=*/true,
       /*fenceposts=*/false, statefulset_legacy_wait, /*watcher_waits_all=*/true,
       batch_termination_waits, {0, false}, {1, false},
       "SetDefaults_StatefulSet (pkg/apis/apps/v1/defaults.go)"},
      {"Rollout", "argoproj.io", {"v1alpha1"}, "RolloutList", {"strategy", "canary"}, "", "",
       /*has_surge=*/true, /*has_progress_deadline=*/true, kind_rounding::canary,
       "resolveFenceposts (argo-rollouts utils/replicaset/replicaset.go)", canary_rules,
       /*strategy_required=*/true, /*template_ref=*/"workloadRef", /*gate_on=*/nullptr, "", "",
       /*flux_patch=*/false, "", canary_update_of, /*pods_per_node=*/false, /*host_ports_block_surge=*/false,
       /*ordinal=*/false, /*fenceposts=*/true, no_legacy_wait, /*watcher_waits_all=*/false,
       no_termination_waits, {25, true}, {25, true},
       "GetMaxSurgeOrDefault, GetMaxUnavailableOrDefault (argo-rollouts utils/defaults/defaults.go)"},
  };
  return kinds;
}
// clang-format on

const workload_kind* find_kind(std::string_view kind) {
  for (const auto& k : workload_kinds())
    if (k.kind == kind) return &k;
  return nullptr;
}

const workload_kind* find_list_kind(std::string_view list_kind) {
  for (const auto& k : workload_kinds())
    if (k.list_kind == list_kind) return &k;
  return nullptr;
}

bool is_list_kind(std::string_view kind) { return kind.size() >= 4 && kind.compare(kind.size() - 4, 4, "List") == 0; }

bool serves(const workload_kind& k, std::string_view api_version) {
  std::size_t slash = api_version.find('/');
  if (slash == std::string_view::npos || api_version.substr(0, slash) != k.group) return false;
  std::string_view v = api_version.substr(slash + 1);
  return std::find(k.versions.begin(), k.versions.end(), v) != k.versions.end();
}

bool kind_selected(const std::vector<std::string>& kinds, std::string_view kind) {
  return kinds.empty() || std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::string kind_names() {
  std::string out;
  for (const auto& k : workload_kinds()) out += (out.empty() ? "" : ", ") + std::string(k.kind);
  return out;
}

kind_pace map_pace(const workload_kind& k, const int_or_percent& max_surge, const int_or_percent& max_unavailable,
                   bool host_bound) {
  const int_or_percent zero{0, false}, one{1, false};
  switch (k.rounding) {
    case kind_rounding::deployment:
    case kind_rounding::canary: return {max_surge, max_unavailable, "", warning_id::none};
    case kind_rounding::daemonset:
      // Exactly one of the two may be non-zero: a profile that takes pods down keeps maxUnavailable;
      // one with no downtime surges, unless its pods hold a host port or the host network.
      if (max_unavailable.value != 0)
        return {zero, max_unavailable, "", warning_id::none};  // Blitz: 50% of the nodes at once
      if (host_bound)
        return {zero, one,
                "its pods use a hostPort or hostNetwork, so a new pod cannot start beside the old one on the same "
                "node (the update would stall): maxSurge 0 and maxUnavailable 1 instead, one node's pod down at a time",
                warning_id::host_port};
      return {max_surge, zero, "", warning_id::none};
    case kind_rounding::statefulset:
      if (max_unavailable.value != 0) return {std::nullopt, max_unavailable, "", warning_id::none};
      return {std::nullopt, one,
              "a StatefulSet cannot surge, so a profile with no pod down cannot be kept: maxUnavailable 1, one pod "
              "down at a time",
              warning_id::cannot_surge};
  }
  return {max_surge, max_unavailable, "", warning_id::none};
}

std::string rolling_path(const workload_kind& k) {
  std::string out = "spec";
  for (std::string_view step : k.strategy) out += "." + std::string(step);
  if (!k.rolling.empty()) out += "." + std::string(k.rolling);
  return out;
}

}  // namespace rollout_pace
