#pragma once
// The text of the spec.postRenderers entry rollout-pace flux writes into a HelmRelease.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "manifest/release_decision.h"
#include "pace/decision.h"

namespace rollout_pace {

/// The spec.postRenderers entry that makes helm-controller apply a decision to the workloads of a
/// release (except hooks and those annotated rollout-pace/skip: "true"): one kustomize
/// strategic-merge patch per kind (Deployment, DaemonSet, StatefulSet; of kinds, when given), each
/// with its own fields and RollingUpdate, at the given indentation of its "- " line. A DaemonSet
/// gets the mapping that is safe for host ports (no surge), which a static patch cannot see.
/// recorded: the flags that shaped it (" --profile=Cautious --kinds=Deployment"), kept in its marker
/// line (manifest/release_decision's flux_marker) so that a later run, --check among them, decides
/// with the same inputs.
std::string flux_entry(const decision& d, std::size_t indent, std::string_view eol,
                       const std::vector<std::string>& kinds = {}, std::string_view recorded = "");

/// The entry for a release: with its chart rendered, one patch per workload the post-renderer
/// changes (target kind, name and namespace, the fields it changes as a merge patch, a removed field
/// as null), each starting with the marker line; else flux_entry() above, per kind.
std::string flux_entry(const release& r, std::size_t indent, std::string_view eol);

}  // namespace rollout_pace
