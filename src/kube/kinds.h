#pragma once
// The one table of workload kinds rollout-pace paces. The stream scanner, the finder, the
// decision, the editor's paths, the rules, the planner and the Flux patches all read it, so a new
// kind is one row here and its functions (its rules in kube/rules, its controller's simulation);
// nothing outside kinds.cpp branches on a kind (test/decision_test walks adding one).
#include <cstdint>

#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "base/warning_id.h"

#include "kube/canary.h"
#include "kube/profile.h"
#include "kube/rules.h"

namespace rollout_pace {

/// How a kind's controller turns maxSurge and maxUnavailable into pods (kube/rules.h).
enum class kind_rounding { deployment, daemonset, statefulset, canary };

/// What a kind's simulate() reads: the values written and what the workload says beside them.
struct kind_update {
  std::int64_t replicas = 0;  ///< the pods: for a kind with pods_per_node, the nodes
  int_or_percent max_surge{0, false}, max_unavailable{0, false};
  std::int32_t min_ready_seconds = 0;
  std::int64_t pod_startup_seconds = 10;
  bool gate_on = true;             ///< the kind's feature gate (gate_on below) is on in the cluster
  bool parallel = false;           ///< ordinal kinds: podManagementPolicy Parallel
  std::int64_t partition = 0;      ///< ordinal kinds: only ordinals at or above it are updated
  std::vector<canary_step> steps;  ///< canaries: the steps the plan counts
  bool traffic_routed = false, dynamic_stable_scale = false;
  std::int64_t min_pods_per_replica_set = 0;
  std::int64_t watch_available = -1;  ///< the level rollout_plan::seconds_at_or_below counts for (-1: none)
};

struct workload_kind {
  std::string_view kind;                   ///< "Deployment"
  std::string_view group;                  ///< API group: "apps", "argoproj.io"
  std::vector<std::string_view> versions;  ///< served versions rollout-pace edits: "v1"
  std::string_view list_kind;              ///< "DeploymentList"
  /// The strategy map under spec: {"strategy"}, {"updateStrategy"} or {"strategy", "canary"}.
  std::vector<std::string_view> strategy;
  std::string_view rolling;     ///< the map holding the fields under the strategy: "rollingUpdate", or "" (Argo canary)
  std::string_view other_type;  ///< the strategy type rollout-pace leaves alone: "Recreate", "OnDelete", or ""
  bool has_surge;               ///< StatefulSets cannot surge
  bool has_progress_deadline;   ///< spec.progressDeadlineSeconds exists (and must exceed minReadySeconds)
  kind_rounding rounding;
  std::string_view rounding_source;  ///< the upstream function the rounding mirrors
  /// The API server's rules for the values written (kube/rules.h), the upstream function named there.
  std::optional<rule_violation> (*validate)(const std::optional<int_or_percent>& max_surge,
                                            const int_or_percent& max_unavailable);
  bool strategy_required;  ///< no strategy map: left alone (a Rollout without a canary strategy)
  /// A spec field naming the workload whose pod template this one runs (Argo's "workloadRef"): that
  /// workload is left alone (Argo runs its pods), this one is paced by its own strategy.
  std::string_view template_ref;
  /// Whether the API server keeps maxUnavailable in a version (its feature gate is on); nullptr: always.
  bool (*gate_on)(const kube_version&);
  std::string_view gate;          ///< the feature gate behind gate_on
  std::string_view gate_history;  ///< when it is on, for messages
  bool flux_patch;                ///< a static Flux patch can pace it (not a Rollout: canary or blue-green?)
  std::string_view plan_note;     ///< what the plan's duration does not count
  /// Its controller's rolling update, step by step (kube/simulation.h, kube/canary.h).
  rollout_plan (*simulate)(const kind_update& u);
  bool pods_per_node;           ///< one pod on each node (a DaemonSet): the plan's replicas are --nodes
  bool host_ports_block_surge;  ///< a pod with a hostPort cannot start beside the old one on its node
  bool ordinal;                 ///< ordered pods (a StatefulSet): podManagementPolicy and partition apply
  /// maxSurge and maxUnavailable resolve as ResolveFenceposts does (both 0 becomes one pod down), so
  /// the plan warns about one replica with no surge and about values that round to 0.
  bool fenceposts;
  /// When Helm's legacy waiter (Helm 3's --wait, Helm 4's --wait=legacy: pkg/kube/ready.go) calls the
  /// rollout ready, in seconds from its start: a Deployment when readyReplicas of the new ReplicaSet
  /// reach replicas - maxUnavailable (deploymentReady), a DaemonSet when every node has its updated
  /// pod scheduled (daemonSetReady), a StatefulSet when every updated pod is ready (statefulSetReady);
  /// a kind the waiter has no case for (an Argo Rollout) at once.
  std::int64_t (*legacy_wait)(const rollout_plan& r, std::int64_t pod_startup_seconds);
  /// Helm 4's watcher (kstatus) waits for the whole rollout (every pod updated and available, the
  /// old ones gone); false: kstatus reads the kind's own conditions, which the plan does not model.
  bool watcher_waits_all;
  /// How many times the rollout waits for old pods to be gone before it goes on, each wait up to the
  /// pods' terminationGracePeriodSeconds: a StatefulSet creates a pod only once the old one with its
  /// ordinal is gone (every batch), a DaemonSet without surge only once the node's old pod is gone;
  /// a Deployment (and an Argo Rollout) creates the new pods while old ones terminate (none).
  std::int64_t (*termination_waits)(const rollout_plan& r);
  /// What the API server (or Argo Rollouts) uses when maxSurge or maxUnavailable is unset
  /// (defaults_source names the function): how a workload left alone rolls out.
  int_or_percent default_max_surge, default_max_unavailable;
  std::string_view defaults_source;
  /// "apps/v1": the apiVersion rollout-pace writes for it (its group and first version).
  std::string api_version() const;
};

/// Every kind rollout-pace knows, in the order --kinds and docs/profiles.md lists them.
const std::vector<workload_kind>& workload_kinds();
/// The kind named exactly so, or nullptr.
const workload_kind* find_kind(std::string_view kind);
/// The kind whose list kind is named so ("DeploymentList"), or nullptr.
const workload_kind* find_list_kind(std::string_view list_kind);
/// A list kind ("List", "DeploymentList", any "*List"): its items are read as workloads.
bool is_list_kind(std::string_view kind);
/// "apps/v1" is one of the kind's versions.
bool serves(const workload_kind& k, std::string_view api_version);
/// Whether --kinds (empty: every kind) selects a kind.
bool kind_selected(const std::vector<std::string>& kinds, std::string_view kind);
/// The path of the map that holds maxSurge and maxUnavailable: "spec.strategy.rollingUpdate",
/// "spec.updateStrategy.rollingUpdate", "spec.strategy.canary".
std::string rolling_path(const workload_kind& k);
/// "Deployment, DaemonSet, StatefulSet, Rollout", for messages and --help.
std::string kind_names();

/// What a profile becomes for one kind: the values to write (maxSurge unset for a StatefulSet),
/// and why it differs from the profile, when it does.
struct kind_pace {
  std::optional<int_or_percent> max_surge;
  int_or_percent max_unavailable;
  std::string adjusted;                       ///< "" or the warning: why the profile could not be kept as it is
  warning_id adjusted_id = warning_id::none;  ///< its warning id: host_port or cannot_surge
};

/// Maps a decided pace onto a kind so that the API server accepts it and the profile's intent is
/// kept: a DaemonSet takes exactly one of the two (a profile with no downtime surges, unless its pods
/// use a hostPort or hostNetwork, which cannot surge: then 0 and 1); a StatefulSet cannot surge
/// (a no-downtime profile becomes maxUnavailable 1, with a warning).
kind_pace map_pace(const workload_kind& k, const int_or_percent& max_surge, const int_or_percent& max_unavailable,
                   bool host_bound);

}  // namespace rollout_pace
