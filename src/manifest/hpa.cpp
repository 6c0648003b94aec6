#include "manifest/hpa.h"

#include "manifest/workload.h"
#include "yaml/tree.h"

namespace rollout_pace {

std::optional<hpa_target> read_hpa(const node_view& root) {
  try {
    if (scalar_or(lookup(root, "kind").value, "") != "HorizontalPodAutoscaler") return std::nullopt;
    if (scalar_or(lookup(root, "apiVersion").value, "").rfind("autoscaling/", 0) != 0) return std::nullopt;
    node_view meta = lookup(root, "metadata").value, spec = lookup(root, "spec").value;
    node_view ref = lookup(spec, "scaleTargetRef").value;
    hpa_target h{scalar_or(lookup(meta, "name").value, ""), scalar_or(lookup(meta, "namespace").value, ""),
                 scalar_or(lookup(ref, "kind").value, ""), scalar_or(lookup(ref, "name").value, "")};
    auto number = [&](const char* key, std::int64_t fallback) -> std::optional<std::int64_t> {
      node_view v = lookup(spec, key).value;
      return !v.defined() || v.is_null() ? fallback : plain_count(v);
    };
    auto min = number("minReplicas", 1), max = number("maxReplicas", 0);
    if (!min || !max || *max <= 0) return std::nullopt;
    h.min_replicas = *min;
    h.max_replicas = *max;
    return h;
  } catch (const yaml_error&) {
    return std::nullopt;  // a bad merge key: Kubernetes refuses it; it only informs the plan
  }
}

}  // namespace rollout_pace
