#pragma once
// PodDisruptionBudgets (policy/v1) and the label selectors they and pod anti-affinity use, read from
// a parsed document.
#include <vector>

#include "kube/selector.h"
#include "plan/release_plan.h"
#include "yaml/view.h"

namespace rollout_pace {

/// A metav1.LabelSelector: matchLabels and matchExpressions (an operator Kubernetes does not know
/// makes it invalid, which matches nothing).
label_selector read_selector(const node_view& n);

/// A map of labels (metadata.labels); pairs that are not two scalars are left out.
label_set read_labels(const node_view& map);

/// The policy/v1 (and v1beta1) PodDisruptionBudgets of a document (itself, or the items of a List).
/// One whose minAvailable or maxUnavailable is not an int or a percentage is left out (the API
/// server refuses it; it only informs the checks).
std::vector<disruption_budget> read_budgets(const node_view& root);

}  // namespace rollout_pace
