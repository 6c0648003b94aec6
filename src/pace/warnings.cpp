#include "pace/warnings.h"

#include <algorithm>
#include <stdexcept>

#include "base/text.h"

namespace rollout_pace {

const std::vector<warning_kind>& warning_kinds() {
  static const std::vector<warning_kind> kinds{
      {"no-readiness-probe",
       "the pace waits minReadySeconds, but no container has a readinessProbe, so a failing pod still counts as ready"},
      {"single-replica",
       "one replica and no surge (a StatefulSet never surges): the only pod goes down before its replacement is "
       "ready"},
      {"rounds-to-zero",
       "maxSurge and maxUnavailable both resolve to 0 pods for the replicas, so Kubernetes takes one pod down at a "
       "time"},
      {"cannot-surge", "a StatefulSet cannot surge: a profile with no pod down becomes maxUnavailable 1"},
      {"host-port",
       "a DaemonSet's pods use a hostPort or hostNetwork, so a new pod cannot start beside the old one: maxSurge 0, "
       "maxUnavailable 1"},
      {"feature-gate",
       "the cluster's version has the MaxUnavailableStatefulSet gate off: the API server drops maxUnavailable and the "
       "controller replaces one pod at a time"},
      {"recreate", "a Recreate Deployment with no rollout-pace/profile annotation of its own is left as it is"},
      {"api-version", "a workload's apiVersion is not the one rollout-pace paces, so it is left as it is"},
      {"timeout", "the rollout takes longer than Helm's or Flux's timeout, which then gives up or rolls back"},
      {"indefinite-pause", "an Argo canary step pause: {} waits for a person, so no timeout is long enough"},
      {"unplanned",
       "a paced workload's rollout cannot be planned (its replicas are not known), so the timeout guard "
       "does not count it"},
      {"replicas-unknown",
       "a paced workload has no spec.replicas and nothing in the stream scales it, so the plan assumes 1"},
      {"previous-empty", "the --previous manifests hold no workload, so every workload counts as new"},
      {"flux-api-version", "a HelmRelease's apiVersion is no longer served by current Flux"},
      {"flux-static-patch",
       "flux's patches set every workload of a kind to RollingUpdate, so a Recreate Deployment or an OnDelete "
       "StatefulSet or DaemonSet would change"},
      {"flux-entry-removed", "flux removes a HelmRelease's rollout-pace entry: nothing chooses a pace for it any more"},
      {"annotations-override", "a HelmRelease's own rollout-pace/* annotations override the profile flux --set writes"},
  };
  return kinds;
}

std::string warning_ids_list() {
  std::string out;
  for (const warning_kind& k : warning_kinds()) out += (out.empty() ? "" : ", ") + std::string(k.id);
  return out;
}

std::vector<std::string> parse_accept(std::string_view list) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  while (begin <= list.size()) {
    std::size_t end = std::min(list.find(',', begin), list.size());
    std::string_view name = list.substr(begin, end - begin);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (!name.empty()) {
      const auto& kinds = warning_kinds();
      if (std::none_of(kinds.begin(), kinds.end(), [&](const warning_kind& k) { return k.id == name; }))
        throw std::invalid_argument(quoted(std::string(name)) + " is not a warning id (" + warning_ids_list() + ")");
      out.emplace_back(name);
    }
    begin = end + 1;
  }
  return out;
}

diagnostic warning(std::string_view id, std::string text, std::optional<resource_ref> about) {
  return {diagnostic::level::warning, std::move(text), std::string(id), std::move(about)};
}

bool accepted(const diagnostic& d, const std::vector<std::string>& everywhere, const std::vector<std::string>& here) {
  if (d.kind != diagnostic::level::warning || d.id.empty()) return false;
  auto in = [&](const std::vector<std::string>& ids) { return std::find(ids.begin(), ids.end(), d.id) != ids.end(); };
  return in(everywhere) || in(here);
}

failure strict_failure(const diagnostic& d) {
  if (d.id.empty()) return failure(exit_code::bad_input, d.text + " (--strict)", "", d.about);
  return failure(
      exit_code::bad_input,
      d.text + " (--strict; --accept " + d.id + ", or a rollout-pace/accept annotation on the workload, accepts it)",
      d.id, d.about);
}

void drop_accepted(std::vector<diagnostic>& ds, const std::vector<std::string>& everywhere,
                   const std::vector<std::string>& here) {
  ds.erase(std::remove_if(ds.begin(), ds.end(), [&](const diagnostic& d) { return accepted(d, everywhere, here); }),
           ds.end());
}

}  // namespace rollout_pace
