#pragma once
// Workloads found in a parsed document, the facts the decision reads of them, and the edits that
// apply a decision to their YAML.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pace/decision.h"
#include "pace/facts.h"
#include "yaml/compare.h"
#include "yaml/tree.h"
#include "yaml/view.h"

namespace rollout_pace {

/// A workload found in a document: which it is, its path in the document and its map.
struct workload {
  workload_ref ref;
  yaml_path at;             ///< empty for a document that is the workload, items[i] inside a List
  node_view node;           ///< the workload's mapping, as whichever reader read it
  std::string api_version;  ///< as Kubernetes reads it (a List item without one takes the list's)
};

/// The workloads of every kind in the table (workload_kinds()) a parsed document holds, read as
/// Kubernetes reads them (through merge keys, the last of duplicate keys winning): the document
/// itself, or the items of any *List kind; an item with neither kind nor apiVersion takes the list's
/// kind without "List" and its apiVersion, as apimachinery's decodeToList does. Workloads of every
/// API version are returned (the decision leaves those of other versions alone). Throws
/// failure(bad_input) with a located message.
std::vector<workload> find_workloads(const node_view& root, std::size_t document, const std::string& source);

/// What the decision reads of a workload: its annotations (a bad one is a located failure(bad_input)
/// now), and its strategy fields, host binding and readiness probes (a failure reading those is kept
/// in the fact, for when the decision needs it).
workload_facts read_facts(const workload& w);

/// A count written plainly, as a non-negative int32 (spec.replicas, an HPA's maxReplicas,
/// spec.values.replicaCount); nullopt for anything else (a template left unrendered, a quoted number).
std::optional<std::int64_t> plain_count(const node_view& n);

/// Adds the edits that apply a paced decision to edits: only fields that do not already say it.
/// Refuses (failure) an edit whose path runs through an alias (shared holds the document's shared
/// nodes), a merge key or a duplicate key.
void add_edits(const workload& w, const workload_decision& d, const node_set& shared, edit_tree& edits);

}  // namespace rollout_pace
