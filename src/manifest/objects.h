#pragma once
// The objects a parsed document holds: itself, or the items of a List, each with the kind and
// apiVersion Kubernetes reads for it. Shared by the readers of the objects that only inform the
// plan and its checks (HorizontalPodAutoscalers, ScaledObjects, PodDisruptionBudgets).
#include <optional>
#include <string>
#include <vector>

#include "kube/kinds.h"
#include "yaml/tree.h"
#include "yaml/view.h"

namespace rollout_pace {

/// read(object, kind, apiVersion) -> std::optional<T> over the document's objects: the document
/// itself, or each item of a List, where an item without kind and apiVersion takes the list's
/// (decodeToList). A bad merge key ends the reading with what was read so far: Kubernetes refuses
/// the document, and what it holds only informs the plan.
template <typename T, typename Read>
std::vector<T> read_objects(const node_view& root, Read read) {
  std::vector<T> out;
  try {
    std::string kind = scalar_or(lookup(root, "kind").value, ""), api = scalar_or(lookup(root, "apiVersion").value, "");
    node_view items = lookup(root, "items").value;
    if (!is_list_kind(kind) || !items.is_sequence()) {
      if (std::optional<T> o = read(root, kind, api)) out.push_back(std::move(*o));
      return out;
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      node_view item = items.item(i);
      std::string k = scalar_or(lookup(item, "kind").value, ""), a = scalar_or(lookup(item, "apiVersion").value, "");
      if (k.empty() && a.empty()) k = kind.substr(0, kind.size() - 4), a = api;  // decodeToList
      if (std::optional<T> o = read(item, k, a)) out.push_back(std::move(*o));
    }
  } catch (const yaml_error&) {}
  return out;
}

}  // namespace rollout_pace
