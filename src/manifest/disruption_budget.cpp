#include "manifest/disruption_budget.h"

#include "kube/rules.h"
#include "manifest/objects.h"
#include "yaml/scalars.h"
#include "yaml/tree.h"

namespace rollout_pace {

label_set read_labels(const node_view& map) {
  label_set out;
  map.each_pair([&](const node_view& k, const node_view& v) {
    if (k.is_scalar() && v.is_scalar()) out.emplace_back(k.text(), v.text());
  });
  return out;
}

label_selector read_selector(const node_view& n) {
  label_selector s;
  if (!n.is_map()) return s;
  s.match_labels = read_labels(lookup(n, "matchLabels").value);
  node_view exprs = lookup(n, "matchExpressions").value;
  for (std::size_t i = 0; exprs.is_sequence() && i < exprs.size(); ++i) {
    node_view e = exprs.item(i);
    selector_requirement r{scalar_or(lookup(e, "key").value, ""), scalar_or(lookup(e, "operator").value, ""), {}};
    node_view values = lookup(e, "values").value;
    for (std::size_t j = 0; values.is_sequence() && j < values.size(); ++j)
      r.values.push_back(scalar_or(values.item(j), ""));
    if (r.op != "In" && r.op != "NotIn" && r.op != "Exists" && r.op != "DoesNotExist") s.invalid = true;
    s.expressions.push_back(std::move(r));
  }
  return s;
}

namespace {

std::optional<disruption_budget> read_one(const node_view& root, const std::string& kind, const std::string& api) {
  if (kind != "PodDisruptionBudget" || api.rfind("policy/", 0) != 0) return std::nullopt;
  node_view meta = lookup(root, "metadata").value, spec = lookup(root, "spec").value;
  disruption_budget b;
  b.name = scalar_or(lookup(meta, "name").value, "");
  b.ns = scalar_or(lookup(meta, "namespace").value, "");
  view_field sel = lookup(spec, "selector");
  // policy/v1: an empty selector selects every pod of the namespace, a null one none.
  if (!sel.value.defined() || sel.value.is_null()) return std::nullopt;
  b.selector = read_selector(sel.value);
  try {
    for (auto [key, slot] :
         {std::pair{"minAvailable", &b.min_available}, std::pair{"maxUnavailable", &b.max_unavailable}}) {
      node_view v = lookup(spec, key).value;
      if (v.defined() && !v.is_null()) *slot = parse_int_or_percent(scalar_or(v, ""));
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (!b.min_available && !b.max_unavailable) return std::nullopt;
  return b;
}

}  // namespace

std::vector<disruption_budget> read_budgets(const node_view& root) {
  return read_objects<disruption_budget>(root, read_one);
}

}  // namespace rollout_pace
