#include "manifest/hpa.h"

#include "manifest/objects.h"
#include "manifest/workload.h"
#include "yaml/tree.h"

namespace rollout_pace {

namespace {

// The group of an apiVersion: "apps" of "apps/v1", "" of "v1" (the core group).
std::string group_of(const std::string& api_version) {
  std::size_t slash = api_version.find('/');
  return slash == std::string::npos ? "" : api_version.substr(0, slash);
}

// One HPA; kind and api_version as Kubernetes reads them (a List item may take its list's).
// A KEDA ScaledObject (keda.sh/v1alpha1), which KEDA turns into an HPA: spec.scaleTargetRef (kind
// defaults to Deployment, apiVersion to apps/v1), minReplicaCount (default 0), maxReplicaCount
// (default 100).
std::optional<hpa_target> read_scaled_object(const node_view& root) {
  node_view meta = lookup(root, "metadata").value, spec = lookup(root, "spec").value;
  node_view ref = lookup(spec, "scaleTargetRef").value;
  hpa_target h{scalar_or(lookup(meta, "name").value, ""), scalar_or(lookup(meta, "namespace").value, ""),
               group_of(scalar_or(lookup(ref, "apiVersion").value, "apps/v1")),
               scalar_or(lookup(ref, "kind").value, "Deployment"), scalar_or(lookup(ref, "name").value, "")};
  h.source = "ScaledObject";
  auto number = [&](const char* key, std::int64_t fallback) -> std::optional<std::int64_t> {
    node_view v = lookup(spec, key).value;
    return !v.defined() || v.is_null() ? fallback : plain_count(v);
  };
  auto min = number("minReplicaCount", 0), max = number("maxReplicaCount", 100);
  if (!min || !max || *max <= 0 || h.target.empty()) return std::nullopt;
  h.min_replicas = *min;
  h.max_replicas = *max;
  return h;
}

std::optional<hpa_target> read_one(const node_view& root, const std::string& kind, const std::string& api_version) {
  try {
    if (kind == "ScaledObject" && api_version.rfind("keda.sh/", 0) == 0) return read_scaled_object(root);
    if (kind != "HorizontalPodAutoscaler" || api_version.rfind("autoscaling/", 0) != 0) return std::nullopt;
    node_view meta = lookup(root, "metadata").value, spec = lookup(root, "spec").value;
    node_view ref = lookup(spec, "scaleTargetRef").value;
    hpa_target h{scalar_or(lookup(meta, "name").value, ""), scalar_or(lookup(meta, "namespace").value, ""),
                 group_of(scalar_or(lookup(ref, "apiVersion").value, "")), scalar_or(lookup(ref, "kind").value, ""),
                 scalar_or(lookup(ref, "name").value, "")};
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

}  // namespace

std::vector<hpa_target> read_hpas(const node_view& root) { return read_objects<hpa_target>(root, read_one); }

}  // namespace rollout_pace
