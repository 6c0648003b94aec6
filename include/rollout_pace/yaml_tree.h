#pragma once
// Small, alias-safe helpers over yaml-cpp trees. yaml-cpp keeps each scalar's text and, in Tag(),
// whether it was plain ("?") or quoted/block ("!"); see shared/docs/yaml-fidelity.md.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rollout_pace {

/// One step of a path into a document: a map key or a sequence index.
struct path_step {
  std::string key;
  std::size_t index = 0;
  bool is_index = false;
};
using yaml_path = std::vector<path_step>;

/// "items[2].spec.strategy"
std::string to_string(const yaml_path& path);
/// path with key appended
yaml_path operator/(yaml_path path, std::string key);

/// Thrown by child() when a map holds a key twice (Kubernetes would use the last, yaml-cpp the first).
struct duplicate_key : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The value under key in a map, or an undefined node when the map has no such key or the node is
/// not a map. Throws duplicate_key when the key occurs more than once.
YAML::Node child(const YAML::Node& map, std::string_view key);

/// The scalar's text when node is a scalar, else nullopt.
std::optional<std::string> scalar_text(const YAML::Node& node);

/// The scalar's text when node is a scalar, else fallback.
std::string scalar_or(const YAML::Node& node, const std::string& fallback);

/// True for a scalar written plain in the input (tag "?") or created plain (tag "").
bool is_plain(const YAML::Node& node);

/// A set of nodes by identity (aliases are the same node), for walks that must not revisit.
class node_set {
 public:
  /// Adds node; false when it was already present.
  bool insert(const YAML::Node& node);
  bool contains(const YAML::Node& node) const;

 private:
  std::unordered_map<int, std::vector<YAML::Node>> buckets_;  // by Mark().pos
};

/// Nodes reachable from root along more than one path (through aliases). Visits each node once,
/// so an alias bomb costs no more than its text.
node_set shared_nodes(const YAML::Node& root);
/// The same, but empty at no cost when the document's text has no "*" (no alias can exist).
node_set shared_nodes(const YAML::Node& root, std::string_view text);

/// The changes meant for one document: scalar values at paths, kept as a tree in the order set.
class edit_tree {
 public:
  struct node {
    path_step step;
    std::optional<std::string> text;  ///< set on leaves: the new scalar's text
    bool quoted = false;              ///< leaves: write as a double-quoted string
    std::vector<node> children;       ///< set on inner nodes
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
std::optional<std::string> tree_difference(const YAML::Node& original, const edit_tree& edits,
                                           const YAML::Node& actual, const node_set* shared = nullptr);

}  // namespace rollout_pace
