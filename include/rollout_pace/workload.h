#pragma once
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <vector>

#include "rollout_pace/diagnostic.h"
#include "rollout_pace/options.h"
#include "rollout_pace/profile.h"
#include "rollout_pace/yaml_tree.h"

namespace rollout_pace {

/// A Deployment found in a document: the document's place in the stream and the workload's path in it.
struct workload {
  std::size_t document = 0;  ///< 1-based index in the stream
  yaml_path at;              ///< empty for a document that is the Deployment, items[i] inside a List
  YAML::Node node;           ///< the Deployment's mapping
  std::string source;        ///< the template it came from (# Source: line), if known

  /// "document 7 (Deployment shop/web, from web/templates/deploy.yaml)"
  std::string where() const;
};

/// The Deployments a parsed document holds: the document itself (apps/v1 Deployment) or the
/// items of a List or DeploymentList. Warns about Deployments of other API versions, which are left alone.
std::vector<workload> find_deployments(const YAML::Node& root, std::size_t document, const std::string& source,
                                       std::vector<diagnostic>& diagnostics);

/// "maxSurge 0 from annotation, maxUnavailable 0 from flag", for rule violations.
std::string origins(const decision& d);

/// Decides the pace of one Deployment from its annotations and the options, checks it against the
/// Kubernetes rules and adds the edits that apply it to edits. Appends warnings, notes and the
/// report line to diagnostics (throws instead of warning under --strict). shared holds the
/// document's aliased nodes. Throws failure(bad_input) with a located one-line message.
void plan_deployment(const workload& w, const options& opts, const node_set& shared, edit_tree& edits,
                     std::vector<diagnostic>& diagnostics);

}  // namespace rollout_pace
