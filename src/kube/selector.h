#pragma once
// Label selectors as data (metav1.LabelSelector) and how Kubernetes matches them
// (metav1.LabelSelectorAsSelector, then labels.Selector.Matches): every matchLabels pair and every
// matchExpressions requirement must hold.
#include <string>
#include <utility>
#include <vector>

namespace rollout_pace {

/// A pod's labels.
using label_set = std::vector<std::pair<std::string, std::string>>;

/// One matchExpressions requirement: In, NotIn, Exists or DoesNotExist.
struct selector_requirement {
  std::string key, op;
  std::vector<std::string> values;
};

/// A label selector; an empty one (no pairs, no requirements) matches every pod.
struct label_selector {
  label_set match_labels;
  std::vector<selector_requirement> expressions;
  /// An operator Kubernetes does not know: LabelSelectorAsSelector fails, and the selector matches
  /// nothing (what the controllers do with an error).
  bool invalid = false;
};

/// Whether a pod with these labels is selected.
bool matches(const label_selector& s, const label_set& labels);

}  // namespace rollout_pace
