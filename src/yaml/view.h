#pragma once
// One read-only view of a parsed document's nodes, whichever reader read it: yaml-cpp (YAML::Node)
// or the fast reader (lite_node, which holds no anchors, aliases, tags or merge keys). manifest/
// reads workloads, annotations and HPAs through it, and the splice edits by it, so a document that
// read_lite() accepts is never parsed by yaml-cpp.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "yaml/lite.h"

namespace rollout_pace {

class node_view {
 public:
  node_view() = default;                                        ///< no node (an absent key)
  node_view(const YAML::Node& n) : yaml_(n), is_yaml_(true) {}  // NOLINT: a YAML::Node is a view
  node_view(const lite_node& n) : lite_(&n) {}                  // NOLINT: so is a lite_node
  node_view(const node_view& o) = default;
  /// Rebinds (YAML::Node's own assignment would overwrite the node it refers to).
  node_view& operator=(const node_view& o) {
    if (this == &o) return *this;
    yaml_.reset(o.yaml_);
    is_yaml_ = o.is_yaml_;
    lite_ = o.lite_;
    return *this;
  }

  bool defined() const { return is_yaml_ ? yaml_.IsDefined() : lite_ != nullptr; }
  bool is_null() const;
  bool is_map() const;
  bool is_sequence() const;
  bool is_scalar() const;
  /// A scalar's text ("" for anything else).
  const std::string& text() const;
  /// yaml-cpp's tag: "?" for a plain scalar, "!" for a quoted or block one, else the explicit tag.
  std::string tag() const;
  /// Collections: written in block style (not {...} or [...]).
  bool block() const;
  /// Items of a sequence, pairs of a map.
  std::size_t size() const;
  /// Item i of a sequence.
  node_view item(std::size_t i) const;
  /// Calls f(key, value) for each pair of a map, in order (duplicates and merge keys as written).
  template <typename F>
  void each_pair(F f) const {
    if (is_yaml_) {
      if (!yaml_.IsMap()) return;
      for (auto it = yaml_.begin(); it != yaml_.end(); ++it) f(node_view(it->first), node_view(it->second));
      return;
    }
    if (!is_map()) return;
    for (std::size_t i = 0; i + 1 < lite_->items.size(); i += 2)
      f(node_view(lite_->items[i]), node_view(lite_->items[i + 1]));
  }
  /// Where the node starts in the text read (yaml-cpp's Mark().pos; -1 when unknown), and its column.
  long pos() const;
  long column() const;
  /// The yaml-cpp node, or nullptr for a node read_lite() read.
  const YAML::Node* yaml() const { return is_yaml_ ? &yaml_ : nullptr; }

 private:
  YAML::Node yaml_;  // a default YAML::Node allocates nothing
  bool is_yaml_ = false;
  const lite_node* lite_ = nullptr;
};

}  // namespace rollout_pace
