#pragma once
// Small, alias-safe helpers over yaml-cpp trees. yaml-cpp keeps each scalar's text and, in Tag(),
// whether it was plain ("?") or quoted/block ("!"); see docs/design/yaml-fidelity.md.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "yaml/lite.h"
#include "yaml/view.h"

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

/// A problem in YAML text, found by load_document() or while reading a map through its merge keys.
/// line and column are 0-based, relative to the text given to load_document().
struct yaml_error : std::runtime_error {
  std::size_t line = 0, column = 0;
  yaml_error(const std::string& what, const YAML::Mark& at)
      : std::runtime_error(what),
        line(at.line > 0 ? static_cast<std::size_t>(at.line) : 0),
        column(at.column > 0 ? static_cast<std::size_t>(at.column) : 0) {}
};

/// The one place rollout-pace asks yaml-cpp to parse: one document, as YAML::Load (never LoadAll:
/// yaml-cpp 0.7's LoadAll loops forever on a leading ","). Throws yaml_error for malformed YAML,
/// nesting deeper than yaml-cpp's limit, and content after the document's first node (two JSON
/// objects on consecutive lines: YAML::Load would silently drop the second).
YAML::Node load_document(std::string_view text);

/// A map's value for one key as Kubernetes reads it (go-yaml v2, which Helm and kubectl use): the
/// last of duplicate keys wins, and merge keys ("<<: *base", "<<: [*a, *b]") are applied in
/// document order, so a key after a merge overrides it and a merge after a key overrides that.
struct field {
  YAML::Node key;                  ///< the key node that supplied the value (a null node when absent)
  YAML::Node value;                ///< a null node when absent: test present(), not IsDefined()
  bool found = false;              ///< the map has the key (written, or through a merge key)
  bool merged = false;             ///< the value came through a merge key
  std::size_t explicit_count = 0;  ///< how often the key is written in the map itself
  bool present() const { return found; }

  field() = default;  // YAML::Node() allocates nothing: lookups are on every workload's path
  field(const field&) = default;
  /// Rebinds (YAML::Node's own assignment would overwrite the node it refers to).
  field& operator=(const field& o) {
    key.reset(o.key);
    value.reset(o.value);
    found = o.found;
    merged = o.merged;
    explicit_count = o.explicit_count;
    return *this;
  }
};

/// The field key of map (undefined when map is not a map). Throws yaml_error where a merge key's
/// value is not a map or a list of maps (go-yaml refuses the document then).
field lookup(const YAML::Node& map, std::string_view key);

/// Every field of a map as Kubernetes reads it, keyed by the scalar text of the key, in the order
/// keys first appear. Non-scalar keys are left out. Throws as lookup().
std::vector<std::pair<std::string, field>> fields(const YAML::Node& map);

/// A field read through a node_view: the same as field, for a document either reader read.
struct view_field {
  node_view key;    ///< the key that supplied the value
  node_view value;  ///< no node (or a null one) when absent: test present()
  bool found = false;
  bool merged = false;
  std::size_t explicit_count = 0;
  bool present() const { return found; }
};
/// lookup() and fields() through a view (a lite_node has no merge keys; duplicates count the same).
view_field lookup(const node_view& map, std::string_view key);
std::vector<std::pair<std::string, view_field>> fields(const node_view& map);
/// scalar_or() and is_plain() through a view.
std::string scalar_or(const node_view& node, const std::string& fallback);
bool is_plain(const node_view& node);

/// True for a YAML merge key: "<<" written plain (or tagged !!merge), as go-yaml's isMerge.
bool is_merge_key(const YAML::Node& key);

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

}  // namespace rollout_pace
