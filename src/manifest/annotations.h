#pragma once
#include <yaml-cpp/yaml.h>

#include <stdexcept>
#include <string>

#include "pace/facts.h"
#include "yaml/view.h"

namespace rollout_pace {

/// Thrown by read_annotations(); what() is located by the annotation's path.
struct annotation_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The one reader of rollout-pace/* annotations, for workloads and HelmReleases alike. Reads the map
/// as Kubernetes does (through merge keys, the last duplicate winning). Refuses an unknown
/// rollout-pace/* key (a typo must not silently do nothing), a bad value, and a value that is not a
/// string for Kubernetes (rollout-pace/skip: true unquoted, which the API server rejects). path is
/// where the map is, e.g. "metadata.annotations". An undefined or null map says nothing.
annotation_layer read_annotations(const node_view& annotations, const std::string& path);

}  // namespace rollout_pace
