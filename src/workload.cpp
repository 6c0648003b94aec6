#include "rollout_pace/workload.h"

#include <array>
#include <optional>

#include "rollout_pace/kube_rules.h"
#include "rollout_pace/profile.h"

namespace rollout_pace {
namespace {

constexpr std::string_view annotation_prefix = "rollout-pace/";
constexpr std::string_view helm4_filename = "postrenderer.helm.sh/postrender-filename";

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// A located failure for this workload.
[[noreturn]] void fail(const workload& w, const std::string& message) {
  throw failure(exit_code::bad_input, w.where() + ": " + message);
}

// child() that reports duplicate keys as the located error Kubernetes users need.
YAML::Node unique(const workload& w, const YAML::Node& map, std::string_view key, const yaml_path& at) {
  try {
    return child(map, key);
  } catch (const duplicate_key&) {
    std::string where = to_string(at);
    fail(w, (where.empty() ? "" : where + ": ") + "duplicate key " + quoted(key) +
                " (Kubernetes would use the last, rollout-pace refuses to guess)");
  }
}

bool present(const YAML::Node& n) { return n.IsDefined() && !n.IsNull(); }

// The annotations layer: rollout-pace/* keys of the workload.
struct annotation_layer {
  choice chosen;
  bool skip = false;
};

annotation_layer read_annotations(const workload& w, const YAML::Node& annotations, const yaml_path& at) {
  annotation_layer layer;
  if (!annotations.IsMap()) return layer;
  for (auto it = annotations.begin(); it != annotations.end(); ++it) {
    auto key = scalar_text(it->first);
    if (!key || key->compare(0, annotation_prefix.size(), annotation_prefix) != 0) continue;
    std::string field = to_string(at / *key);
    unique(w, annotations, *key, at);
    auto value = scalar_text(it->second);
    if (!value) fail(w, field + ": must be a string");
    std::string name = key->substr(annotation_prefix.size());
    try {
      if (name == "profile") {
        layer.chosen.profile = parse_profile_name(*value);
        if (!layer.chosen.profile)
          fail(w, field + ": " + quoted(*value) + " is not a profile (" + std::string(profile_names_list()) + ")");
      } else if (name == "max-surge") {
        layer.chosen.overrides.max_surge = parse_int_or_percent(*value);
      } else if (name == "max-unavailable") {
        layer.chosen.overrides.max_unavailable = parse_int_or_percent(*value);
      } else if (name == "min-ready-seconds") {
        layer.chosen.overrides.min_ready_seconds = parse_seconds(*value);
      } else if (name == "skip") {
        if (*value != "true" && *value != "false") fail(w, field + ": " + quoted(*value) + " must be \"true\" or \"false\"");
        layer.skip = *value == "true";
      } else {
        fail(w, field + ": unknown annotation (known: rollout-pace/profile, rollout-pace/max-surge, "
                        "rollout-pace/max-unavailable, rollout-pace/min-ready-seconds, rollout-pace/skip)");
      }
    } catch (const rule_error& e) {
      fail(w, field + ": " + e.what());
    }
  }
  return layer;
}

std::string how_to_set(const std::string& missing) {
  if (missing == "maxSurge") return "rollout-pace/max-surge, --max-surge or customStrategy.maxSurge";
  if (missing == "maxUnavailable") return "rollout-pace/max-unavailable, --max-unavailable or customStrategy.maxUnavailable";
  return "rollout-pace/min-ready-seconds, --min-ready-seconds or customStrategy.readinessDelay";
}

bool has_readiness_probe(const workload& w, const YAML::Node& spec, const yaml_path& at) {
  YAML::Node tmpl = unique(w, spec, "template", at);
  YAML::Node pod = tmpl.IsMap() ? unique(w, tmpl, "spec", at / "template") : YAML::Node();
  YAML::Node containers = pod.IsMap() ? unique(w, pod, "containers", at / "template" / "spec") : YAML::Node();
  if (!containers.IsSequence()) return false;
  for (auto it = containers.begin(); it != containers.end(); ++it)
    if (it->IsMap() && present(child(*it, "readinessProbe"))) return true;
  return false;
}

// The current value as the report shows it.
std::string shown(const YAML::Node& n) { return present(n) ? scalar_or(n, "(not a scalar)") : "unset"; }

// Whether an existing scalar already says what we would write (so the bytes can stay).
bool already(const YAML::Node& n, const std::string& text, bool quoted_string) {
  if (!n.IsDefined() || !n.IsScalar() || n.Scalar() != text) return false;
  if (quoted_string) return n.Tag() == "?" || n.Tag() == "!";  // "25%" and 25% are the same string
  return n.Tag() == "?";
}

}  // namespace

std::string origins(const decision& d) {
  return "maxSurge " + d.max_surge.text() + " from " + std::string(display_name(d.field_from[0])) +
         ", maxUnavailable " + d.max_unavailable.text() + " from " + std::string(display_name(d.field_from[1]));
}

std::string workload::where() const {
  std::string name = scalar_or(child(child(node, "metadata"), "name"), "");
  std::string ns = scalar_or(child(child(node, "metadata"), "namespace"), "");
  std::string out = "document " + std::to_string(document) + " (Deployment";
  if (!name.empty()) out += " " + (ns.empty() ? "" : ns + "/") + name;
  if (!at.empty()) out += " at " + to_string(at);
  if (!source.empty()) out += ", from " + source;
  return out + ")";
}

std::vector<workload> find_deployments(const YAML::Node& root, std::size_t document, const std::string& source,
                                       std::vector<diagnostic>& diagnostics) {
  std::vector<workload> found;
  if (!root.IsMap()) return found;
  auto consider = [&](const YAML::Node& n, yaml_path at, bool kind_implied) {
    workload w{document, std::move(at), n, source};
    YAML::Node kind = unique(w, n, "kind", w.at);
    if (!(kind_implied && !kind.IsDefined()) && scalar_or(kind, "") != "Deployment") return;
    std::string api = scalar_or(unique(w, n, "apiVersion", w.at), "");
    if (w.source.empty()) {
      YAML::Node meta = unique(w, n, "metadata", w.at);
      YAML::Node annotations = meta.IsMap() ? unique(w, meta, "annotations", w.at / "metadata") : YAML::Node();
      if (annotations.IsMap()) w.source = scalar_or(unique(w, annotations, helm4_filename, w.at), "");
    }
    if (api != "apps/v1" && !(kind_implied && api.empty())) {
      diagnostics.push_back({diagnostic::level::warning,
                             w.where() + ": apiVersion " + quoted(api) + " is not apps/v1; left as it is"});
      return;
    }
    found.push_back(std::move(w));
  };
  workload doc{document, {}, root, source};
  std::string kind = scalar_or(unique(doc, root, "kind", {}), "");
  if (kind == "List" || kind == "DeploymentList") {
    YAML::Node items = unique(doc, root, "items", {});
    if (!items.IsSequence()) return found;
    std::size_t i = 0;
    for (auto it = items.begin(); it != items.end(); ++it, ++i)
      if (it->IsMap()) consider(*it, yaml_path{{"items", 0, false}, {"", i, true}}, kind == "DeploymentList");
  } else {
    consider(root, {}, false);
  }
  return found;
}

void plan_deployment(const workload& w, const options& opts, const node_set& shared, edit_tree& edits,
                     std::vector<diagnostic>& diagnostics) {
  const yaml_path& at = w.at;
  auto add = [&](diagnostic::level level, const std::string& text) {
    if (level == diagnostic::level::warning && opts.strict) fail(w, text + " (--strict)");
    if (level == diagnostic::level::report && !opts.report) return;
    diagnostics.push_back({level, w.where() + ": " + text});
  };
  YAML::Node meta = unique(w, w.node, "metadata", at);
  YAML::Node annotations = meta.IsMap() ? unique(w, meta, "annotations", at / "metadata") : YAML::Node();
  yaml_path annotations_at = at / "metadata" / "annotations";

  if (present(annotations) && !annotations.IsMap()) fail(w, to_string(annotations_at) + ": must be a map");
  if (present(unique(w, annotations, "helm.sh/hook", annotations_at)) && !opts.include_hooks) {
    add(diagnostic::level::report, "Helm hook, left as it is (--include-hooks paces hooks too)");
    return;
  }
  annotation_layer ann = read_annotations(w, annotations, annotations_at);
  if (ann.skip) {
    add(diagnostic::level::report, "rollout-pace/skip is \"true\", left as it is");
    return;
  }
  std::optional<decision> d;
  try {
    d = decide({ann.chosen, opts.flags, opts.values, opts.matrix});
  } catch (const incomplete_profile& e) {
    std::string what = e.what();
    std::string missing = what.substr(what.rfind(' ') + 1);
    fail(w, what + " (set " + how_to_set(missing) + ")");
  }
  if (!d) {
    add(diagnostic::level::report, "no profile chosen, left as it is");
    return;
  }

  // The path to every field we edit: no duplicates, no aliases, no merge keys, the right node kinds.
  yaml_path spec_at = at / "spec", strategy_at = spec_at / "strategy", rolling_at = strategy_at / "rollingUpdate";
  auto guard = [&](const YAML::Node& n, const yaml_path& p) {
    if (!n.IsDefined()) return;
    if (shared.contains(n))
      fail(w, to_string(p) + ": is shared through a YAML alias; rollout-pace does not edit through aliases");
    if (n.IsMap() && child(n, "<<").IsDefined())
      fail(w, to_string(p) + ": uses a YAML merge key (<<); rollout-pace does not edit merged maps");
  };
  auto expect_map = [&](const YAML::Node& n, const yaml_path& p) {
    if (present(n) && !n.IsMap()) fail(w, to_string(p) + ": must be a map");
    guard(n, p);
  };
  guard(w.node, at);
  YAML::Node spec = unique(w, w.node, "spec", at);
  if (!spec.IsMap()) fail(w, to_string(spec_at) + ": Required value: a Deployment needs a spec map");
  expect_map(spec, spec_at);
  YAML::Node strategy = unique(w, spec, "strategy", spec_at);
  expect_map(strategy, strategy_at);
  YAML::Node type = strategy.IsMap() ? unique(w, strategy, "type", strategy_at) : YAML::Node();
  YAML::Node rolling = strategy.IsMap() ? unique(w, strategy, "rollingUpdate", strategy_at) : YAML::Node();
  expect_map(rolling, rolling_at);
  YAML::Node surge = rolling.IsMap() ? unique(w, rolling, "maxSurge", rolling_at) : YAML::Node();
  YAML::Node unavailable = rolling.IsMap() ? unique(w, rolling, "maxUnavailable", rolling_at) : YAML::Node();
  YAML::Node min_ready = unique(w, spec, "minReadySeconds", spec_at);
  YAML::Node deadline = unique(w, spec, "progressDeadlineSeconds", spec_at);
  YAML::Node replicas = unique(w, spec, "replicas", spec_at);
  guard(type, strategy_at / "type");
  guard(surge, rolling_at / "maxSurge");
  guard(unavailable, rolling_at / "maxUnavailable");
  guard(min_ready, spec_at / "minReadySeconds");
  guard(deadline, spec_at / "progressDeadlineSeconds");

  // ValidateDeploymentStrategy: the type, and no rollingUpdate under Recreate.
  std::string type_text = scalar_or(type, "");
  if (present(type) && type_text != "RollingUpdate" && type_text != "Recreate")
    fail(w, to_string(strategy_at / "type") + ": Unsupported value: " + quoted(shown(type)) +
                ": supported values: \"Recreate\", \"RollingUpdate\"");
  if (type_text == "Recreate") {
    if (!ann.chosen.profile) {
      if (present(rolling))
        fail(w, to_string(rolling_at) + ": Forbidden: may not be specified when strategy `type` is 'Recreate'");
      add(diagnostic::level::warning,
          "spec.strategy.type is Recreate, left as it is (a rollout-pace/profile annotation on the workload converts it)");
      add(diagnostic::level::report, "Recreate, left as it is");
      return;
    }
    add(diagnostic::level::note, "spec.strategy.type Recreate becomes RollingUpdate, as its rollout-pace/profile annotation asks");
  }

  // ValidateRollingUpdateDeployment on the decided values.
  if (auto v = validate_rolling_update_deployment(d->max_surge, d->max_unavailable))
    fail(w, to_string(rolling_at / v->field) + ": " + v->message + " (" + origins(*d) + ")");

  // ValidateDeploymentSpec: progressDeadlineSeconds > minReadySeconds.
  std::optional<std::int32_t> current_deadline;
  if (present(deadline)) {
    try {
      if (!deadline.IsScalar() || !is_plain(deadline)) throw rule_error(quoted(shown(deadline)) + " must be an integer");
      current_deadline = parse_seconds(deadline.Scalar());
    } catch (const rule_error& e) {
      fail(w, to_string(spec_at / "progressDeadlineSeconds") + ": " + e.what());
    }
  }
  std::optional<std::int32_t> raised;
  try {
    raised = raised_progress_deadline(current_deadline, d->min_ready_seconds);
  } catch (const rule_error& e) {
    fail(w, to_string(spec_at / "minReadySeconds") + ": " + e.what());
  }

  // The edits, only where the document does not already say it.
  // is_string: any quoting says the same; write_quoted: how a new value is written.
  auto set = [&](const YAML::Node& existing, const yaml_path& p, const std::string& text, bool is_string,
                 bool write_quoted) {
    if (!already(existing, text, is_string)) edits.set(p, text, write_quoted);
  };
  auto set_int_or_percent = [&](const YAML::Node& existing, const yaml_path& p, const int_or_percent& v) {
    set(existing, p, v.text(), v.percent, v.percent);
  };
  set(min_ready, spec_at / "minReadySeconds", std::to_string(d->min_ready_seconds), false, false);
  if (raised) {
    set(deadline, spec_at / "progressDeadlineSeconds", std::to_string(*raised), false, false);
    add(diagnostic::level::note,
        "spec.progressDeadlineSeconds set to " + std::to_string(*raised) + " (was " +
            (current_deadline ? std::to_string(*current_deadline) : "the default 600") +
            ") so that it stays greater than minReadySeconds " + std::to_string(d->min_ready_seconds));
  }
  set(type, strategy_at / "type", "RollingUpdate", true, false);
  set_int_or_percent(surge, rolling_at / "maxSurge", d->max_surge);
  set_int_or_percent(unavailable, rolling_at / "maxUnavailable", d->max_unavailable);

  // Warnings: the safety gate, and what the controller will do with these numbers.
  if (d->min_ready_seconds > 0 && !has_readiness_probe(w, spec, spec_at))
    add(diagnostic::level::warning,
        "minReadySeconds " + std::to_string(d->min_ready_seconds) +
            " but no container has a readinessProbe, so nothing stops a failing pod from counting as ready");
  std::optional<std::int64_t> replica_count = default_replicas;
  if (present(replicas)) {
    replica_count.reset();
    if (replicas.IsScalar() && is_plain(replicas)) {
      try {
        replica_count = parse_seconds(replicas.Scalar());
      } catch (const rule_error&) {
      }
    }
  }
  if (replica_count) {
    fenceposts f = resolve_fenceposts(d->max_surge, d->max_unavailable, *replica_count);
    std::string pods = std::to_string(*replica_count) + (present(replicas) ? "" : " (the default)");
    if (*replica_count == 1 && f.surge == 0)
      add(diagnostic::level::warning, "1 replica" + std::string(present(replicas) ? "" : " (the default)") +
                                          " with maxSurge " + d->max_surge.text() +
                                          ": the only pod goes down before its replacement is ready (downtime)");
    else if (f.forced_unavailable)
      add(diagnostic::level::warning, "maxSurge " + d->max_surge.text() + " and maxUnavailable " +
                                          d->max_unavailable.text() + " both resolve to 0 pods for replicas " + pods +
                                          ", so Kubernetes takes one pod down at a time");
  }

  std::string overridden;
  static constexpr std::array<const char*, 3> names{"maxSurge", "maxUnavailable", "minReadySeconds"};
  for (std::size_t i = 0; i < names.size(); ++i)
    if (d->field_from[i] != d->profile_from)
      overridden += std::string(overridden.empty() ? " (" : ", ") + names[i] + " from " +
                    std::string(display_name(d->field_from[i]));
  if (!overridden.empty()) overridden += ")";
  add(diagnostic::level::report,
      std::string(display_name(d->profile)) + " from " + std::string(display_name(d->profile_from)) + overridden +
          ": maxSurge " + shown(surge) + " -> " + d->max_surge.text() + ", maxUnavailable " + shown(unavailable) +
          " -> " + d->max_unavailable.text() + ", minReadySeconds " + shown(min_ready) + " -> " +
          std::to_string(d->min_ready_seconds) +
          (type_text == "Recreate" ? ", strategy Recreate -> RollingUpdate" : ""));
}

}  // namespace rollout_pace
