#pragma once
// Flux HelmReleases: what rollout-pace reads of one (its annotations, spec.values, replica count and
// timeouts), and the --set edits that write a pace into its spec.values.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "pace/choose.h"
#include "pace/facts.h"
#include "yaml/tree.h"

namespace rollout_pace {

/// A HelmRelease of helm.toolkit.fluxcd.io, read from a parsed document.
struct helm_release {
  std::string where;        ///< "document 2 (HelmRelease flux-system/web)"
  yaml_path at;             ///< empty for a document that is the HelmRelease, items[i] inside a List
  std::string api_version;  ///< "helm.toolkit.fluxcd.io/v2"
  YAML::Node root, spec;
  field renderers;  ///< spec.postRenderers
  annotation_layer annotations;
};

/// The HelmRelease a document holds, or nullopt when it holds none. A version current Flux no longer
/// serves gets a warning. Throws failure(bad_input), located (where: "document 2").
std::optional<helm_release> read_helm_release(const YAML::Node& root, const std::string& document,
                                              std::vector<diagnostic>& diagnostics, const yaml_path& at = {});

/// spec.values (a null node when absent). Throws failure(bad_input) on a bad merge key.
YAML::Node release_values(const helm_release& r);
/// spec.values.replicaCount when written plainly as a count.
std::optional<std::int64_t> release_replica_count(const helm_release& r);

/// helm-controller's timeout for an upgrade: spec.upgrade.timeout, else spec.timeout, else 5m.
struct release_timeout {
  std::int64_t ns = 0;        ///< a Go Duration
  std::string from;           ///< "spec.upgrade.timeout", "spec.timeout" or "the default 5m"
  bool upgrade_set = false;   ///< spec.upgrade.timeout is written (it wins for upgrades)
  bool spec_editable = true;  ///< spec.timeout comes through no merge key and is written once
};
/// Throws failure(bad_input) for a timeout that is not a Go duration.
release_timeout read_timeout(const helm_release& r);

/// flux --set: the edits that make spec.values say the pace wanted (a named profile as
/// deploymentStrategy; one with fields overridden as Custom with all three values), where it does not
/// already. Throws failure(bad_usage) for a pace the flags cannot complete or the API server refuses,
/// failure(bad_input) for a spec.values rollout-pace does not edit.
edit_tree values_edits_for(const helm_release& r, const choice& wanted);

}  // namespace rollout_pace
