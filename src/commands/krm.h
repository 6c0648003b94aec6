#pragma once
// rollout-pace as a KRM function (the KRM Functions Specification, which kpt and kustomize run): a
// ResourceList on standard input, the same on standard output with its items paced and a `results`
// entry for every warning, note and error. The items are paced by rewrite(), as a List's items are:
// the same decision, kinds, annotations and minimal edits as the post-renderer.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "commands/result.h"
#include "manifest/options.h"

namespace rollout_pace {

/// A function's input, read once: whether it is a ResourceList, its config, and what its results
/// name of each item. The text must outlive it.
class function_input {
 public:
  explicit function_input(std::string_view text);
  function_input(const function_input&) = delete;  // text_ may refer to converted_
  function_input& operator=(const function_input&) = delete;
  bool is_resource_list() const { return list_ != nullptr; }
  /// function_config_flags() of this input.
  std::vector<std::string> config_flags() const;
  /// krm_function() of this input.
  result run(const options& opts) const;

 private:
  struct list_facts;
  std::string converted_;  // a flow-style YAML list, written as JSON
  std::string_view text_;
  std::shared_ptr<const list_facts> list_;
};

/// Whether a stream is one ResourceList (config.kubernetes.io/v1): what a KRM function reads. A
/// manifest stream for Helm never is one, so a stream that is one runs as a function.
bool is_resource_list(std::string_view stream);

/// The function's config (the ResourceList's functionConfig) as rollout-pace's flags: a
/// RolloutPace resource's spec (profile, maxSurge, maxUnavailable, minReadySeconds, environment,
/// change, strict, accept, timeout, kubeVersion, kinds, includeHooks, podStartup, nodes, namespace, scale,
/// report), or
/// the data of the ConfigMap that `kpt fn eval --exec ... -- profile=Paranoid` passes (the same keys,
/// also as flag names: max-surge). No functionConfig: no flags. Throws failure(bad_usage), located,
/// for a key it does not know or a config of another kind.
std::vector<std::string> function_config_flags(std::string_view resource_list);

/// Runs the function: the ResourceList with its items paced and `results` appended (severity
/// error, warning or info; the resource and its file as kpt names them; the warning's id as the tag
/// rollout-pace/id). On an error the items go out as they came, with the error in the results, and
/// the code is the error's: the function protocol's output, which kpt and kustomize show.
result krm_function(std::string_view resource_list, const options& opts);

}  // namespace rollout_pace
