#pragma once
// What the decision reads of a workload: plain facts, filled in by manifest/ from the YAML, so that
// the decision (pace/decision.h) never sees a YAML node. A fact whose reading failed (a bad merge key
// on the way to it) carries the located error instead, raised only if the decision needs the fact:
// a workload that is left alone is never refused for a field rollout-pace would not have read.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.h"
#include "kube/canary.h"
#include "kube/kinds.h"
#include "kube/selector.h"
#include "kube/simulation.h"
#include "pace/choose.h"

namespace rollout_pace {

/// A value read from a document, or the located one-line error reading it gave.
template <typename T>
struct fact {
  T value{};
  std::string error;  ///< non-empty: the failure(bad_input) message to raise when the value is needed
  const T& get() const {
    if (!error.empty()) throw failure(exit_code::bad_input, error);
    return value;
  }
};

/// How much a workload changes, smallest first; the order is what "largest" means.
enum class change_kind { none, patch, minor, major, new_workload };
/// "none", "patch", "minor", "major", "new".
std::string_view display_name(change_kind k);

/// A change and what decided it ("major: api 1.9.4 -> 2.0.0").
struct change {
  change_kind kind = change_kind::none;
  std::string reason;
};

/// What a workload's (or a Flux HelmRelease's) metadata.annotations say to rollout-pace.
struct annotation_layer {
  choice chosen;                   ///< rollout-pace/profile and the single-field annotations
  bool skip = false;               ///< rollout-pace/skip: "true"
  bool hook = false;               ///< helm.sh/hook is set
  std::vector<warning_id> accept;  ///< rollout-pace/accept: warning ids silenced on this one
};

/// Which workload: its kind, where it is, and its names, for every message about it.
struct workload_ref {
  const workload_kind* kind = nullptr;
  std::size_t document = 0;         ///< 1-based index in the stream
  std::string at;                   ///< "" for a document that is the workload, "items[2]" inside a List
  std::optional<std::size_t> item;  ///< 2 for items[2] and items[2].items[0]
  bool inside_item = false;         ///< items[2].items[0]: inside item 2, a List
  std::string name, ns;             ///< metadata.name and metadata.namespace
  std::string source;               ///< the template it came from, if known
  /// The resource, as diagnostics carry it.
  resource_ref resource() const;
  /// "document 7 (DaemonSet shop/agent, from web/templates/agent.yaml)"
  std::string where() const { return resource().where(); }
  /// "shop/agent"
  std::string qualified_name() const { return (ns.empty() ? "" : ns + "/") + name; }
};

/// A field as it is written: whether it is there, its scalar text, and its path for messages.
struct field_fact {
  bool present = false;                ///< written, and not null
  bool scalar = false;                 ///< a scalar (not a map or a list)
  bool plain = false;                  ///< a scalar written plain (not quoted)
  std::string text;                    ///< the scalar's text, "" for anything else
  std::string shown;                   ///< for the report: the text, "unset" or "(not a scalar)"
  std::optional<std::int64_t> number;  ///< the value as Kubernetes reads an integer field (yaml_int)
  std::string at;                      ///< "spec.strategy.rollingUpdate.maxSurge"
  bool is_map = false;
};

/// The fields of a workload's rolling update, at the paths its kind's table entry gives.
struct strategy_facts {
  field_fact spec;
  std::optional<field_fact> not_a_map;  ///< the first map on the strategy's path that is not one
  field_fact strategy, type, rolling, surge, unavailable, min_ready, deadline, replicas;
  field_fact policy, partition;  ///< StatefulSets: spec.podManagementPolicy, the rolling update's partition
};

/// A workload another one names: by kind, namespace and name.
struct workload_target {
  std::string kind, ns, name;
  bool operator==(const workload_target& o) const { return kind == o.kind && ns == o.ns && name == o.name; }
};

/// What an Argo canary's steps add to its rollout: the pauses with a duration, and whether one
/// waits for a person (pause: {}).
struct canary_pauses {
  std::int64_t seconds = 0;                   ///< the pauses with a duration, added up
  bool indefinite = false;                    ///< a pause with no duration: the rollout waits until promoted
  std::size_t set_weights = 0;                ///< setWeight steps
  std::vector<canary_step> steps;             ///< the steps the plan counts, in order
  bool traffic_routed = false;                ///< canary.trafficRouting is set: the router moves the weight
  bool dynamic_stable_scale = false;          ///< canary.dynamicStableScale: true
  std::int64_t min_pods_per_replica_set = 0;  ///< canary.minPodsPerReplicaSet (0: unset)
  /// The first setWeight step (of 1 to 99) that no pause, analysis or experiment step follows before
  /// the next setWeight or the end, when no background analysis (canary.analysis) runs: the canary
  /// gets that traffic with no time to be observed. 0: none.
  std::int64_t unobserved_weight = 0;
};

/// A cap on how many of a workload's pods one node takes, and why: a hostPort or required pod
/// anti-affinity on kubernetes.io/hostname (1 pod), or a DoNotSchedule topology spread on
/// kubernetes.io/hostname whose minDomains exceeds the nodes (maxSkew pods: the scheduler then takes
/// the global minimum as 0, PodTopologySpread's minMatchNum).
struct node_limit {
  std::string why;               ///< "a hostPort or hostNetwork"
  std::int64_t pods = 1;         ///< at most this many of its pods on one node
  std::int64_t min_domains = 0;  ///< it holds only while the nodes are fewer than this (0: always)
  /// Whether it caps the pods on a cluster of so many nodes.
  bool holds(std::int64_t nodes) const { return min_domains == 0 || nodes < min_domains; }
};

/// Everything the decision reads of one workload.
struct workload_facts {
  workload_ref ref;
  std::string api_version;  ///< as Kubernetes reads it (a List item without one takes the list's)
  annotation_layer annotations;
  fact<strategy_facts> fields;  ///< read when the workload is paced
  fact<bool> host_bound;        ///< a pod uses hostNetwork or a hostPort (DaemonSets: cannot surge)
  fact<bool> readiness_probe;   ///< some container has a readinessProbe
  label_set pod_labels;         ///< spec.template.metadata.labels
  /// What caps its pods on one node (the stall check); empty when nothing does. Read for kinds that surge.
  std::vector<node_limit> node_limits;
  std::optional<change> changed;                    ///< with --previous: how it differs from the running release
  std::optional<workload_target> runs_template_of;  ///< the workload whose pod template it runs (workloadRef)
  std::string template_for;  ///< "Rollout shop/web": a workload that runs this one's pod template
  canary_pauses pauses;      ///< Argo canaries: what spec.strategy.canary.steps add
  /// The pod template's terminationGracePeriodSeconds (the API default 30 when unset, or not a
  /// count): how long an old pod may take to go.
  std::int64_t grace_seconds = 30;
};

}  // namespace rollout_pace
