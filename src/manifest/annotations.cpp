#include "manifest/annotations.h"

#include "base/text.h"
#include "kube/rules.h"
#include "pace/warnings.h"
#include "yaml/scalars.h"
#include "yaml/tree.h"

namespace rollout_pace {
namespace {

constexpr std::string_view prefix = "rollout-pace/";
constexpr std::string_view hook_key = "helm.sh/hook";

}  // namespace

annotation_layer read_annotations(const node_view& annotations, const std::string& path) {
  annotation_layer layer;
  if (!annotations.is_map()) return layer;
  std::vector<std::pair<std::string, view_field>> all;
  try {
    all = fields(annotations);
  } catch (const yaml_error& e) {
    throw annotation_error(path + ": " + e.what());
  }
  for (const auto& [key, f] : all) {
    bool ours = key.compare(0, prefix.size(), prefix) == 0;
    if (!ours && key != hook_key) continue;
    std::string at = path + "." + key;
    auto fail = [&](const std::string& what) -> void { throw annotation_error(at + ": " + what); };
    if (!f.value.is_scalar() || !is_string_for_kubernetes(f.value))
      fail(std::string(f.value.is_scalar() ? scalar_or(f.value, "") + " is not a string" : "must be a string") +
           "; the API server accepts only strings in annotations (quote the value)");
    const std::string& value = f.value.text();
    if (!ours) {
      layer.hook = true;
      continue;
    }
    std::string name = key.substr(prefix.size());
    try {
      if (set_choice_field(layer.chosen, name, value)) continue;
      if (name == "skip") {
        if (value != "true" && value != "false") fail(quoted(value) + " must be \"true\" or \"false\"");
        layer.skip = value == "true";
      } else if (name == "accept") {
        layer.accept = parse_accept(value);
      } else {
        fail(
            "unknown annotation (known: rollout-pace/profile, rollout-pace/max-surge, rollout-pace/max-unavailable, "
            "rollout-pace/min-ready-seconds, rollout-pace/skip, rollout-pace/accept)" +
            did_you_mean("rollout-pace/" + std::string(name),
                         {"rollout-pace/profile", "rollout-pace/max-surge", "rollout-pace/max-unavailable",
                          "rollout-pace/min-ready-seconds", "rollout-pace/skip", "rollout-pace/accept"}));
      }
    } catch (const rule_error& e) {
      fail(e.what());
    } catch (const std::invalid_argument& e) {
      fail(e.what());
    }
  }
  return layer;
}

}  // namespace rollout_pace
