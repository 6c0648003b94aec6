#include "manifest/helm_release.h"

#include "pace/warnings.h"

#include "base/duration.h"
#include "base/limits.h"
#include "kube/rules.h"
#include "manifest/annotations.h"
#include "manifest/workload.h"
#include "yaml/compare.h"
#include "yaml/scalars.h"

namespace rollout_pace {
namespace {

constexpr std::string_view flux_group = "helm.toolkit.fluxcd.io/";

[[noreturn]] void fail(const std::string& where, const std::string& message) {
  throw failure(exit_code::bad_input, where + ": " + message);
}

// lookup() with a located failure on a bad merge key.
field get(const std::string& where, const YAML::Node& map, std::string_view key, const std::string& path) {
  try {
    return lookup(map, key);
  } catch (const yaml_error& e) {
    fail(where, (path.empty() ? std::string() : path + ": ") + e.what());
  }
}

}  // namespace

std::optional<helm_release> read_helm_release(const YAML::Node& root, const std::string& document,
                                              std::vector<diagnostic>& diagnostics, const yaml_path& at) {
  if (!root.IsMap()) return std::nullopt;
  std::string api = scalar_or(get(document, root, "apiVersion", "").value, "");
  if (scalar_or(get(document, root, "kind", "").value, "") != "HelmRelease" ||
      api.compare(0, flux_group.size(), flux_group) != 0)
    return std::nullopt;
  helm_release r;
  r.at = at;
  r.api_version = api;
  r.root.reset(root);
  YAML::Node meta = get(document, root, "metadata", "").value;
  std::string name = scalar_or(get(document, meta, "name", "metadata").value, "");
  std::string ns = scalar_or(get(document, meta, "namespace", "metadata").value, "");
  r.where = document + " (HelmRelease " + (ns.empty() ? "" : ns + "/") + name + ")";
  const std::string& where = r.where;
  if (api != "helm.toolkit.fluxcd.io/v2")
    diagnostics.push_back(
        warning(warning_id::flux_api_version, where + ": " + api +
                                                  " is no longer served by current Flux (helm-controller "
                                                  "v1.5 serves only v2); run flux migrate"));
  field spec = get(where, root, "spec", "");
  if (!spec.value.IsMap()) fail(where, "spec: must be a map");
  if (spec.merged || spec.explicit_count > 1)
    fail(where, "spec: comes through a merge key or is written twice; rollout-pace does not edit it");
  r.spec.reset(spec.value);
  r.renderers = get(where, r.spec, "postRenderers", "spec");
  try {
    field annotations = get(where, meta, "annotations", "metadata");
    if (annotations.present() && !annotations.value.IsNull() && !annotations.value.IsMap())
      fail(where, "metadata.annotations: must be a map");
    r.annotations = read_annotations(annotations.value, "metadata.annotations");
  } catch (const annotation_error& e) {
    fail(where, e.what());
  }
  return r;
}

YAML::Node release_values(const helm_release& r) { return get(r.where, r.spec, "values", "spec").value; }

std::optional<std::int64_t> release_replica_count(const helm_release& r) {
  return plain_count(get(r.where, release_values(r), "replicaCount", "spec.values").value);
}

release_timeout read_timeout(const helm_release& r) {
  field upgrade = get(r.where, get(r.where, r.spec, "upgrade", "spec").value, "timeout", "spec.upgrade");
  field spec = get(r.where, r.spec, "timeout", "spec");
  release_timeout t{default_timeout_ns, "the default 5m", upgrade.present(), !spec.merged && spec.explicit_count <= 1};
  for (auto [f, name] : {std::pair{&spec, "spec.timeout"}, std::pair{&upgrade, "spec.upgrade.timeout"}}) {
    if (!f->present() || f->value.IsNull()) continue;
    try {
      t.ns = parse_duration(scalar_or(f->value, ""));
      t.from = name;
    } catch (const std::invalid_argument& e) {
      fail(r.where, std::string(name) + ": " + e.what());
    }
  }
  return t;
}

namespace {

// The pace --set asks for, checked as the Deployment's patch will carry it.
decision wanted_pace(const helm_release& r, const choice& wanted) {
  try {
    auto got = choose({choice{}, wanted, choice{}, choice{}});
    if (!got) fail(r.where, "--set needs a profile");
    if (auto v = validate_rolling_update_deployment(got->max_surge, got->max_unavailable))
      throw failure(exit_code::bad_usage, "--set: spec.strategy.rollingUpdate." + v->field + ": " + v->message);
    return *got;
  } catch (const incomplete_profile& e) {
    throw failure(exit_code::bad_usage,
                  std::string("--set: ") + e.what() + " (give " + std::string(names_of(e.missing).flag) + ")");
  }
}

// A map on the way to an edit: refused when it comes through a merge key, is written twice or is not
// a map (null and absent are empty).
field editable_map(const helm_release& r, const YAML::Node& parent, const std::string& key, const std::string& at) {
  field f = get(r.where, parent, key, at);
  if (f.merged || f.explicit_count > 1 || (f.present() && !f.value.IsNull() && !f.value.IsMap()))
    fail(r.where, (at.empty() ? key : at + "." + key) +
                      ": comes through a merge key, is written twice or is not a map; rollout-pace does not edit it");
  return f;
}

// Collects the scalar edits of one --set, leaving out what is already written so.
struct scalar_setter {
  const helm_release& r;
  edit_tree& edits;
  void operator()(const yaml_path& p, const YAML::Node& map, const std::string& key, const std::string& text,
                  bool quoted) const {
    field f = get(r.where, map, key, to_string(p));
    if (f.merged || f.explicit_count > 1)
      fail(r.where,
           to_string(p / key) + ": comes through a merge key or is written twice; rollout-pace does not edit it");
    if (f.value.IsScalar() && f.value.Scalar() == text &&
        (quoted ? is_string_for_kubernetes(f.value) : is_plain(f.value)))
      return;
    edits.set(p / key, text, quoted);
  }
};

}  // namespace

set_edits set_edits_for(const helm_release& r, const choice& wanted, const std::string& values_key) {
  const decision d = wanted_pace(r, wanted);
  bool named = d.profile != profile_name::custom && !differs_from_profile(d, pace_field::max_surge) &&
               !differs_from_profile(d, pace_field::max_unavailable) &&
               !differs_from_profile(d, pace_field::min_ready_seconds);
  std::string name(display_name(named ? d.profile : profile_name::custom));
  auto ip = [](const int_or_percent& v) { return v.text(); };
  set_edits out;
  scalar_setter set{r, out.edits};
  field values = editable_map(r, r.spec, "values", "spec");
  yaml_path at = r.at / "spec" / "values";
  if (!values_key.empty()) {
    field own = editable_map(r, values.value, values_key, "spec.values");
    if (own.present() && own.value.IsMap()) {
      out.written = "spec.values." + values_key;
      out.into_values = true;
      set(at / values_key, own.value, "profile", name, true);
      if (!named) {
        set(at / values_key, own.value, "maxSurge", ip(d.max_surge), d.max_surge.percent);
        set(at / values_key, own.value, "maxUnavailable", ip(d.max_unavailable), d.max_unavailable.percent);
        set(at / values_key, own.value, "minReadySeconds", std::to_string(d.min_ready_seconds), false);
      }
      return out;
    }
  } else if (YAML::Node strategy = get(r.where, values.value, "deploymentStrategy", "spec.values").value;
             strategy.IsDefined() && strategy.IsScalar()) {
    out.written = "spec.values";
    out.into_values = true;
    set(at, values.value, "deploymentStrategy", name, true);
    if (!named) {
      field custom = editable_map(r, values.value, "customStrategy", "spec.values");
      set(at / "customStrategy", custom.value, "maxSurge", ip(d.max_surge), d.max_surge.percent);
      set(at / "customStrategy", custom.value, "maxUnavailable", ip(d.max_unavailable), d.max_unavailable.percent);
      set(at / "customStrategy", custom.value, "readinessDelay", std::to_string(d.min_ready_seconds), false);
    }
    return out;
  }
  // The HelmRelease's own annotations: rollout-pace flux reads them, the chart never sees them.
  out.written = "metadata.annotations";
  field meta = editable_map(r, r.root, "metadata", "");
  field annotations = editable_map(r, meta.value, "annotations", "metadata");
  yaml_path an = r.at / "metadata" / "annotations";
  set(an, annotations.value, "rollout-pace/profile", name, true);
  const pace& own = r.annotations.chosen.overrides;
  if (!named || own.max_surge) set(an, annotations.value, "rollout-pace/max-surge", ip(d.max_surge), true);
  if (!named || own.max_unavailable)
    set(an, annotations.value, "rollout-pace/max-unavailable", ip(d.max_unavailable), true);
  if (!named || own.min_ready_seconds)
    set(an, annotations.value, "rollout-pace/min-ready-seconds", std::to_string(d.min_ready_seconds), true);
  return out;
}

}  // namespace rollout_pace
