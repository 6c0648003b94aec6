#pragma once
// Comparing documents as Kubernetes reads them: two trees (same_for_kubernetes), and a document
// written back against what it should be, the original with its edits (tree_difference), the check
// every rewritten document passes before it goes out.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "yaml/lite.h"
#include "yaml/tree.h"

namespace rollout_pace {

/// Whether two trees say the same to Kubernetes: maps as key sets read through merge keys, lists in
/// order, scalars by what go-yaml v2 resolves them to (a quoted "80" is a string, a plain 80 or a JSON
/// 80 the number 80, yes and true the same boolean), whatever their quoting, key order or comments.
/// Absent and null are the same.
bool same_for_kubernetes(const YAML::Node& a, const YAML::Node& b);

/// The changes meant for one document: scalar values at paths, kept as a tree in the order set.
class edit_tree {
 public:
  struct node {
    path_step step;
    std::optional<std::string> text;  ///< set on leaves: the new scalar's text
    bool quoted = false;              ///< leaves: write as a double-quoted string
    std::vector<node> children;       ///< set on inner nodes
    bool sorted_indices = true;       ///< children are all sequence indices, in increasing order
    /// The child for step s: by binary search among sorted indices (a List of thousands of items),
    /// else by a scan.
    const node* find(const path_step& s) const;
  };
  /// Sets the scalar at path (relative to the document root).
  void set(const yaml_path& path, std::string text, bool quoted);
  const node& root() const { return root_; }
  bool empty() const { return root_.children.empty(); }

 private:
  node root_;
};

/// Compares a document as Kubernetes reads it with what it should be: original with edits applied.
/// Checks node kinds, scalar text, whether a scalar was plain or quoted, explicit tags, sequences in
/// order and maps as key sets. Alias-safe and bounded by a visit budget. Returns nullopt when equal,
/// else the path of the first difference. shared: shared_nodes(original) if already known.
std::optional<std::string> tree_difference(const YAML::Node& original, const edit_tree& edits, const YAML::Node& actual,
                                           const node_set* shared = nullptr);
/// The same for a document read by read_lite() (which shares no nodes, so no pair is met twice).
std::optional<std::string> tree_difference(const YAML::Node& original, const edit_tree& edits, const lite_node& actual);
/// The same for two documents read by read_lite() (no YAML::Node to walk: the fastest check).
std::optional<std::string> tree_difference(const lite_node& original, const edit_tree& edits, const lite_node& actual);

/// Compares two maps key by key (by tree_difference), except the key skip: nullopt when equal,
/// else where (a path prefix, "spec") and the first key that differs.
std::optional<std::string> difference_except(const YAML::Node& a, const YAML::Node& b, std::string_view skip,
                                             const std::string& where);

}  // namespace rollout_pace
