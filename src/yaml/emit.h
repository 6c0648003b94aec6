#pragma once
#include <yaml-cpp/yaml.h>

#include <string>

#include "yaml/compare.h"
#include "yaml/tree.h"

namespace rollout_pace {

/// Writes a document body from its tree with edits applied, choosing each scalar's style from its
/// tag so that no scalar changes meaning for Kubernetes (quoted stays quoted, plain stays plain;
/// docs/design/yaml-fidelity.md §5a). Keeps explicit tags, flow style below the root and aliases;
/// loses comments and the exact spelling of quotes. Used only where a splice is impossible.
/// Throws std::runtime_error when yaml-cpp's emitter refuses the tree. shared: shared_nodes(original)
/// if already known.
std::string emit_document(const YAML::Node& original, const edit_tree& edits, const node_set* shared = nullptr);

}  // namespace rollout_pace
