#include "base/warning_id.h"

namespace rollout_pace {

const std::vector<warning_kind>& warning_kinds() {
  static const std::vector<warning_kind> kinds{
      {warning_id::no_readiness_probe, "no-readiness-probe",
       "the pace waits minReadySeconds, but no container has a readinessProbe, so a failing pod still counts as ready"},
      {warning_id::single_replica, "single-replica",
       "one replica and no surge (a StatefulSet never surges): the only pod goes down before its replacement is "
       "ready"},
      {warning_id::rounds_to_zero, "rounds-to-zero",
       "maxSurge and maxUnavailable both resolve to 0 pods for the replicas, so Kubernetes takes one pod down at a "
       "time"},
      {warning_id::cannot_surge, "cannot-surge",
       "a StatefulSet cannot surge: a profile with no pod down becomes maxUnavailable 1"},
      {warning_id::host_port, "host-port",
       "a DaemonSet's pods use a hostPort or hostNetwork, so a new pod cannot start beside the old one: maxSurge 0, "
       "maxUnavailable 1"},
      {warning_id::feature_gate, "feature-gate",
       "the cluster's version has the MaxUnavailableStatefulSet gate off: the API server drops maxUnavailable and the "
       "controller replaces one pod at a time"},
      {warning_id::recreate, "recreate",
       "a Recreate Deployment with no rollout-pace/profile annotation of its own is left as it is"},
      {warning_id::api_version, "api-version",
       "a workload's apiVersion is not the one rollout-pace paces, so it is left as it is"},
      {warning_id::timeout, "timeout",
       "the rollout takes longer than Helm's or Flux's timeout, which then gives up or rolls back"},
      {warning_id::indefinite_pause, "indefinite-pause",
       "an Argo canary step pause: {} waits for a person, so no timeout is long enough"},
      {warning_id::unplanned, "unplanned",
       "a paced workload's rollout cannot be planned (its replicas are not known), so the timeout guard "
       "does not count it"},
      {warning_id::replicas_unknown, "replicas-unknown",
       "a paced workload has no spec.replicas and nothing in the stream scales it (for flux: spec.values has no "
       "replicaCount), so the plan assumes 1"},
      {warning_id::previous_empty, "previous-empty",
       "the --previous manifests hold no workload, so every workload counts as new"},
      {warning_id::flux_api_version, "flux-api-version",
       "a HelmRelease's apiVersion is no longer served by current Flux"},
      {warning_id::flux_static_patch, "flux-static-patch",
       "flux's patches set every workload of a kind to RollingUpdate, so a Recreate Deployment or an OnDelete "
       "StatefulSet or DaemonSet would change"},
      {warning_id::flux_entry_removed, "flux-entry-removed",
       "flux removes a HelmRelease's rollout-pace entry: nothing chooses a pace for it any more"},
      {warning_id::annotations_override, "annotations-override",
       "a HelmRelease's own rollout-pace/* annotations override the profile flux --set writes"},
      {warning_id::helm_reports_early, "helm-reports-early",
       "Helm's legacy wait (Helm 3's --wait, Helm 4's --wait=legacy) reports the release deployed while a "
       "rollout goes on"},
      {warning_id::flux_values_unread, "flux-values-unread",
       "flux renders a HelmRelease's chart without values helm-controller reads from the cluster (valuesFrom), so "
       "the patches follow the chart's defaults where those values would differ"},
      {warning_id::replicas_fought_over, "replicas-fought-over",
       "a workload sets spec.replicas while a HorizontalPodAutoscaler or KEDA ScaledObject of the stream scales it, so "
       "every helm upgrade resets the count and the autoscaler scales it back"},
      {warning_id::canary_unobserved, "canary-unobserved",
       "an Argo canary's setWeight step is followed by no pause, analysis or experiment, and no background analysis "
       "runs: the canary gets traffic with no time to be observed"},
      {warning_id::downtime, "downtime",
       "the simulated rollout takes every pod of a workload down at some moment: it is down during the update"},
      {warning_id::progress_deadline, "progress-deadline",
       "the simulated rollout goes longer without progress than spec.progressDeadlineSeconds, so the controller "
       "marks it failed (ProgressDeadlineExceeded) although nothing is wrong"},
      {warning_id::stall, "stall",
       "no pod may go down and the surge pod cannot be placed (a hostPort, or required pod anti-affinity on "
       "kubernetes.io/hostname, with a pod on every node): the rollout never ends"},
      {warning_id::budget_blocks_drains, "budget-blocks-drains",
       "a PodDisruptionBudget never allows a voluntary disruption of the pods it selects, so node drains and "
       "cluster-autoscaler scale-downs wait"},
  };
  return kinds;
}

std::string_view name_of(warning_id id) {
  if (id == warning_id::none) return "";
  return warning_kinds()[static_cast<std::size_t>(id) - 1].name;
}

std::optional<warning_id> parse_warning_id(std::string_view name) {
  for (const warning_kind& k : warning_kinds())
    if (k.name == name) return k.id;
  return std::nullopt;
}

std::string warning_ids_list() {
  std::string out;
  for (const warning_kind& k : warning_kinds()) out += (out.empty() ? "" : ", ") + std::string(k.name);
  return out;
}

}  // namespace rollout_pace
