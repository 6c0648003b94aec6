#pragma once
// Every Kubernetes rule rollout-pace mirrors, in one place. Each names the upstream function
// (kubernetes/kubernetes pkg/apis/apps/validation, pkg/controller/deployment/util) it follows.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rollout_pace {

/// An IntOrString rollout field value: a non-negative integer or a percentage "N%".
struct int_or_percent {
  std::int32_t value = 0;
  bool percent = false;
  /// "25%" or "1", as a user would write it.
  std::string text() const;
  bool operator==(const int_or_percent& o) const { return value == o.value && percent == o.percent; }
};

/// Thrown by the parsers below; what() is the API server's wording for the problem.
struct rule_error : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/// Parses "1" or "25%" the way ValidatePositiveIntOrPercent and IsValidPercent accept them
/// (strings are what annotations and flags carry: "1" means the integer 1). Throws rule_error.
int_or_percent parse_int_or_percent(std::string_view text);

/// Parses a seconds count for minReadySeconds/progressDeadlineSeconds: a non-negative int32
/// (ValidateNonnegativeField). Throws rule_error.
std::int32_t parse_seconds(std::string_view text);
/// The same for a count of something else ("nodes", "replicas"), named in the message.
std::int32_t parse_count(std::string_view text, std::string_view unit);

/// A field and what is wrong with it, worded like the API server.
struct rule_violation {
  std::string field;    ///< relative to spec.strategy.rollingUpdate, e.g. "maxUnavailable"
  std::string message;  ///< e.g. "may not be 0 when `maxSurge` is 0"
};

/// ValidateRollingUpdateDeployment: maxUnavailable at most 100%, and not both zero
/// (raw values, "0%" counts as zero, via getIntOrPercentValue).
std::optional<rule_violation> validate_rolling_update_deployment(const int_or_percent& max_surge,
                                                                 const int_or_percent& max_unavailable);

/// GetScaledValueFromIntOrPercent (apimachinery/pkg/util/intstr): an integer as it is, a percentage
/// of total rounded up (math.Ceil) or down (math.Floor). The one copy every rule below uses.
std::int64_t scaled_value(const int_or_percent& v, std::int64_t total, bool round_up);

/// Pods a rollout may add and take down for a replica count (ResolveFenceposts): maxSurge rounds
/// up, maxUnavailable rounds down, and when both are 0 the controller takes one pod down anyway.
struct fenceposts {
  std::int64_t surge = 0;
  std::int64_t unavailable = 0;
  bool forced_unavailable = false;  ///< both resolved to 0, so unavailable was forced to 1
};
fenceposts resolve_fenceposts(const int_or_percent& max_surge, const int_or_percent& max_unavailable,
                              std::int64_t replicas);

/// ValidateRollingUpdateDaemonSet: both at most 100%, and exactly one of the two non-zero
/// ("may not be set when maxUnavailable is non-zero"; "cannot be 0 when maxSurge is 0").
std::optional<rule_violation> validate_rolling_update_daemonset(const int_or_percent& max_surge,
                                                                const int_or_percent& max_unavailable);

/// validateRollingUpdateStatefulSet: maxUnavailable is not 0 and at most 100% (there is no maxSurge).
std::optional<rule_violation> validate_rolling_update_statefulset(const int_or_percent& max_unavailable);

/// Argo Rollouts' ValidateRolloutStrategyCanary (pkg/apis/rollouts/validation/validation.go): the
/// same rules as a Deployment's for maxSurge and maxUnavailable.
std::optional<rule_violation> validate_canary_rollout(const int_or_percent& max_surge,
                                                      const int_or_percent& max_unavailable);

/// SurgeCount and UnavailableCount (pkg/controller/daemon/util/daemonset_util.go): a DaemonSet's
/// controller rounds both up, over its nodes.
fenceposts daemonset_fenceposts(const int_or_percent& max_surge, const int_or_percent& max_unavailable,
                                std::int64_t nodes);

/// getStatefulSetMaxUnavailable (pkg/controller/statefulset/stateful_set_utils.go): rounds down, and
/// never less than 1.
std::int64_t statefulset_max_unavailable(const int_or_percent& max_unavailable, std::int64_t replicas);

/// SetDefaults_Deployment: progressDeadlineSeconds when the field is absent.
constexpr std::int32_t default_progress_deadline_seconds = 600;
/// SetDefaults_Deployment: spec.replicas when the field is absent.
constexpr std::int64_t default_replicas = 1;

/// ValidateDeploymentStrategy (and the DaemonSet's and StatefulSet's update strategy rules): the type
/// is RollingUpdate or the kind's other type (Recreate, OnDelete); an empty one is defaulted to
/// RollingUpdate (SetDefaults_Deployment), like an absent one. scalar: the type is a scalar; shown:
/// how to quote it in the message. The violation's field is "type".
std::optional<rule_violation> validate_strategy_type(bool scalar, std::string_view type, std::string_view shown,
                                                     std::string_view other_type);

/// ValidateDeploymentStrategy: rollingUpdate may not be given with type Recreate.
constexpr std::string_view rolling_update_forbidden_with_recreate =
    "Forbidden: may not be specified when strategy `type` is 'Recreate'";

/// A Kubernetes version as --kube-version gives it: 1.X, or 1.X.Y (patch unset: the newest patch of X).
struct kube_version {
  int minor = 0;
  int patch = -1;  ///< -1: not given, read as the newest patch of the minor
  /// "1.37", "1.35.4"
  std::string text() const;
};
/// Parses "1.X" or "1.X.Y"; nullopt for anything else.
std::optional<kube_version> parse_kube_version(std::string_view text);

/// The newest Kubernetes minor released when this rollout-pace was released (--kube-version's
/// default): 1.37.
constexpr kube_version newest_kube_version{37, -1};

/// Whether the MaxUnavailableStatefulSet feature gate is on by default in a version
/// (pkg/features/kube_features.go, and its history): alpha and off from 1.24; beta and on in
/// 1.35.0-1.35.3 (#133153); off by default again from 1.35.4 and in 1.36 (#137904, cherry-picked as
/// #137926, after the Parallel deadlock #137409); on again from 1.37 (#139466). A minor without a
/// patch is read as its newest patch (1.35: off). With the gate off the API server drops
/// spec.updateStrategy.rollingUpdate.maxUnavailable (dropStatefulSetDisabledFields) and the
/// controller replaces one pod at a time.
bool max_unavailable_statefulset_enabled(const kube_version& v);
/// The same history in words, for messages: "on by default in 1.35.0-1.35.3 and from 1.37".
constexpr std::string_view max_unavailable_statefulset_history = "on by default in 1.35.0-1.35.3 and from 1.37";

/// ValidateDeploymentSpec requires progressDeadlineSeconds > minReadySeconds. Returns the value to
/// write (minReadySeconds + 600) when the effective deadline (given, or the default 600) is not
/// greater, nullopt when it is. Throws rule_error when the sum overflows int32.
std::optional<std::int32_t> raised_progress_deadline(std::optional<std::int32_t> current,
                                                     std::int32_t min_ready_seconds);

}  // namespace rollout_pace
