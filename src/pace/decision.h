#pragma once
// The per-workload decision, as small pure steps on plain facts (pace/facts.h): is the workload
// eligible, which pace is chosen, does its strategy allow it, what its kind can take of it, what the
// API server's rules say, and what to warn about. No YAML here: manifest/ reads the facts, and the
// commands apply the decision (edits, report, plan).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "kube/kinds.h"
#include "pace/choose.h"
#include "pace/facts.h"
#include "pace/options.h"

namespace rollout_pace {

/// How a workload left alone rolls out by its own fields, the API's defaults where they are unset
/// (workload_kind::default_max_surge): the checks that look at every workload simulate it.
struct own_rollout {
  int_or_percent max_surge{0, false}, max_unavailable{0, false};
  std::int32_t min_ready_seconds = 0;
};

/// What rollout-pace decides for one workload, before any edit: the pace it gets and where each value
/// came from, or why it is left alone. The editor, the report and the planner all read this value.
struct workload_decision {
  std::optional<decision> pace;  ///< set when the workload is paced
  kind_pace written;             ///< what the kind gets for that pace (map_pace): the values written
  std::string left_alone;        ///< why it is not, when pace is unset
  /// Left alone by the user's choice (no profile, rollout-pace/skip, --kinds) with a rolling update the
  /// API server accepts: how it rolls out as it is (read_own); unset otherwise.
  std::optional<own_rollout> own;
  bool recreate_converted = false;  ///< spec.strategy.type Recreate becomes RollingUpdate
  bool gate_off = false;            ///< the kind's feature gate is off: the API server drops maxUnavailable
  bool parallel = false;            ///< StatefulSets: podManagementPolicy Parallel (else OrderedReady)
  std::int64_t partition = 0;       ///< StatefulSets: only ordinals at or above it are updated
  canary_pauses pauses;             ///< Argo canaries: what their steps add
  std::int64_t grace_seconds = 30;  ///< the pods' terminationGracePeriodSeconds
  std::optional<std::int32_t> progress_deadline;  ///< the raised spec.progressDeadlineSeconds to write
  /// The progressDeadlineSeconds the rollout runs under (the raised one, else spec's, else 600), for
  /// the kinds that have one.
  std::optional<std::int32_t> deadline_seconds;
  std::optional<std::int64_t> replicas;                   ///< spec.replicas (1 when absent); unset when not a number
  bool replicas_defaulted = false;                        ///< spec.replicas is absent
  std::string was_surge, was_unavailable, was_min_ready;  ///< the current values, for the report
  std::optional<change> changed;                          ///< with --previous: the change found
  std::vector<diagnostic> diagnostics;                    ///< warnings and notes, located; none accepted
  std::vector<warning_id> accept;                         ///< the workload's rollout-pace/accept ids
  bool no_profile = false;                                ///< left alone because no layer chose a profile
  label_set pod_labels;                                   ///< the pod template's labels (budgets select by them)
  std::vector<node_limit> node_limits;                    ///< workload_facts::node_limits
};

/// Step 1, eligibility: --kinds, the served API version, Helm hooks, rollout-pace/skip, and a workload
/// whose pod template a Rollout runs (workloadRef). Returns
/// why the workload is left alone, or nullopt; a warning goes to out.
std::optional<std::string> ineligible(const workload_facts& f, const pace_options& opts, workload_decision& out);

/// Step 2, choose: the layers for this workload (its annotations, the flags, the values files, the
/// matrix; with --previous and --environment and no --change, the matrix profile follows the change
/// found: major -> major, none and patch -> patch, new and minor -> minor), decided by choose().
/// Throws failure(bad_input), located, for an incomplete Custom profile.
std::optional<decision> choose_for(const workload_facts& f, const pace_options& opts);

/// Step 3, the strategy: the shape of the fields the pace is written to, the
/// strategy type (ValidateDeploymentStrategy's rules, kube/rules.h). Returns why the workload is left
/// alone (OnDelete, Recreate without an annotation, workloadRef, no canary strategy) or nullopt.
/// Throws failure(bad_input), located.
std::optional<std::string> check_strategy(const workload_facts& f, workload_decision& out);

/// Step 4, map to the kind and validate: map_pace(), the kind's validation, the feature gate, and
/// progressDeadlineSeconds > minReadySeconds. Throws failure(bad_input), located.
void map_and_validate(const workload_facts& f, const pace_options& opts, workload_decision& out);

/// A workload left alone by the user's choice: its own rolling update, as the API server defaults it,
/// with its replicas, deadline and canary steps, into out.own; nothing when the strategy is not a
/// rolling update, nothing rolls (--previous), or a field is one Kubernetes would refuse. Never throws.
void read_own(const workload_facts& f, const pace_options& opts, workload_decision& out);

/// Step 5, warnings on the decided pace: no readiness probe, one replica without surge, both
/// fenceposts resolving to 0.
void warn(const workload_facts& f, workload_decision& out);

/// All steps in order, then the warnings accepted (--accept, rollout-pace/accept) are dropped. Throws
/// failure(bad_input) with a located one-line message.
workload_decision decide_workload(const workload_facts& f, const pace_options& opts);

/// "maxSurge 0 from annotation, maxUnavailable 0 from flag", for rule violations.
std::string origins(const decision& d);

/// The --report line for a workload: what it gets and from where, or why it is left alone.
diagnostic report(const workload_ref& w, const workload_decision& d);

}  // namespace rollout_pace
