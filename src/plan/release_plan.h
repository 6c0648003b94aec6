#pragma once
// What a release's rollout will take: every workload's decision (the same value the post-renderer
// edits by), its replicas and its simulated rolling update, and the release's minimum duration
// against Helm's or Flux's timeout.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/limits.h"
#include "kube/kinds.h"
#include "kube/profile.h"
#include "kube/selector.h"
#include "kube/simulation.h"
#include "pace/decision.h"
#include "pace/options.h"

namespace rollout_pace {

/// A HorizontalPodAutoscaler of the stream and the workload it scales: the HPA controller finds its
/// target by the group of scaleTargetRef.apiVersion, the kind, the name and the HPA's namespace.
struct hpa_target {
  std::string name, ns;             ///< the HPA's own name and namespace
  std::string group, kind, target;  ///< spec.scaleTargetRef: the group of its apiVersion, its kind and name
  std::int64_t min_replicas = 1;    ///< spec.minReplicas (default 1)
  std::int64_t max_replicas = 0;    ///< spec.maxReplicas
  std::string source = "HorizontalPodAutoscaler";  ///< or "ScaledObject" (KEDA, which makes an HPA of it)
};

/// A PodDisruptionBudget of the stream: the pods it covers (its selector, in its namespace) and
/// what it keeps (pkg/controller/disruption).
struct disruption_budget {
  std::string name, ns;
  label_selector selector;
  std::optional<int_or_percent> min_available, max_unavailable;
  resource_ref about;  ///< the PodDisruptionBudget, for the messages
};

/// Where a workload's replicas for the plan came from.
enum class replica_source {
  spec,        ///< spec.replicas
  defaulted,   ///< spec.replicas is absent: the API default, 1
  autoscaler,  ///< an HPA of the stream that targets it: its maxReplicas
  nodes,       ///< a DaemonSet: --nodes
  flag,        ///< explain --replicas
  scale,       ///< --scale KIND/NAME=N
};

/// One workload of the plan: the decision the post-renderer edits by, and what the rollout takes.
struct planned_workload {
  workload_ref ref;
  workload_decision decision;
  std::optional<std::int64_t> replicas;  ///< unset when spec.replicas is not a number
  replica_source replicas_from = replica_source::spec;
  std::string replicas_detail;  ///< autoscaler and nodes: "HorizontalPodAutoscaler web (2-10, ...)"
  /// An autoscaler of the stream that scales the workload while its spec.replicas is set:
  /// "HorizontalPodAutoscaler web (2-10)"; "" when none does (the [replicas-fought-over] warning).
  std::string fought_over;
  /// The fewest replicas it runs with: an autoscaler's minimum, else the planned replicas.
  std::optional<std::int64_t> fewest_replicas;
  std::optional<rollout_plan> rollout;  ///< when paced and the replicas are known
  /// A workload left alone, rolling out by its own fields (workload_decision::own): checked by
  /// release_warnings, not counted in the release's durations.
  std::optional<rollout_plan> own_rollout;
  /// When Helm (opts.wait) calls this rollout ready, in seconds from its start; unset when the plan
  /// does not know what Helm waits for (kstatus on a custom resource) or there is no rollout.
  std::optional<std::int64_t> helm_waits_seconds;
  /// The rollout with every old pod taking its whole terminationGracePeriodSeconds to go, where the
  /// controller waits for it (kube/kinds.h termination_waits); min_duration_seconds without.
  std::int64_t max_duration_seconds = 0;
  std::string summary;  ///< the plain sentence

  /// A workload of the decision, with its replicas as the decision read them.
  planned_workload(workload_ref r, workload_decision d);
  /// "Deployment"
  std::string kind_name() const;
  /// The rollout the checks look at: the paced one, else the one it has of its own; nullptr for none.
  const rollout_plan* checked() const { return rollout ? &*rollout : own_rollout ? &*own_rollout : nullptr; }
  /// The minReadySeconds of that rollout.
  std::int32_t min_ready_seconds() const;
  /// "the default", "HorizontalPodAutoscaler web (2-10, planned for its maximum)", "--replicas", ...
  std::string replicas_text() const;
};

/// The seconds w's rollout (paced, or its own) spends with at most `available` of its pods available,
/// simulated again with that level watched (rollout_plan::seconds_at_or_below); 0 without a rollout.
std::int64_t seconds_at_or_below(const planned_workload& w, std::int64_t available, std::int64_t pod_startup_seconds);

/// The release: its workloads and how long it takes at least (Helm applies all, then waits for all).
struct release_plan {
  std::vector<planned_workload> workloads;
  std::int64_t min_duration_seconds = 0;
  std::int64_t max_duration_seconds = 0;  ///< the longest workload's max_duration_seconds
  helm_wait wait = helm_wait::watcher;    ///< what Helm waits for (--wait)
  /// How long Helm waits before it reports the release deployed: the longest of the workloads' helm
  /// waits (a workload whose wait is unknown counts its whole rollout). The timeout guard compares it.
  std::int64_t helm_waits_seconds = 0;
  /// The workload whose rollout goes on longest after Helm reports the release deployed (the legacy
  /// waiter), for the [helm-reports-early] warning.
  std::optional<std::size_t> reported_early;
  std::int64_t timeout_ns = default_timeout_ns;  ///< a Go Duration
  std::int64_t pod_startup_seconds = 10;         ///< --pod-startup, as the simulation took it
  bool exceeds_timeout = false;
  /// The first workload that waits for a person (an Argo canary's pause: {}): no timeout fits it.
  std::optional<std::size_t> waits_for_person;
  /// Paced workloads the plan could not simulate (more replicas than it plans): their rollouts are not
  /// in min_duration_seconds, which the timeout guard must say.
  std::vector<std::size_t> unplanned;
  /// The PodDisruptionBudgets of the stream, for the checks (rewrite fills them in).
  std::vector<disruption_budget> budgets;
  std::int64_t nodes = 3;                     ///< --nodes: the schedulable nodes, for the stall check
  std::string release_namespace = "default";  ///< where objects without metadata.namespace live
  /// The workload that takes longest, or nullptr when none is paced.
  const planned_workload* longest() const;
};

/// Fills in replicas (spec.replicas; when absent, an HPA of the stream that targets the workload,
/// for its maxReplicas; else 1, the API default; a DaemonSet's pods are opts.nodes), simulates each
/// paced workload's rolling update as its kind's controller does, with opts.pod_startup_seconds,
/// writes each summary, and the release's duration and timeout.
void complete_plan(release_plan& plan, const std::vector<hpa_target>& hpas, const pace_options& opts);

/// The plain sentence for a pace and a simulated rollout, e.g. "Paranoid: replaces 1 pod at a time,
/// no pod down, and waits 300 s after each is ready; 10 replicas: 10 steps, at least 51 min 40 s,
/// 11 pods at most".
std::string summary_sentence(const decision& d, const rollout_plan& r);

/// The release's own warnings, each naming a workload: [unplanned] for each paced workload the plan
/// could not simulate (the timeout guard does not count it), then [indefinite-pause] or [timeout] when
/// the release does not fit its timeout. A warning the named workload accepts (rollout-pace/accept) is
/// left out; --accept is the caller's.
std::vector<diagnostic> release_warnings(const release_plan& plan);

/// When workloads are there but none is paced because no layer chose a profile for any of them:
/// the note that says so (a quiet pass-through must not look like success); else "".
std::string nothing_chosen_note(const release_plan& plan);

/// A timeout that leaves room for what the simulation cannot know (slow image pulls, a probe that
/// needs a second try): half as long again plus 2 minutes, rounded up to whole minutes. nullopt when
/// that is past the longest Go duration (2562047h47m16s): no timeout Helm or Flux takes is enough.
std::optional<std::int64_t> suggested_timeout(std::int64_t min_duration_seconds);

/// What the timeout warnings say when suggested_timeout() has none.
constexpr std::string_view no_timeout_fits = "no timeout is long enough (Go's durations end at 2562047h47m16s)";

}  // namespace rollout_pace
