#pragma once
// The Argo CD config management plugins (examples/argocd/cmp-plugins.yaml) as rollout-pace's own
// commands: `rollout-pace argocd helm` and `rollout-pace argocd kpt`. Argo CD passes an
// Application's plugin env as ARGOCD_ENV_* variables, and the people who write Applications (or push
// to the repositories Argo CD syncs) must not be able to run code in the repo-server. So these take
// settings, never command lines: each ARGOCD_ENV_* variable is checked against an allow-list, each
// value against what it may be, every path must resolve inside the application's folder, and helm,
// kpt and rollout-pace run without a shell, each value one argument of the form --flag=value.
// app/process runs them; docs/security.md is the threat model.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace rollout_pace {

/// The environment as NAME -> value (app/process reads the process's).
using environment = std::map<std::string, std::string>;

/// What `argocd helm` runs: helm template's arguments, and rollout-pace's flags for the rendered
/// stream.
struct argocd_helm_plan {
  std::vector<std::string> helm;  ///< from "helm", "template", ...
  std::vector<std::string> pace;  ///< rollout-pace's flags (--profile=..., --values=...)
};

/// The settings an Application gives rollout-pace-helm (ARGOCD_ENV_ + the name):
///   PROFILE, ENVIRONMENT, CHANGE, ACCEPT, STRICT (true or false), VALUES_KEY: as rollout-pace's flags;
///   VALUES: values files, comma-separated, each inside the application's folder (symlinks resolved),
///     for helm and rollout-pace alike;
///   SET: helm --set values (not rollout-pace's own keys: PROFILE says those);
///   CHART_VERSION: helm --version;  KUBE_VERSION: the cluster's version (else Argo CD's KUBE_VERSION).
/// Argo CD's own ARGOCD_APP_NAME, ARGOCD_APP_NAMESPACE, KUBE_VERSION and KUBE_API_VERSIONS are checked
/// too. Throws failure(bad_usage), naming the variable, for any other ARGOCD_ENV_ variable or a value
/// that is not what its setting takes.
argocd_helm_plan plan_argocd_helm(const environment& env, const std::filesystem::path& app_dir);

/// What `argocd kpt` runs: kpt fn eval of rollout-pace alone (this executable, `exec`) on the
/// package, with the config its Kptfile gives the rollout-pace function. Refuses (failure(bad_usage))
/// any ARGOCD_ENV_ variable (the package's config sets the pace), a Kptfile anywhere in the package
/// whose pipeline names any function but rollout-pace, and a config path outside the package.
std::vector<std::string> plan_argocd_kpt(const environment& env, const std::filesystem::path& package_dir,
                                         const std::string& self);

/// A kpt package's resources as plain documents, without the Kptfile and local-config resources
/// (the RolloutPace config), which are kpt's, not the cluster's; the others go out byte for byte.
std::string without_local_config(std::string_view stream);

}  // namespace rollout_pace
