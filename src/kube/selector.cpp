#include "kube/selector.h"

#include <algorithm>

namespace rollout_pace {

bool matches(const label_selector& s, const label_set& labels) {
  if (s.invalid) return false;
  auto value_of = [&](const std::string& key) -> const std::string* {
    for (const auto& [k, v] : labels)
      if (k == key) return &v;
    return nullptr;
  };
  for (const auto& [key, value] : s.match_labels) {
    const std::string* v = value_of(key);
    if (!v || *v != value) return false;
  }
  for (const selector_requirement& r : s.expressions) {
    const std::string* v = value_of(r.key);
    bool listed = v && std::find(r.values.begin(), r.values.end(), *v) != r.values.end();
    if (r.op == "In" && !listed) return false;
    if (r.op == "NotIn" && listed) return false;  // NotIn holds for a pod without the label
    if (r.op == "Exists" && !v) return false;
    if (r.op == "DoesNotExist" && v) return false;
  }
  return true;
}

}  // namespace rollout_pace
