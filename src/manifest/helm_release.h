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
#include "yaml/compare.h"
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

/// flux --set: the edits that make the HelmRelease say the pace wanted, and where they went. Where
/// the chart cannot see it, unless the HelmRelease already holds rollout-pace's values:
///  - with values_key (--values-key NAME) and a map at spec.values.NAME: NAME.profile, and for a pace
///    with a field overridden NAME.maxSurge, NAME.maxUnavailable and NAME.minReadySeconds too;
///  - without one, and a string spec.values.deploymentStrategy (a chart made for rollout-pace): a
///    named profile as deploymentStrategy, one with a field overridden as Custom with all three
///    customStrategy values;
///  - else the HelmRelease's own metadata.annotations: rollout-pace/profile, and the field
///    annotations for a Custom pace (field annotations already there are set to the profile's values).
/// Nothing is edited that already says it. Throws failure(bad_usage) for a pace the flags cannot
/// complete or the API server refuses, failure(bad_input) for a map rollout-pace does not edit.
struct set_edits {
  edit_tree edits;
  std::string written;       ///< "metadata.annotations" or "spec.values", for the note
  bool into_values = false;  ///< spec.values: the HelmRelease's own annotations would override it
};
set_edits set_edits_for(const helm_release& r, const choice& wanted, const std::string& values_key);

}  // namespace rollout_pace
