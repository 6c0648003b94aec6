#pragma once
#include <cstddef>
#include <cstdint>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/limits.h"
#include "kube/kinds.h"
#include "pace/choose.h"

namespace rollout_pace {

class previous_release;

/// --scale KIND/NAME=N: the replicas to plan a workload for, when something outside the stream scales it.
struct replica_override {
  std::string kind, name;
  std::int64_t replicas = 0;
};

/// Everything the core needs to know, from flags and values files. Annotations are read per workload.
struct options {
  choice flags;                     ///< --profile, --max-surge, --max-unavailable, --min-ready-seconds
  choice values;                    ///< deploymentStrategy and customStrategy from --values files
  std::string values_key;           ///< --values-key: read the values' NAME instead of those two (flux too)
  choice matrix;                    ///< --environment with --change
  bool strict = false;              ///< warnings are errors (except accepted ones)
  std::vector<std::string> accept;  ///< --accept: warning ids (pace/warnings.h) silenced everywhere
  bool include_hooks = false;       ///< also pace documents carrying a helm.sh/hook annotation
  bool report = false;              ///< one report line per workload
  bool fast_reader = true;          ///< read a document with read_lite() where it can (tests compare with false)
  unsigned threads = 0;             ///< documents parsed at once; 0: one per core (the output is the same)
  std::string environment;          ///< --environment, when given
  std::string change;               ///< --change, when given: it wins over the change --previous finds
  std::shared_ptr<const previous_release> previous;  ///< --previous: the running release's manifests
  std::int64_t timeout_ns = default_timeout_ns;      ///< --timeout: Helm's and Flux's default is 5m0s
  std::optional<choice> set_values;                  ///< flux --set: the pace to write into spec.values
  bool fit_timeout = false;                          ///< flux --fit-timeout: raise spec.timeout to fit the rollout
  bool check = false;                                ///< flux --check: change nothing, say which HelmReleases are stale
  std::vector<std::string> kinds;           ///< --kinds: the kinds to pace; empty: every kind rollout-pace knows
  kube_version kube = newest_kube_version;  ///< --kube-version: what the cluster's API server accepts
  std::int64_t nodes = 3;                   ///< --nodes: a DaemonSet's pods, for the plan
  std::int64_t pod_startup_seconds = 10;    ///< --pod-startup: from creation to ready, for the plan
  /// --namespace (else HELM_NAMESPACE, else "default", as helm template renders): where an object
  /// without metadata.namespace lives, for matching autoscalers to workloads.
  std::string release_namespace = "default";
  std::vector<replica_override> scales;  ///< --scale: replicas for the plan, over spec.replicas and autoscalers
};

}  // namespace rollout_pace
