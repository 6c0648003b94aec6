#pragma once
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rollout_pace/diagnostic.h"
#include "rollout_pace/options.h"
#include "rollout_pace/profile.h"
#include "rollout_pace/workload_kind.h"
#include "rollout_pace/yaml_tree.h"

namespace rollout_pace {

/// A workload found in a document: the document's place in the stream and the workload's path in it.
struct workload {
  const workload_kind* kind = nullptr;  ///< its entry in the table of kinds
  std::size_t document = 0;  ///< 1-based index in the stream
  yaml_path at;              ///< empty for a document that is the Deployment, items[i] inside a List
  YAML::Node node;           ///< the Deployment's mapping
  std::string source;        ///< the template it came from (# Source: line), if known
  std::string api_version;   ///< as Kubernetes reads it (a List item without one takes the list's)
  std::string name, ns;      ///< metadata.name and metadata.namespace, for messages

  /// "document 7 (DaemonSet shop/agent, from web/templates/agent.yaml)"
  std::string where() const;
};

/// The workloads of every kind in the table (workload_kinds()) a parsed document holds, read as
/// Kubernetes reads them (through merge keys, the last of duplicate keys winning): the document
/// itself, or the items of any *List kind; an item with neither kind nor apiVersion takes the list's
/// kind without "List" and its apiVersion, as apimachinery's decodeToList does. Workloads of every
/// API version are returned (the decision leaves those of other versions alone). Throws
/// failure(bad_input) with a located message.
std::vector<workload> find_workloads(const YAML::Node& root, std::size_t document, const std::string& source);

/// A count written plainly, as a non-negative int32 (spec.replicas, an HPA's maxReplicas,
/// spec.values.replicaCount); nullopt for anything else (a template left unrendered, a quoted number).
std::optional<std::int64_t> plain_count(const YAML::Node& n);

/// "maxSurge 0 from annotation, maxUnavailable 0 from flag", for rule violations.
std::string origins(const decision& d);

/// What rollout-pace decides for one workload, before any edit: the pace it gets and where each
/// value came from, or why it is left alone. Pure; the editor, the report and the planner read it.
struct workload_decision {
  std::optional<decision> pace;      ///< set when the workload is paced
  kind_pace written;                 ///< what the kind gets for that pace (map_pace): the values written
  std::string left_alone;            ///< why it is not, when pace is unset
  bool recreate_converted = false;   ///< spec.strategy.type Recreate becomes RollingUpdate
  std::optional<std::int32_t> progress_deadline;  ///< the raised spec.progressDeadlineSeconds to write
  std::optional<std::int64_t> replicas;           ///< spec.replicas (1 when absent); unset when not a number
  bool replicas_defaulted = false;                ///< spec.replicas is absent
  std::string was_surge, was_unavailable, was_min_ready;  ///< the current values, for the report
  std::string change, change_reason;  ///< with --previous: major, minor, patch, none or new, and why
  std::vector<diagnostic> diagnostics;            ///< warnings and notes, located
};

/// Decides one workload from its annotations and the options, checking the result against the
/// Kubernetes rules. With --previous the change is found from the running release, and with
/// --environment (and no --change) it chooses the matrix profile of this workload. Throws failure(bad_input) with a located one-line message.
workload_decision decide_workload(const workload& w, const options& opts);

/// Adds the edits that apply a paced decision to edits: only fields that do not already say it.
/// Refuses (failure) an edit whose path runs through an alias (shared holds the document's shared
/// nodes), a merge key or a duplicate key.
void add_edits(const workload& w, const workload_decision& d, const node_set& shared, edit_tree& edits);

/// The --report line for a workload: what it gets and from where, or why it is left alone.
diagnostic report(const workload& w, const workload_decision& d);

}  // namespace rollout_pace
