#include "commands/flags.h"

#include <algorithm>

#include "kube/kinds.h"
#include "kube/profile.h"

namespace rollout_pace {
namespace {

constexpr command R = command::rewrite, P = command::plan, E = command::explain, F = command::flux, N = command::fn;

std::vector<std::string> profile_values() {
  std::vector<std::string> out;
  for (profile_name p : all_profiles()) out.emplace_back(display_name(p));
  return out;
}

std::vector<std::string> kind_values() {
  std::vector<std::string> out;
  for (const workload_kind& k : workload_kinds()) out.emplace_back(k.kind);
  return out;
}

// The rows, grouped (each group one function, each row one flag): name, short name, value,
// repeatable, list, commands, help, values offered, example, config key.
// clang-format off
std::vector<flag> pace_flags() {  // the flags that choose the pace
  const std::vector<std::string> profiles = profile_values();
  return {
    {"profile", 0, "NAME", false, false, {R, P, F, N}, "the profile (names match in any case)", profiles, "", "profile"},
    {"set", 0, "PROFILE", false, false, {F}, "write this profile, with the field flags, into the HelmRelease: its "
     "rollout-pace/* annotations, or its spec.values where they hold rollout-pace's own keys", profiles, "", ""},
    {"max-surge", 0, "N|N%", false, false, {R, P, E, F, N}, "override maxSurge", {}, "25%", "maxSurge"},
    {"max-unavailable", 0, "N|N%", false, false, {R, P, E, F, N}, "override maxUnavailable", {}, "0", "maxUnavailable"},
    {"min-ready-seconds", 0, "S", false, false, {R, P, E, F, N}, "override minReadySeconds", {}, "30", "minReadySeconds"},
    {"values", 'f', "FILE", true, false, {R, P, N},
     "Helm values file with deploymentStrategy/customStrategy; repeatable, later files win", {}, "values.yaml", ""},
    {"values-key", 0, "NAME", false, false, {R, P, F, N}, "read the pace from the values' top-level NAME (NAME.profile, "
     "NAME.maxSurge, NAME.maxUnavailable, NAME.minReadySeconds) instead of deploymentStrategy/customStrategy, which the "
     "chart owns", {}, "rolloutPace", ""},
    {"environment", 0, "ENV", false, false, {R, P, F, N}, "choose the profile by the matrix, with --change",
     {"TEST", "ACC", "PROD"}, "", "environment"},
    {"change", 0, "KIND", false, false, {R, P, F, N}, "the change, for --environment ACC and PROD",
     {"major", "minor", "patch"}, "", "change"},
    {"previous", 0, "FILE", false, false, {R, P, N}, "the running release's manifests (helm get manifest RELEASE): "
     "find major/minor/patch from the images", {}, "previous.yaml", ""},
  };
}

std::vector<flag> output_flags() {  // what is reported, and how
  return {
    {"strict", 0, "", false, false, {R, P, F, N}, "treat warnings as errors, except accepted ones", {}, "", "strict"},
    {"accept", 0, "ID,...", true, true, {R, P, F, N}, "accept these warnings (ids as shown in [brackets]): not "
     "printed, and --strict does not fail on them", {}, "timeout", "accept"},
    {"include-hooks", 0, "", false, false, {R, P, N},
     "also pace documents with a helm.sh/hook annotation (Helm 4 sends hooks)", {}, "", "includeHooks"},
    {"report", 0, "", false, false, {R, P, F, N},
     "one line per workload on stderr: profile, where from, old -> new, or why not", {}, "", "report"},
    {"format", 0, "FORMAT", false, false, {P}, "the plan's form (default table; sarif: the findings as SARIF 2.1.0)",
     {"table", "json", "markdown", "mermaid", "sarif"}, "", ""},
    {"input-name", 0, "FILE", false, false, {P}, "the file the manifests on standard input came from, for the "
     "findings' locations in json and sarif (default stdin)", {}, "rendered.yaml", ""},
    {"format", 0, "FORMAT", false, false, {E}, "the plan's form (default table)", {"table", "json"}, "", ""},
  };
}

std::vector<flag> plan_flags() {  // what the plan assumes
  const std::vector<std::string> kinds = kind_values();
  return {
    {"replicas", 0, "N", false, false, {E}, "the replicas to plan for (default 4)", {}, "4", ""},
    {"wait", 0, "WAITER", false, false, {R, P, F, N}, "what Helm waits for before it reports the release deployed: "
     "Helm 4's watcher (the whole rollout; default) or legacy (Helm 3's --wait, Helm 4's --wait=legacy: "
     "replicas - maxUnavailable new pods ready; helm-controller up to Flux 2.7)", {"watcher", "legacy"}, "", "wait"},
    {"timeout", 0, "DURATION", false, false, {R, P, N}, "warn when the release takes longer than this (Helm's "
     "syntax: 5m0s, 300s, 1h; default 5m0s, Helm's and Flux's)", {}, "10m", "timeout"},
    {"pod-startup", 0, "S", false, false, {R, P, E, F, N},
     "seconds from a pod's creation to ready, for the plan (default 10)", {}, "10", "podStartup"},
    {"nodes", 0, "N", false, false, {R, P, E, N}, "the nodes a DaemonSet runs on, for the plan (default 3)", {}, "3",
     "nodes"},
    {"namespace", 0, "NS", false, false, {R, P, N}, "the release's namespace, where objects without "
     "metadata.namespace live (default: HELM_NAMESPACE, else default)", {}, "shop", "namespace"},
    {"scale", 0, "KIND/NAME=N,...", true, true, {R, P, N}, "plan this workload for N replicas (something outside the "
     "stream scales it); repeatable", {}, "Deployment/web=3", "scale"},
    {"kinds", 0, "LIST", false, true, {R, P, F, N}, "the kinds to pace, comma-separated (default: all)", kinds, "",
     "kinds"},
    {"kinds", 0, "KIND", false, false, {E}, "the kind to explain (default Deployment)", kinds, "", ""},
    {"kube-version", 0, "1.X[.Y]", false, false, {R, P, N}, "the cluster's Kubernetes version, 1.X or 1.X.Y, for "
     "fields its API server drops (default: 1.37, the newest released)", {}, "1.30", "kubeVersion"},
  };
}

std::vector<flag> command_flags() {  // those of one command (flux), and those of every command
  return {
    {"fit-timeout", 0, "", false, false, {F}, "raise spec.timeout to fit the rollout, with a margin (never lowers it)",
     {}, "", ""},
    {"check", 0, "", false, false, {F}, "change nothing; exit 1 naming each HelmRelease whose entry is missing or "
     "stale", {}, "", ""},
    {"chart", 0, "PATH", false, false, {F}, "render the HelmRelease's chart (a folder or .tgz) with helm template and "
     "patch each workload as the post-renderer would (a GitRepository's chart in the file's checkout is found "
     "without it)", {}, "charts/example", ""},
    {"log-file", 0, "FILE", false, false, {R, P, E, F, N},
     "also append every diagnostic to FILE (or set ROLLOUT_PACE_LOG)", {}, "rollout-pace.log", ""},
    {"help", 'h', "", false, false, {R, P, E, F, N}, "show this help", {}, "", ""},
    {"version", 0, "", false, false, {R, P, E, F, N}, "print the version", {}, "", ""},
  };
}
// clang-format on

}  // namespace

std::string_view display_name(command c) {
  switch (c) {
    case command::plan: return "plan";
    case command::explain: return "explain";
    case command::flux: return "flux";
    case command::fn: return "fn";
    case command::rewrite: break;
  }
  return "rewrite";
}

const std::vector<command_info>& commands() {
  static const std::vector<command_info> all{
      {command::rewrite,
       "helm install|upgrade|template ... --post-renderer rollout-pace [--post-renderer-args ARG]...\n"
       "       rollout-pace [OPTIONS] < manifests.yaml > paced.yaml",
       "", ""},
      {command::plan, "rollout-pace plan [OPTIONS] < manifests.yaml",
       "What each workload's rollout will take (steps, time, pods), and the release against the\n"
       "timeout; changes nothing.\n",
       "what each rollout will take; changes nothing"},
      {command::explain, "rollout-pace explain PROFILE [OPTIONS]",
       "The profile in words and its plan for --replicas (a DaemonSet: --nodes) of one kind\n"
       "(--kinds names it; default Deployment).\n",
       "the profile in words and its plan"},
      {command::flux, "rollout-pace flux [OPTIONS] [FILE|DIR]...   (no FILE: standard input to standard output)",
       "Writes the spec.postRenderers kustomize patches that pace each Flux HelmRelease's workloads.\n",
       "write spec.postRenderers kustomize patches into HelmReleases"},
      {command::fn, "rollout-pace fn [OPTIONS] < resource-list.yaml   (kpt fn eval --exec, kustomize exec functions)",
       "A KRM function: paces the workloads among a ResourceList's items as the post-renderer does and\n"
       "reports every warning as a result. Its config (functionConfig) is a RolloutPace resource (spec)\n"
       "or a ConfigMap's data; it adds to the options below. A ResourceList on standard input runs as a\n"
       "function without \"fn\" too.\n",
       "a KRM function for kpt and kustomize"},
  };
  return all;
}

const command_info& info_of(command c) {
  for (const command_info& i : commands())
    if (i.what == c) return i;
  return commands().front();
}

bool flag::takes(command c) const { return std::find(commands.begin(), commands.end(), c) != commands.end(); }

std::string one_of(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i == 0 ? "" : i + 1 == values.size() ? " or " : ", ") + values[i];
  return out;
}

std::string flag::help_line() const {
  if (values.empty()) return help;
  if (list) {
    std::string out;
    for (const std::string& v : values) out += (out.empty() ? "" : ",") + v;
    return help + ": " + out;
  }
  return help + ": " + one_of(values);
}

const std::vector<flag>& flags() {
  static const std::vector<flag> all = [] {
    std::vector<flag> out;
    for (auto group : {pace_flags, output_flags, plan_flags, command_flags}) {
      std::vector<flag> more = group();
      out.insert(out.end(), more.begin(), more.end());
    }
    return out;
  }();
  return all;
}

std::vector<const flag*> flags_of(command c) {
  std::vector<const flag*> out;
  for (const flag& f : flags())
    if (f.takes(c)) out.push_back(&f);
  return out;
}

const flag* find_flag(command c, std::string_view name) {
  for (const flag& f : flags())
    if (f.name == name && f.takes(c)) return &f;
  return nullptr;
}

}  // namespace rollout_pace
