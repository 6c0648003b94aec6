#pragma once
#include <cstddef>
#include <cstdint>

#include <optional>
#include <string>
#include <vector>

#include "base/limits.h"
#include "kube/kinds.h"
#include "pace/choose.h"

namespace rollout_pace {

/// --scale KIND/NAME=N: the replicas to plan a workload for, when something outside the stream scales it.
struct replica_override {
  std::string kind, name;
  std::int64_t replicas = 0;
};

/// What Helm waits for before it reports a release deployed (--wait): Helm 4's watcher (kstatus: the
/// whole rollout), or the legacy waiter of Helm 3's --wait and Helm 4's --wait=legacy.
enum class helm_wait { watcher, legacy };

/// What the decision and the plan read (pace/, plan/), from flags and values files. Annotations are
/// read per workload. The commands' own settings are manifest/options.h's options, which is one.
struct pace_options {
  choice flags;                                  ///< --profile, --max-surge, --max-unavailable, --min-ready-seconds
  choice values;                                 ///< deploymentStrategy and customStrategy from --values files
  choice matrix;                                 ///< --environment with --change
  std::vector<warning_id> accept;                ///< --accept: warning ids (base/warning_id.h) silenced everywhere
  bool include_hooks = false;                    ///< also pace documents carrying a helm.sh/hook annotation
  std::string environment;                       ///< --environment, when given
  std::string change;                            ///< --change, when given: it wins over the change --previous finds
  helm_wait wait = helm_wait::watcher;           ///< --wait: what Helm waits for
  std::int64_t timeout_ns = default_timeout_ns;  ///< --timeout: Helm's and Flux's default is 5m0s
  std::vector<std::string> kinds;                ///< --kinds: the kinds to pace; empty: every kind rollout-pace knows
  kube_version kube = newest_kube_version;       ///< --kube-version: what the cluster's API server accepts
  std::int64_t nodes = 3;                        ///< --nodes: a DaemonSet's pods, for the plan
  std::int64_t pod_startup_seconds = 10;         ///< --pod-startup: from creation to ready, for the plan
  /// --namespace (else HELM_NAMESPACE, else "default", as helm template renders): where an object
  /// without metadata.namespace lives, for matching autoscalers to workloads.
  std::string release_namespace = "default";
  std::vector<replica_override> scales;  ///< --scale: replicas for the plan, over spec.replicas and autoscalers
};

}  // namespace rollout_pace
